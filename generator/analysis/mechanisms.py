"""Mechanism state: in force or not, what has fired, what it forbids, who decides.

Owns: the trigger rule (a trigger fires on crossing, or at the alert level
when it says ``at: alert``), "never triggered while not in force", standing
limits already exceeded with the reading that exceeds them, responses per
level, and the plain sentences every document prints about a mechanism (its
state, who adjudicates and verifies, what it halts, how long it lasts), so
Markdown, HTML and PDF say the same words. Must not format for one output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..format.dates import long_date
from ..format.model import Action, Actor, Mechanism, Party, Trigger, date_bounds
from ..format.vocabulary import FIRES_AT, HALT_WORDS, IN_FORCE, LEVEL_WORDS
from .instruments import (
    ComplianceCounts,
    DutyLine,
    StepState,
    compliance_counts,
    computed_state,
    duty_lines,
    ladder_states,
    member,
)
from .status import ThresholdStatus
from .wording import STATUS_WORDS, also_lines, heading_noun, kind_status

NOT_IN_FORCE = {
    "proposed": "Nothing in it is triggered or binding yet.",
    "agreed": "Nothing in it is triggered or binding until it enters into force.",
    "suspended": "Not operating, so nothing in it is triggered.",
    "ended": "No longer operating.",
}


@dataclass(frozen=True)
class TriggerState:
    """One trigger: its threshold's status, the level at which it fires, and whether it has."""

    trigger: Trigger
    status: ThresholdStatus
    fired: bool

    @property
    def level_text(self) -> str:
        return LEVEL_WORDS[self.trigger.at]

    def as_dict(self) -> dict[str, str]:
        return {"threshold": self.trigger.threshold, "at": self.trigger.at}


@dataclass(frozen=True)
class LimitState:
    """A standing prohibition: the threshold it forbids crossing, and whether it is exceeded."""

    status: ThresholdStatus

    @property
    def exceeded(self) -> bool:
        return self.status.status == "crossed"

    @property
    def reading(self) -> str:
        """``5×10²⁴ FLOP, gpt-oss-120B, 2025``: what exceeds it, when."""
        evidence = self.status.evidence
        return f"{evidence.text}, {evidence.date}" if evidence and self.exceeded else ""

    def as_dict(self) -> dict[str, str]:
        return {"threshold": self.status.threshold.id, "reading": self.reading}


@dataclass(frozen=True)
class ActionState:
    """A response and the levels it answers (none: every trigger)."""

    action: Action
    thresholds: list[ThresholdStatus]

    @property
    def deadline(self) -> str:
        """``within 30 days``, or the author's words when they already say when (``before …``)."""
        within = (self.action.within or "").strip()
        lead = within.split(" ", 1)[0].lower()
        if not within or lead in ("within", "before", "by", "after", "at", "on", "no", "upon"):
            return within
        return f"within {within}"


