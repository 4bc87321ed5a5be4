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
