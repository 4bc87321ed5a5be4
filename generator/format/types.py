"""The value types of the format: text, ids, dates, probabilities, and references.

Owns: how each kind of value is read (numbers kept as written where text is
expected), its pattern, and its JSON Schema. :func:`ref` declares that a field
names an item of another list (``ref("actors")``): the validator checks it,
the analysis resolves it, and the JSON Schema and format reference print its
target, all from that one declaration. Must not know any particular field.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
SLUG_MAX_LENGTH = 64  # an id names output files: well under every file system's limit
DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


@dataclass(frozen=True)
class Kind:
    """Field metadata: what sort of value this is, as the format reference names it."""

    name: str


def _as_text(value: Any) -> Any:
    """Numbers keep the text the author wrote: ``1.10`` stays ``"1.10"``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return getattr(value, "raw", None) or str(value)
    return value


def check_date(value: str) -> str:
    parts = [int(p) for p in value.split("-")]
    try:
        _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a real date ({exc})") from None
    return value


Text = Annotated[
    str,
    Kind("text"),
    BeforeValidator(_as_text),
    WithJsonSchema({"type": ["string", "number"]}),
]
"""Free text; Markdown where the description says so."""

Slug = Annotated[
    str,
    Kind("id"),
    BeforeValidator(_as_text),
    Field(pattern=SLUG_PATTERN, max_length=SLUG_MAX_LENGTH),
    WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN, "maxLength": SLUG_MAX_LENGTH}),
]
"""An id: lowercase letters, digits and hyphens, starting with a letter or digit; at most 64."""

Date = Annotated[
    str,
    Kind("date"),
    BeforeValidator(_as_text),
    Field(pattern=DATE_PATTERN),
    AfterValidator(check_date),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "pattern": DATE_PATTERN}, {"type": "integer"}],
            "description": "YYYY, YYYY-MM or YYYY-MM-DD; printed as written",
        }
    ),
]
"""A date written YYYY, YYYY-MM or YYYY-MM-DD; printed exactly as written."""

Probability = Annotated[float, Kind("number (0–1)"), Field(ge=0, le=1)]


@dataclass(frozen=True)
class Ref:
    """Field metadata: the value is the id of an item of the scenario's ``target`` list."""

    target: str

    @property
    def noun(self) -> str:
        """``actor`` for ``actors``, ``branch`` for ``branches``."""
        return self.target[:-2] if self.target.endswith("ches") else self.target[:-1]


def ref(target: str) -> Any:
    """The type of a field that names an item of ``target``, e.g. ``ref("actors")``."""
    return Annotated[
        str,
        Kind(f"{Ref(target).noun} id"),
        BeforeValidator(_as_text),
        Field(pattern=SLUG_PATTERN),
        Ref(target),
        WithJsonSchema(
            {
                "type": "string",
                "pattern": SLUG_PATTERN,
                "description": f"The id of one of the scenario's {target}.",
                "x-references": target,
            }
        ),
    ]


OPEN_DATE_PATTERN = r"^(after )?[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


def check_open_date(value: str) -> str:
    """A date, or ``after YYYY`` for an open upper bound; checked like a date."""
    date = value.removeprefix("after ")
    if not re.fullmatch(DATE_PATTERN, date):
        raise ValueError(
            f"'{value}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD, or 'after YYYY' "
            "for an open upper bound"
        )
    check_date(date)
    return value


OpenDate = Annotated[
    str,
    Kind("date or 'after' date"),
    BeforeValidator(_as_text),
    AfterValidator(check_open_date),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "pattern": OPEN_DATE_PATTERN}, {"type": "integer"}],
            "description": "YYYY, YYYY-MM or YYYY-MM-DD, or 'after YYYY' for an open bound",
        }
    ),
]
"""A date, or ``after YYYY``: the open upper end of a forecast's interval."""
