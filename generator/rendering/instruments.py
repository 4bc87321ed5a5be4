"""The brief's instruments part: the comparison table and the instruments shown in full.

The instruments come in the analysis's order (``analysis.instruments.ranked``:
by state, never the file's order).

Owns: which of them the brief shows in
full (every one that applies or is triggered; else the scenario's
``featured``, or the first two by that order), and each row's cells in words:
what it makes stop or requires and of whom, who decides, who enforces, who
verifies, with "not stated" where the data is silent. Must not write markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..analysis.instruments import ranked

if TYPE_CHECKING:
    from ..analysis.mechanisms import MechanismState

FULL_WHEN_NONE_ACTS = 1
"""How many instruments the brief shows in full when none applies or is triggered and
none is featured: the table already compares them all, and a second in full would take
the brief past four pages (the author may name more in ``featured``)."""

NOT_STATED = "not stated"


def acting(ms: MechanismState) -> bool:
    return ms.code in ("applies", "triggered")


def shown_in_full(states: list[MechanismState], featured: list[str]) -> list[MechanismState]:
    """Every instrument that applies or is triggered, then those the author features;
    when none acts and none is featured, the first :data:`FULL_WHEN_NONE_ACTS` by rank."""
    order = ranked(states)
    full = [m for m in order if acting(m)]
    by_id = {m.mechanism.id: m for m in order}
    full += [by_id[i] for i in featured if i in by_id and by_id[i] not in full]
    if not full:
        full = order[:FULL_WHEN_NONE_ACTS]
    return full


@dataclass(frozen=True)
class Row:
    """One instrument in the comparison table, every cell in words."""

    state: MechanismState
    kind_status: str
    what: str
    whom: str
    decides: str
    enforces: str
    verifies: str


def _names(actors: Sequence[object]) -> str:
    return ", ".join(str(getattr(a, "name", a)) for a in actors)


def _what(ms: MechanismState) -> str:
    mech = ms.mechanism
    parts = []
    if ms.limits:
        labels = "; ".join(limit.status.label for limit in ms.limits)
        parts.append(f"Forbids outright: {labels}")
    if mech.halts:  # the box's "Halts training and development." without its stop
        parts.append(ms.halts_text.rstrip(".") + (" when triggered" if mech.triggers else ""))
    elif mech.halts is not None and mech.triggers:
        below = [t.status.label for t in ms.triggers if t.trigger.at == "not-crossed"]
        if below and len(below) == len(ms.triggers):
            parts.append(f"Halts nothing; applies while not crossed: {'; '.join(below)}")
        else:
            parts.append("Halts nothing; responds when triggered")
    if mech.requires:
        n = len(mech.requires)
        parts.append(f"Requires {n} standing dut{'y' if n == 1 else 'ies'}")
    if mech.ladder:
        parts.append(f"A ladder of {len(mech.ladder)} responses")
    return "; ".join(parts) or NOT_STATED


def _whom(ms: MechanismState) -> str:
    mech = ms.mechanism
    parts = []
    if ms.targets:
        parts.append(f"against {_names(ms.targets)}")
    classes = [c.name for c in mech.covered_classes]
    if classes or ms.covered:
        parts.append("covers " + "; ".join([*classes, *(a.name for a in ms.covered)]))
    if ms.parties:
        noun = "party" if len(ms.parties) == 1 else "parties"
        many = len(ms.parties) > 4
        listed = f"{len(ms.parties)} {noun}" if many else _names(ms.parties)
        parts.append(f"{'binds' if ms.in_force else 'would bind'} {listed}")
    return "; ".join(parts) or NOT_STATED


def _decides(ms: MechanismState) -> str:
    mech = ms.mechanism
    if mech.each_party_adjudicates:
        return "each party, for itself" if mech.parties else "each covered actor, for itself"
    return ms.adjudicator.name if ms.adjudicator else NOT_STATED


def _verifies(ms: MechanismState) -> str:
    """Who checks: the verifiers named (at most two, then a count), or "no one"."""
    mech = ms.mechanism
    if mech.none_stated("verification"):
        return "no one"
    if not mech.verification:
        return NOT_STATED
    named = list(
        dict.fromkeys(
            ms.verifiers[a].name
            for v in mech.verification
            for a in v.verifiers
            if a in ms.verifiers
        )
    )
    n = len(mech.verification)
    methods = f"{n} method{'s' if n > 1 else ''}"
    if not named:
        return f"no verifier named ({methods})"
    shown = _names(named[:2]) + (f" and {len(named) - 2} more" if len(named) > 2 else "")
    return f"{shown} ({methods})"


def row(ms: MechanismState) -> Row:
    return Row(
        ms,
        ms.kind_status,
        _what(ms),
        _whom(ms),
        _decides(ms),
        ms.enforcer.name if ms.enforcer else NOT_STATED,
        _verifies(ms),
    )


@dataclass(frozen=True)
class Comparison:
    """The brief's table of every instrument (drawn when there is more than one)."""

    rows: list[Row]
