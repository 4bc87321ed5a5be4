"""Analyse stage: the facts a briefing states, computed once from the data.

Owns: each quantitative threshold's status as of the scenario date, whether
each mechanism's triggers are met, the actor x mechanism matrix, likelihood
terms with their numeric ranges, and what cites what. Templates read these
facts and never recompute them, so a briefing cannot contradict its data.
Must not format text for a particular output (that is ``rendering``'s job).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..format.model import (
    Actor,
    Indicator,
    Judgment,
    Mechanism,
    Observation,
    Scenario,
    Threshold,
    date_bounds,
)
from ..format.vocabulary import (
    LIKELIHOOD_SCALES,
    OP_SYMBOL,
    PERCENT_RANGE,
    STATUSES,
    UNIT_SUFFIX,
    compare,
    reaches_alert,
)

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def format_number(value: float) -> str:
    """A reading as people write it: 93.9, 80, 650 000 000, 3×10^26."""
    if value != 0 and (abs(value) >= 1e9 or abs(value) < 1e-3):
        mantissa, exponent = f"{value:.2e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        prefix = "" if mantissa == "1" else f"{mantissa}×"
        return f"{prefix}10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", " ")
    return f"{value:.4g}"


def format_value(value: float, unit: str) -> str:
    """A reading with its unit: ``93.9 %``, ``3×10^26 FLOP``, ``USD 650 000 000``."""
    number = format_number(value)
    if unit == "usd":
        return f"USD {number}"
    return f"{number}{UNIT_SUFFIX.get(unit, '')}"


@dataclass(frozen=True)
class ThresholdStatus:
    """A threshold's state as of the scenario date."""

    threshold: Threshold
    indicator: Indicator | None
    status: str
    reading: Observation | None
    reading_text: str
    position: float | None = None
    alert_position: float | None = None
    trigger_position: float | None = None

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


@dataclass(frozen=True)
class MechanismState:
    """Whether a mechanism's triggers are met, and who does what in it."""

    mechanism: Mechanism
    triggers: list[ThresholdStatus]
    state: str  # "triggered" | "alert" | "not triggered" | "no data" | "no trigger defined"
    convener: Actor | None
    parties: list[Actor]
    adjudicator: Actor | None
    verifiers: dict[str, Actor]


@dataclass(frozen=True)
class LikelihoodTerm:
    """A judgment's calibrated term with the range it stands for."""

    term: str
    low: float
    high: float

    @property
    def range_text(self) -> str:
        return f"{self.low * 100:g}–{self.high * 100:g} %"


@dataclass
class Analysis:
    """Everything the templates state that is computed rather than written."""

    scenario: Scenario
    thresholds: list[ThresholdStatus]
    mechanisms: list[MechanismState]
    matrix: list[tuple[Actor, list[list[str]]]]
    status_counts: dict[str, int]
    actors: dict[str, Actor] = field(default_factory=dict)

    def likelihood(self, judgment: Judgment) -> LikelihoodTerm | None:
        """The calibrated term of ``judgment`` with its range, if it has one."""
        scale = LIKELIHOOD_SCALES[self.scenario.likelihood_scale]
        if judgment.likelihood not in scale:
            return None
        return LikelihoodTerm(judgment.likelihood, *scale[judgment.likelihood])

    def actor_names(self, ids: list[str]) -> list[str]:
        return [self.actors[i].name for i in ids if i in self.actors]

    def branch_name(self, ident: str | None) -> str:
        """The name of branch ``ident`` (empty for none)."""
        return next((b.name for b in self.scenario.branches if b.id == ident), "")

    def threshold(self, ident: str) -> ThresholdStatus | None:
        return next((t for t in self.thresholds if t.threshold.id == ident), None)

    @property
    def summary_line(self) -> str:
        """``1 crossed · 2 alert · 1 clear · 1 no data`` for indexes and covers."""
        return format_counts(self.status_counts)


def format_counts(counts: dict[str, int]) -> str:
    """``1 crossed · 2 alert · 1 no data``: the non-zero counts, most severe first."""
    return " · ".join(f"{counts[s]} {s}" for s in STATUSES if counts.get(s))


def _latest(indicator: Indicator, as_of: str) -> Observation | None:
    """The latest observation dated on or before the scenario date."""
    last_day = date_bounds(as_of)[1]
    dated = [o for o in indicator.observations if date_bounds(o.date)[0] <= last_day]
    return max(dated, key=lambda o: date_bounds(o.date)[0]) if dated else None


def threshold_status(
    threshold: Threshold, indicators: dict[str, Indicator], as_of: str
) -> ThresholdStatus:
    """Status of one threshold as of ``as_of``: crossed, alert, clear or no data."""
    indicator = indicators.get(threshold.indicator or "")
    condition = threshold.condition
    if indicator is None or condition is None:
        return ThresholdStatus(threshold, None, "no data", None, "qualitative — no agreed test")
    reading = _latest(indicator, as_of)
    if reading is None:
        return ThresholdStatus(
            threshold, indicator, "no data", None, f"no reading on or before {as_of}"
        )
    if compare(reading.value, condition.op, condition.value):
        status = "crossed"
    elif condition.alert is not None and reaches_alert(
        reading.value, condition.op, condition.alert
    ):
        status = "alert"
    else:
        status = "clear"
    scale_max = (
        PERCENT_RANGE[1]
        if indicator.unit == "percent"
        else max(condition.value * 1.25, reading.value * 1.1, condition.alert or 0)
    )
    scale_max = scale_max or 1.0

    def pos(value: float | None) -> float | None:
        return None if value is None else min(max(value / scale_max, 0.0), 1.0)

    text = f"{format_value(reading.value, indicator.unit)} ({reading.date})"
    return ThresholdStatus(
        threshold,
        indicator,
        status,
        reading,
        text,
        pos(reading.value),
        pos(condition.alert),
        pos(condition.value),
    )


def analyse(scenario: Scenario) -> Analysis:
    """Compute every derived fact of a valid scenario."""
    indicators = {i.id: i for i in scenario.indicators}
    actors = {a.id: a for a in scenario.actors}
    statuses = [threshold_status(t, indicators, scenario.date) for t in scenario.thresholds]
    by_id = {s.threshold.id: s for s in statuses}

    mechanisms = []
    for mech in scenario.mechanisms:
        triggers = [by_id[t] for t in mech.triggered_by if t in by_id]
        states = {t.status for t in triggers}
        if "crossed" in states:
            state = "triggered"
        elif "alert" in states:
            state = "alert"
        elif triggers and states == {"no data"}:
            state = "no data"
        elif not mech.triggered_by:
            state = "no trigger defined"
        else:
            state = "not triggered"
        verifiers = {v.by: actors[v.by] for v in mech.verification if v.by in actors}
        mechanisms.append(
            MechanismState(
                mech,
                triggers,
                state,
                actors.get(mech.convener or ""),
                [actors[p] for p in mech.parties if p in actors],
                actors.get(mech.adjudicator or ""),
                verifiers,
            )
        )

    matrix = []
    for actor in scenario.actors:
        row = []
        for mech in scenario.mechanisms:
            roles = []
            if mech.convener == actor.id:
                roles.append("convener")
            if actor.id in mech.parties:
                roles.append("party")
            if mech.adjudicator == actor.id:
                roles.append("adjudicator")
            if any(v.by == actor.id for v in mech.verification):
                roles.append("verifier")
            row.append(roles)
        matrix.append((actor, row))

    counts = {status: sum(s.status == status for s in statuses) for status in STATUSES}
    return Analysis(
        scenario,
        statuses,
        mechanisms,
        matrix,
        counts,
        actors,
    )
