"""Model stage, evidence: indicators with their readings, thresholds with their assessments.

Owns the declarations of what a scenario measures and the points at which it
says "act": indicators (built-in or custom units), observations (optionally
naming the model measured), quantitative conditions, dated assessments for
levels judged by evaluation, and the links between an early-warning level and
the level it warns of. Part of the one declaration of the format (see
``model``); must not hold rules or computed facts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from .fork_model import _PROJECTIONS, Projection
from .types import (
    ActorRef,
    Date,
    IndicatorRef,
    Item,
    Name,
    Slug,
    SourceRef,
    Text,
    ThresholdRef,
    either,
    examples,
    is_mapping,
)
from .vocabulary import AssessmentStatus, Operator, Unit, UnitScale


class Observation(Item):
    """One dated reading of an indicator."""

    model_config = examples(
        {"date": "2026-02", "value": 1.27, "subject": "Gemini 3.1 Pro", "source": "model-card"}
    )

    date: Date = Field(description="When the value was observed.")
    value: float = Field(description="The reading, in the indicator's unit.")
    subject: Name | None = Field(
        None,
        description="What was measured, e.g. the model. Several readings may share a date "
        "when each names its subject.",
    )
    source: SourceRef | None = Field(None, description="The source that reports it.")
    note: Text | None = Field(None, description="Short note, e.g. the model measured.")


class CustomUnit(Item):
    """A unit the built-in names do not cover, e.g. H100-equivalents."""

    model_config = examples({"label": "H100-equivalents", "scale": "log"})

    label: Name = Field(description="The unit as printed after a number.")
    scale: UnitScale = Field(
        "linear", description="How position bars draw it: linear, or log for orders of magnitude."
    )


if TYPE_CHECKING:  # a built-in unit name, or a unit of the author's own (see types.either)
    UnitSpec = Unit | CustomUnit
else:
    UnitSpec = either(is_mapping, scalar=Unit, mapping=CustomUnit)


class Indicator(Item):
    """A measurable signal ("signpost") of how close a threshold is."""

    model_config = examples(
        {
            "id": "training-compute",
            "name": "Largest training run",
            "unit": "flop",
            "observations": [{"date": 2025, "value": 5e24, "subject": "gpt-oss-120B"}],
        }
    )

    id: Slug = Field(description="Unique id.")
    name: Text = Field(description="What is measured, as printed in tables.")
    unit: UnitSpec = Field(
        description="Unit of every observation: a built-in name, or {label, scale: linear|log}."
    )
    kind: Literal["leading", "lagging"] | None = Field(
        None, description="Leading signals move before the outcome, lagging ones after."
    )
    description: Text | None = Field(None, description="What it tells and its caveats (Markdown).")
    headline: bool = Field(
        False,
        description="Shown among the brief's at-a-glance facts (first and latest reading), "
        "with or without a threshold.",
    )
    observations: list[Observation] = Field(
        default_factory=list, description="Readings in date order."
    )
    projections: list[Projection] = Field(default_factory=list, description=_PROJECTIONS)


class Condition(Item):
    """The quantitative test of a threshold against its indicator."""

    model_config = examples({"op": ">=", "value": 97, "alert": 90})

    op: Operator = Field(description="Comparison: reading OP value crosses.")
    value: float = Field(description="The trigger value, in the indicator's unit.")
    alert: float | None = Field(
        None, description="Early-warning value, on the safe side of the trigger value."
    )


class Assessment(Item):
    """A dated finding on a threshold, for a level judged by evaluation rather than a number."""

    model_config = examples(
        {
            "date": "2026-02",
            "status": "alert",
            "by": "google-deepmind",
            "subject": "Gemini 3.1 Pro",
            "source": "model-card",
        }
    )

    date: Date = Field(description="When the finding was published or made.")
    status: AssessmentStatus = Field(description="What was found: clear, alert or crossed.")
    by: ActorRef | None = Field(None, description="Who assessed it.")
    subject: Name | None = Field(
        None, description="What was assessed, e.g. the model; one finding per date and subject."
    )
    source: SourceRef | None = Field(None, description="The source that reports the finding.")
    note: Text | None = Field(None, description="What exactly was found (Markdown).")


class FrameworkRef(Item):
    """How a lab's or government's own framework names this threshold."""

    model_config = examples({"framework": "Anthropic RSP", "label": "AI R&D-4"})

    framework: Text = Field(description="Framework name, e.g. 'Anthropic RSP'.")
    label: Text = Field(description="Its label for the threshold, e.g. 'AI R&D-4'.")


class Threshold(Item):
    """A point at which the scenario says "act"."""

    model_config = examples(
        {
            "id": "cyber-uplift-1",
            "name": "Cyber uplift level 1",
            "level": "critical",
            "frameworks": [{"framework": "Frontier Safety Framework", "label": "Cyber uplift 1"}],
            "assessments": [{"date": "2026-02", "status": "alert", "by": "google-deepmind"}],
        },
        {
            "id": "swe-bench-saturated",
            "name": "SWE-bench saturated",
            "level": "warning",
            "indicator": "swe-bench",
            "condition": {"op": ">=", "value": 97, "alert": 90},
            "escalates_to": "autonomous-successor",
        },
    )

    id: Slug = Field(description="Unique id.")
    name: Text = Field(description="The capability or event, in one line.")
    level: Literal["watch", "warning", "critical"] = Field(
        description="Severity: watch < warning < critical."
    )
    domain: Slug | None = Field(None, description="Capability domain, e.g. ai-rnd, cyber.")
    indicator: IndicatorRef | None = Field(
        None, description="The indicator that tests it; none for a qualitative threshold."
    )
    condition: Condition | None = Field(
        None, description="The quantitative test; required with an indicator."
    )
    assessments: list[Assessment] = Field(
        default_factory=list,
        description="Dated findings by evaluation, in date order; with the observations, "
        "they decide the status.",
    )
    escalates_to: ThresholdRef | None = Field(
        None, description="The threshold this one is the early warning of."
    )
    description: Text | None = Field(None, description="What crossing it means (Markdown).")
    frameworks: list[FrameworkRef] = Field(
        default_factory=list, description="How labs' own frameworks name it."
    )
