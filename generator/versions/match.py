"""Identity: which entity of the old revision is which entity of the new one.

Owns: the rules that pair the entities of two revisions. Id-keyed lists
match by ``id``; observations by ``date``; forecast estimates by ``by``;
changelog entries by ``version``; authors, framework names and verification
methods by their name; judgments and recommendations by their optional
``id``, else by the similarity of their text, so that a reworded judgment is
a change and not a removal plus an addition; timeline entries by date and
text similarity. Matching ignores list order entirely, and is symmetric:
swapping the sides swaps the pairs. Must not compare field values.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

KEY_FIELD = {
    "observations": "date",
    "estimates": "by",
    "changelog": "version",
    "authors": "name",
    "frameworks": "framework",
    "verification": "method",
    "parties": "actor",
    "definitions": "term",
    "ladder": "step",
}
"""Lists whose entities are identified by a field other than ``id``."""

TEXT_FIELD = {
    "judgments": "statement",
    "recommendations": "text",
    "timeline": "event",
    "requires": "duty",
}
"""Lists whose entities may be identified by the similarity of this text field."""

SCALAR_ITEM = {"parties": "actor", "requires": "duty", "covers": "id"}
"""Lists whose items are a scalar or a mapping: the scalar is the mapping's this field
(``parties: [lab-a, {actor: lab-b, joined: …}]``), so that writing out an item's facts
is a change to that item, not one removed and one added."""


def lift(name: str, items: list[Any]) -> list[Any]:
    """``items`` with each scalar item of a mixed list as the mapping it stands for."""
    field = SCALAR_ITEM.get(name)
    if field is None or not any(isinstance(item, dict) for item in items):
        return items
    return [item if isinstance(item, dict) else {field: item} for item in items]


SIMILAR_ENOUGH = 0.5
"""Dice similarity of the words at which two texts are one entity reworded."""

_WORD = re.compile(r"\w+")


def key_field(name: str) -> str | None:
    """The identity field of list ``name`` (``None`` for timeline: date and text)."""
    if name in ("timeline", "compliance"):
        return None
    return KEY_FIELD.get(name, "id")


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORD.findall(text))


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the two texts' word multisets: symmetric, 0 to 1."""
    wa, wb = words(a), words(b)
    total = sum(wa.values()) + sum(wb.values())
    return 1.0 if not total else 2 * sum((wa & wb).values()) / total


def _text(name: str, item: Any) -> str:
    field = TEXT_FIELD.get(name)
    if isinstance(item, dict) and field and isinstance(item.get(field), str):
        return str(item[field])
    return json.dumps(item, sort_keys=True, default=str)


def _key(name: str, item: Any) -> Any:
    if name == "timeline" and isinstance(item, dict):
        return (item.get("date"), item.get("event"))
    if name == "compliance" and isinstance(item, dict):
        return (item.get("actor"), item.get("date"))
    field = key_field(name)
    return item.get(field) if isinstance(item, dict) and field else None


def pair(
    name: str, old: list[Any], new: list[Any]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Match the entities of list ``name``: ``(pairs, removed, added)`` as indexes."""
    pairs: list[tuple[int, int]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    # Same identity key: the entity itself.
    by_key: dict[str, list[int]] = {}
    for j, item in enumerate(new):
        key = _key(name, item)
        if key is not None:
            by_key.setdefault(json.dumps(key, default=str), []).append(j)
    groups: dict[str, list[int]] = {}
    for i, item in enumerate(old):
        key = _key(name, item)
        if key is not None:
            groups.setdefault(json.dumps(key, default=str), []).append(i)
    for key, olds in groups.items():
        news = by_key.get(key, [])
        for i, j in _greedy(name, old, new, olds, news, 0.0):
            pairs.append((i, j))
            used_old.add(i)
            used_new.add(j)
    # Then by similarity, where identity is text (or a key is missing on an invalid side).
    rest_old = [i for i in range(len(old)) if i not in used_old and _by_text(name, old[i])]
    rest_new = [j for j in range(len(new)) if j not in used_new and _by_text(name, new[j])]
    for i, j in _greedy(name, old, new, rest_old, rest_new, SIMILAR_ENOUGH):
        pairs.append((i, j))
        used_old.add(i)
        used_new.add(j)
    removed = [i for i in range(len(old)) if i not in used_old]
    added = [j for j in range(len(new)) if j not in used_new]
    return sorted(pairs, key=lambda p: p[1]), removed, added


def _by_text(name: str, item: Any) -> bool:
    """Whether an unmatched entity may still be matched by its text."""
    if name == "timeline":
        return True
    field = key_field(name)
    if not isinstance(item, dict) or field is None:
        return True
    return item.get(field) is None or (name in TEXT_FIELD and field == "id")


def _greedy(
    name: str, old: list[Any], new: list[Any], olds: list[int], news: list[int], floor: float
) -> list[tuple[int, int]]:
    """Best-first pairs with similarity at least ``floor``; ties broken symmetrically."""
    candidates = []
    for i in olds:
        for j in news:
            a, b = old[i], new[j]
            if _both_ids_differ(name, a, b):
                continue
            ta, tb = _text(name, a), _text(name, b)
            score = similarity(ta, tb)
            timeline = name == "timeline" and isinstance(a, dict) and isinstance(b, dict)
            if timeline and a.get("date") != b.get("date"):
                score -= 0.25  # another date: the words must agree more
            if score >= floor:
                candidates.append((-score, min(ta, tb), max(ta, tb), i, j))
    chosen: list[tuple[int, int]] = []
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    for *_, i, j in sorted(candidates):
        if i not in taken_old and j not in taken_new:
            chosen.append((i, j))
            taken_old.add(i)
            taken_new.add(j)
    return chosen


def _both_ids_differ(name: str, a: Any, b: Any) -> bool:
    if name not in TEXT_FIELD or not isinstance(a, dict) or not isinstance(b, dict):
        return False
    return a.get("id") is not None and b.get("id") is not None and a["id"] != b["id"]


def label(name: str, items: list[Any], index: int) -> str:
    """How a path names entity ``index`` of list ``name``: ``swe-bench``, ``2026-03``, ``#2``."""
    item = items[index]
    if not isinstance(item, dict):
        return f"#{index + 1}"
    if name == "timeline":
        date = str(item.get("date", ""))
        same = [
            k
            for k, other in enumerate(items)
            if isinstance(other, dict) and str(other.get("date", "")) == date
        ]
        return date if len(same) == 1 else f"{date} #{same.index(index) + 1}"
    if name == "compliance":
        return f"{item.get('actor', '')} {item.get('date', '')}".strip() or f"#{index + 1}"
    field = key_field(name)
    if field and item.get(field) is not None:
        return str(item[field])
    return f"#{index + 1}"
