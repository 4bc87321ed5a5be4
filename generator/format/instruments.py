"""Model stage, instruments: what a law, pledge or regime requires, of whom, and who enforces it.

Owns the declarations a mechanism uses to state an instrument as it is
written: standing duties (``requires``), who is covered (``covers``: actors or
classes of actors), terms it defines, parties with the dates they joined and
left, each party's compliance by date, and an escalation ladder. Part of the
one declaration of the format (see ``model``); must not hold rules or
computed facts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from .types import (
    ActorRef,
    Date,
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
from .vocabulary import ComplianceStatus, TriggerLevel


class Duty(Item):
    """A standing duty of an instrument: what must be done, by when, reported to whom, by whom."""

    model_config = examples(
        {
            "duty": "Report a critical safety incident",
            "within": "15 days",
            "to": "cal-oes",
            "covers": ["large-frontier-developers"],
        }
    )

    duty: Text = Field(description="What must be done (Markdown).")
    within: Text | None = Field(None, description="The deadline, e.g. '15 days', '24 hours'.")
    to: ActorRef | None = Field(
        None,
        description="The actor that receives it (a report to an office is not verification by it).",
    )
    covers: list[Slug] = Field(
        default_factory=list,
        description="Whom it falls on: ids of the mechanism's covered classes or of actors; "
        "none: everyone the mechanism covers.",
    )


class CoveredClass(Item):
    """A class of actors an instrument covers, by its criteria; not an actor itself."""

    model_config = examples(
        {
            "id": "large-frontier-developers",
            "name": "Large frontier developers",
            "criteria": [
                "Trained a model with more than 10^26 operations",
                "Annual revenue above USD 500 million",
            ],
        },
        {"id": "gpai-systemic", "name": "Providers of GPAI models with systemic risk",
         "members": ["openai", "google"]},
    )  # fmt: skip

    id: Slug = Field(description="Id, unique among the mechanism's classes and the actors.")
    name: Name = Field(description="Name as printed.")
    criteria: list[Text] = Field(
        default_factory=list, description="What puts an actor in the class, as the source says."
    )
    members: list[ActorRef] | None = Field(
        None,
        description="The actors known to be in it; omitted: coverage not established; "
        "empty: the source establishes that none is.",
    )


class Definition(Item):
    """A term an instrument defines, in its own words."""

    model_config = examples(
        {
            "term": "Catastrophic risk",
            "meaning": "A foreseeable and material risk of death of, or serious injury to, "
            "more than 50 people",
        }
    )

    term: Name = Field(description="The term.")
    meaning: Text = Field(description="What it means, as the instrument states it (Markdown).")


class Party(Item):
    """A party, with when it joined and left."""

    model_config = examples(
        {"actor": "zhipu-ai", "joined": "2024-05-21"},
        {"actor": "magic", "joined": "2024-11", "note": "Joined after the summit"},
    )

    actor: ActorRef = Field(description="The actor.")
    joined: Date | None = Field(None, description="When it joined.")
    left: Date | None = Field(None, description="When it left.")
    note: Text | None = Field(None, description="Anything else about its membership (Markdown).")


class Compliance(Item):
    """Whether a party had done what the instrument asks, as of a date."""

    model_config = examples(
        {
            "actor": "openai",
            "date": "2025-02-10",
            "status": "met",
            "note": "Published a safety framework",
            "source": "metr-policies",
        }
    )

    actor: ActorRef = Field(description="The party.")
    date: Date = Field(description="As of when.")
    status: ComplianceStatus = Field(description="met, partly, not-met or unknown.")
    note: Text | None = Field(None, description="What was or was not done (Markdown).")
    source: SourceRef | None = Field(None, description="The source that reports it.")


class StepTrigger(Item):
    """A threshold that moves a ladder to a step, and the level at which it does."""

    model_config = examples({"threshold": "unilateral-bid", "at": "crossing"})

    threshold: ThresholdRef = Field(description="The threshold.")
    at: TriggerLevel = Field("crossing", description="alert, crossing or not-crossed.")


if TYPE_CHECKING:
    StepWhen = Text | StepTrigger
    DutyItem = Text | Duty
    CoverItem = ActorRef | CoveredClass
    PartyItem = ActorRef | Party
else:
    StepWhen = either(is_mapping, scalar=Text, mapping=StepTrigger)
    DutyItem = either(is_mapping, scalar=Text, mapping=Duty)
    CoverItem = either(is_mapping, scalar=ActorRef, mapping=CoveredClass)
    PartyItem = either(is_mapping, scalar=ActorRef, mapping=Party)


class LadderStep(Item):
    """One step of an escalation ladder: the response, what moves a party to it, and who acts."""

    model_config = examples(
        {
            "step": "Covert sabotage",
            "response": "Degrade the training run through cyber operations",
            "when": "Espionage confirms a bid for unilateral dominance",
            "by": "united-states",
        },
        {"step": "Overt strike", "response": "Kinetic strikes on data centres",
         "when": {"threshold": "unilateral-bid", "at": "crossing"}},
    )  # fmt: skip

    step: Name = Field(description="The step's name, unique in the ladder.")
    response: Text = Field(description="What is done at this step (Markdown).")
    when: StepWhen | None = Field(
        None, description="What moves a party to it: a text, or {threshold, at}."
    )
    by: ActorRef | None = Field(None, description="The actor that takes it.")


class Levels(Item):
    """The names a source gives the canonical levels (watch < warning < critical)."""

    model_config = examples({"warning": "High", "critical": "Critical"})

    watch: Name | None = Field(None, description="The source's name for the watch level.")
    warning: Name | None = Field(None, description="The source's name for the warning level.")
    critical: Name | None = Field(None, description="The source's name for the critical level.")

    def name(self, level: str) -> str:
        """The source's name for ``level``, or the canonical word when it names none."""
        return str(getattr(self, level, None) or level)
