"""When each event is forecast to happen: every distribution of the scenario on one axis.

One row per forecast, grouped by the event forecast (the same event text: the variants
of one threshold's event, "all-things-considered" or "benchmarks-and-gaps model", keep
their own group), so several forecasters of one event sit together: the median as a dot, the
interval as a bar, an open bound ("after 2050") as an arrow to the axis's end, and the
scenario's as-of date as a dotted marker. The axis ends a little after the last finite
date, so one "after 2100" does not squash the rest.
"""

from __future__ import annotations

import datetime as _dt
import math

from ...analysis.analyse import Analysis
from ...analysis.forks import distribution_text
from ...format.dates import short_date
from ...format.model import Forecast, date_bounds
from ..markup import plain
from . import Chart
from .trajectory import FONT, INK, MUTED, NAVY, RULE, _esc, _mid, _num

WIDTH = 640
LABEL = 230  # the labels' column
ROW, TOP, BOTTOM, RIGHT = 15, 8, 28, 24
_OPEN = "after "


def _year(date: str) -> float:
    return _mid(str(date).removeprefix(_OPEN))


def _by(date: str) -> float:
    """ "By 2027" as a point on the axis: the end of the period it names."""

    last = date_bounds(date)[1] + _dt.timedelta(days=1)
    start = _dt.date(last.year, 1, 1)
    return last.year + (last - start).days / (_dt.date(last.year + 1, 1, 1) - start).days


def _groups(forecasts: list[Forecast]) -> list[tuple[str, list[Forecast]]]:
    """Forecasts of one event together, in the order each event first appears."""
    groups: dict[str, tuple[str, list[Forecast]]] = {}
    for f in forecasts:
        key = plain(f.event)  # the same words; a threshold's variants stay apart
        groups.setdefault(key, (key, []))[1].append(f)
    return list(groups.values())


def distributions(analysis: Analysis) -> Chart | None:
    """The chart of every distribution, or ``None`` when the scenario has none."""
    forecasts = analysis.forks.distributions
    if not forecasts:
        return None
    scenario = analysis.scenario
    groups = _groups(forecasts)
    finite = [
        _year(str(d))
        for f in forecasts
        if f.distribution is not None
        for d in (f.distribution.median, f.distribution.low, f.distribution.high)
        if d is not None and not str(d).startswith(_OPEN)
    ]
    as_of = _mid(scenario.date)
    first = math.floor(min([*finite, as_of]))
    last = math.ceil(max(finite)) + 1
    rows = sum(1 + len(fs) for _, fs in groups)
    height = TOP + rows * ROW + BOTTOM
    plot_bottom = height - BOTTOM
    right = WIDTH - RIGHT

    def x(year: float) -> float:
        return LABEL + (right - LABEL) * (min(max(year, first), last) - first) / (last - first)

    told = [
        f"{event}: "
        + "; ".join(f"{f.forecaster or 'the source'} {distribution_text(f)}" for f in fs)
        for event, fs in groups
    ]
    alt = "When each event is forecast: " + " | ".join(told) + "."
    title = "When each event is forecast: medians and intervals"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'class="chart-svg" role="img" aria-label="{_esc(alt)}" '
        f'font-family="{_esc(FONT)}" font-size="9.5">',
        f"<title>{_esc(title)}</title>",
        f"<desc>{_esc(alt)}</desc>",
    ]
    step = 1 if last - first <= 10 else 2 if last - first <= 20 else 5
    for year in range(first, last + 1):
        if year % step:
            continue
        out.append(
            f'<line x1="{_num(x(year))}" y1="{TOP}" x2="{_num(x(year))}" y2="{plot_bottom}" '
            f'stroke="{RULE}" stroke-width="0.6"/>'
        )
        out.append(
            f'<text x="{_num(x(year))}" y="{plot_bottom + 14}" text-anchor="middle" '
            f'fill="{MUTED}">{year}</text>'
        )
    xa = x(as_of)
    out.append(
        f'<line x1="{_num(xa)}" y1="{TOP}" x2="{_num(xa)}" y2="{plot_bottom}" stroke="{MUTED}" '
        f'stroke-width="0.8" stroke-dasharray="2 2"/>'
    )
    out.append(
        f'<text x="{_num(xa)}" y="{plot_bottom + 24}" text-anchor="middle" fill="{MUTED}">'
        f"as of {_esc(short_date(scenario.date))}</text>"
    )
    y = TOP + ROW * 0.7
    for event, fs in groups:
        short = event if len(event) <= 44 else event[:43].rstrip() + "…"
        out.append(
            f'<text x="4" y="{_num(y)}" font-weight="600" fill="{NAVY}">{_esc(short)}</text>'
        )
        y += ROW
        for f in fs:
            d = f.distribution
            assert d is not None
            who = f.forecaster or "the source"
            who = who if len(who) <= 40 else who[:39].rstrip() + "…"
            out.append(f'<text x="14" y="{_num(y)}" fill="{MUTED}">{_esc(who)}</text>')
            mid_y = y - 3.5
            low = _year(str(d.low)) if d.low is not None else None
            high = str(d.high) if d.high is not None else None
            if low is not None and high is not None:
                end = right if high.startswith(_OPEN) else x(_year(high))
                out.append(
                    f'<line x1="{_num(x(low))}" y1="{_num(mid_y)}" x2="{_num(end)}" '
                    f'y2="{_num(mid_y)}" stroke="{NAVY}" stroke-width="2.4" stroke-opacity="0.35"/>'
                )
                if high.startswith(_OPEN):  # an open bound: an arrow to the axis's end
                    out.append(
                        f'<path d="M{_num(right)},{_num(mid_y)} l-6,-3.5 v7 z" fill="{NAVY}"/>'
                    )
            tip = f"{who}: {distribution_text(f)}"
            out.append(
                f'<circle cx="{_num(x(_year(str(d.median))))}" cy="{_num(mid_y)}" r="3.2" '
                f'fill="{NAVY}"><title>{_esc(tip)}</title></circle>'
            )
            y += ROW
    out.append(
        f'<line x1="{LABEL}" y1="{plot_bottom}" x2="{right}" y2="{plot_bottom}" '
        f'stroke="{MUTED}" stroke-width="0.8"/>'
    )
    out.append("</svg>")
    return Chart("forecast-distributions", title, alt, "\n".join(out) + "\n")


