"""Consequences for scenarios that fork: what moved in the story, between two revisions.

Owns: projected crossings that moved (the story now reaches a threshold at
another date or in another future), entities that moved to another branch,
and forecast distributions whose median or interval shifted. Reads both
revisions through the fork analysis; must not compare raw fields (``diff``).
"""

from __future__ import annotations

from typing import Any

from ..analysis.analyse import Analysis
from ..analysis.forks import distribution_text
from .records import RANKS, Consequence
from .sides import Scenario

_BRANCHED = (
    ("mechanisms", "Mechanism"),
    ("actors", "Actor"),
    ("forecasts", "Forecast"),
    ("judgments", "Judgment"),
    ("recommendations", "Recommendation"),
)


def fork_consequences(a: Analysis, b: Analysis) -> list[Consequence]:
    """Every fork-related consequence of going from the analysed ``a`` to ``b``."""
    old, new = a.scenario, b.scenario
    return [*_crossings(a, b), *_branches(old, new), *_distributions(old, new)]


def _path(scenario: Scenario, branch: str | None) -> str:
    if branch is None:
        return "every future"
    names = {b.id: b.name for b in scenario.branches}
    return f"the {names.get(branch, branch)} branch"


def _reached(scenario: Scenario, projected: list[dict[str, Any]]) -> str:
    if not projected:
        return "not reached in the story"
    return "; ".join(f"{p['date']} ({_path(scenario, p['branch'])})" for p in projected)


def _crossings(a: Analysis, b: Analysis) -> list[Consequence]:
    old, new = a.scenario, b.scenario
    known = {t.id for t in old.thresholds}
    out = []
    for threshold in new.thresholds:
        if threshold.id not in known:
            continue
        was, now = a.forks.projected(threshold.id), b.forks.projected(threshold.id)
        if was == now:
            continue
        old_text, new_text = _reached(old, was), _reached(new, now)
        out.append(
            Consequence(
                "projection",
                threshold.id,
                old_text,
                new_text,
                f"Threshold '{threshold.name}' in the story: {old_text} → {new_text}",
                rank=RANKS["forecast"],
            )
        )
    return out


def _branches(old: Scenario, new: Scenario) -> list[Consequence]:
    out = []
    for key, noun in _BRANCHED:
        before = {item.id: item for item in getattr(old, key) if getattr(item, "id", None)}
        for item in getattr(new, key):
            was = before.get(getattr(item, "id", None))
            if was is None or was.branch == item.branch:
                continue
            label = getattr(item, "name", None) or getattr(item, "event", None) or item.id
            old_text, new_text = _path(old, was.branch), _path(new, item.branch)
            out.append(
                Consequence(
                    "branch",
                    item.id,
                    was.branch,
                    item.branch,
                    f"{noun} '{label}' moved from {old_text} to {new_text}",
                    rank=RANKS["added-removed"],
                )
            )
    return out


def _distributions(old: Scenario, new: Scenario) -> list[Consequence]:
    out = []
    before = {f.id: f for f in old.forecasts}
    for now in new.forecasts:
        was = before.get(now.id)
        if was is None or was.distribution == now.distribution:
            continue
        old_text = distribution_text(was) or "no distribution"
        new_text = distribution_text(now) or "no distribution"
        out.append(
            Consequence(
                "forecast",
                now.id,
                old_text,
                new_text,
                f"Forecast '{now.event}': {old_text} → {new_text}",
                rank=RANKS["forecast"],
            )
        )
    return out
