"""Textconv: a scenario as canonical text, for git's diff driver.

Owns: ``scenario textconv FILE``. One fact per line (``path = value``),
entities sorted by identity, numbers in one stable spelling, text with its
whitespace normalised, so that ``git diff`` and ``git log -p`` through
``diff=scenario`` show only changes of meaning. Must not compare anything.
"""

from __future__ import annotations

from typing import Any

from . import match, sides
from .canonical import canonical
from .show import value_text


def textconv(side: sides.Side) -> str:
    """The canonical text of one scenario (its parsed data; validity is not required)."""
    lines: list[str] = []
    _facts("", canonical(side.data or {}), lines, "")
    return "\n".join(lines) + "\n"


def _label(name: str, item: Any) -> str:
    if not isinstance(item, dict):
        return value_text(item)
    field = match.key_field(name)
    if name == "timeline":
        return f"{item.get('date', '')} {_words(item.get('event', ''))}"
    if field and item.get(field) is not None:
        return value_text(item[field])
    text_field = match.TEXT_FIELD.get(name)
    return _words(item.get(text_field, "")) if text_field else value_text(item)


def _words(text: Any, count: int = 6) -> str:
    parts = str(text).split()
    return " ".join(parts[:count]) + ("…" if len(parts) > count else "")


def _facts(path: str, value: Any, out: list[str], name: str) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _facts(f"{path}.{key}" if path else key, sub, out, key)
    elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
        key = match.key_field(name)
        for item in sorted(value, key=lambda v: (_label(name, v), value_text(v))):
            rest = {k: v for k, v in item.items() if k != key} if isinstance(item, dict) else item
            _facts(f"{path}[{_label(name, item)}]", rest, out, name)
    elif isinstance(value, list):
        out.extend(f"{path}[] = {value_text(v)}" for v in sorted(value, key=value_text))
    else:
        out.append(f"{path} = {value_text(value)}")
