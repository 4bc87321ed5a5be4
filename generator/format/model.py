"""Model stage: the scenario format, version 1, declared once as typed classes.

Owns: every field, its type, its allowed values and its description. The
validator, the JSON Schema (``scenario schema``) and the format reference in
the README all derive from these classes; nothing else restates the format.
Must not hold cross-reference or semantic rules (see ``validation``) or anything
computed from the data (see ``analyse``).
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from typing import Any, Literal

from pydantic import ConfigDict, Field

from .evidence import (
    Assessment,
    Condition,
    CustomUnit,
    FrameworkRef,
    Indicator,
    Observation,
    Threshold,
)
from .fork_model import _CROSSES, _ONLY_IN, Distribution, Projection
from .instruments import (
    Compliance,
    CoveredClass,
    Definition,
    Duty,
    LadderStep,
    Levels,
    Party,
    StepTrigger,
)
from .mechanisms import Action, Duration, EntryIntoForce, Mechanism, Trigger, Verification
from .types import (
    DATE_PATTERN,
    ActorRef,
    BranchRef,
    Date,
    ForecastRef,
    MechanismRef,
    Name,
    Probability,
    Slug,
    SourceRef,
    Text,
    ThresholdRef,
    check_date,
    examples,
)
from .types import Item as _Item
from .vocabulary import DEFAULT_SCALE, LikelihoodScale

FORMAT_VERSION = 1

__all__ = [
    "Action",
    "Assessment",
    "Compliance",
    "Condition",
    "CoveredClass",
    "CustomUnit",
    "Definition",
    "Distribution",
    "Duration",
    "Duty",
    "EntryIntoForce",
    "FrameworkRef",
    "Indicator",
    "LadderStep",
    "Levels",
    "Mechanism",
    "Observation",
    "Party",
    "Projection",
    "StepTrigger",
    "Threshold",
    "Trigger",
    "Verification",
]


class Author(_Item):
    """A person responsible for the scenario."""

    model_config = examples(
        {"name": "A. Analyst", "organisation": "Policy unit", "role": "Policy analyst"}
    )

    name: Name = Field(description="Full name as it should be printed.")
    organisation: Name | None = Field(None, description="Organisation or unit.")
    role: Name | None = Field(None, description="Role or title, e.g. 'Policy analyst'.")


class Contact(_Item):
    """Whom a reader asks about the document."""

    model_config = examples({"name": "Policy Unit", "email": "policy-unit@example.org"})

    name: Name = Field(description="A person or a team.")
    email: Name | None = Field(None, description="Where to write.")


class Review(_Item):
    """Who reviewed this version, and when."""

    model_config = examples({"by": "Chief Scientific Adviser's office", "date": "2026-11-20"})

    by: Name = Field(description="Who reviewed it.")
    date: Date | None = Field(None, description="When.")


class Horizon(_Item):
    """The period the scenario looks at."""

    model_config = examples({"start": 2026, "end": 2030})

    start: Date = Field(description="First year (or month, or day) covered.")
    end: Date = Field(description="Last year (or month, or day) covered.")


class Source(_Item):
    """A document the scenario cites; cite it in text as ``[@id]``."""

    model_config = examples(
        {
            "id": "fsf-v3",
            "title": "Frontier Safety Framework, Version 3.0",
            "kind": "policy",
            "publisher": "Google DeepMind",
            "date": "2025-09-22",
            "url": "https://example.org/fsf.pdf",
            "note": "Primary text.",
        }
    )

    id: Slug = Field(description="Unique id, cited in text as [@id].")
    title: Text = Field(description="Title as published.")
    kind: Literal["report", "policy", "paper", "news", "dataset", "legislation", "other"] = Field(
        "other", description="What sort of document it is."
    )
    publisher: Text | None = Field(None, description="Publisher, outlet or organisation.")
    authors: list[Text] = Field(default_factory=list, description="Authors, as printed.")
    date: Date | None = Field(None, description="Publication date.")
    url: Text | None = Field(None, description="Where to read it (printed, never fetched).")
    accessed: Date | None = Field(None, description="When the URL was last read.")
    retrospective: bool = Field(
        False,
        description="Published after the scenario's date and cited for facts that held by "
        "then (the source list says so); without it such a source is a warning.",
    )
    note: Text | None = Field(None, description="What the source is used for (Markdown).")


class Actor(_Item):
    """An organisation or group with a stake in the scenario."""

    model_config = examples(
        {
            "id": "isia-council",
            "name": "ISIA Executive Council",
            "kind": "international-body",
            "part_of": "isia",
            "role": "Approves challenge inspections.",
        }
    )

    id: Slug = Field(description="Unique id.")
    name: Name = Field(description="Name as printed.")
    kind: Literal[
        "lab",
        "government",
        "regulator",
        "international-body",
        "safety-institute",
        "civil-society",
        "academia",
        "industry-body",
        "investor",
        "ai-system",
        "other",
    ] = Field(description="What sort of actor it is.")
    jurisdiction: Name | None = Field(None, description="Country or bloc code, e.g. US, EU, NO.")
    role: Text | None = Field(None, description="Its role in the scenario (Markdown).")
    position: Text | None = Field(
        None, description="Its stance on a pause (Markdown); with a role, marks a context actor."
    )
    commitments: list[Text] = Field(default_factory=list, description="Public commitments.")
    branch: BranchRef | None = Field(None, description=_ONLY_IN.format("actor"))
    part_of: ActorRef | None = Field(
        None, description="The actor it belongs to, e.g. a council of a company or an agency."
    )


class Estimate(_Item):
    """A cumulative probability that the event has happened by a date."""

    model_config = examples({"by": 2028, "p": 0.6})

    by: Date = Field(description="Year (or date) by which the event happens.")
    p: Probability = Field(description="Cumulative probability, 0 to 1.")


class Forecast(_Item):
    """Probability estimates for an event over time."""

    model_config = examples(
        {
            "id": "successor-by",
            "event": "An AI system trains its successor",
            "threshold": "autonomous-successor",
            "estimates": [{"by": 2027, "p": 0.3}, {"by": 2028, "p": 0.6}],
        }
    )

    id: Slug = Field(description="Unique id.")
    event: Text = Field(description="The event forecast.")
    threshold: ThresholdRef | None = Field(None, description="The threshold the event crosses.")
    source: SourceRef | None = Field(None, description="The source of the estimates.")
    estimates: list[Estimate] = Field(
        default_factory=list, min_length=1, description="Cumulative estimates, dates increasing."
    )
    note: Text | None = Field(None, description="Caveats (Markdown).")
    distribution: Distribution | None = Field(None, description="Or: when, as a distribution.")
    given: Text | None = Field(None, description="The condition the forecast assumes.")
    forecaster: Text | None = Field(None, description="Whose forecast it is (a name).")
    branch: BranchRef | None = Field(None, description=_ONLY_IN.format("forecast"))


class Branch(_Item):
    """An alternative ending of the scenario."""

    model_config = examples(
        {"id": "slowdown", "name": "Slowdown", "condition": "The pause holds", "probability": 0.4}
    )

    id: Slug = Field(description="Unique id.")
    name: Name = Field(description="Name as printed.")
    condition: Text | None = Field(None, description="What leads to this branch.")
    probability: Probability | None = Field(None, description="Probability, 0 to 1.")
    description: Text | None = Field(None, description="How it unfolds (Markdown).")
    from_: Date | None = Field(None, alias="from", description="When it leaves its parent path.")
    parent: BranchRef | None = Field(
        None, description="The branch it forks from, if nested (at most 8 levels deep)."
    )


class TimelineEvent(_Item):
    """A dated event of the scenario."""

    model_config = examples(
        {
            "date": "2025-09-22",
            "event": "FSF v3.0 published [@fsf-v3].",
            "actors": ["google-deepmind"],
        }
    )

    date: Date = Field(description="When it happens or happened.")
    event: Text = Field(
        description="What happens (Markdown). A leading label of the same year (`Mid-2030: …`) "
        "prints as the date, so the date is never said twice."
    )
    actors: list[ActorRef] = Field(default_factory=list, description="The actors involved.")
    source: SourceRef | None = Field(None, description="The source reporting it.")
    branch: BranchRef | None = Field(None, description="The branch it belongs to, if any.")
    crosses: list[ThresholdRef] = Field(default_factory=list, description=_CROSSES)
    scheduled: bool = Field(
        False,
        description="A date fixed by law or agreement (a review due, an obligation "
        "starting), not a projection.",
    )


class ForecastLink(_Item):
    """The forecast a judgment speaks to: its probability, read by a date."""

    model_config = examples({"id": "successor-by", "by": 2027})

    id: ForecastRef = Field(description="The forecast (its id).")
    by: Date = Field(description="The date by which the judgment's probability holds.")


class Judgment(_Item):
    """A key judgment in calibrated language."""

    model_config = examples(
        {
            "statement": "The cyber response plan applies.",
            "likelihood": "very likely",
            "probability": 0.9,
            "confidence": "high",
            "sources": ["fsf-v3"],
        }
    )

    id: Slug | None = Field(None, description="Optional id.")
    statement: Text = Field(description="The judgment, one or two sentences (Markdown).")
    likelihood: Text | None = Field(None, description="A term of the scenario's likelihood scale.")
    probability: Probability | None = Field(
        None, description="Point probability; must fall in the term's range."
    )
    confidence: Literal["low", "moderate", "high"] | None = Field(
        None, description="Analytic confidence in the judgment."
    )
    sources: list[SourceRef] = Field(default_factory=list, description="Supporting sources.")
    by: ActorRef | None = Field(
        None,
        description="Whose judgment it is, when not the authors' own: a framework's own "
        "assessment, a forecaster's.",
    )
    branch: BranchRef | None = Field(None, description=_ONLY_IN.format("judgment"))
    forecast: ForecastLink | None = Field(
        None,
        description="The forecast it speaks to: the judgment's probability is drawn on that "
        "forecast's chart at `by`, so a reader sees whether the two agree.",
    )


class Recommendation(_Item):
    """An action the briefing recommends."""

    model_config = examples(
        {
            "text": "Publish the alert thresholds.",
            "actors": ["google-deepmind"],
            "priority": "high",
            "timeframe": "6 months",
        }
    )

    id: Slug | None = Field(None, description="Optional id.")
    text: Text = Field(description="The action (Markdown).")
    actors: list[ActorRef] = Field(default_factory=list, description="The actors who act.")
    priority: Literal["high", "medium", "low"] = Field("medium", description="Priority.")
    timeframe: Text | None = Field(None, description="By when, e.g. '6 months'.")
    proposed_by: ActorRef | None = Field(
        None, description="Whose proposal it is; omitted: the scenario's authors'."
    )
    sources: list[SourceRef] = Field(
        default_factory=list, description="Where it is proposed or argued."
    )
    branch: BranchRef | None = Field(None, description=_ONLY_IN.format("recommendation"))


class ChangelogEntry(_Item):
    """Why the scenario changed between versions."""

    model_config = examples(
        {"version": "1.1.0", "date": "2026-03-01", "summary": "Gemini 3.1 Pro findings added."}
    )

    version: Name = Field(description="The scenario version.")
    date: Date = Field(description="Date of the change.")
    summary: Text = Field(description="What changed and why (Markdown).")


class Scenario(_Item):
    """A frontier-AI policy scenario (format version 1)."""

    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        frozen=True,
        title="Scenario",
        json_schema_extra={
            "additionalProperties": False,
            "examples": [
                {
                    "format": 1,
                    "id": "fsf-v3",
                    "title": "Frontier Safety Framework v3.0",
                    "summary": "Google DeepMind's own framework [@fsf-v3].",
                    "date": "2026-03-01",
                }
            ],
        },
    )

    format: Literal[1] = Field(description="Format version; this tool reads version 1.")
    id: Slug = Field(description="Unique id in the workspace; names the output files.")
    title: Name = Field(description="Title as printed on the cover.")
    short_title: Name | None = Field(
        None,
        description="The title in the running head of every page (default: the title, cut "
        "at a word to one line).",
    )
    summary: Text = Field(description="The bottom line up front, one paragraph (Markdown).")
    date: Date = Field(description='The "as of" date of the analysis.')
    version: Name | None = Field(None, description="The scenario's own version, e.g. 1.2.0.")
    status: Literal["draft", "review", "final", "superseded"] = Field(
        "draft", description="Editorial status; 'final' allows no warnings."
    )
    classification: Text | None = Field(
        None, description="Marking printed on every page, e.g. PUBLIC, OFFICIAL."
    )
    reference: Name | None = Field(
        None, description="The document's own reference number, printed on the cover."
    )
    contact: Contact | None = Field(None, description="Whom to ask, printed on the cover.")
    review: Review | None = Field(None, description="Who reviewed this version, and when.")
    authors: list[Author] = Field(default_factory=list, description="Who wrote it.")
    audience: list[Name] = Field(default_factory=list, description="Who it is for.")
    tags: list[Slug] = Field(default_factory=list, description="Keywords, as slugs.")
    horizon: Horizon | None = Field(
        None,
        description="The period the story covers; evidence may precede it, forecasts pass it.",
    )
    likelihood_scale: LikelihoodScale = Field(
        DEFAULT_SCALE, description="Which calibrated likelihood terms judgments use."
    )
    levels: Levels | None = Field(
        None,
        description="The source's names for the threshold levels, e.g. {warning: High, "
        "critical: Critical}; thresholds keep level: watch|warning|critical.",
    )
    sources: list[Source] = Field(default_factory=list, description="Everything the text cites.")
    indicators: list[Indicator] = Field(default_factory=list, description="Measurable signals.")
    thresholds: list[Threshold] = Field(default_factory=list, description="Points at which to act.")
    actors: list[Actor] = Field(default_factory=list, description="Who is involved.")
    mechanisms: list[Mechanism] = Field(
        default_factory=list,
        description="The instruments: laws, agreements, pledges, policies, pauses, "
        "deterrence regimes.",
    )
    featured: list[MechanismRef] = Field(
        default_factory=list,
        description="The instruments the brief shows in full when none applies or is "
        "triggered (those that do are always shown in full); omitted: up to two, by state.",
    )
    forecasts: list[Forecast] = Field(
        default_factory=list, description="Probability estimates over time."
    )
    branches: list[Branch] = Field(default_factory=list, description="Alternative endings.")
    timeline: list[TimelineEvent] = Field(default_factory=list, description="Dated events.")
    judgments: list[Judgment] = Field(default_factory=list, description="Key judgments.")
    recommendations: list[Recommendation] = Field(
        default_factory=list, description="Recommended actions."
    )
    open_questions: list[Text] = Field(
        default_factory=list, description="What the analysis cannot yet answer."
    )
    changelog: list[ChangelogEntry] = Field(
        default_factory=list, description="Why judgments changed between versions."
    )


_DATE_RE = re.compile(DATE_PATTERN)


def date_bounds(value: str) -> tuple[_dt.date, _dt.date]:
    """First and last day a partial date (YYYY, YYYY-MM, YYYY-MM-DD) stands for."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = _dt.date(*parts)
        return day, day
    if len(parts) == 2:
        first = _dt.date(parts[0], parts[1], 1)
        return first, first.replace(day=calendar.monthrange(parts[0], parts[1])[1])
    return _dt.date(parts[0], 1, 1), _dt.date(parts[0], 12, 31)


def is_date(value: Any) -> bool:
    """Whether ``value`` is a well-formed, real partial date string."""
    if not isinstance(value, str) or not _DATE_RE.match(value):
        return False
    try:
        check_date(value)
    except ValueError:
        return False
    return True


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the format, for editors and other tools."""
    schema = Scenario.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://scenario-briefings.invalid/schema/scenario-1.json",
        **schema,
    }
