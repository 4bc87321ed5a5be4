"""Schema errors as people read them: pydantic's errors mapped to located, hinted diagnostics.

Owns: the wording of every type, choice, pattern and missing-key error and
where it points (a missing key at the mapping that lacks it, an unknown key at
the key itself). Must not check references or meaning.
"""

from __future__ import annotations

import re
from typing import Any, get_args, get_origin

import pydantic

from ..errors import Diagnostic, did_you_mean, shorten
from .checker import format_path
from .loader import Document, Path_
from .model import Scenario
from .types import SLUG_PATTERN, UNION_TAGS


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, int | float):
        return f"the number {getattr(value, 'raw', value)}"
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def _model_at(path: Path_) -> type[pydantic.BaseModel] | None:
    """The model class that describes the mapping at ``path`` (list indices skipped)."""
    model: Any = Scenario
    for part in path:
        if isinstance(part, int):
            continue
        field = (
            model.model_fields.get(part)
            if isinstance(model, type) and issubclass(model, pydantic.BaseModel)
            else None
        )
        if field is None:
            return None
        model = _unwrap(field.annotation)
    return model if isinstance(model, type) and issubclass(model, pydantic.BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """The mapping a field holds, looking through lists, unions and annotations."""
    metadata = getattr(annotation, "__metadata__", None)
    if metadata is not None:
        return _unwrap(annotation.__origin__)
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for arg in get_args(annotation) if get_origin(annotation) is not None else ():
        found = _unwrap(arg)
        if isinstance(found, type) and issubclass(found, pydantic.BaseModel):
            return found
    return annotation


def schema_diagnostics(doc: Document, exc: pydantic.ValidationError) -> list[Diagnostic]:
    """One located diagnostic per schema error, worded for people."""
    return [_diagnostic(doc, err) for err in exc.errors(include_url=False)]


def _diagnostic(doc: Document, err: Any) -> Diagnostic:
    loc = tuple(part for part in err["loc"] if part not in UNION_TAGS)
    kind = err["type"]
    where = format_path(loc)
    value = err.get("input")
    ctx = err.get("ctx") or {}
    at_key = False
    if kind == "missing":
        parent, name = loc[:-1], loc[-1]
        diag = doc.diagnostic(
            parent, "missing-key", f"{format_path(parent)}: missing required key '{name}'"
        )
        return diag
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        known = [f.alias or n for n, f in model.model_fields.items()] if model else []
        hint = did_you_mean(loc[-1], known) or (f" (allowed: {', '.join(known)})" if known else "")
        message = f"{format_path(loc[:-1])}: unknown key '{loc[-1]}'{hint}"
        code, at_key = "unknown-key", True
    elif kind == "literal_error":
        choices = re.findall(r"'([^']*)'", ctx.get("expected", ""))
        if loc == ("format",) and str(value).strip() == "1":
            message = "format: write the number 1, not the text '1'"
        elif loc == ("format",):
            shown = shorten(str(getattr(value, "raw", value)))
            message = f"format: unsupported format version {shown}; this tool reads format 1"
        else:
            hint = did_you_mean(value, choices)
            message = (
                f"{where}: {_describe(value)} is not one of "
                f"{', '.join(choices) or ctx.get('expected')}{hint}"
            )
        code = "invalid-choice"
    elif kind == "string_pattern_mismatch":
        code = "invalid-format"
        if ctx.get("pattern") == SLUG_PATTERN:
            message = (
                f"{where}: {_describe(value)} is not a valid id; use lowercase "
                "letters, digits and hyphens, e.g. 'frontier-lab'"
            )
        else:
            message = (
                f"{where}: {_describe(value)} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"
            )
    elif kind in ("string_type", "str_type"):
        code, message = "wrong-type", f"{where}: expected text, got {_describe(value)}"
    elif kind in ("float_type", "float_parsing", "int_type", "int_parsing"):
        code, message = "wrong-type", f"{where}: expected a number, got {_describe(value)}"
    elif kind == "finite_number":
        code, message = "wrong-type", f"{where}: expected a finite number"
    elif kind == "list_type":
        code = "wrong-type"
        message = f"{where}: expected a list (items on lines starting '- '), got {_describe(value)}"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        code = "wrong-type"
        message = f"{where}: expected a mapping of keys to values, got {_describe(value)}"
    elif kind in ("greater_than_equal", "less_than_equal"):
        code = "out-of-range"
        field = loc[-1] if loc else ""
        if field in ("p", "probability"):
            message = f"{where}: probability {_describe(value)[11:]} is not between 0 and 1"
        else:
            bound = ctx.get("ge", ctx.get("le"))
            op = ">=" if kind == "greater_than_equal" else "<="
            message = f"{where}: must be {op} {bound}, got {_describe(value)}"
    elif kind == "too_long" and isinstance(value, str):  # only ids are bounded
        code = "too-long"
        message = (
            f"{where}: {_describe(value)} is too long for an id ({len(value)} characters; "
            f"at most {ctx.get('max_length')})"
        )
    elif kind == "too_short":
        code, message = "empty-list", f"{where}: needs at least {ctx.get('min_length', 1)} item"
    elif kind == "value_error":
        code = "invalid-value"
        message = f"{where}: {ctx.get('error', err['msg'])}"
    else:  # any other pydantic error keeps its own wording
        code, message = kind.replace("_", "-"), f"{where}: {err['msg']}"
    return doc.diagnostic(loc, code, message, at_key=at_key)
