"""Rules for scenarios that fork: split points, projections and forecast distributions.

Owns: branches forking from each other without a cycle and at most
:data:`MAX_BRANCH_DEPTH` deep, entities of a branch
dated after its split point, a threshold reached twice on one path,
observations dated after the scenario's date (they are projections),
projected values, and the form of a forecast (estimates or a distribution,
its interval in order). Reads raw data defensively, like ``rules``, and skips
a check whose input is itself invalid, so one mistake gives one message. Must
not check references: ``branch``, ``parent`` and ``crosses`` are typed
``ref(...)`` in the model and checked by ``references``.
"""

from __future__ import annotations

from typing import Any

from .checker import Checker, format_path, items, number_of
from .loader import Path_, raw_text
from .model import date_bounds, is_date
from .vocabulary import out_of_range

_AFTER = "after "

MAX_BRANCH_DEPTH = 8
"""How many branches deep a path may fork (a top-level branch is 1). Every document
draws the paths as an indented tree; past this it is not a briefing any more, and the
limit is what keeps each later stage, which walks the tree, within its bounds."""


def _date(value: Any) -> str | None:
    """The author's date text when it is a real date, else None (the schema reports it)."""
    value = raw_text(value)
    return value if is_date(value) else None


def _first(value: str) -> Any:
    return date_bounds(value)[0]


