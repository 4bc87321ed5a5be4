"""Phrases a document assembles from the data, once for every format.

Owns: how a judgment's belief reads ("likely (55–80 %), 65 %; high
confidence": the term with the range it stands for, the point value as a
percentage, never "p = 0.65", which reads as a p-value), and whether the
judgments of a list share one author (then the list says so once instead of
after every item). Must not format for one output: templates draw the
phrases as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..analysis.analyse import Analysis
from ..analysis.forks import percent
from ..analysis.status import ThresholdStatus
from ..format.model import Judgment


def likelihood_text(analysis: Analysis, judgment: Judgment) -> str:
    """``likely (55–80 %), 65 %; high confidence``; empty when the judgment states none."""
    term = analysis.likelihood(judgment)
    parts = []
    if term is not None:
        parts.append(f"{term.term} ({term.range_text})")
    if judgment.probability is not None:
        parts.append(percent(judgment.probability))
    belief = ", ".join(parts)
    if judgment.confidence:
        belief += f"{'; ' if belief else ''}{judgment.confidence} confidence"
    return belief


def common_author(analysis: Analysis, judgments: Sequence[Judgment]) -> str:
    """The name of the one author of every judgment of a list of two or more, else empty."""
    authors = {j.by for j in judgments}
    author = next(iter(authors)) if len(authors) == 1 else None
    if len(judgments) < 2 or author is None:
        return ""
    names = analysis.actor_names([author])
    return names[0] if names else ""


def common_framework(statuses: Sequence[ThresholdStatus]) -> str:
    """The one framework of a threshold table, named once above it instead of on every
    row: the only framework of two or more of its thresholds, and of most of them, every
    other having none."""
    named = [t for t in statuses if t.threshold.frameworks]
    names = {f.framework for t in named for f in t.threshold.frameworks}
    single = all(len(t.threshold.frameworks) == 1 for t in named)
    most = len(named) > len(statuses) - len(named)  # the rows marked "not from" are fewer
    return next(iter(names)) if len(named) > 1 and most and single and len(names) == 1 else ""


def framework_note(statuses: Sequence[ThresholdStatus]) -> str:
    """``Every threshold below is from RSP v2.2.``, or ``… unless marked otherwise.``"""
    common = common_framework(statuses)
    if not common:
        return ""
    if all(t.threshold.frameworks for t in statuses):
        return f"Every threshold below is from {common}."
    return f"Thresholds from {common} unless marked otherwise."


def framework_labels(status: ThresholdStatus, common: str) -> list[str]:
    """What a threshold's row says of its frameworks, under its name (never in the Level
    cell): ``Anthropic RSP v2.2: Autonomous AI R&D checkpoint``; the label alone when the
    table names the framework once, and ``not from …`` for a row that is not; nothing the
    name already says."""
    name = status.threshold.name
    if common and not status.threshold.frameworks:
        return [f"not from {common}"]
    out = []
    for f in status.threshold.frameworks:
        label = f.label if f.label not in name else ""
        if f.framework != common:
            out.append(f"{f.framework}: {label}" if label else f.framework)
        elif label:
            out.append(label)
    return out
