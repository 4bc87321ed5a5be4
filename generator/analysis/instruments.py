"""Instrument facts: who is a party as of the date, compliance counts, coverage, the ladder.

Owns: membership as of the scenario date (a party that joined on or before it
and has not left), each party's latest compliance entry on or before the date
and the counts of them ("12 of 20 met"), whether coverage is established
(a class with members, or actors named directly), the ladder's steps with
whether a trigger has moved a party to them, and the computed state of an
instrument (``STATES``). Must not format for one output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..format.model import Compliance, LadderStep, Mechanism, Party, StepTrigger, date_bounds
from ..format.vocabulary import COMPLIANCE_WORDS, FIRES_AT, IN_FORCE, THRESHOLD_LEVELS
from .status import ThresholdStatus

if TYPE_CHECKING:
    from .mechanisms import MechanismState


def _on_or_before(date: str | None, as_of: str) -> bool:
    return date is not None and date_bounds(date)[0] <= date_bounds(as_of)[1]


def member(party: Party, as_of: str) -> bool:
    """Whether ``party`` is a party as of ``as_of``: joined by then (or undated), not yet left."""
    joined = party.joined is None or _on_or_before(party.joined, as_of)
    return joined and not _on_or_before(party.left, as_of)


@dataclass(frozen=True)
class ComplianceCounts:
    """Each current party's latest compliance entry as of the date, counted by status."""

    parties: int  # parties as of the date
    met: int
    partly: int
    not_met: int
    unknown: int
    latest: dict[str, Compliance]  # actor id -> its latest entry on or before the date

    @property
    def no_entry(self) -> int:
        return self.parties - len(self.latest)

    @property
    def text(self) -> str:
        """``12 of 20 met · 3 partly met · 5 not recorded``: the met count, then the others."""
        others = (
            (self.partly, COMPLIANCE_WORDS["partly"]),
            (self.not_met, COMPLIANCE_WORDS["not-met"]),
            (self.unknown, COMPLIANCE_WORDS["unknown"]),
            (self.no_entry, "not recorded"),
        )
        rest = [f"{n} {words}" for n, words in others if n]
        return " · ".join([f"{self.met} of {self.parties} met", *rest])

    def as_dict(self) -> dict[str, Any]:
        return {
            "parties": self.parties,
            "met": self.met,
            "partly": self.partly,
            "not-met": self.not_met,
            "unknown": self.unknown,
            "not-recorded": self.no_entry,
            "text": self.text,
        }


def compliance_counts(mech: Mechanism, as_of: str) -> ComplianceCounts | None:
    """The counts, or None when the mechanism records no compliance at all."""
    if not mech.compliance:
        return None
    current = [p.actor for p in mech.party_items if member(p, as_of)]
    latest: dict[str, Compliance] = {}
    for entry in mech.compliance:
        if entry.actor not in current or not _on_or_before(entry.date, as_of):
            continue
        seen = latest.get(entry.actor)
        if seen is None or date_bounds(entry.date)[0] >= date_bounds(seen.date)[0]:
            latest[entry.actor] = entry
    by = [e.status for e in latest.values()]
    return ComplianceCounts(
        len(current), by.count("met"), by.count("partly"), by.count("not-met"),
        by.count("unknown"), latest,
    )  # fmt: skip


@dataclass(frozen=True)
class StepState:
    """One step of a ladder, and whether its trigger has moved a party to it."""

    step: LadderStep
    status: ThresholdStatus | None  # the threshold of a ``when: {threshold, at}``
    reached: bool | None  # None: its ``when`` is a text, so the data cannot say

    def as_dict(self) -> dict[str, Any]:
        when = self.step.when
        return {
            "step": self.step.step,
            "by": self.step.by,
            "when": when.model_dump() if isinstance(when, StepTrigger) else when,
            "threshold_status": self.status.status if self.status else None,
            "reached": self.reached,
        }


def ladder_states(
    mech: Mechanism, statuses: dict[str, ThresholdStatus], in_force: bool
) -> list[StepState]:
    out = []
    for step in mech.ladder:
        when = step.when
        if isinstance(when, StepTrigger) and when.threshold in statuses:
            status = statuses[when.threshold]
            out.append(StepState(step, status, in_force and status.status in FIRES_AT[when.at]))
        else:
            out.append(StepState(step, None, None))
    return out


def coverage_established(mech: Mechanism) -> bool | None:
    """Whether whom it covers is known: True with actors or class members named, False with
    only classes whose members are not established, None when it names no coverage."""
    if not mech.covers:
        return None
    return any(isinstance(c, str) or c.members is not None for c in mech.covers)


def computed_state(
    mech: Mechanism, status: str, triggers: list[Any], ladder: list[StepState], parties: bool
) -> str:
    """The instrument's state as of the date, one of :data:`~..vocabulary.STATES`.

    ``triggers`` are its trigger states and ``parties`` whether it has parties as of
    the date. A tier that applies while a threshold is not crossed *applies*; any
    other trigger that fired, or a ladder step reached, is *triggered*. With no
    trigger, an instrument applies when whom it binds is established: actors or
    class members it covers, standing limits, or parties bound by its duties.
    """
    if status != IN_FORCE:
        return "not-in-force"
    fired = [t for t in triggers if t.fired]
    if any(t.trigger.at != "not-crossed" for t in fired) or any(x.reached for x in ladder):
        return "triggered"
    if fired:
        return "applies"
    tests = [t.status for t in triggers] + [x.status for x in ladder if x.status is not None]
    if tests:
        if all(t.status == "not assessed" for t in tests):
            return "not-assessed"
        return "not-triggered"
    established = coverage_established(mech)
    if established is None:
        established = bool(mech.limits) or (bool(mech.requires) and parties)
    return "applies" if established else "in-force"


STATE_RANK = {
    "triggered": 0,
    "applies": 1,
    "not-triggered": 2,
    "in-force": 3,
    "not-assessed": 4,
    "not-in-force": 5,
}
"""The order of instruments in every document: what acts now first, what is not in force
last (then the level that set it off, then id; never the file's order)."""


def _level(ms: MechanismState) -> int:
    """The most severe level among the thresholds that set it off (higher: more severe)."""
    fired = [t.status.threshold.level for t in ms.triggers if t.fired]
    fired += [x.status.threshold.level for x in ms.ladder if x.reached and x.status]
    return max((THRESHOLD_LEVELS.index(level) for level in fired), default=-1)


def ranked(states: list[MechanismState]) -> list[MechanismState]:
    """The instruments by state, then the level that set them off, then id."""
    return sorted(states, key=lambda m: (STATE_RANK.get(m.code, 9), -_level(m), m.mechanism.id))


@dataclass(frozen=True)
class DutyLine:
    """A standing duty with whom it falls on and who receives it, as names."""

    duty: str
    within: str | None
    to: str | None  # the name of the actor that receives it
    of: list[str]  # the names of the classes or actors it falls on (empty: all it covers)

    @property
    def terms(self) -> str:
        """``to the Office of Emergency Services, within 15 days``."""
        parts = []
        if self.to:
            parts.append(f"to {self.to}")
        if self.within:
            parts.append(f"within {self.within}")
        return ", ".join(parts)


def duty_lines(mech: Mechanism, actor_names: dict[str, str]) -> list[DutyLine]:
    classes = {c.id: c.name for c in mech.covered_classes}
    names = {**actor_names, **classes}
    return [
        DutyLine(
            d.duty,
            d.within,
            actor_names.get(d.to) if d.to else None,
            [names[c] for c in d.covers if c in names],
        )
        for d in mech.duties
    ]
