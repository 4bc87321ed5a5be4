"""Versions: scenarios kept in git.

Owns: reading git (revisions, objects, history, baselines). Nothing outside
this package runs ``git``.
"""
