"""The format reference in Markdown, generated from the model (``scenario schema --markdown``).

Owns: turning the typed declaration in ``model`` into the human reference
(docs/FORMAT.md), so the docs can never drift from what the validator checks.
"""

from __future__ import annotations

import types
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from .model import Scenario
from .types import Kind
from .vocabulary import LIKELIHOOD_SCALES


def _kind(metadata: Any) -> str | None:
    """The value kind declared on a type (``Kind`` in ``types``), if any."""
    return next((m.name for m in metadata if isinstance(m, Kind)), None)


def _type_name(annotation: Any, nested: list[type[BaseModel]]) -> str:
    origin = get_origin(annotation)
    if origin is Literal:
        return " \\| ".join(f"`{a}`" for a in get_args(annotation))
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return " or ".join(_type_name(a, nested) for a in args)
    if origin is list:
        return f"list of {_type_name(get_args(annotation)[0], nested)}"
    kind = _kind(getattr(annotation, "__metadata__", ()))
    if kind:
        return kind
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in nested:
            nested.append(annotation)
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    if annotation is float:
        return "number"
    if annotation is int:
        return "integer"
    return "text"


def format_reference() -> str:
    """Markdown tables of every mapping of the format, its keys, types and meaning."""
    lines = [
        "# Scenario format, version 1",
        "",
        "Generated from the tool's own declaration by `scenario schema --markdown`; "
        "required keys are marked ✱. Text fields accept Markdown and `[@source-id]` "
        "citations. Dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.",
        "",
    ]
    nested: list[type[BaseModel]] = [Scenario]
    index = 0
    while index < len(nested):
        model = nested[index]
        index += 1
        lines += [
            f"## {model.__name__}",
            "",
            (model.__doc__ or "").strip(),
            "",
            "| key | type | meaning |",
            "|---|---|---|",
        ]
        for name, field in model.model_fields.items():
            mark = " ✱" if field.is_required() else ""
            kind = _kind(field.metadata) or _type_name(field.annotation, nested)
            key = field.alias or name
            lines.append(f"| `{key}`{mark} | {kind} | {field.description or ''} |")
        lines.append("")
    lines += ["## Likelihood scales", ""]
    for scale, terms in LIKELIHOOD_SCALES.items():
        lines += [f"### {scale}", "", "| term | probability |", "|---|---|"]
        lines += [f"| {term} | {low:.0%}–{high:.0%} |" for term, (low, high) in terms.items()]
        lines.append("")
    return "\n".join(lines)
