"""The scenario format: declared once, loaded with positions, validated in one pass.

Owns: the vocabulary, the typed model, the YAML loader, the validation rules,
the JSON Schema and the format reference. Must not compute briefing facts
(``generator.analysis``) or render anything (``generator.render``).
"""
