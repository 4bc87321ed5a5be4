"""The words a document prints for an instrument: its heading noun and its state word.

Owns: which heading an instrument gets from its data (:data:`HEADINGS`, in
the one precedence that decides when several fit), the lines that name the
others that fit ("Also requires 3 standing duties"), and the words of its kind
and status (the chip's state word: ``mechanisms._state``). Every word follows from a field
the author wrote: an instrument is a "pause" only when it halts training or
development on a trigger, "in force" only when its status says so, and
"triggered" only when a trigger fired, never because its scope is met (that is
"applies"). Must not read thresholds' evidence (``analysis.mechanisms`` has
the computed state) nor write markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..format.dates import long_date

if TYPE_CHECKING:
    from ..format.mechanisms import Mechanism

HEADINGS: tuple[str, ...] = (
    "deterrence",
    "obligations",
    "pause",
    "standing limit",
    "release policy",
    "deployment hold",
    "response plan",
)
"""Every heading noun, in precedence order: the first that fits is the heading.

- ``deterrence``: it names ``targets`` or a ``ladder``;
- ``obligations``: it ``requires`` standing duties;
- ``pause``: it halts training or development, on a trigger;
- ``standing limit``: it forbids something outright (``limits``);
- ``release policy``: it holds only deployment, with tiers (a ``not-crossed``
  trigger, or triggers at more than one level);
- ``deployment hold``: it holds only deployment, without tiers;
- ``response plan``: it halts nothing (``halts: []``), on a trigger.

None fits (a format-1 mechanism that does not say what it halts): the heading
is its kind (:data:`KIND_WORDS`).
"""

KIND_WORDS: dict[str, str] = {
    "unilateral": "unilateral measure",
    "multilateral": "multilateral agreement",
    "bilateral": "bilateral agreement",
    "regulation": "regulation",
    "treaty": "treaty",
    "licensing": "licensing regime",
    "compute-governance": "compute governance",
    "voluntary-policy": "voluntary policy",
    "code-of-practice": "code of practice",
    "voluntary-commitment": "voluntary commitment",
    "deterrence": "deterrence regime",
}
"""A mechanism's ``kind`` in words."""

STATUS_WORDS: dict[str, str] = {
    "proposed": "proposed, not in force",
    "agreed": "agreed, not in force",
    "in-force": "in force",
    "suspended": "suspended, not in force",
    "ended": "ended, not in force",
}
"""A mechanism's lifecycle ``status`` in words."""

_STOPS = {"training", "development"}


def _triggered(mech: Mechanism) -> bool:
    return bool(mech.triggers)


def _tiers(mech: Mechanism, levels: Mapping[str, str]) -> bool:
    """Whether it answers graded tiers: a ``not-crossed`` trigger, or triggers at two levels."""
    if any(t.at == "not-crossed" for t in mech.triggers):
        return True
    return len({levels.get(t.threshold) for t in mech.triggers} - {None}) > 1


def fitting(mech: Mechanism, levels: Mapping[str, str] | None = None) -> list[str]:
    """Every heading noun that fits ``mech``, in precedence order (``levels``: each
    threshold id's canonical level, to tell tiers)."""
    halts = set(mech.halts) if mech.halts is not None else None
    out = []
    if mech.targets or mech.ladder:
        out.append("deterrence")
    if mech.requires:
        out.append("obligations")
    if halts and halts & _STOPS and _triggered(mech):
        out.append("pause")
    if mech.limits:
        out.append("standing limit")
    if halts and not halts & _STOPS and _triggered(mech):
        out.append("release policy" if _tiers(mech, levels or {}) else "deployment hold")
    if halts is not None and not halts and _triggered(mech):
        out.append("response plan")
    return out


def heading_noun(mech: Mechanism, levels: Mapping[str, str] | None = None) -> str:
    """The noun of its heading: the first of :data:`HEADINGS` that fits, else its kind."""
    fits = fitting(mech, levels)
    return fits[0] if fits else KIND_WORDS[mech.kind]


def also_lines(mech: Mechanism, levels: Mapping[str, str] | None = None) -> list[str]:
    """What the other fitting headings say, as lines under the heading."""
    out = []
    for noun in fitting(mech, levels)[1:]:
        if noun == "obligations":
            n = len(mech.requires)
            out.append(f"Also requires {n} standing dut{'y' if n == 1 else 'ies'}.")
        elif noun == "pause":
            out.append("Also halts training or development when triggered.")
        elif noun == "standing limit":
            n = len(mech.limits)
            out.append(f"Also forbids {n} thing{'s' if n > 1 else ''} outright.")
        elif noun in ("release policy", "deployment hold"):
            out.append("Also holds deployment when triggered.")
        elif noun == "response plan":
            out.append("Also sets responses to its triggers.")
    return out


def kind_status(mech: Mechanism, as_of: str | None) -> str:
    """``Regulation, in force since 1 January 2025``: what it is and whether it binds."""
    status = mech.status or "in-force"
    words = STATUS_WORDS[status]
    date = getattr(mech.entry_into_force, "date", None)
    if status == "in-force" and date and as_of and date <= as_of:
        words = f"in force since {long_date(date)}"
    kind = KIND_WORDS[mech.kind]
    return f"{kind[0].upper()}{kind[1:]}, {words}"


_PLURALS = {
    "deterrence": "deterrence",
    "obligations": "obligations",
    "compute governance": "compute governance",
    "code of practice": "codes of practice",
}


def plural_noun(noun: str) -> str:
    """``release policies``, ``codes of practice``: a heading noun of several instruments."""
    if noun in _PLURALS:
        return _PLURALS[noun]
    if noun.endswith("y"):
        return noun[:-1] + "ies"
    return noun + "s"
