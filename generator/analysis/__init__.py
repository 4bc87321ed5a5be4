"""Analysis: what a briefing states, computed once from a valid scenario.

Owns: threshold status, mechanism state, the actor x mechanism matrix and
likelihood ranges. Must not format text for one output or read files.
"""