@dataclass(frozen=True)
class MechanismState:
    """A mechanism as of the scenario date, and who does what in it."""

    mechanism: Mechanism
    status: str  # proposed | agreed | in-force | suspended | ended
    triggers: list[TriggerState]
    triggered: bool | None  # None: it has no trigger
    state: str  # the chip: triggered, alert, not triggered, not assessed, in force,
    # no trigger defined, or the status of a mechanism not in force
    state_text: str
    limits: list[LimitState]
    actions: list[ActionState]
    conveners: list[Actor]
    parties: list[Actor]  # the parties as of the scenario date
    declined: list[Actor]
    adjudicator: Actor | None  # None also when each party judges itself
    verifiers: dict[str, Actor]
    governance: str
    halts_text: str
    duration_text: str
    noun: str = field(default="pause")  # the heading's noun (wording.HEADINGS, or its kind)
    also: list[str] = field(default_factory=list)  # the other headings that fit, as lines
    kind_status: str = ""  # "Regulation, in force since 1 January 2025"
    code: str = "in-force"  # the computed state, one of vocabulary.STATES
    former: list[Actor] = field(default_factory=list)  # parties that have left, or not yet joined
    targets: list[Actor] = field(default_factory=list)
    enforcer: Actor | None = None
    covered: list[Actor] = field(default_factory=list)
    compliance: ComplianceCounts | None = None
    ladder: list[StepState] = field(default_factory=list)
    duties: list[DutyLine] = field(default_factory=list)
    joined: dict[str, str] = field(default_factory=dict)  # party id: date it joined, if later

    @property
    def convener(self) -> Actor | None:
        """The first convener (format v1 had one)."""
        return self.conveners[0] if self.conveners else None

    @property
    def coverage(self) -> list[str]:
        """Whom it covers, in words: each class (saying when its members are not
        established) and each actor it names directly."""
        out = []
        for item in self.mechanism.covers:
            if isinstance(item, str):
                out += [a.name for a in self.covered if a.id == item]
            elif item.members is None:
                out.append(f"{item.name} (who is in: not established)")
            else:
                names = [a.name for a in self.covered if a.id in item.members]
                out.append(f"{item.name}: {', '.join(names)}" if names else item.name)
        return out

    @property
    def in_force(self) -> bool:
        return self.status == IN_FORCE

    @property
    def fired(self) -> list[TriggerState]:
        """The triggers that fired (a tier that applies while not crossed is in ``applying``)."""
        return [t for t in self.triggers if t.fired and t.trigger.at != "not-crossed"]

    @property
    def applying(self) -> list[TriggerState]:
        """The ``at: not-crossed`` triggers whose threshold is not crossed: the tier applies."""
        return [t for t in self.triggers if t.fired and t.trigger.at == "not-crossed"]

    @property
    def limits_exceeded(self) -> list[LimitState]:
        return [limit for limit in self.limits if limit.exceeded]

    def none_stated(self, key: str) -> bool:
        return self.mechanism.none_stated(key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.mechanism.id,
            "kind": self.mechanism.kind,
            "status": self.status,
            "state": self.code,
            "triggered": self.triggered,
            "by": [t.as_dict() for t in self.fired],
            "limits_exceeded": [limit.as_dict() for limit in self.limits_exceeded],
            "parties": [a.id for a in self.parties],
            "compliance": self.compliance.as_dict() if self.compliance else None,
            "ladder": [s.as_dict() for s in self.ladder],
        }


def _state(
    mech: Mechanism,
    status: str,
    triggers: list[TriggerState],
    ladder: list[StepState],
    code: str,
    as_of: str | None,
    covered: list[str],
) -> tuple[str, str]:
    """The chip word and the sentence for a mechanism's state (``covered``: names)."""
    if status != IN_FORCE:
        return STATUS_WORDS[status], NOT_IN_FORCE[status]
    fired = [t for t in triggers if t.fired and t.trigger.at != "not-crossed"]
    if fired:
        named = "; ".join(f"{t.status.label} {t.level_text} ({t.status.status})" for t in fired)
        return "triggered", f"Triggered: {named}."
    below = [t for t in triggers if t.fired]
    if below:  # a tier that applies while a threshold is not crossed
        named = "; ".join(f"{t.status.label} ({t.status.status})" for t in below)
        return "applies", f"Applies: not crossed — {named}."
    if not triggers:
        return _standing(mech, ladder, code, as_of, covered)
    if all(t.status.status == "not assessed" for t in triggers):
        return "not assessed", "Not triggered: none of its triggers has been assessed yet."
    near = [t for t in triggers if t.status.status == "alert"]
    if near:
        names = "; ".join(t.status.label for t in near)
        return "not triggered", (
            f"Not triggered (it fires on crossing); past the early warning: {names}."
        )
    return "not triggered", "Not triggered: none of its triggers has been reached."


