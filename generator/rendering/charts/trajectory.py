"""The trajectory of an indicator against the thresholds that read it.

Observations joined by a line, each point with its reading (and source) as a
tooltip; each threshold's trigger line and alert line, labelled, and the zone past
the trigger shaded; the scenario's as-of date as a vertical marker; values the
scenario projects drawn dashed, labelled as the scenario's, never as readings.
The scale is logarithmic by the position bars' rule (``analysis.status``): FLOP, a
unit with ``scale: log``, or values spanning three or more powers of ten — unless
a value is zero or below, which a log scale cannot show. Bad data gives a sensible
figure: one reading, equal readings, none ("No readings yet"), mixed date precision.
"""

from __future__ import annotations

import datetime as _dt
import html
import math
from collections.abc import Sequence

from ...analysis.analyse import Analysis
from ...analysis.numbers import format_amount, format_number
from ...analysis.status import ThresholdStatus, format_value, wants_log_scale
from ...format.dates import short_date
from ...format.model import Indicator, date_bounds
from ...format.vocabulary import OP_SYMBOL, unit_suffix
from ..markup import plain
from . import Chart

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 150, 24, 34  # the plot area's margins; labels at the right
INK, MUTED, RULE = "#1d2433", "#5b6475", "#d5dae3"
NAVY, TRIGGER, ALERT, ZONE = "#13294b", "#b42318", "#b26a00", "#fde8e7"
FONT = "Inter, 'Helvetica Neue', Arial, sans-serif"


def _mid(date: str) -> float:
    """A date as a year with its fraction: the middle of the period it names."""
    first, last = date_bounds(str(date))
    middle = first + (last - first) / 2
    start = _dt.date(middle.year, 1, 1)
    days = (_dt.date(middle.year + 1, 1, 1) - start).days
    return middle.year + (middle - start).days / days


def _num(x: float) -> str:
    """A coordinate, to one decimal place, as SVG reads it."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def statuses_of(analysis: Analysis, indicator: Indicator) -> list[ThresholdStatus]:
    """The quantitative thresholds that read ``indicator``, in the document's order."""
    return [
        t
        for t in analysis.grouped_thresholds
        if t.indicator is indicator and t.threshold.condition is not None
    ]


def alternative(indicator: Indicator, statuses: Sequence[ThresholdStatus], as_of: str) -> str:
    """The chart in words: first and last reading, each threshold's marks and status."""
    unit = indicator.unit
    name = plain(indicator.name)
    obs = indicator.observations
    if not obs:
        told = f"{name}: no readings yet"
    elif len(obs) == 1:
        told = f"{name}: {format_value(obs[0].value, unit)} ({short_date(obs[0].date)})"
    else:
        first, last = obs[0], obs[-1]
        was, now = format_value(first.value, unit), format_value(last.value, unit)
        since, until = short_date(first.date), short_date(last.date)
        if last.value == first.value:
            told = f"{name} held at {was} from {since} to {until}"
        else:
            verb = "rose" if last.value > first.value else "fell"
            told = f"{name} {verb} from {was} ({since}) to {now} ({until})"
    parts = [told]
    for t in statuses:
        c = t.threshold.condition
        assert c is not None
        marks = f"trigger {OP_SYMBOL[c.op]} {format_value(c.value, unit)}"
        if c.alert is not None:
            marks = f"alert at {format_value(c.alert, unit)}, {marks}"
        label = plain(t.threshold.name)
        parts.append(f"{label}: {marks}; {t.status} as of {short_date(as_of)}")
    return "; ".join(parts) + "."


class _Scale:
    """Values to the plot's height: linear from zero (or the smallest value) or log."""

    def __init__(self, values: list[float], log: bool, percent: bool) -> None:
        self.log = log
        self.low: float
        self.high: float
        self.step = 1.0
        if log:
            self.low = math.floor(math.log10(min(values)))
            self.high = max(math.ceil(math.log10(max(values))), self.low + 1)
        else:
            low, high = min([*values, 0.0]), max(values)
            if percent:
                low, high = 0.0, max(100.0, high)
            elif high == low:
                high = low + (abs(low) or 1.0)
            step = _step((high - low) / 4)
            self.low = math.floor(low / step) * step
            self.high = math.ceil(high * 1.08 / step) * step if not percent else high
            self.step = step

    def y(self, value: float) -> float:
        span = HEIGHT - TOP - BOTTOM
        if self.log:
            share = (math.log10(value) - self.low) / (self.high - self.low)
        else:
            share = (value - self.low) / (self.high - self.low)
        return TOP + span * (1 - min(max(share, 0.0), 1.0))

    def ticks(self) -> list[float]:
        if self.log:
            every = max(1, math.ceil((self.high - self.low) / 6))
            return [10.0**e for e in range(int(self.low), int(self.high) + 1, every)]
        n = round((self.high - self.low) / self.step)
        return [self.low + i * self.step for i in range(n + 1)]