_STYLES = (  # colour, dash, marker: told apart in greyscale print by dash and marker too
    (NAVY, "", "circle"),
    ("#2f6f9f", "6 3", "square"),
    ("#6b7a1f", "2 2", "triangle"),
    ("#7d3c8c", "8 3 2 3", "diamond"),
)


def _marker(kind: str, cx: float, cy: float, colour: str, tip: str) -> str:
    title = f"<title>{_esc(tip)}</title>"
    if kind == "square":
        return (
            f'<rect x="{_num(cx - 3)}" y="{_num(cy - 3)}" width="6" height="6" '
            f'fill="{colour}">{title}</rect>'
        )
    if kind == "triangle":
        points = f"{_num(cx)},{_num(cy - 3.6)} {_num(cx + 3.4)},{_num(cy + 2.6)} "
        points += f"{_num(cx - 3.4)},{_num(cy + 2.6)}"
        return f'<polygon points="{points}" fill="{colour}">{title}</polygon>'
    if kind == "diamond":
        points = f"{_num(cx)},{_num(cy - 3.8)} {_num(cx + 3.8)},{_num(cy)} "
        points += f"{_num(cx)},{_num(cy + 3.8)} {_num(cx - 3.8)},{_num(cy)}"
        return f'<polygon points="{points}" fill="{colour}">{title}</polygon>'
    return f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="3" fill="{colour}">{title}</circle>'


