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
    return _dice(words(a), words(b))


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


ALL_PAIRS = 10_000
"""Up to this many (old, new) pairs, every pair is scored: the exact best-first matching."""

RARE_WORDS = 4
"""Past :data:`ALL_PAIRS`, each entity proposes the entities that share one of its
this-many rarest words (or, in a timeline, its date) ..."""

MAX_POSTING = 64
"""... skipping a word or date shared by more entities than this: so each entity is
scored against at most ``(RARE_WORDS + 1) × MAX_POSTING`` others on each side, and
matching is O(n log n) however long the lists grow (issue: 4,000 reworded
timeline events took 262 s when every pair was scored)."""


def _greedy(
    name: str, old: list[Any], new: list[Any], olds: list[int], news: list[int], floor: float
) -> list[tuple[int, int]]:
    """Best-first pairs with similarity at least ``floor``; ties broken symmetrically."""
    texts_old = {i: _text(name, old[i]) for i in olds}
    texts_new = {j: _text(name, new[j]) for j in news}
    bags_old = {i: words(t) for i, t in texts_old.items()}
    bags_new = {j: words(t) for j, t in texts_new.items()}
    candidates = []
    for i, j in _candidate_pairs(name, old, new, bags_old, bags_new):
        a, b = old[i], new[j]
        if _both_ids_differ(name, a, b):
            continue
        score = _dice(bags_old[i], bags_new[j])
        timeline = name == "timeline" and isinstance(a, dict) and isinstance(b, dict)
        if timeline and a.get("date") != b.get("date"):
            score -= 0.25  # another date: the words must agree more
        if score >= floor:
            ta, tb = texts_old[i], texts_new[j]
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


def _dice(wa: Counter[str], wb: Counter[str]) -> float:
    total = sum(wa.values()) + sum(wb.values())
    return 1.0 if not total else 2 * sum((wa & wb).values()) / total


def _candidate_pairs(
    name: str,
    old: list[Any],
    new: list[Any],
    bags_old: dict[int, Counter[str]],
    bags_new: dict[int, Counter[str]],
) -> list[tuple[int, int]]:
    """The (old, new) pairs worth scoring: all of them for short lists, else those that
    share a rare word or a date, proposed from both sides so that the set is symmetric."""
    if len(bags_old) * len(bags_new) <= ALL_PAIRS:
        return [(i, j) for i in bags_old for j in bags_new]

    def keys(items: list[Any], bags: dict[int, Counter[str]]) -> dict[int, list[str]]:
        out = {k: [f"w:{w}" for w in bag] for k, bag in bags.items()}
        if name == "timeline":
            for k in out:
                if isinstance(items[k], dict):
                    out[k].append(f"d:{items[k].get('date')}")
        return out

    keys_old, keys_new = keys(old, bags_old), keys(new, bags_new)
    postings_old: dict[str, list[int]] = {}
    postings_new: dict[str, list[int]] = {}
    for i, ks in keys_old.items():
        for k in ks:
            postings_old.setdefault(k, []).append(i)
    for j, ks in keys_new.items():
        for k in ks:
            postings_new.setdefault(k, []).append(j)

    def frequency(k: str) -> int:
        return len(postings_old.get(k, ())) + len(postings_new.get(k, ()))

    def proposals(ks: list[str], postings: dict[str, list[int]]) -> set[int]:
        rare = sorted((k for k in ks if k.startswith("w:")), key=lambda k: (frequency(k), k))
        chosen = [k for k in ks if k.startswith("d:")] + rare[:RARE_WORDS]
        found: set[int] = set()
        for k in chosen:
            hits = postings.get(k, [])
            if len(hits) <= MAX_POSTING:
                found.update(hits)
        return found

    pairs = {(i, j) for i, ks in keys_old.items() for j in proposals(ks, postings_new)}
    pairs |= {(i, j) for j, ks in keys_new.items() for i in proposals(ks, postings_old)}
    return sorted(pairs)


def _both_ids_differ(name: str, a: Any, b: Any) -> bool:
    if name not in TEXT_FIELD or not isinstance(a, dict) or not isinstance(b, dict):
        return False
    return a.get("id") is not None and b.get("id") is not None and a["id"] != b["id"]


def labels(name: str, items: list[Any]) -> list[str]:
    """How a path names each entity of list ``name``: ``swe-bench``, ``2026-03``, ``#2``.

    A timeline entry is named by its date, numbered when several share it; computed for
    the whole list at once, so naming every entry of a long timeline stays linear.
    """
    dates: dict[str, list[int]] = {}
    if name == "timeline":
        for k, item in enumerate(items):
            if isinstance(item, dict):
                dates.setdefault(str(item.get("date", "")), []).append(k)
    field = key_field(name)
    seen: dict[str, int] = {}
    out = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            out.append(f"#{index + 1}")
        elif name == "timeline":
            date = str(item.get("date", ""))
            seen[date] = seen.get(date, 0) + 1
            out.append(date if len(dates[date]) == 1 else f"{date} #{seen[date]}")
        elif name == "compliance":
            text = f"{item.get('actor', '')} {item.get('date', '')}".strip()
            out.append(text or f"#{index + 1}")
        elif field and item.get(field) is not None:
            out.append(str(item[field]))
        else:
            out.append(f"#{index + 1}")
    return out