def _step(rough: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) at least ``rough``."""
    power = 10 ** math.floor(math.log10(rough)) if rough > 0 else 1.0
    for factor in (1, 2, 5, 10):
        if factor * power >= rough:
            return factor * power
    return 10 * power


def trajectory(analysis: Analysis, indicator: Indicator) -> Chart | None:
    """The indicator's chart, or ``None`` when no quantitative threshold reads it."""
    statuses = statuses_of(analysis, indicator)
    if not statuses:
        return None
    scenario = analysis.scenario
    unit = indicator.unit
    obs = indicator.observations
    projected = analysis.forks.projections(indicator)
    conditions = [t.threshold.condition for t in statuses if t.threshold.condition]
    marks = [c.value for c in conditions] + [c.alert for c in conditions if c.alert is not None]
    values = [o.value for o in obs] + [p.value for _, ps in projected for p in ps] + marks
    # A threshold's bar is on a log scale only if its marks are: then so are these values,
    # which include them, by the same rule.
    scale = _Scale(values, wants_log_scale(values, unit), unit == "percent")

    as_of = _mid(scenario.date)
    dates = [_mid(o.date) for o in obs] + [_mid(p.date) for _, ps in projected for p in ps]
    first = min([*dates, as_of])
    last = max([*dates, as_of])
    if last - first < 1:
        first, last = first - 0.5, last + 0.5
    pad = (last - first) * 0.04
    first, last = first - pad, last + pad

    def x(year: float) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (year - first) / (last - first)

    title = f"{plain(indicator.name)}, against its thresholds"
    alt = alternative(indicator, statuses, scenario.date)
    plot_right, plot_bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="chart-svg" role="img" aria-label="{_esc(alt)}" '
        f'font-family="{_esc(FONT)}" font-size="10">',
        f"<title>{_esc(title)}</title>",
        f"<desc>{_esc(alt)}</desc>",
    ]
    # the zone past each trigger, then the grid and axes
    for c in conditions:
        y = scale.y(c.value)
        top, height = (TOP, y - TOP) if c.op in (">=", ">") else (y, plot_bottom - y)
        if height > 0:
            out.append(
                f'<rect x="{LEFT}" y="{_num(top)}" width="{plot_right - LEFT}" '
                f'height="{_num(height)}" fill="{ZONE}"/>'
            )
    for tick in scale.ticks():
        y = scale.y(tick)
        label = format_amount(tick) if unit in ("usd", "count") else format_number(tick)
        out.append(
            f'<line x1="{LEFT}" y1="{_num(y)}" x2="{plot_right}" y2="{_num(y)}" '
            f'stroke="{RULE}" stroke-width="0.6"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{_num(y + 3.5)}" text-anchor="end" fill="{MUTED}">'
            f"{_esc(label)}</text>"
        )
    for year in range(math.ceil(first), math.floor(last) + 1):
        if len(range(math.ceil(first), math.floor(last) + 1)) > 8 and year % 2:
            continue
        out.append(
            f'<text x="{_num(x(year))}" y="{plot_bottom + 14}" text-anchor="middle" '
            f'fill="{MUTED}">{year}</text>'
        )
        out.append(
            f'<line x1="{_num(x(year))}" y1="{plot_bottom}" x2="{_num(x(year))}" '
            f'y2="{plot_bottom + 4}" stroke="{MUTED}" stroke-width="0.6"/>'
        )
    out.append(
        f'<line x1="{LEFT}" y1="{plot_bottom}" x2="{plot_right}" y2="{plot_bottom}" '
        f'stroke="{MUTED}" stroke-width="0.8"/>'
    )
    suffix = "USD" if unit == "usd" else unit_suffix(unit).strip()
    if suffix:
        out.append(
            f'<text x="4" y="{TOP - 12}" fill="{MUTED}">'
            f"{_esc(suffix)}{', log scale' if scale.log else ''}</text>"
        )
    # trigger and alert lines, labelled at the right
    labels: list[tuple[float, str, str]] = []
    for c in conditions:  # the caption names each threshold; the lines give its values
        y = scale.y(c.value)
        out.append(
            f'<line x1="{LEFT}" y1="{_num(y)}" x2="{plot_right}" y2="{_num(y)}" '
            f'stroke="{TRIGGER}" stroke-width="1.2"/>'
        )
        labels.append((y, f"trigger {OP_SYMBOL[c.op]} {format_value(c.value, unit)}", TRIGGER))
        if c.alert is not None:
            ya = scale.y(c.alert)
            out.append(
                f'<line x1="{LEFT}" y1="{_num(ya)}" x2="{plot_right}" y2="{_num(ya)}" '
                f'stroke="{ALERT}" stroke-width="1" stroke-dasharray="5 3"/>'
            )
            labels.append((ya, f"alert {format_value(c.alert, unit)}", ALERT))
    placed: list[float] = []
    for y, text, colour in sorted(labels):
        while any(abs(y - p) < 11 for p in placed):
            y += 11
        placed.append(y)
        out.append(
            f'<text x="{plot_right + 6}" y="{_num(y + 3.5)}" fill="{colour}">{_esc(text)}</text>'
        )
    # the as-of marker
    xa = x(as_of)
    out.append(
        f'<line x1="{_num(xa)}" y1="{TOP}" x2="{_num(xa)}" y2="{plot_bottom}" '
        f'stroke="{MUTED}" stroke-width="0.8" stroke-dasharray="2 2"/>'
    )
    out.append(
        f'<text x="{_num(xa - 3)}" y="{plot_bottom - 4}" text-anchor="end" fill="{MUTED}">'
        f"as of {_esc(short_date(scenario.date))}</text>"
    )
    # the scenario's projections, dashed, from the last reading
    for lane, ps in projected:
        start = [(x(_mid(obs[-1].date)), scale.y(obs[-1].value))] if obs else []
        points = start + [(x(_mid(p.date)), scale.y(p.value)) for p in ps]
        path = " ".join(f"{_num(px)},{_num(py)}" for px, py in points)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{NAVY}" stroke-width="1.2" '
            f'stroke-dasharray="4 3"/>'
        )
        for p, (px, py) in zip(ps, points[len(start) :], strict=True):
            tip = f"{format_value(p.value, unit)} ({short_date(p.date)}), the scenario's projection"
            out.append(
                f'<circle cx="{_num(px)}" cy="{_num(py)}" r="2.6" fill="#fff" stroke="{NAVY}" '
                f'stroke-width="1"><title>{_esc(tip)}</title></circle>'
            )
        lx, ly = points[-1]
        name = "scenario" if lane.branch is None else plain(lane.name)
        out.append(
            f'<text x="{_num(lx)}" y="{_num(ly - 6)}" text-anchor="end" fill="{MUTED}" '
            f'font-style="italic">{_esc(name)} (projected)</text>'
        )
    # the readings
    if obs:
        points = [(x(_mid(o.date)), scale.y(o.value)) for o in obs]
        if len(points) > 1:
            path = " ".join(f"{_num(px)},{_num(py)}" for px, py in points)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{NAVY}" stroke-width="1.6"/>'
            )
        sources = {s.id: s for s in scenario.sources}
        for o, (px, py) in zip(obs, points, strict=True):
            tip = f"{format_value(o.value, unit)} ({short_date(o.date)})"
            if o.subject:
                tip += f", {o.subject}"
            if o.source and o.source in sources:
                tip += f"; {plain(sources[o.source].title)}"
            out.append(
                f'<circle cx="{_num(px)}" cy="{_num(py)}" r="3" fill="{NAVY}">'
                f"<title>{_esc(tip)}</title></circle>"
            )
    else:
        out.append(
            f'<text x="{_num((LEFT + plot_right) / 2)}" y="{_num((TOP + plot_bottom) / 2)}" '
            f'text-anchor="middle" fill="{MUTED}">No readings yet</text>'
        )
    out.append("</svg>")
    return Chart(f"indicator-{indicator.id}", title, alt, "\n".join(out) + "\n")


def charts(analysis: Analysis) -> dict[str, Chart]:
    """Every trajectory chart of the scenario, by indicator id."""
    out: dict[str, Chart] = {}
    for indicator in analysis.scenario.indicators:
        chart = trajectory(analysis, indicator)
        if chart is not None:
            out[indicator.id] = chart
    return out