def cumulative(analysis: Analysis) -> Chart | None:
    """Every cumulative forecast as a line of its probabilities by date, on one chart (at
    most four told apart; more would not be readable), or ``None`` when there is none."""
    forecasts = [f for f in analysis.scenario.forecasts if f.distribution is None][:4]
    if not forecasts:
        return None
    scenario = analysis.scenario
    height, left, top, bottom = 230, 44, 12, 40
    plot_right, plot_bottom = WIDTH - 16, height - bottom - 14 * ((len(forecasts) + 1) // 2)
    charted = {f.id for f in forecasts}
    linked = [j for j in scenario.judgments if j.forecast and j.forecast.id in charted]
    linked = [j for j in linked if j.probability is not None]
    years = [_by(str(e.by)) for f in forecasts for e in f.estimates] + [_mid(scenario.date)]
    years += [_by(str(j.forecast.by)) for j in linked if j.forecast]
    first, last = math.floor(min(years)), math.ceil(max(years))
    last = max(last, first + 1)

    def x(year: float) -> float:
        return left + (plot_right - left) * (year - first) / (last - first)

    def y(p: float) -> float:
        return top + (plot_bottom - top) * (1 - p)

    def full(f: Forecast) -> str:
        return plain(f.event) + (f" ({f.forecaster})" if f.forecaster else "")

    def name(f: Forecast) -> str:  # for the legend and tooltips: one line
        text = full(f)
        return text if len(text) <= 60 else text[:59].rstrip() + "…"

    told = [
        f"{full(f)}: "
        + ", ".join(f"{round(e.p * 100, 1):g} % by {short_date(str(e.by))}" for e in f.estimates)
        for f in forecasts
    ]
    by_id = {f.id: f for f in forecasts}
    for j in linked:
        assert j.forecast is not None and j.probability is not None
        told.append(
            f"a key judgment puts {full(by_id[j.forecast.id])} at "
            f"{round(j.probability * 100, 1):g} % by {short_date(str(j.forecast.by))}"
        )
    alt = "Cumulative probability that each event has happened: " + "; ".join(told) + "."
    title = "Cumulative forecasts: the probability that each event has happened by each date"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'class="chart-svg" role="img" aria-label="{_esc(alt)}" '
        f'font-family="{_esc(FONT)}" font-size="9.5">',
        f"<title>{_esc(title)}</title>",
        f"<desc>{_esc(alt)}</desc>",
    ]
    for p in (0, 0.25, 0.5, 0.75, 1):
        out.append(
            f'<line x1="{left}" y1="{_num(y(p))}" x2="{plot_right}" y2="{_num(y(p))}" '
            f'stroke="{RULE}" stroke-width="0.6"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{_num(y(p) + 3.5)}" text-anchor="end" fill="{MUTED}">'
            f"{round(p * 100)} %</text>"
        )
    step = 1 if last - first <= 10 else 2 if last - first <= 20 else 5
    for year in range(first, last + 1, step):
        out.append(
            f'<text x="{_num(x(year))}" y="{plot_bottom + 14}" text-anchor="middle" '
            f'fill="{MUTED}">{year}</text>'
        )
    xa = x(_mid(scenario.date))
    out.append(
        f'<line x1="{_num(xa)}" y1="{top}" x2="{_num(xa)}" y2="{plot_bottom}" stroke="{MUTED}" '
        f'stroke-width="0.8" stroke-dasharray="2 2"/>'
    )
    out.append(
        f'<text x="{_num(xa + 3)}" y="{top + 9}" fill="{MUTED}">'
        f"as of {_esc(short_date(scenario.date))}</text>"
    )
    for k, f in enumerate(forecasts):
        colour, dash, marker = _STYLES[k]
        points = [(x(_by(str(e.by))), y(e.p)) for e in f.estimates]
        if len(points) > 1:
            path = " ".join(f"{_num(px)},{_num(py)}" for px, py in points)
            style = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.5"'
                f"{style}/>"
            )
        for e, (px, py) in zip(f.estimates, points, strict=True):
            tip = f"{name(f)}: {round(e.p * 100, 1):g} % by {short_date(str(e.by))}"
            out.append(_marker(marker, px, py, colour, tip))
        lx = left + (k % 2) * (plot_right - left) / 2
        ly = plot_bottom + 30 + 14 * (k // 2)
        out.append(_marker(marker, lx + 4, ly - 3.5, colour, name(f)))
        out.append(f'<text x="{_num(lx + 12)}" y="{_num(ly)}" fill="{INK}">{_esc(name(f))}</text>')
    for j in linked:  # a judgment read against the forecast: a ring, labelled
        assert j.forecast is not None and j.probability is not None
        jx, jy = x(_by(str(j.forecast.by))), y(j.probability)
        tip = (
            f"Key judgment: {round(j.probability * 100, 1):g} % by {short_date(str(j.forecast.by))}"
        )
        out.append(
            f'<circle cx="{_num(jx)}" cy="{_num(jy)}" r="5" fill="none" stroke="{INK}" '
            f'stroke-width="1.4"><title>{_esc(tip)}</title></circle>'
        )
        out.append(
            f'<text x="{_num(jx + 8)}" y="{_num(jy + 3.5)}" fill="{INK}">'
            f"judgment {round(j.probability * 100, 1):g} %</text>"
        )
    out.append(
        f'<line x1="{left}" y1="{_num(plot_bottom)}" x2="{plot_right}" y2="{_num(plot_bottom)}" '
        f'stroke="{MUTED}" stroke-width="0.8"/>'
    )
    out.append("</svg>")
    return Chart("forecast-cumulative", title, alt, "\n".join(out) + "\n")
