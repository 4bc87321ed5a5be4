"""Threshold status: what the evidence says of each threshold as of the scenario date.

Owns: the status rule (the latest evidence on or before the date, an
observation read against the condition or an assessment, whichever is later;
per subject when readings name the model measured, the most severe subject
deciding), the evidence behind each status, and where a reading sits on the
threshold's position bar (log scale where values span orders of magnitude).
Must not format text for a particular output.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..format.model import Actor, Indicator, Threshold, date_bounds
from ..format.vocabulary import (
    OP_SYMBOL,
    PERCENT_RANGE,
    log_scale,
    reading_status,
    rising,
    severity,
    unit_suffix,
)
from .numbers import format_amount, format_number

ORDERS_OF_MAGNITUDE = 3
"""Values spanning this many powers of ten are drawn on a log scale whatever their unit."""


def format_value(value: float, unit: Any) -> str:
    """A reading with its unit: ``93.9 %``, ``3×10²⁶ FLOP``, ``USD 650 million``, ``20 million``."""
    if unit == "usd":
        return f"USD {format_amount(value)}"
    if unit == "count":
        return format_amount(value)
    return f"{format_number(value)}{unit_suffix(unit)}"


@dataclass(frozen=True)
class Evidence:
    """One dated item that decides a status: a reading against the condition, or an assessment."""

    kind: str  # "observation" | "assessment"
    date: str
    status: str
    subject: str | None
    source: str | None
    note: str | None = None
    value: float | None = None
    reading: str = ""  # the value with its unit, for an observation
    by: Actor | None = None  # who assessed, for an assessment

    @property
    def text(self) -> str:
        """``5×10²⁴ FLOP, gpt-oss-120B`` or ``alert, assessed by Google DeepMind, Gemini 3``."""
        if self.kind == "observation":
            parts = [self.reading]
        else:
            parts = [f"{self.status}, assessed" + (f" by {self.by.name}" if self.by else "")]
        return ", ".join(parts + ([self.subject] if self.subject else []))

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "date": self.date, "status": self.status}
        out["subject"] = self.subject
        if self.kind == "observation":
            out |= {"value": self.value, "reading": self.reading}
        else:
            out["by"] = self.by.id if self.by else None
        return out | {"source": self.source, "note": self.note}


@dataclass(frozen=True)
class ThresholdStatus:
    """A threshold's state as of the scenario date, with the evidence that decides it."""

    threshold: Threshold
    indicator: Indicator | None
    status: str
    evidence: Evidence | None
    position: float | None = None
    alert_position: float | None = None
    trigger_position: float | None = None
    log_scale: bool = False

    @property
    def label(self) -> str:
        """Its name, with the framework's own label where the name does not already say it."""
        name = self.threshold.name
        labels = [f.label for f in self.threshold.frameworks if f.label not in name]
        return f"{name} ({'; '.join(labels)})" if labels else name

    @property
    def reading_text(self) -> str:
        """What the deciding evidence says, without its date (each document prints dates)."""
        if self.evidence is not None:
            return self.evidence.text
        return "no reading yet" if self.indicator is not None else ""

    @property
    def trigger_text(self) -> str:
        """``≥ 97 %; alert at 90 %`` for a quantitative threshold, else an empty string."""
        condition = self.threshold.condition
        if condition is None or self.indicator is None:
            return ""
        unit = self.indicator.unit
        text = f"{OP_SYMBOL[condition.op]} {format_value(condition.value, unit)}"
        if condition.alert is not None:
            text += f"; alert at {format_value(condition.alert, unit)}"
        return text


def _evidence(
    threshold: Threshold, indicator: Indicator | None, actors: dict[str, Actor], as_of: str
) -> list[Evidence]:
    """Every item of evidence dated on or before ``as_of``."""
    last_day = date_bounds(as_of)[1]
    found = []
    condition = threshold.condition
    if indicator is not None and condition is not None:
        for obs in indicator.observations:
            if date_bounds(obs.date)[0] <= last_day:
                status = reading_status(obs.value, condition.op, condition.value, condition.alert)
                reading = format_value(obs.value, indicator.unit)
                found.append(
                    Evidence(
                        "observation", obs.date, status, obs.subject, obs.source, obs.note,
                        obs.value, reading,
                    )
                )  # fmt: skip
    for item in threshold.assessments:
        if date_bounds(item.date)[0] <= last_day:
            by = actors.get(item.by or "")
            found.append(
                Evidence(
                    "assessment", item.date, item.status, item.subject, item.source, item.note,
                    by=by,
                )
            )  # fmt: skip
    return found


def _deciding(evidence: list[Evidence], op: str | None) -> Evidence | None:
    """The latest evidence per subject; of those, the most severe (then the farthest reading)."""
    latest: dict[str | None, Evidence] = {}
    for item in evidence:
        current = latest.get(item.subject)
        key = (date_bounds(item.date)[0], severity(item.status))
        if current is None or key >= (date_bounds(current.date)[0], severity(current.status)):
            latest[item.subject] = item
    if not latest:
        return None
    direction = 1 if op is None or rising(op) else -1

    def rank(item: Evidence) -> tuple[int, Any, float]:
        value = direction * item.value if item.value is not None else -math.inf
        return (severity(item.status), date_bounds(item.date)[0], value)

    return max(latest.values(), key=rank)


def threshold_status(
    threshold: Threshold,
    indicators: dict[str, Indicator],
    actors: dict[str, Actor],
    as_of: str,
) -> ThresholdStatus:
    """Status of one threshold as of ``as_of``: crossed, alert, clear or not assessed."""
    indicator = indicators.get(threshold.indicator or "")
    condition = threshold.condition
    decided = _deciding(
        _evidence(threshold, indicator, actors, as_of), condition.op if condition else None
    )
    status = decided.status if decided else "not assessed"
    if decided is None or decided.value is None or indicator is None or condition is None:
        return ThresholdStatus(threshold, indicator, status, decided)
    marks = [decided.value, condition.value] + ([condition.alert] if condition.alert else [])
    log = wants_log_scale(marks, indicator.unit)
    pos = _log_positions(marks) if log else _linear_positions(marks, indicator.unit)
    return ThresholdStatus(
        threshold,
        indicator,
        status,
        decided,
        pos(decided.value),
        pos(condition.alert),
        pos(condition.value),
        log,
    )


def wants_log_scale(values: list[float], unit: Any) -> bool:
    """Whether ``values`` in ``unit`` are drawn on a log scale: all above zero, and a unit
    drawn so (FLOP, ``scale: log``) or a span of three or more powers of ten. The position
    bars and the charts read it alike."""
    return all(v > 0 for v in values) and (
        log_scale(unit) or max(values) / min(values) >= 10**ORDERS_OF_MAGNITUDE
    )


def _linear_positions(marks: list[float], unit: Any) -> Any:
    top = PERCENT_RANGE[1] if unit == "percent" else max(marks[1] * 1.25, marks[0] * 1.1, *marks)
    top = top or 1.0
    return lambda v: None if v is None else min(max(v / top, 0.0), 1.0)


def _log_positions(marks: list[float]) -> Any:
    """Positions on a scale from a power of ten below the smallest mark to one above the largest."""
    low = math.floor(math.log10(min(marks))) - 1
    high = math.ceil(math.log10(max(marks))) + 1
    return lambda v: None if v is None else min(max((math.log10(v) - low) / (high - low), 0), 1)
