"""The 30-second layer: three to five facts a reader who stops after the bottom line needs.

Owns: choosing and wording the brief's "At a glance" facts from the analysis —
how many thresholds are crossed or at alert, the lead indicator against its
trigger, which instruments are triggered or apply, the next date fixed by law
or agreement, and each indicator the author marked ``headline``. Every fact
is computed, so it moves when the data does; ``scenario status --format json``
reports the same list. Must not format for one output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..format.dates import long_date, short_date
from ..format.model import date_bounds
from ..format.vocabulary import OP_SYMBOL
from .status import ThresholdStatus, format_value

if TYPE_CHECKING:
    from .analyse import Analysis

_SEVERITY = {"crossed": 0, "alert": 1, "clear": 2, "not assessed": 3}
_LEVEL = {"critical": 0, "warning": 1, "watch": 2}
_WORD = {s: s for s in _SEVERITY} | {"alert": "at alert"}


@dataclass(frozen=True)
class Fact:
    """One line of the brief's "At a glance"."""

    kind: str  # thresholds | lead | instruments | scheduled | headline
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text}


def glance(analysis: Analysis) -> list[Fact]:
    """The facts, in reading order; at most five, none made up where the data is silent."""
    facts = [f for f in (_thresholds(analysis), _lead(analysis)) if f]
    facts += [f for f in (_instruments(analysis), _scheduled(analysis)) if f]
    facts += _headlines(analysis)
    return facts[:5]


def _thresholds(a: Analysis) -> Fact | None:
    n = len(a.thresholds)
    if not n:
        return None
    counts = [(s, a.status_counts.get(s, 0)) for s in _SEVERITY]
    told = ", ".join(f"{c} {_WORD[s]}" for s, c in counts if c)
    return Fact("thresholds", f"{n} threshold{'s' if n > 1 else ''}: {told}.")


def lead(a: Analysis) -> ThresholdStatus | None:
    """The measured threshold nearest to acting: the most severe status, then the highest
    level, then the first in the file (the brief's lead fact and its one chart)."""
    measured = [
        (k, t)
        for k, t in enumerate(a.thresholds)
        if t.indicator is not None and t.threshold.condition is not None
    ]
    if not measured:
        return None
    _, t = min(
        measured,
        key=lambda kt: (_SEVERITY[kt[1].status], _LEVEL[kt[1].threshold.level], kt[0]),
    )
    return t


def _lead(a: Analysis) -> Fact | None:
    t = lead(a)
    return Fact("lead", _lead_text(t)) if t is not None else None


def _lead_text(t: ThresholdStatus) -> str:
    assert t.indicator is not None and t.threshold.condition is not None
    condition = t.threshold.condition
    trigger = f"{OP_SYMBOL[condition.op]} {format_value(condition.value, t.indicator.unit)}"
    if t.evidence is None or t.evidence.kind != "observation":
        return f"{t.indicator.name}: no reading yet; trigger {trigger}."
    when = short_date(t.evidence.date)
    return f"{t.indicator.name}: {t.reading_text} ({when}); trigger {trigger}: {_WORD[t.status]}."


def _instruments(a: Analysis) -> Fact | None:
    if not a.mechanisms:
        return None
    fired = [m.mechanism.name for m in a.mechanisms if m.state == "triggered"]
    applies = [m.mechanism.name for m in a.mechanisms if m.state == "applies"]
    parts = []
    if fired:
        parts.append(f"Triggered: {'; '.join(fired)}")
    if applies:
        parts.append(f"Applying now: {'; '.join(applies)}")
    if not parts:
        n = len(a.mechanisms)
        return Fact(
            "instruments",
            f"No instrument is triggered or applies ({n} instrument{'s' if n > 1 else ''}).",
        )
    return Fact("instruments", " · ".join(parts) + ".")


def _scheduled(a: Analysis) -> Fact | None:
    """The next date fixed by law or agreement after the scenario's date."""
    last = date_bounds(a.scenario.date)[1]
    ahead = [e for e in a.scenario.timeline if e.scheduled and date_bounds(e.date)[0] > last]
    if not ahead:
        return None
    first = min(ahead, key=lambda e: date_bounds(e.date)[0])
    return Fact("scheduled", f"Next fixed date, {long_date(first.date)}: {first.event}")


def _headlines(a: Analysis) -> list[Fact]:
    last = date_bounds(a.scenario.date)[1]
    out = []
    for ind in a.scenario.indicators:
        if not ind.headline:
            continue
        seen = [o for o in ind.observations if date_bounds(o.date)[0] <= last]
        if not seen:
            out.append(Fact("headline", f"{ind.name}: no reading yet."))
            continue
        first, latest = seen[0], seen[-1]
        now = f"{format_value(latest.value, ind.unit)} ({short_date(latest.date)})"
        if first is latest:
            out.append(Fact("headline", f"{ind.name}: {now}."))
        else:
            was = f"{format_value(first.value, ind.unit)} ({short_date(first.date)})"
            out.append(Fact("headline", f"{ind.name}: {was} → {now}."))
    return out