def _standing(
    mech: Mechanism, ladder: list[StepState], code: str, as_of: str | None, covered: list[str]
) -> tuple[str, str]:
    """The state of an instrument in force with no trigger: its limits, coverage, duties, ladder."""
    reached = [x for x in ladder if x.reached]
    if reached:
        named = "; ".join(
            f"{x.step.step} ({x.status.label}, {x.status.status})" for x in reached if x.status
        )
        return "triggered", f"Triggered: the ladder has reached {named}."
    entry = mech.entry_into_force
    date = getattr(entry, "date", None)
    since = f"In force since {long_date(date)}" if date and as_of and date <= as_of else "In force"
    parts = []
    if mech.limits:
        parts.append("its limits stand at all times; no trigger is needed")
    classes = mech.covered_classes
    unknown = [c.name for c in classes if c.members is None]
    if unknown and code != "applies":
        parts.append(f"coverage not established (no source names who is in: {'; '.join(unknown)})")
    if mech.requires:
        n = len(mech.requires)
        parts.append(f"{n} standing dut{'y' if n == 1 else 'ies'}")
    if ladder:
        stepped = [x for x in ladder if x.status is not None]
        parts.append(
            f"a ladder of {len(ladder)} step{'s' if len(ladder) > 1 else ''}"
            + ("; no step reached" if stepped else "")
        )
    if covered and code == "applies":
        parts.insert(0, f"covers {', '.join(covered)}")
    if not parts:
        return "no trigger defined", "No threshold is named as its trigger."
    # The chip says what the computed state says (a ladder's thresholds may be unassessed).
    chip = {"applies": "applies", "not-assessed": "not assessed", "not-triggered": "not triggered"}
    chip_word = chip.get(code, "in force")
    return chip_word, since + (": " + "; ".join(parts) if parts else "") + "."


def _party_of(actor: Actor | None, parties: set[str], actors: dict[str, Actor]) -> Actor | None:
    """The party an actor is, or belongs to through ``part_of`` (None: outside the parties)."""
    seen: set[str] = set()
    while actor is not None and actor.id not in seen:
        if actor.id in parties:
            return actor
        seen.add(actor.id)
        actor = actors.get(actor.part_of or "")
    return None


def _governance(mech: Mechanism, actors: dict[str, Actor], in_force: bool) -> str:
    """Who decides and who checks, as a fact: ``Adjudicated by X alone; no external verifier.``

    Of a mechanism not in force, the same in the conditional: ``Would be adjudicated by``.
    """
    parties = {p for p in mech.party_ids if p in actors}
    adjudicator = actors.get(mech.adjudicator or "")
    words = []
    if mech.each_party_adjudicates:
        judged = "each covered actor" if mech.covers and not mech.parties else "each party"
        words.append(f"Adjudicated by {judged} for itself")
    elif adjudicator is not None:
        party = _party_of(adjudicator, parties, actors)
        if party is not None and len(parties) == 1 and party.id != adjudicator.id:
            words.append(f"Adjudicated by {party.name} alone, through {adjudicator.name}")
        elif party is not None and len(parties) == 1:
            words.append(f"Adjudicated by {adjudicator.name} alone")
        else:
            words.append(f"Adjudicated by {adjudicator.name}")
    external = [
        actors[a].name
        for v in mech.verification
        for a in v.verifiers
        if a in actors and _party_of(actors[a], parties, actors) is None
    ]
    if external:
        words.append(f"external verification by {', '.join(dict.fromkeys(external))}")
    elif mech.verification or mech.none_stated("verification"):
        words.append("no external verifier")
    if mech.enforcer and mech.enforcer in actors:
        words.append(f"enforced by {actors[mech.enforcer].name}")
    if not words:
        return ""
    text = "; ".join(words)
    if not in_force:
        passive = text.lower().startswith(("adjudicated", "enforced"))
        text = "would be " + text[0].lower() + text[1:] if passive else "would have " + text
    return text[0].upper() + text[1:] + "."


