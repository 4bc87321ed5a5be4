"""Canonical data: a scenario with its formatting taken out, so only meaning is compared.

Owns: what "formatting is not a change" means. Walking the parsed data with
the format's own declaration (``model``), it gives numbers by value (``1e26``
equals ``100000000000000000000000000``), text with whitespace normalised
inside paragraphs (a re-wrapped paragraph is equal; a blank line is not),
defaults filled in (``priority: medium`` written or not), and empty values
dropped. Key order and list order are left for ``match`` to ignore. Works on
invalid data too (unknown keys are normalised generically), so a side that
does not validate can still be compared. Must not decide identity or
compare anything.
"""

from __future__ import annotations

import re
import types
import typing
from functools import lru_cache
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .sides import Scenario, raw_text

_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def text(value: str) -> str:
    """Whitespace collapsed inside each paragraph; paragraphs separated by one blank line."""
    paragraphs = _BLANK_LINE.split(value.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _kind(annotation: Any) -> tuple[str, Any]:
    """``("model", cls)``, ``("list", inner)``, ``("text", None)``, ``("number", None)``…"""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _kind(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _kind(args[0]) if len(args) == 1 else ("any", None)
    if origin is list:
        return ("list", typing.get_args(annotation)[0])
    if origin is typing.Literal or annotation is str:
        return ("text", None)
    if annotation in (float, int):
        return ("number", None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return ("model", annotation)
    return ("any", None)


@lru_cache(maxsize=64)
def _fields(cls: type[BaseModel]) -> dict[str, tuple[tuple[str, Any], Any]]:
    """Each field of ``cls``: its kind and its default (``None`` when there is none)."""
    out = {}
    for name, info in cls.model_fields.items():
        default = None if info.default is PydanticUndefined else info.default
        out[name] = (_kind(info.annotation), default)
    return out


def canonical(data: Any, cls: type[BaseModel] = Scenario) -> Any:
    """The canonical form of ``data``, read as an instance of ``cls``."""
    return _value(data, ("model", cls))


def _value(value: Any, kind: tuple[str, Any]) -> Any:
    what, inner = kind
    if value is None:
        return None
    if what == "model" and isinstance(value, dict):
        return _mapping(value, inner)
    if isinstance(value, list):
        item_kind = _kind(inner) if what == "list" else ("any", None)
        items = [_value(v, item_kind) for v in value]
        return [v for v in items if v not in (None, [], {})]
    if isinstance(value, dict):
        out = {str(k): _value(v, ("any", None)) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, [], {})}
    if what == "text" and _is_number(value):
        return text(str(raw_text(value)))
    if _is_number(value):
        return float(value)
    if isinstance(value, str):
        return text(value)
    return value


def _mapping(data: dict[Any, Any], cls: type[BaseModel]) -> dict[str, Any]:
    fields = _fields(cls)
    out: dict[str, Any] = {}
    for name, (kind, default) in fields.items():  # the format's order, not the file's
        value = data.get(name, default)
        value = _value(value, kind)
        if value not in (None, [], {}):
            out[name] = value
    extra = {str(k): v for k, v in data.items() if str(k) not in fields}  # invalid keys
    for key in sorted(extra):
        value = _value(extra[key], ("any", None))
        if value not in (None, [], {}):
            out[key] = value
    return out
