"""Semantic rules: what a well-formed scenario must also mean.

Owns: dated evidence (observations and assessments: order, one per date and
subject, sources, agreement), ranges, threshold conditions (alert side,
units), forecast monotonicity, branch probabilities, the horizon and
likelihood terms. Reads raw data defensively so that a file with schema
errors still gets these checked. Must not check references.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import did_you_mean
from .checker import Checker, format_path, items, number_of
from .loader import Path_, raw_text
from .model import date_bounds, is_date
from .vocabulary import (
    DEFAULT_SCALE,
    LIKELIHOOD_SCALES,
    OPERATORS,
    alert_on_safe_side,
    out_of_range,
    reading_status,
    rising,
)

_OWN_LABEL = re.compile(r"^[\s*_>#]*(bottom[ -]line|BLUF|summary)\b[\s*_]*[:.—–-]", re.I)


class RuleChecks(Checker):
    """The semantic rules, mixed into the validator's checker."""

    def check_indicators(self) -> None:
        for i, ind in items(self.data, "indicators"):
            unit = ind.get("unit")
            self._check_dated(("indicators", i), ind, "observations", "observation")
            for j, obs in items(ind, "observations"):
                path = ("indicators", i, "observations", j)
                value = number_of(obs.get("value"))
                problem = None
                if isinstance(unit, str) and value is not None:
                    problem = out_of_range(unit, value)
                if problem:
                    self.error(
                        (*path, "value"), "percent-range", f"{format_path(path)}.value: {problem}"
                    )

    def _check_dated(self, path: Path_, parent: dict[str, Any], key: str, noun: str) -> None:
        """Dated evidence in date order, one item per date and subject, each with a source."""
        seen: dict[tuple[str, Any], Path_] = {}
        latest: str | None = None
        for j, item in items(parent, key):
            at = (*path, key, j)
            date = raw_text(item.get("date"))
            if is_date(date):
                subject = item.get("subject")
                if (date, subject) in seen or (subject is None and any(d == date for d, _ in seen)):
                    what = f"of '{subject}' " if subject is not None else ""
                    self.error(
                        (*at, "date"),
                        f"duplicate-{noun}",
                        f"{format_path(at)}: a second {noun} {what}dated {date}; keep one "
                        "per date, or name the subject each one is about",
                    )
                elif latest is not None and date_bounds(date)[0] < date_bounds(latest)[0]:
                    self.error(
                        (*at, "date"),
                        f"{noun}-order",
                        f"{format_path(at)}: {noun}s must be in date order, but {date} "
                        f"comes after {latest}",
                    )
                seen[(date, subject)] = at
                latest = (
                    date
                    if latest is None or date_bounds(date)[0] >= date_bounds(latest)[0]
                    else latest
                )
            if item.get("source") is None:
                self.warn(at, f"unsourced-{noun}", f"{format_path(at)}: {noun} has no source")

    def check_thresholds(self) -> None:
        for i, item in items(self.data, "thresholds"):
            path = ("thresholds", i)
            self._check_dated(path, item, "assessments", "assessment")
            self._check_agreement(path, item)
            condition = item.get("condition")
            if item.get("indicator") is not None and condition is None:
                self.error(
                    path,
                    "missing-condition",
                    f"{format_path(path)}: a threshold with an indicator needs a "
                    "condition, e.g. condition: {op: '>=', value: 90, alert: 80}",
                )
            if condition is not None and item.get("indicator") is None:
                self.error(
                    (*path, "condition"),
                    "condition-without-indicator",
                    f"{format_path(path)}: a condition needs an indicator to test",
                )
            if not isinstance(condition, dict):
                continue
            op, value, alert = (
                condition.get("op"),
                number_of(condition.get("value")),
                number_of(condition.get("alert")),
            )
            if value is None or alert is None or op not in OPERATORS:
                continue
            if not alert_on_safe_side(op, value, alert):
                side = "below" if rising(op) else "above"
                self.error(
                    (*path, "condition", "alert"),
                    "alert-side",
                    f"{format_path(path)}.condition.alert: the early warning {alert:g} "
                    f"must lie {side} the trigger value {value:g} for op '{op}'",
                )
            indicator = self.find("indicators", item.get("indicator"))
            if indicator:
                for name, number in (("value", value), ("alert", alert)):
                    problem = out_of_range(str(indicator.get("unit")), number)
                    if problem:
                        self.error(
                            (*path, "condition", name),
                            "percent-range",
                            f"{format_path(path)}.condition.{name}: {problem}",
                        )

    def _check_agreement(self, path: Path_, threshold: dict[str, Any]) -> None:
        """A reading and an assessment of the same date (and subject) find the same status."""
        condition = threshold.get("condition")
        indicator = self.find("indicators", threshold.get("indicator"))
        if not isinstance(condition, dict) or indicator is None:
            return
        op, value = condition.get("op"), number_of(condition.get("value"))
        if op not in OPERATORS or value is None:
            return
        for j, finding in items(threshold, "assessments"):
            for _, obs in items(indicator, "observations"):
                reading = number_of(obs.get("value"))
                same = raw_text(obs.get("date")) == raw_text(finding.get("date")) and (
                    obs.get("subject") == finding.get("subject")
                    or None in (obs.get("subject"), finding.get("subject"))
                )
                if not same or reading is None:
                    continue
                found = reading_status(reading, op, value, number_of(condition.get("alert")))
                if found != finding.get("status"):
                    at = (*path, "assessments", j, "status")
                    self.warn(
                        at,
                        "assessment-disagrees",
                        f"{format_path(at)}: the assessment finds '{finding.get('status')}' "
                        f"but the reading of the same date ({reading:g}) finds '{found}'; "
                        "the more severe is shown — correct one, or date each as published",
                    )

    def check_forecasts(self) -> None:
        for i, item in items(self.data, "forecasts"):
            previous: tuple[str, float | None] | None = None
            for j, est in items(item, "estimates"):
                path = ("forecasts", i, "estimates", j)
                by, p = est.get("by"), number_of(est.get("p"))
                p = p if p is not None and 0 <= p <= 1 else None  # out of range: reported once
                by = getattr(by, "raw", by)
                if not is_date(by):
                    continue
                if previous is not None:
                    if date_bounds(str(by))[0] <= date_bounds(previous[0])[0]:
                        self.error(
                            (*path, "by"),
                            "forecast-order",
                            f"{format_path(path)}.by: dates must strictly increase, "
                            f"but {by} follows {previous[0]}",
                        )
                    elif p is not None and previous[1] is not None and p < previous[1]:
                        self.error(
                            (*path, "p"),
                            "forecast-decreasing",
                            f"{format_path(path)}.p: cumulative probability falls from "
                            f"{previous[1]:g} to {p:g}; by a later date it can only "
                            "stay or rise",
                        )
                previous = (str(by), p)

    def check_branches(self) -> None:
        total = 0.0
        for _, item in items(self.data, "branches"):
            p = number_of(item.get("probability"))
            total += p if p is not None and 0 <= p <= 1 else 0
        if total > 1 + 1e-9:
            self.error(
                ("branches",),
                "branch-sum",
                f"branches: probabilities add up to {total:g}, more than 1",
            )

    def check_source_dates(self) -> None:
        """A source published after the scenario's date could not have informed it, unless
        it is cited for facts that held by then (``retrospective: true``)."""
        date = getattr(self.data.get("date"), "raw", self.data.get("date"))
        if not is_date(date):
            return
        last = date_bounds(str(date))[1]
        for i, item in items(self.data, "sources"):
            when = getattr(item.get("date"), "raw", item.get("date"))
            if not is_date(when) or item.get("retrospective") is True:
                continue
            if date_bounds(str(when))[0] > last:
                path = ("sources", i, "date")
                self.warn(
                    path,
                    "source-after-date",
                    f"{format_path(path)}: source '{item.get('id')}' is dated {when}, after the "
                    f"scenario's date {date}; date the scenario later, or write retrospective: "
                    "true if it is cited for facts that held by then",
                )

    def check_summary_label(self) -> None:
        """The documents print "Bottom line." before the summary: it must not say it again."""
        summary = self.data.get("summary")
        if isinstance(summary, str) and _OWN_LABEL.match(summary):
            label = _OWN_LABEL.match(summary).group(1)  # type: ignore[union-attr]
            self.warn(
                ("summary",),
                "summary-label",
                f"summary: starts with '{label}', which every document prints before it; remove it",
            )

    def check_horizon(self) -> None:
        horizon = self.data.get("horizon")
        if not isinstance(horizon, dict):
            return
        start, end = (getattr(horizon.get(k), "raw", horizon.get(k)) for k in ("start", "end"))
        if not (is_date(start) and is_date(end)):
            return
        first, last = date_bounds(str(start))[0], date_bounds(str(end))[1]
        if first > last:
            self.error(
                ("horizon", "end"),
                "horizon-order",
                f"horizon: end {end} comes before start {start}",
            )
            return

        def inside(path: Path_, value: Any, what: str) -> None:
            value = getattr(value, "raw", value)
            if is_date(value) and not first <= date_bounds(value)[0] <= last:
                self.warn(
                    path,
                    "outside-horizon",
                    f"{format_path(path)}: {what} dated {value} lies outside the "
                    f"horizon {start}–{end}",
                )

        # The horizon is what the story covers: evidence may precede it, forecasts pass it.
        for i, item in items(self.data, "timeline"):
            inside(("timeline", i, "date"), item.get("date"), "event")
        for i, ind in items(self.data, "indicators"):
            for j, proj in items(ind, "projections"):
                path = ("indicators", i, "projections", j, "date")
                inside(path, proj.get("date"), "projection")

    def check_judgments(self) -> None:
        scale_name = self.data.get("likelihood_scale", DEFAULT_SCALE)
        scale = LIKELIHOOD_SCALES.get(scale_name) if isinstance(scale_name, str) else None
        for i, item in items(self.data, "judgments"):
            path = ("judgments", i)
            term, p = item.get("likelihood"), number_of(item.get("probability"))
            if scale is not None and isinstance(term, str):
                if term not in scale:
                    other = [
                        n for n, s in LIKELIHOOD_SCALES.items() if term in s and n != scale_name
                    ]
                    hint = did_you_mean(term, scale) or (
                        f" (it belongs to the {other[0]} scale; set likelihood_scale: {other[0]})"
                        if other
                        else f" (terms: {', '.join(scale)})"
                    )
                    self.error(
                        (*path, "likelihood"),
                        "unknown-likelihood",
                        f"{format_path(path)}.likelihood: '{term}' is not a term of the "
                        f"{scale_name} scale{hint}",
                    )
                elif p is not None and 0 <= p <= 1:
                    low, high = scale[term]
                    if not low - 1e-9 <= p <= high + 1e-9:
                        self.error(
                            (*path, "probability"),
                            "likelihood-mismatch",
                            f"{format_path(path)}.probability: {p:g} disagrees with "
                            f"'{term}', which means {low:.0%}–{high:.0%} on the "
                            f"{scale_name} scale",
                        )
            link = item.get("forecast")
            if isinstance(link, dict):
                self._check_forecast_link(path, link, p)
            if not item.get("sources"):
                self.warn(
                    path, "unsourced-judgment", f"{format_path(path)}: judgment has no source"
                )

    def _check_forecast_link(self, path: Path_, link: dict[str, Any], p: float | None) -> None:
        """A judgment drawn on a forecast's chart: it needs a probability, and the forecast
        cumulative estimates to read it against (a distribution has none)."""
        where = f"{format_path(path)}.forecast"
        if p is None:
            self.error(
                (*path, "forecast"),
                "forecast-link",
                f"{where}: the judgment needs a probability to be read against forecast "
                f"'{link.get('id')}'",
            )
        forecasts = {f.get("id"): f for _, f in items(self.data, "forecasts")}
        target = forecasts.get(link.get("id"))
        if isinstance(target, dict) and not target.get("estimates"):
            self.error(
                (*path, "forecast", "id"),
                "forecast-link",
                f"{where}.id: forecast '{link.get('id')}' gives a distribution, not cumulative "
                "estimates; a judgment's probability is read only against estimates",
            )
