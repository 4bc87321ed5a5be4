"""Model stage, forks: the value kinds a scenario that forks adds to format v1.

Owns: a projected indicator value (story, not evidence) and a forecast written
as a distribution, plus the shared wording of the fork fields' descriptions.
``model`` uses them; like ``model``, must not hold rules or computed facts.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .types import BranchRef, Date, OpenDate, Probability, SourceRef, Text


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


_ONLY_IN = "The branch this {} exists in; omitted: every future."
_PROJECTIONS = "Values the scenario projects; shown as projections, never used for status."
_CROSSES = "Thresholds the story reaches at this event (in its branch, or in every future)."


class Projection(_Item):
    """A value the scenario projects for an indicator: story, not evidence."""

    date: Date = Field(description="When the story reaches the value.")
    value: float = Field(description="The projected value, in the indicator's unit.")
    branch: BranchRef | None = Field(None, description="The branch it belongs to, if any.")
    source: SourceRef | None = Field(None, description="The source that projects it.")
    note: Text | None = Field(None, description="Short note, e.g. the system meant.")


class Distribution(_Item):
    """When an event happens, as a median with an interval."""

    median: Date = Field(description="The median date.")
    low: Date | None = Field(None, description="Lower end of the interval.")
    high: OpenDate | None = Field(None, description="Upper end; 'after 2050' when open.")
    level: Probability | None = Field(None, description="The interval's probability, e.g. 0.8.")
