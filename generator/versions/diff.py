"""The semantic diff of two revisions of a scenario: typed change records.

Owns: the two layers of a diff (README, "Versioning in git"): the
**changes**, entity fields added, removed and changed with their path
(``thresholds[swe-bench-saturated].condition.value``) and old and new values,
long text as a word-level diff; and the **consequences**, which
``consequences`` computes by analysing both sides. Compares canonical data
(``canonical``), matched by identity (``match``), so formatting never shows.
Must not print (see ``show``) or run git (see ``git``).
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import match, sides
from .canonical import canonical
from .consequences import Consequence, consequences

LONG_TEXT = 12
"""Words from which a changed text is shown as a word-level diff."""


@dataclass(frozen=True)
class Change:
    """One entity or field added, removed or changed."""

    kind: str  # "added" | "removed" | "changed"
    path: str  # e.g. thresholds[swe-bench-saturated].condition.value
    old: Any = None
    new: Any = None
    words: tuple[tuple[str, str], ...] = ()  # ("=" | "-" | "+", text) for long text

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "path": self.path}
        if self.kind != "added":
            out["old"] = self.old
        if self.kind != "removed":
            out["new"] = self.new
        if self.words:
            out["words"] = [list(w) for w in self.words]
        return out


@dataclass
class ScenarioDiff:
    """What changed in one scenario between two revisions."""

    id: str | None
    change: str  # "added" | "removed" | "changed" | "moved" | "unchanged" | "skipped"
    old_path: str | None
    new_path: str | None
    changes: list[Change] = field(default_factory=list)
    consequences: list[Consequence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. analysis skipped, with where
    old_label: str | None = None
    new_label: str | None = None

    @property
    def semantic(self) -> bool:
        """Whether anything changed in meaning (a move alone is not a semantic change)."""
        return bool(self.changes) or self.change in ("added", "removed")

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "change": self.change,
            "old_path": self.old_path,
            "new_path": self.new_path,
            "changes": [c.as_dict() for c in self.changes],
            "consequences": [c.as_dict() for c in self.consequences],
            "notes": list(self.notes),
        }


def diff(old: Any, new: Any) -> ScenarioDiff:
    """Compare two revisions of a scenario.

    ``old`` and ``new`` may each be a path, a ``REV:PATH`` string (read from
    git), a :class:`~generator.model.Scenario` or a :class:`~generator.versions.sides.Side`.
    Never raises for a scenario that does not validate: it is compared at the
    data level and its analysis is skipped with a located note. Raises
    :class:`~generator.errors.GitError` for an unknown revision or a path
    missing at one, and outside a repository.
    """
    return compare(_side(old), _side(new))


def _side(value: Any) -> sides.Side:
    if isinstance(value, sides.Side):
        return value
    if isinstance(value, sides.Scenario):
        return sides.from_model(value)
    text = str(value)
    if isinstance(value, str) and ":" in text and not Path(text).exists():
        from .git import Repo

        with Repo() as repo:
            raw, short, _ = repo.read_spec(text)
        return sides.from_bytes(raw, text, text.partition(":")[2], short)
    return sides.from_file(text)


def compare(old: sides.Side, new: sides.Side, known: Any = None) -> ScenarioDiff:
    """The diff of two sides (either may be missing data: an added or removed scenario).

    ``known`` is the analysis of ``new``'s model when the caller already has it.
    """
    if old.blob is not None and old.blob == new.blob:
        return _result(old, new, [], [], [])
    old, new = sides.validated(old), sides.validated(new)
    notes = [_note(s, which) for s, which in ((old, "old"), (new, "new")) if s.errors]
    a = canonical(old.data or {})
    b = canonical(new.data or {})
    changes: list[Change] = []
    _compare("", a, b, changes)
    found = consequences(old.scenario, new.scenario, known) if not notes else []
    return _result(old, new, changes, found, notes)


def _result(
    old: sides.Side,
    new: sides.Side,
    changes: list[Change],
    found: list[Consequence],
    notes: list[str],
) -> ScenarioDiff:
    if old.data is None and not old.diagnostics and new.data is not None:
        kind = "added"
    elif new.data is None and not new.diagnostics and old.data is not None:
        kind = "removed"
    else:
        kind = "changed" if changes else "unchanged"
    return ScenarioDiff(
        new.ident or old.ident,
        kind,
        old.path if old.data is not None or old.diagnostics else None,
        new.path if new.data is not None or new.diagnostics else None,
        changes,
        found,
        notes,
        old.label,
        new.label,
    )


def _note(side: sides.Side, which: str) -> str:
    first = side.errors[0]
    more = len(side.errors) - 1
    extra = f" (and {more} more error{'s' if more > 1 else ''})" if more else ""
    return (
        f"{which} side does not validate, so its analysis was skipped and only its data "
        f"is compared: {first}{extra}"
    )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _compare(path: str, old: Any, new: Any, out: list[Change], name: str = "") -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            sub = _join(path, key)
            if key not in new:
                out.append(Change("removed", sub, old=old[key]))
            elif key not in old:
                out.append(Change("added", sub, new=new[key]))
            else:
                _compare(sub, old[key], new[key], out, key)
    elif isinstance(old, list) and isinstance(new, list):
        _compare_lists(path, name, old, new, out)
    elif old != new:
        out.append(Change("changed", path, old, new, word_diff(old, new)))


def _compare_lists(path: str, name: str, old: list[Any], new: list[Any], out: list[Change]) -> None:
    if not any(isinstance(v, dict) for v in old + new):  # a set of values: order is no change
        for value in _without(old, new):
            out.append(Change("removed", path, old=value))
        for value in _without(new, old):
            out.append(Change("added", path, new=value))
        return
    if name in match.SCALAR_ITEM:
        lifted = match.lift(name, old + new)
        old, new = lifted[: len(old)], lifted[len(old) :]
    pairs, removed, added = match.pair(name, old, new)
    old_labels, new_labels = match.labels(name, old), match.labels(name, new)
    for i, j in pairs:
        _compare(f"{path}[{new_labels[j]}]", old[i], new[j], out)
    for j in added:
        out.append(Change("added", f"{path}[{new_labels[j]}]", new=new[j]))
    for i in removed:
        out.append(Change("removed", f"{path}[{old_labels[i]}]", old=old[i]))


def _without(values: list[Any], other: list[Any]) -> list[Any]:
    """``values`` less one of each value ``other`` holds (a multiset difference, linear)."""
    rest = Counter(_hashable(v) for v in other)
    out = []
    for value in values:
        key = _hashable(value)
        if rest[key]:
            rest[key] -= 1
        else:
            out.append(value)
    return out


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:  # a list inside a list: compared by its canonical JSON
        return ("json", json.dumps(value, sort_keys=True, default=str))
    return value


def word_diff(old: Any, new: Any) -> tuple[tuple[str, str], ...]:
    """``(("=", "same words"), ("-", "old"), ("+", "new"))`` for long text, else empty."""
    if not isinstance(old, str) or not isinstance(new, str):
        return ()
    if old > new:  # diff in one order only, so that swapping the sides mirrors the result
        flip = {"=": "=", "-": "+", "+": "-"}
        mirrored = [(flip[op], text) for op, text in word_diff(new, old)]
        return tuple(_removals_first(mirrored))
    a, b = old.split(" "), new.split(" ")
    if max(len(a), len(b)) < LONG_TEXT:
        return ()
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", " ".join(b[j1:j2])))
    return tuple(out)


def _removals_first(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Within each run of edits, the removed words before the added ones."""
    out: list[tuple[str, str]] = []
    for op, text in ops:
        if op == "-" and out and out[-1][0] == "+":
            out.insert(len(out) - 1, (op, text))
        else:
            out.append((op, text))
    return out
