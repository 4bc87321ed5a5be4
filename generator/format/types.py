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
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
)

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
SLUG_MAX_LENGTH = 64  # an id names output files: well under every file system's limit
DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


class Item(BaseModel):
    """Every mapping of the format: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


def examples(*values: object) -> ConfigDict:
    """A mapping's configuration with short examples, for the JSON Schema and FORMAT.md."""
    return ConfigDict(json_schema_extra={"examples": list(values)})  # type: ignore[arg-type]


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


def _no_citation(value: str) -> str:
    if "[@" in value:
        raise ValueError(
            "a name is printed as it is written and cannot cite a source; "
            "cite it in the description or other text"
        )
    return value


Name = Annotated[
    str,
    Kind("name"),
    BeforeValidator(_as_text),
    AfterValidator(_no_citation),
    WithJsonSchema({"type": ["string", "number"]}),
]
"""A name or label, printed as written: plain text without citations."""

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


UNION_TAGS: set[str] = set()
"""The names :func:`either` gives its alternatives; never part of a key path shown to people."""


def either(choose: Callable[[Any], str], **arms: Any) -> Any:
    """A value that may take one of several forms, the form chosen by ``choose(value)``.

    ``either(lambda v: "item" if isinstance(v, dict) else "text", text=Text, item=Action)``
    reads a string as text and a mapping as an action, and reports only the
    errors of the form the author wrote.
    """
    tags = {name: f"<{name}>" for name in arms}
    UNION_TAGS.update(tags.values())
    alternatives = tuple(Annotated[kind, Tag(tags[name])] for name, kind in arms.items())
    return Annotated[
        Union[alternatives],  # noqa: UP007 -- a tuple of alternatives built at run time
        Discriminator(lambda value: tags[choose(value)]),
    ]


def is_mapping(value: Any) -> str:
    """``mapping`` for a dict, else ``scalar``: the usual choice for :func:`either`."""
    return "mapping" if isinstance(value, dict) else "scalar"


def is_list(value: Any) -> str:
    """``list`` for a list, else ``one``."""
    return "list" if isinstance(value, list) else "one"


if TYPE_CHECKING:  # what a type checker sees: an id is a string
    SourceRef = str
    IndicatorRef = str
    ThresholdRef = str
    ActorRef = str
    BranchRef = str
    MechanismRef = str
    ForecastRef = str
else:  # what pydantic reads: the string, its pattern, its target and its JSON Schema
    SourceRef = ref("sources")
    IndicatorRef = ref("indicators")
    ThresholdRef = ref("thresholds")
    ActorRef = ref("actors")
    BranchRef = ref("branches")
    MechanismRef = ref("mechanisms")
    ForecastRef = ref("forecasts")
