"""Analyse stage, forks: how the story unfolds, path by path, computed once from the data.

Owns: the common path and one lane per branch (a nested branch right after its
parent, siblings by split date then file order), each lane's events in date
order whatever the file's order; which events are projected (dated after the
scenario's date); the story's projected crossings of each threshold and its
projected indicator values, per path; what belongs to each branch; and how a
forecast's distribution reads ("median 2030 (80 %: 2026–2050)"). Projections
are story, not evidence: nothing here changes a threshold's status (that is
``analyse``'s job). Must not format for a particular output beyond these
plain-text phrases.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..format.dates import short_date
from ..format.model import (
    Branch,
    Forecast,
    Indicator,
    Projection,
    Scenario,
    Threshold,
    TimelineEvent,
    date_bounds,
)

_OPEN = "after "


def _start(date: str) -> _dt.date:
    """First day a date (or an ``after YYYY`` bound) stands for, for sorting."""
    return date_bounds(date.removeprefix(_OPEN))[0]


def _lowered(name: str) -> str:
    """``race ending`` from ``Race ending``; ``US–China deal`` keeps its capitals."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def percent(p: float) -> str:
    """``80 %`` from 0.8, ``2.5 %`` from 0.025."""
    return f"{p * 100:.3g} %"


@dataclass(frozen=True)
class Crossing:
    """The story reaches a threshold at a date, on the common path or in a branch."""

    threshold: Threshold
    date: str
    branch: Branch | None
    event: TimelineEvent


# A label at the start of an event's text that says when it happens: "Mid-2030: …",
# "Late 2025: …", "October 2027: …", "2030: …".
_DATE_LABEL = re.compile(
    r"(?P<label>(?:(?:Early|Mid|Late|End of|Spring|Summer|Autumn|Fall|Winter|January|February"
    r"|March|April|May|June|July|August|September|October|November|December)[- ])?"
    r"(?P<year>\d{4}))\s*:\s+(?=\S)",
    re.I,
)


def date_label(event: TimelineEvent) -> tuple[str | None, str]:
    """When an event's text says its own date (``Mid-2030: Consensus-1 …``) and that date
    lies in the year the event is dated, the label to print as its date (``Mid-2030``) and
    the text without it (``Consensus-1 …``); else ``None`` and the text as written. A date
    is then never said twice ("2030 — Mid-2030: …")."""
    match = _DATE_LABEL.match(event.event)
    if not match or match.group("year") != str(event.date)[:4]:
        return None, event.event
    rest = event.event[match.end() :]
    label = match.group("label")
    return label[:1].upper() + label[1:], rest[:1].upper() + rest[1:]


@dataclass(frozen=True)
class LaneEvent:
    """A timeline event in its lane: projected when dated after the scenario's date."""

    event: TimelineEvent
    projected: bool
    crosses: list[Threshold]

    @property
    def when(self) -> str | None:
        """The date its own text gives (``Mid-2030``), printed instead of the event's date."""
        return date_label(self.event)[0]

    @property
    def text(self) -> str:
        """Its text, without a leading date label the date column already says."""
        return date_label(self.event)[1]

    @property
    def mark(self) -> str:
        """How a future event is marked: ``scheduled`` (a date fixed by law or agreement)
        or ``projected`` (the story's); empty for an event on or before the date."""
        if not self.projected:
            return ""
        return "scheduled" if self.event.scheduled else "projected"


@dataclass
class Lane:
    """The common path (``branch`` None) or one branch, with what happens only there."""

    branch: Branch | None
    depth: int
    events: list[LaneEvent]
    parent: Lane | None = None
    entities: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def id(self) -> str | None:
        return self.branch.id if self.branch else None

    @property
    def name(self) -> str:
        return self.branch.name if self.branch else "Common path"

    @property
    def label(self) -> str:
        """``In the slowdown ending``; ``In the deal ending (within the race ending)``."""
        if self.branch is None:
            return ""
        text = f"In the {_lowered(self.branch.name)}"
        if self.parent is not None and self.parent.branch is not None:
            text += f" (within the {_lowered(self.parent.branch.name)})"
        return text

    @property
    def probability(self) -> str:
        """The branch's probability as printed, or ``not stated``."""
        p = self.branch.probability if self.branch else None
        return "not stated" if p is None else percent(p)

    @property
    def split(self) -> str | None:
        return self.branch.from_ if self.branch else None

    @property
    def crossings(self) -> list[tuple[LaneEvent, Threshold]]:
        return [(e, t) for e in self.events for t in e.crosses]

    @property
    def key_events(self) -> list[LaneEvent]:
        """What a brief tells of a lane: its first event, those that cross a threshold, its last."""
        if not self.events:
            return []
        keep = {id(self.events[0]), id(self.events[-1])}
        keep |= {id(e) for e in self.events if e.crosses}
        return [e for e in self.events if id(e) in keep]

    def of(self, kind: str) -> list[Any]:
        """The mechanisms, actors, forecasts, judgments or recommendations of this branch."""
        return self.entities.get(kind, [])