class ForkChecks(Checker):
    """The rules of forks, projections and distributions, mixed into the validator's checker."""

    def check_forks(self) -> None:
        parents = self._branch_parents()
        self._check_branch_cycles(parents)
        self._check_branch_depth(parents)
        self._check_split_points(parents)
        self._check_crossings(parents)
        self._check_projections()
        self._check_observations_after_date()
        self._check_forecast_forms()

    # ---------------------------------------------------------------- branches

    def _branch_parents(self) -> dict[str, tuple[str | None, int]]:
        """Each branch id: its parent's id (None at the top) and its index in the list."""
        out: dict[str, tuple[str | None, int]] = {}
        for index, item in items(self.data, "branches"):
            ident, parent = item.get("id"), item.get("parent")
            if isinstance(ident, str) and ident not in out:
                out[ident] = (parent if isinstance(parent, str) else None, index)
        return out

    def _ancestry(self, parents: dict[str, tuple[str | None, int]], ident: str | None) -> list[str]:
        """``ident`` and the branches it forks from, nearest first; stops at a cycle."""
        chain: list[str] = []
        while ident is not None and ident in parents and ident not in chain:
            chain.append(ident)
            ident = parents[ident][0]
        return chain

    def _check_branch_cycles(self, parents: dict[str, tuple[str | None, int]]) -> None:
        """Each cycle of ``parent`` links once, at its first branch in the file."""
        reported: set[str] = set()
        for ident, (parent, index) in parents.items():
            if parent == ident:
                path = ("branches", index, "parent")
                message = f"{format_path(path)}: branch '{ident}' cannot fork from itself"
                self.error(path, "branch-cycle", message)
                reported.add(ident)
        for ident in parents:
            chain = self._ancestry(parents, ident)
            end = parents[chain[-1]][0] if chain else None
            if end is None or end not in chain or reported & set(chain):
                continue
            cycle = chain[chain.index(end) :]
            reported.update(cycle)
            first = min(cycle, key=lambda b: parents[b][1])
            cycle = cycle[cycle.index(first) :] + cycle[: cycle.index(first)]
            path = ("branches", parents[first][1], "parent")
            loop = " → ".join([*cycle, first])
            self.error(
                path,
                "branch-cycle",
                f"{format_path(path)}: branches fork from each other in a cycle ({loop}); "
                "one of them must fork from the common path or a branch outside the cycle",
            )

    def _check_branch_depth(self, parents: dict[str, tuple[str | None, int]]) -> None:
        """One error, at the first branch in the file that is nested too deep."""
        depth: dict[str, int] = {}
        for start in parents:
            chain: list[str] = []  # walked up without recursion, each branch once overall
            ident: str | None = start
            while ident in parents and ident not in depth and ident not in chain:
                chain.append(ident)
                ident = parents[ident][0]
            below = depth.get(ident, 0) if ident is not None else 0
            if ident in chain:  # a cycle, reported already: give it no depth
                below = 0
            for ident in reversed(chain):
                below += 1
                depth[ident] = below
        deep = [b for b in parents if depth.get(b, 0) > MAX_BRANCH_DEPTH]
        if deep:
            first = min(deep, key=lambda b: parents[b][1])
            path = ("branches", parents[first][1], "parent")
            self.error(
                path,
                "branch-depth",
                f"{format_path(path)}: branch '{first}' is nested {depth[first]} levels deep; "
                f"a path may fork at most {MAX_BRANCH_DEPTH} levels deep",
            )

    def _split(self, branch: Any) -> str | None:
        """The ``from`` date of branch ``branch``, when it has a valid one."""
        item = self.find("branches", branch) if isinstance(branch, str) else None
        return _date(item.get("from")) if item else None

    def _check_split_points(self, parents: dict[str, tuple[str | None, int]]) -> None:
        for ident, (parent, index) in parents.items():
            own, theirs = self._split(ident), self._split(parent)
            if own and theirs and date_bounds(own)[1] < _first(theirs):
                path = ("branches", index, "from")
                self.warn(
                    path,
                    "before-split",
                    f"{format_path(path)}: branch '{ident}' leaves at {own}, before its "
                    f"parent '{parent}' does ({theirs})",
                )
        for i, event in items(self.data, "timeline"):
            self._after_split(("timeline", i), event, "event")
        for i, ind in items(self.data, "indicators"):
            for j, proj in items(ind, "projections"):
                self._after_split(("indicators", i, "projections", j), proj, "projection")

    def _after_split(self, path: Path_, item: dict[str, Any], what: str) -> None:
        branch, date = item.get("branch"), _date(item.get("date"))
        split = self._split(branch)
        if date and split and date_bounds(date)[1] < _first(split):
            self.warn(
                (*path, "date"),
                "before-split",
                f"{format_path(path)}.date: {what} dated {date} comes before its branch "
                f"'{branch}' leaves the common path (from: {split})",
            )

    def _check_crossings(self, parents: dict[str, tuple[str | None, int]]) -> None:
        """A threshold the story reaches once on a path is not reached again later on it."""
        reached: dict[tuple[str | None, str], tuple[str, Path_]] = {}
        timeline = sorted(
            ((i, e, _date(e.get("date"))) for i, e in items(self.data, "timeline")),
            key=lambda x: (_first(x[2]) if x[2] else _first("9999"), x[0]),
        )
        for i, event, date in timeline:
            crosses = event.get("crosses")
            branch = event.get("branch") if isinstance(event.get("branch"), str) else None
            if date is None or not isinstance(crosses, list):
                continue
            lanes = [*self._ancestry(parents, branch), None]
            for j, threshold in enumerate(crosses):
                if not isinstance(threshold, str):
                    continue
                earlier = next(
                    (reached[b, threshold] for b in lanes if (b, threshold) in reached), None
                )
                path = ("timeline", i, "crosses", j)
                if earlier is None:
                    reached[(branch, threshold)] = (date, ("timeline", i))
                    continue
                self.warn(
                    path,
                    "crossed-twice",
                    f"{format_path(path)}: the story already reaches '{threshold}' at "
                    f"{earlier[0]} ({format_path(earlier[1])}) on this path",
                )

    # ------------------------------------------------------------- projections

    def _check_projections(self) -> None:
        for i, ind in items(self.data, "indicators"):
            seen: set[tuple[Any, str]] = set()
            for j, proj in items(ind, "projections"):
                path = ("indicators", i, "projections", j)
                date, branch = _date(proj.get("date")), proj.get("branch")
                if date is not None:
                    key = (branch if isinstance(branch, str) else None, date)
                    if key in seen:
                        self.error(
                            (*path, "date"),
                            "duplicate-projection",
                            f"{format_path(path)}: a second projection dated {date} on the "
                            f"{'common path' if key[0] is None else 'branch ' + repr(key[0])}; "
                            "keep one value per date and path",
                        )
                    seen.add(key)
                value = number_of(proj.get("value"))
                problem = out_of_range(str(ind.get("unit")), value) if value is not None else None
                if problem:
                    self.error(
                        (*path, "value"), "percent-range", f"{format_path(path)}.value: {problem}"
                    )

    def _check_observations_after_date(self) -> None:
        as_of = _date(self.data.get("date"))
        if as_of is None:
            return
        last = date_bounds(as_of)[1]
        for i, ind in items(self.data, "indicators"):
            for j, obs in items(ind, "observations"):
                date = _date(obs.get("date"))
                if date and _first(date) > last:
                    path = ("indicators", i, "observations", j, "date")
                    self.warn(
                        path,
                        "observation-after-date",
                        f"{format_path(path)}: observation dated {date} is after the scenario's "
                        f"date {as_of}, so it is not evidence yet; a value the scenario "
                        "projects belongs under projections",
                    )

    # --------------------------------------------------------------- forecasts

    def _check_forecast_forms(self) -> None:
        for i, item in items(self.data, "forecasts"):
            path = ("forecasts", i)
            has_estimates, dist = "estimates" in item, item.get("distribution")
            if has_estimates and dist is not None:
                self.error(
                    (*path, "distribution"),
                    "forecast-form",
                    f"{format_path(path)}: give estimates or a distribution, not both",
                )
            elif not has_estimates and dist is None:
                self.error(
                    path,
                    "forecast-form",
                    f"{format_path(path)}: a forecast needs estimates (cumulative "
                    "probabilities by date) or a distribution (a median with an interval)",
                )
            if isinstance(dist, dict):
                self._check_distribution((*path, "distribution"), dist)

    def _check_distribution(self, path: Path_, dist: dict[str, Any]) -> None:
        median = _date(dist.get("median"))
        low = _date(dist.get("low"))
        high_text = raw_text(dist.get("high"))
        high = _date(high_text.removeprefix(_AFTER)) if isinstance(high_text, str) else None
        high = high or _date(high_text)
        if median and low and _first(low) > _first(median):
            self.error(
                (*path, "low"),
                "distribution-order",
                f"{format_path(path)}.low: {low} comes after the median {median}",
            )
        if median and high and _first(high) < _first(median):
            self.error(
                (*path, "high"),
                "distribution-order",
                f"{format_path(path)}.high: {high_text} comes before the median {median}",
            )
        interval = dist.get("low") is not None or dist.get("high") is not None
        if interval and dist.get("level") is None:
            self.error(
                path,
                "distribution-level",
                f"{format_path(path)}: an interval needs its probability, e.g. level: 0.8 "
                "for an 80 % interval",
            )