def _halts(mech: Mechanism) -> str:
    if mech.halts is None:
        return ""
    if not mech.halts:
        return "Halts nothing."
    named = [HALT_WORDS[h] for h in mech.halts]
    text = "Halts " + (", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1 else named[0])
    return text + "."


def _duration(mech: Mechanism) -> str:
    d = mech.duration
    if d is None:
        return ""
    if d == "none":
        return "No end date."
    low, high = d.min, d.max
    if high and high.strip().lower().rstrip(".") in _NO_LIMIT:  # "At most Unlimited": no
        return f"At least {low}; no upper limit." if low else "No upper limit."
    if low and high:
        return f"{low}." if low == high else f"{low} to {high}."
    return f"At least {low}." if low else f"At most {high}." if high else ""


_NO_LIMIT = {"unlimited", "indefinite", "indefinitely", "none", "no limit", "open-ended"}
"""Words a source uses for a duration's maximum that mean it has none."""


def _later_joiners(parties: list[Party]) -> dict[str, str]:
    """The parties that joined after the first ones, with the date each joined."""
    dates = [p.joined for p in parties if p.joined]
    if not dates:
        return {}
    first = min(dates, key=lambda d: date_bounds(d)[0])
    return {p.actor: p.joined for p in parties if p.joined and p.joined != first}


def mechanism_state(
    mech: Mechanism,
    statuses: dict[str, ThresholdStatus],
    actors: dict[str, Actor],
    as_of: str | None = None,
) -> MechanismState:
    """The state of one mechanism from its thresholds' statuses."""
    status = mech.status or IN_FORCE
    levels = {tid: st.threshold.level for tid, st in statuses.items()}
    triggers = [
        TriggerState(
            t,
            statuses[t.threshold],
            status == IN_FORCE and statuses[t.threshold].status in FIRES_AT[t.at],
        )
        for t in mech.triggers
        if t.threshold in statuses
    ]
    ladder = ladder_states(mech, statuses, status == IN_FORCE)
    known = [p for p in mech.party_items if p.actor in actors]
    parties = [p for p in known if as_of is None or member(p, as_of)]
    code = computed_state(mech, status, triggers, ladder, bool(parties))
    covered = [actors[a].name for a in mech.covered_actors if a in actors]
    state, text = _state(mech, status, triggers, ladder, code, as_of, covered)
    return MechanismState(
        mechanism=mech,
        status=status,
        triggers=triggers,
        triggered=any(t.fired and t.trigger.at != "not-crossed" for t in triggers)
        if triggers
        else None,
        state=state,
        state_text=text,
        limits=[LimitState(statuses[t]) for t in mech.limits if t in statuses],
        actions=[
            ActionState(a, [statuses[t] for t in a.thresholds if t in statuses])
            for a in mech.action_items
        ],
        conveners=[actors[a] for a in mech.conveners if a in actors],
        parties=[actors[p.actor] for p in parties if p.actor in actors],
        former=[actors[p.actor] for p in known if p not in parties],
        declined=[actors[p] for p in mech.declined if p in actors],
        adjudicator=actors.get(mech.adjudicator or ""),
        verifiers={a: actors[a] for v in mech.verification for a in v.verifiers if a in actors},
        governance=_governance(mech, actors, status == IN_FORCE),
        halts_text=_halts(mech),
        duration_text=_duration(mech),
        noun=heading_noun(mech, levels),
        also=also_lines(mech, levels),
        kind_status=kind_status(mech, as_of),
        code=code,
        targets=[actors[a] for a in mech.targets if a in actors],
        enforcer=actors.get(mech.enforcer or ""),
        covered=[actors[a] for a in mech.covered_actors if a in actors],
        compliance=compliance_counts(mech, as_of) if as_of else None,
        ladder=ladder,
        duties=duty_lines(mech, {a.id: a.name for a in actors.values()}),
        joined=_later_joiners(parties),
    )
