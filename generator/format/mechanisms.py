"""Model stage, mechanisms: the if-then commitments, standing limits and agreements.

Owns the declarations of a mechanism: what triggers it and at which level,
what it forbids outright (``limits``), what it does per level (``actions``),
what it halts, whether it is in force, who verifies it and how it ends. Part
of the one declaration of the format (see ``model``); must not hold rules or
computed facts.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, WithJsonSchema

from .fork_model import _ONLY_IN
from .instruments import (
    Compliance,
    CoveredClass,
    CoverItem,
    Definition,
    Duty,
    DutyItem,
    LadderStep,
    Party,
    PartyItem,
)
from .types import (
    ActorRef,
    BranchRef,
    Date,
    Item,
    Name,
    Slug,
    Text,
    ThresholdRef,
    either,
    examples,
    is_list,
    is_mapping,
)
from .vocabulary import EACH_PARTY, Halt, MechanismKind, MechanismStatus, TriggerLevel

if TYPE_CHECKING:
    VerifiedBy = ActorRef | list[ActorRef]
    Conveners = ActorRef | list[ActorRef]
    Adjudicator = Literal["each-party"] | ActorRef
else:
    VerifiedBy = either(is_list, one=ActorRef, list=list[ActorRef])
    Conveners = either(is_list, one=ActorRef, list=list[ActorRef])
    # "each-party" also fits an id's pattern: the schema says "one or the other" (anyOf)
    Adjudicator = Annotated[
        either(
            lambda v: "each" if v == EACH_PARTY else "actor",
            each=Literal["each-party"],
            actor=ActorRef,
        ),
        WithJsonSchema(
            {
                "anyOf": [
                    {"const": EACH_PARTY, "description": "Each party judges itself."},
                    ActorRef.__metadata__[-1].json_schema,
                ]
            }
        ),
    ]


_SLUG_WORDS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
"""A method written as an id (``training-run-declarations``) rather than as words."""


class Verification(Item):
    """One way anyone can tell that a mechanism is honoured."""

    model_config = examples(
        {"method": "compute-accounting", "by": "aisi-uk", "maturity": "near-term"},
        {"method": "national-technical-means", "by": ["united-states", "china"]},
    )

    method: Text = Field(description="Method name, e.g. compute-accounting.")
    by: VerifiedBy | None = Field(
        None, description="The actor that verifies, or a list of actors sharing the task."
    )
    maturity: Literal["deployable", "near-term", "research"] | None = Field(
        None,
        description="How ready the method is: deployable (can be used now), near-term "
        "(needs engineering that is under way), research (not yet shown to work).",
    )
    description: Text | None = Field(None, description="How it works (Markdown).")

    @property
    def label(self) -> str:
        """The method as a reader reads it: ``compute-accounting`` is "Compute accounting";
        a name written with capitals or spaces is kept as written."""
        method = self.method.strip()
        if not _SLUG_WORDS.fullmatch(method):
            return method
        words = method.replace("-", " ")
        return words[:1].upper() + words[1:]

    @property
    def verifiers(self) -> list[str]:
        """The ids of the actors that verify, whether one or several were named."""
        if self.by is None:
            return []
        return [self.by] if isinstance(self.by, str) else list(self.by)


class Duration(Item):
    """How long a pause lasts."""

    model_config = examples({"min": "6 months", "max": "12 months"})

    min: Text | None = Field(None, description="Shortest duration, e.g. '6 months'.")
    max: Text | None = Field(None, description="Longest duration, e.g. '12 months'.")


class Trigger(Item):
    """A threshold that triggers a mechanism, and the level at which it fires."""

    model_config = examples(
        {"threshold": "cyber-uplift-1", "at": "alert"},
        {"threshold": "bio-high", "at": "not-crossed"},
    )

    threshold: ThresholdRef = Field(description="The threshold.")
    at: TriggerLevel = Field(
        "crossing",
        description="Fire at the threshold's early warning (alert), on crossing, or apply "
        "while it is not crossed (not-crossed: a tier below the next).",
    )


class Action(Item):
    """What a mechanism does, tied to the levels it answers and to a deadline."""

    model_config = examples(
        {
            "action": "Security level 4 for model weights",
            "thresholds": ["ml-rnd-automation-1"],
        },
        {"action": "Consolidate chip clusters", "within": "120 days of entry into force"},
    )

    action: Text = Field(description="What is done or stops (Markdown).")
    thresholds: list[ThresholdRef] = Field(
        default_factory=list, description="The levels it answers; none: every trigger."
    )
    within: Text | None = Field(None, description="The deadline, as text.")


class EntryIntoForce(Item):
    """When an agreement enters into force."""

    model_config = examples(
        {"text": "After the 20th ratification", "ratifications": 20},
        {"text": "Twentieth day after publication in the Official Journal", "date": "2024-08-01"},
    )

    text: Text = Field(description="The condition, as the agreement states it.")
    date: Date | None = Field(None, description="The day it entered (or enters) into force.")
    ratifications: int | None = Field(None, ge=1, description="Ratifications it needs.")


NoEnd = Literal["none"]

# The forms a field may take. A type checker sees their union; pydantic reads the form
# the author wrote (see types.either) and reports only that form's errors.
if TYPE_CHECKING:
    TriggerItem = ThresholdRef | Trigger
    ActionItem = Text | Action
    EntryForm = Text | EntryIntoForce
    DurationForm = NoEnd | Duration
else:
    TriggerItem = either(is_mapping, scalar=ThresholdRef, mapping=Trigger)
    ActionItem = either(is_mapping, scalar=Text, mapping=Action)
    EntryForm = either(is_mapping, scalar=Text, mapping=EntryIntoForce)
    DurationForm = either(is_mapping, scalar=NoEnd, mapping=Duration)


class Mechanism(Item):
    """A way to slow or halt frontier development: a commitment, a limit or an agreement.

    An explicit empty list (``verification: []``, ``exit_criteria: []``,
    ``triggered_by: []``, ``actions: []``) states that the source names none;
    an omitted key means it was not filled in.
    """

    model_config = examples(
        {
            "id": "fsf-response-plans",
            "name": "Frontier Safety Framework response plans",
            "kind": "voluntary-policy",
            "triggered_by": [{"threshold": "cyber-uplift-1", "at": "alert"}],
            "parties": ["google-deepmind"],
            "adjudicator": "google-deepmind",
            "halts": ["external-deployment"],
            "actions": [{"action": "Response plan", "thresholds": ["cyber-uplift-1"]}],
            "verification": [],
            "duration": "none",
            "exit_criteria": [],
        },
        {
            "id": "draft-treaty",
            "name": "Draft treaty",
            "kind": "treaty",
            "status": "proposed",
            "limits": ["training-run-1e24"],
            "parties": ["united-states", "china"],
            "withdrawal": "12 months' notice",
        },
        {
            "id": "frontier-ai-act",
            "name": "Frontier AI statute",
            "kind": "regulation",
            "status": "in-force",
            "entry_into_force": {"text": "On 1 January 2026", "date": "2026-01-01"},
            "covers": [
                {
                    "id": "large-frontier-developers",
                    "name": "Large frontier developers",
                    "criteria": [
                        "Trained a model with more than 10^26 operations",
                        "Annual gross revenue above USD 500 million",
                    ],
                }
            ],
            "requires": [
                {
                    "duty": "Publish a frontier AI framework",
                    "covers": ["large-frontier-developers"],
                },
                {"duty": "Report a critical safety incident", "within": "15 days", "to": "oes"},
            ],
            "definitions": [
                {"term": "Catastrophic risk", "meaning": "Death of more than 50 people."}
            ],
            "adjudicator": "each-party",
            "enforcer": "attorney-general",
            "penalties": ["A civil penalty of up to USD 1 million per violation."],
        },
        {
            "id": "seoul-commitments",
            "name": "Frontier AI Safety Commitments",
            "kind": "voluntary-commitment",
            "convener": ["uk-government", "korea-government"],
            "parties": [{"actor": "openai", "joined": "2024-05-21"}, "anthropic"],
            "adjudicator": "each-party",
            "requires": ["Publish a safety framework before the next summit."],
            "compliance": [
                {"actor": "openai", "date": "2025-02-10", "status": "met", "source": "tracker"}
            ],
        },
        {
            "id": "maim",
            "name": "Mutual assured AI malfunction",
            "kind": "deterrence",
            "parties": ["state-a", "state-b"],
            "targets": ["state-c"],
            "ladder": [
                {"step": "Espionage", "response": "Watch the project", "by": "state-a"},
                {
                    "step": "Sabotage",
                    "response": "Degrade the training run",
                    "when": {"threshold": "bid-for-dominance", "at": "crossing"},
                },
            ],
            "measures": ["Clear escalation thresholds."],
        },
    )

    id: Slug = Field(description="Unique id.")
    name: Name = Field(description="Name as printed.")
    kind: MechanismKind = Field(description="What sort of instrument it is.")
    status: MechanismStatus | None = Field(
        None, description="Whether it is in force; omitted: in force."
    )
    description: Text | None = Field(None, description="What it is, in a paragraph (Markdown).")
    triggered_by: list[TriggerItem] = Field(
        default_factory=list,
        description="The thresholds that trigger it: an id (fires on crossing) or "
        "{threshold, at: alert|crossing}.",
    )
    limits: list[ThresholdRef] = Field(
        default_factory=list,
        description="Thresholds it forbids crossing at all times: a standing prohibition.",
    )
    convener: Conveners | None = Field(
        None, description="The actor that convenes it, or a list of co-conveners."
    )
    parties: list[PartyItem] = Field(
        default_factory=list,
        description="The actors bound by it: an id, or {actor, joined, left, note}.",
    )
    declined: list[ActorRef] = Field(
        default_factory=list, description="Actors that refused to join."
    )
    targets: list[ActorRef] = Field(
        default_factory=list,
        description="The actors it acts against (deterrence, sanctions), not bound by it.",
    )
    covers: list[CoverItem] = Field(
        default_factory=list,
        description="Whom it covers: actor ids, or classes {id, name, criteria, members}.",
    )
    adjudicator: Adjudicator | None = Field(
        None,
        description="The actor that decides when it is triggered and over; each-party: each "
        "party (for a law, each covered actor) judges itself.",
    )
    enforcer: ActorRef | None = Field(
        None, description="Who enforces it: a court, an attorney general, a regulator."
    )
    entry_into_force: EntryForm | None = Field(
        None, description="When it enters into force: text, or {text, date, ratifications}."
    )
    withdrawal: Text | None = Field(None, description="How a party may leave it (Markdown).")
    conditions: list[Text] = Field(
        default_factory=list, description="Conditions precedent, e.g. reciprocity."
    )
    measures: list[Text] = Field(
        default_factory=list,
        description="Supporting measures that make it work (not preconditions).",
    )
    definitions: list[Definition] = Field(
        default_factory=list, description="Terms it defines: {term, meaning}."
    )
    requires: list[DutyItem] = Field(
        default_factory=list,
        description="Standing duties: a text, or {duty, within, to, covers}; responses to "
        "a trigger are actions.",
    )
    scope: Text | None = Field(None, description="What it covers, e.g. runs above 1e26 FLOP.")
    halts: list[Halt] | None = Field(
        None,
        description="What it stops: training, internal-deployment, external-deployment, "
        "development; empty: nothing (a mitigation plan).",
    )
    actions: list[ActionItem] = Field(
        default_factory=list,
        description="What it does: a text (every trigger) or {action, thresholds, within}.",
    )
    verification: list[Verification] = Field(
        default_factory=list, description="How anyone can tell it is honoured."
    )
    duration: DurationForm | None = Field(
        None, description="How long it lasts: {min, max}, or none for no end date."
    )
    exit_criteria: list[Text] = Field(default_factory=list, description="When it ends.")
    work_during_pause: list[Text] = Field(
        default_factory=list, description="What is done while it holds."
    )
    ladder: list[LadderStep] = Field(
        default_factory=list,
        description="Ordered escalation steps: {step, response, when, by}.",
    )
    compliance: list[Compliance] = Field(
        default_factory=list,
        description="Whether each party had done what it asks, by date: "
        "{actor, date, status, note, source}.",
    )
    enforcement: Text | None = Field(None, description="What happens to a party that defects.")
    penalties: list[Text] = Field(default_factory=list, description="The penalties it sets.")
    fallback: Text | None = Field(None, description="What happens if it fails.")
    failure_modes: list[Text] = Field(default_factory=list, description="How it could fail.")
    branch: BranchRef | None = Field(None, description=_ONLY_IN.format("mechanism"))

    def none_stated(self, key: str) -> bool:
        """Whether the author wrote an explicit empty list: the source states none."""
        return key in self.model_fields_set and getattr(self, key) == []

    @property
    def triggers(self) -> list[Trigger]:
        """Every trigger as {threshold, at}, a bare id firing on crossing."""
        return [Trigger(threshold=t) if isinstance(t, str) else t for t in self.triggered_by]

    @property
    def party_items(self) -> list[Party]:
        """Every party as {actor, joined, left, note}, a bare id having no dates."""
        return [Party(actor=p) if isinstance(p, str) else p for p in self.parties]

    @property
    def party_ids(self) -> list[str]:
        """The ids of the parties, in the file's order."""
        return [p.actor for p in self.party_items]

    @property
    def conveners(self) -> list[str]:
        """The ids of the conveners, whether one or several were named."""
        if self.convener is None:
            return []
        return [self.convener] if isinstance(self.convener, str) else list(self.convener)

    @property
    def covered_classes(self) -> list[CoveredClass]:
        return [c for c in self.covers if isinstance(c, CoveredClass)]

    @property
    def covered_actors(self) -> list[str]:
        """The actor ids it covers: those named directly and the known members of its classes."""
        out: list[str] = []
        for item in self.covers:
            out += [item] if isinstance(item, str) else list(item.members or [])
        return list(dict.fromkeys(out))

    @property
    def duties(self) -> list[Duty]:
        """Every standing duty as {duty, within, to, covers}, a bare text falling on all covered."""
        return [Duty(duty=d) if isinstance(d, str) else d for d in self.requires]

    @property
    def each_party_adjudicates(self) -> bool:
        return self.adjudicator == EACH_PARTY

    @property
    def action_items(self) -> list[Action]:
        """Every action as {action, thresholds, within}, a bare text applying to every trigger."""
        return [Action(action=a) if isinstance(a, str) else a for a in self.actions]