@dataclass(frozen=True)
class Milestone:
    """A threshold the story reaches or the forecasts date: story dates beside forecasts."""

    threshold: Threshold
    crossings: list[Crossing]
    forecasts: list[Forecast]


@dataclass
class Forks:
    """The scenario's paths: the common one, then each branch in tree order."""

    scenario: Scenario
    common: Lane
    lanes: list[Lane]
    _crossings: dict[str, list[Crossing]]
    _by_id: dict[str | None, Lane] = field(init=False, repr=False)
    _children: dict[int, list[Lane]] = field(init=False, repr=False)

    def __post_init__(self) -> None:  # looked up per lane by every template: indexed once
        self._by_id = {}
        self._children = {}
        for lane in self.lanes:
            self._by_id.setdefault(lane.id, lane)
            if lane.parent is not None:
                self._children.setdefault(id(lane.parent), []).append(lane)

    @property
    def has_branches(self) -> bool:
        return bool(self.lanes)

    @property
    def split(self) -> str | None:
        """The earliest date at which a branch leaves the common path."""
        dates = [lane.split for lane in self.lanes if lane.depth == 1 and lane.split]
        return min(dates, key=_start) if dates else None

    @property
    def top(self) -> list[Lane]:
        """The branches that leave the common path (not nested ones)."""
        return [lane for lane in self.lanes if lane.depth == 1]

    def children(self, lane: Lane) -> list[Lane]:
        return self._children.get(id(lane), [])

    def remainder(self, parent: Lane | None = None) -> str:
        """``other outcomes: 5 %, not described`` when the branches leaving ``parent`` (the
        common path for ``None``) all state a probability and they sum to less than 1, so
        that a reader does not take the gap for an error of arithmetic; else empty."""
        share = self.rest_share(parent)
        return f"other outcomes: {share}, not described" if share else ""

    def rest_share(self, parent: Lane | None = None) -> str:
        """``5 %``: what the branches leaving ``parent`` leave undescribed (else empty)."""
        group = self.top if parent is None else self.children(parent)
        stated = [lane.branch.probability for lane in group if lane.branch]
        if not group or any(p is None for p in stated):
            return ""
        rest = 1 - sum(p for p in stated if p is not None)
        return percent(rest) if rest >= 0.005 else ""

    def lane(self, branch: str | None) -> Lane:
        return self._by_id.get(branch, self.common) if branch is not None else self.common

    def label(self, entity: Any) -> str:
        """``In the slowdown ending`` for an entity of a branch; empty for every future."""
        branch = getattr(entity, "branch", None)
        return self.lane(branch).label if branch else ""

    def branch_name(self, branch: str | None) -> str:
        return self.lane(branch).name if branch else ""

    def crossings(self, threshold: str) -> list[Crossing]:
        """When the story reaches ``threshold``, per path, in date order."""
        return self._crossings.get(threshold, [])

    def projected(self, threshold: str) -> list[dict[str, str | None]]:
        """``[{"date": "2027-03", "branch": None}]``: ``projected`` in ``scenario status``."""
        return [
            {"date": c.date, "branch": c.branch.id if c.branch else None}
            for c in self.crossings(threshold)
        ]

    @property
    def any_crossings(self) -> bool:
        return any(self._crossings.values())

    def projections(self, indicator: Indicator) -> list[tuple[Lane, list[Projection]]]:
        """An indicator's projected values per path (common first), each in date order."""
        out = []
        for lane in [self.common, *self.lanes]:
            values = [p for p in indicator.projections if p.branch == lane.id]
            if values:
                out.append((lane, sorted(values, key=lambda p: _start(p.date))))
        return out

    @property
    def milestones(self) -> list[Milestone]:
        """Thresholds the story reaches or forecasts date, in the order of the thresholds."""
        out = []
        for threshold in self.scenario.thresholds:
            forecasts = [f for f in self.scenario.forecasts if f.threshold == threshold.id]
            crossings = self.crossings(threshold.id)
            if crossings or forecasts:
                out.append(Milestone(threshold, crossings, forecasts))
        return out

    @property
    def distributions(self) -> list[Forecast]:
        return [f for f in self.scenario.forecasts if f.distribution is not None]

    # the phrases below, as methods so templates can call them ------------------------
    def distribution(self, forecast: Forecast) -> str:
        return distribution_text(forecast)

    def estimates(self, forecast: Forecast) -> str:
        return estimates_text(forecast)

    def summary(self, forecasts: list[Forecast]) -> str:
        """Several forecasts of one event in one line: distributions, then cumulative ones."""
        parts = [medians_text(forecasts)] + [estimates_text(f) for f in forecasts if f.estimates]
        return "; ".join(p for p in parts if p)

    @property
    def last_common(self) -> LaneEvent | None:
        """The common path's last event on or before the split: where the story forks."""
        events = self.common.events
        if self.split is not None:
            end = date_bounds(self.split)[1]
            events = [e for e in events if _start(e.event.date) <= end]
        return events[-1] if events else None


