"""The layout of a mechanism's parts on paper: which boxes, in which rows, how tall.

Owns: the boxes each document draws and their reading order, whether a box
has anything to draw (and which would only say "None stated", drawn as one
line instead), the estimated height of each box, and how boxes pair into
rows. Must not write markup: the templates draw each row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..analysis.mechanisms import MechanismState

REPORT_BOXES = (
    "triggers",
    "requires",
    "ladder",
    "actions",
    "verification",
    "parties",
    "duration",
    "conditions",
    "law",
    "fallback",
)
BRIEF_BOXES = (
    "triggers",
    "requires",
    "ladder",
    "verification",
    "parties",
    "duration",
    "conditions",
    "law",
    "fallback",
    "actions",
)
TALL_LINES = 14  # a row of boxes estimated taller than this may be cut across a page
ALONE_LINES = 24  # a box taller than this at half width goes across the page alone


def layout(state: MechanismState, brief: bool) -> tuple[list[BoxRow], bool]:
    """The parts of a mechanism as laid out on paper: rows of boxes, and whether
    its responses follow them as a table.

    A row holds two boxes side by side at one height, or one across the page,
    and is not cut across a page unless it is tall (:data:`TALL_LINES`), so a
    short box stays whole and a long one does not leave half a page empty.
    The boxes keep their reading order (the brief's: what sets a mechanism off,
    how it is checked, who it binds, how it ends, on what conditions and what
    if it fails; the report's: :data:`REPORT_BOXES`); where there is an odd
    number, the one drawn across the page is the one that leaves the least
    empty space beside the shorter box of each row. The brief draws responses
    tied to levels or deadlines as a table across the page below the rows.
    """
    order = BRIEF_BOXES if brief else REPORT_BOXES
    unstated = _unstated(state)
    drawn = [key for key in order if _drawn(state, key, brief) and key not in unstated]
    table = brief and "actions" in drawn and any(x.thresholds or x.deadline for x in state.actions)
    if table:
        drawn.remove("actions")
    lines = {key: _box_lines(state, key, brief) for key in drawn}
    rows = [BoxRow(keys, _height(keys, lines) > TALL_LINES) for keys in _rows(drawn, lines)]
    return rows, table


def unstated_line(state: MechanismState) -> str:
    """``None stated: verification; exit criteria.``: the boxes that would say only
    that, as one line (no run of "None stated" boxes)."""
    words = list(_unstated(state).values())
    return f"None stated: {'; '.join(words)}." if words else ""


@dataclass(frozen=True)
class BoxRow:
    """One row of a mechanism's boxes on paper.

    ``tall``: more than :data:`TALL_LINES` estimated lines (about a quarter of a
    page), which moved whole to the next page would leave that much empty space,
    so it may be cut across a page between list items.
    """

    keys: tuple[str, ...]
    tall: bool


def _height(keys: Sequence[str], lines: dict[str, tuple[float, float]]) -> float:
    """A row's estimated lines: one box across the page, or the taller of two halves."""
    return lines[keys[0]][1] if len(keys) == 1 else max(lines[k][0] for k in keys)


def _rows(keys: list[str], lines: dict[str, tuple[float, float]]) -> list[tuple[str, ...]]:
    """Rows in reading order: a box too tall for half the page (:data:`ALONE_LINES`) goes
    across it alone, since cut across a page beside a short box it leaves an empty frame;
    the boxes between such boxes are paired by :func:`_pair`."""
    rows: list[tuple[str, ...]] = []
    run: list[str] = []
    for key in keys:
        if lines[key][0] > ALONE_LINES:
            rows += _pair(run, lines) if run else []
            rows.append((key,))
            run = []
        else:
            run.append(key)
    return rows + (_pair(run, lines) if run else [])


def _pair(keys: list[str], lines: dict[str, tuple[float, float]]) -> list[tuple[str, ...]]:
    """Rows of two in order; with an odd count, the single (full-width) row that is shortest."""
    if len(keys) % 2 == 0:
        return [tuple(keys[i : i + 2]) for i in range(0, len(keys), 2)]
    best: tuple[float, list[tuple[str, ...]]] | None = None
    for alone in range(0, len(keys), 2):  # the single row keeps the others in adjacent pairs
        before, after = keys[:alone], keys[alone + 1 :]
        rows = [
            *(tuple(before[i : i + 2]) for i in range(0, len(before), 2)),
            (keys[alone],),
            *(tuple(after[i : i + 2]) for i in range(0, len(after), 2)),
        ]
        height = sum(_height(row, lines) for row in rows)
        if best is None or height < best[0]:
            best = (height, rows)
    assert best is not None
    return best[1]


def _box_lines(state: MechanismState, key: str, compact: bool) -> tuple[float, float]:
    """About how many lines a box takes: (at half the page's width, across the page)."""
    mech = state.mechanism
    parts: dict[str, list[Any]] = {
        "triggers": [
            *(f"{t.status.label} {t.level_text} (now {t.status.status})" for t in state.triggers),
            *(limit.status.label for limit in state.limits),
        ],
        "actions": [state.halts_text, *(x.action.action for x in state.actions)],
        "verification": [
            f"{v.method} {'' if compact else v.description or ''} {v.maturity or ''}"
            for v in mech.verification
        ],
        "parties": [
            " · ".join(a.name for a in [*state.parties, *state.declined]),
            state.governance,
        ],
        "duration": [
            state.duration_text,
            *mech.exit_criteria,
            mech.entry_into_force,
            mech.withdrawal,
        ],
        "requires": [f"{d.duty} {d.terms} {' '.join(d.of)}" for d in state.duties],
        "ladder": [
            *(f"{x.step.step} {x.step.response} {x.step.when or ''}" for x in state.ladder),
            " ".join(a.name for a in state.targets),
            *mech.measures,
        ],
        "law": [*(f"{d.term} {d.meaning}" for d in mech.definitions), *mech.penalties],
        "conditions": list(mech.conditions),
        "fallback": [mech.fallback, None if compact else mech.enforcement],
    }
    text = [str(getattr(p, "text", p)) for p in parts[key] if p]
    # About 42 characters to a line in a half-width box, 90 across the page; a
    # box's title and padding take about two lines.
    half = 2 + sum(-(-len(t) // 42) + 0.3 for t in text)
    full = 2 + sum(-(-len(t) // 90) + 0.3 for t in text)
    return half, full


def _unstated(state: MechanismState) -> dict[str, str]:
    """The boxes whose only content would be "none stated" (an explicit ``[]``)."""
    mech = state.mechanism
    out = {}
    if not state.triggers and not state.limits and mech.none_stated("triggered_by"):
        out["triggers"] = "trigger"
    if not mech.verification and mech.none_stated("verification"):
        out["verification"] = "verification"
    ends = [state.duration_text, mech.exit_criteria, mech.entry_into_force, mech.withdrawal]
    if not any(ends) and mech.none_stated("exit_criteria"):
        out["duration"] = "exit criteria"
    return out


def _drawn(state: MechanismState, key: str, compact: bool) -> bool:
    """Whether a mechanism has anything to draw in the box ``key``."""
    mech = state.mechanism
    if key == "actions":
        return bool(state.actions) or state.none_stated("actions") or mech.halts is not None
    if key == "triggers":  # a standing instrument with nothing to trigger says so elsewhere
        return bool(state.triggers or state.limits) or not (mech.requires or mech.ladder)
    if key == "requires":
        return bool(mech.requires)
    if key == "ladder":
        return bool(mech.ladder or mech.targets or mech.measures)
    if key == "law":
        return bool(mech.definitions or mech.penalties)
    if key == "conditions":
        return bool(mech.conditions)
    if key == "fallback":
        return bool(mech.fallback) or (bool(mech.enforcement) and not compact)
    return True