def distribution_text(forecast: Forecast) -> str:
    """``median 2030 (80 %: 2026–2050)``; ``median 2033 (80 %: 2027 to after 2050)``."""
    dist = forecast.distribution
    if dist is None:
        return ""
    text = f"median {short_date(dist.median)}"
    low, high = dist.low, dist.high
    if low is None and high is None:
        return text
    level = f"{percent(dist.level)}: " if dist.level is not None else ""
    if low is not None and high is not None:
        years = len(low) == 4 and len(high) == 4
        low, high = short_date(low), short_date(high)
        span = f"{low}–{high}" if years else f"{low} to {high}"
    else:
        span = f"from {short_date(low)}" if low is not None else f"by {short_date(high or '')}"
    return f"{text} ({level}{span})"


def estimates_text(forecast: Forecast) -> str:
    """``40 % by 2029, 70 % by 2031``: cumulative estimates in one line."""
    return ", ".join(f"{percent(e.p)} by {short_date(e.by)}" for e in forecast.estimates)


def medians_text(forecasts: list[Forecast]) -> str:
    """One line for several distributions of one event: ``3 forecasts: medians 2027 to 2033``."""
    dists = [f for f in forecasts if f.distribution is not None]
    if len(dists) == 1:
        return distribution_text(dists[0])
    if not dists:
        return ""
    medians = sorted((f.distribution.median for f in dists if f.distribution), key=_start)
    first, last = short_date(medians[0]), short_date(medians[-1])
    spread = first if first == last else f"{first} to {last}"
    return f"{len(dists)} forecasts: medians {spread}"


def _tree(branches: list[Branch]) -> list[tuple[Branch, int, Branch | None]]:
    """Branches in tree order: each with its depth and parent, siblings by split date.

    Walked with a stack, each branch once: linear in the branches however they nest.
    """
    by_id = {b.id: b for b in reversed(branches)}  # the first of an id, as validation keeps
    children: dict[str | None, list[Branch]] = {}
    for b in branches:
        children.setdefault(b.parent if b.parent in by_id else None, []).append(b)
    for level in children.values():
        level.sort(key=lambda b: _start(b.from_) if b.from_ else _dt.date.max)
    out: list[tuple[Branch, int, Branch | None]] = []
    seen: set[str] = set()
    stack = [(b, 1) for b in reversed(children.get(None, []))]
    while stack:
        b, depth = stack.pop()
        if b.id in seen:  # a cycle or a repeated id (both validation errors): once
            continue
        seen.add(b.id)
        out.append((b, depth, by_id.get(b.parent) if b.parent else None))
        stack += [(k, depth + 1) for k in reversed(children.get(b.id, []))]
    return out


def analyse_forks(scenario: Scenario) -> Forks:
    """The paths of a valid scenario: lanes, projected crossings, what belongs where."""
    thresholds = {t.id: t for t in scenario.thresholds}
    last_day = date_bounds(scenario.date)[1]
    timeline = sorted(enumerate(scenario.timeline), key=lambda x: (_start(x[1].date), x[0]))

    events: dict[str | None, list[LaneEvent]] = {}  # by branch, each list in date order
    for _, e in timeline:
        crossed = [thresholds[t] for t in e.crosses if t in thresholds]
        events.setdefault(e.branch, []).append(LaneEvent(e, _start(e.date) > last_day, crossed))
    kinds = ("mechanisms", "actors", "forecasts", "judgments", "recommendations")
    entities: dict[tuple[str, str | None], list[Any]] = {}
    for kind in kinds:
        for x in getattr(scenario, kind):
            entities.setdefault((kind, x.branch), []).append(x)

    common = Lane(None, 0, events.get(None, []))
    lanes: dict[str, Lane] = {}
    for branch, depth, parent in _tree(scenario.branches):
        lane = Lane(
            branch, depth, events.get(branch.id, []), lanes.get(parent.id) if parent else None
        )
        for kind in kinds:
            lane.entities[kind] = entities.get((kind, branch.id), [])
        lanes[branch.id] = lane

    crossings: dict[str, list[Crossing]] = {}
    for _, event in timeline:
        on: Branch | None = lanes[event.branch].branch if event.branch in lanes else None
        for ident in event.crosses:
            if ident in thresholds:
                crossings.setdefault(ident, []).append(
                    Crossing(thresholds[ident], event.date, on, event)
                )
    return Forks(scenario, common, list(lanes.values()), crossings)


def projected_crossings(scenario: Scenario) -> dict[str, list[dict[str, str | None]]]:
    """For ``scenario status``: each threshold id with its ``projected`` list (possibly empty)."""
    forks = analyse_forks(scenario)
    return {t.id: forks.projected(t.id) for t in scenario.thresholds}
