"""Diffs of every scenario under some paths between two revisions (or a revision and the tree).

Owns: ``scenario diff [PATH...] --rev A[..B]``: listing the scenario files at
each side, matching scenarios by their ``id`` so a moved or renamed file is
reported as moved (not removed plus added), and skipping files whose content
is byte-identical without validating them. Must not print.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import GitError
from ..workspace import scenario_files
from . import sides
from .diff import ScenarioDiff, compare
from .git import Repo


def split_range(rev: str | None) -> tuple[str, str | None]:
    """``A..B`` -> (A, B); ``A`` -> (A, None: the working tree); none -> (HEAD, None)."""
    if rev is None:
        return "HEAD", None
    if ".." in rev:
        a, b = rev.split("..", 1)
        return a or "HEAD", b or "HEAD"
    return rev, None


def blob_id(data: bytes) -> str:
    """The id git gives these bytes, so a working-tree file can be compared to a blob unread."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def diff_tree(paths: list[str], rev: str | None, where: Path | None = None) -> list[ScenarioDiff]:
    """One :class:`ScenarioDiff` per scenario under ``paths``, in path order."""
    with Repo(where) as repo:
        a, b = split_range(rev)
        olds = _at_revision(repo, a, paths)
        news = _at_revision(repo, b, paths) if b else _in_tree(repo, paths)
        if not olds and not news:
            where_b = b or "the working tree"
            raise GitError(f"error: no scenario files under {', '.join(paths)} at {a} or {where_b}")
        return _pair_up(olds, news)


def _at_revision(repo: Repo, rev: str, paths: list[str]) -> list[sides.Side]:
    short = repo.short(rev)
    out = []
    for rel, blob in repo.files(rev, [repo.relpath(p) for p in paths]).items():
        raw = repo.object(blob) or b""
        display = repo.display(rel)
        side = sides.from_bytes(raw, f"{rev}:{display}", display, short, validate=False, blob=blob)
        if _is_scenario(side):
            out.append(side)
    return out


def _in_tree(repo: Repo, paths: list[str]) -> list[sides.Side]:
    out = []
    for path in scenario_files([repo.cwd / p for p in paths]):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        display = repo.display(repo.relpath(path))
        side = sides.from_bytes(raw, display, display, validate=False, blob=blob_id(raw))
        if _is_scenario(side):
            out.append(side)
    return out


def _is_scenario(side: sides.Side) -> bool:
    """A YAML file with neither ``format`` nor ``id`` (a CI workflow, say) is not a scenario."""
    return side.data is None or "format" in side.data or "id" in side.data


def _pair_up(olds: list[sides.Side], news: list[sides.Side]) -> list[ScenarioDiff]:
    """Match by ``id`` (a moved file is the same scenario), by path when there is no id."""
    by_id = {s.ident: s for s in olds if s.ident}
    by_path = {s.path: s for s in olds}
    used: set[int] = set()
    out = []
    for new in news:
        old = by_id.get(new.ident) if new.ident else None
        if old is None or id(old) in used:
            candidate = by_path.get(new.path)
            old = candidate if candidate is not None and id(candidate) not in used else None
            if old is not None and old.ident and new.ident and old.ident != new.ident:
                old = None  # same file, another scenario: one removed, one added
        if old is None:
            out.append(_one_sided(new, "added"))
            continue
        used.add(id(old))
        result = compare(old, new)
        if old.path != new.path:
            result.change = "moved"
        out.append(result)
    out += [_one_sided(s, "removed") for s in olds if id(s) not in used]
    return sorted(out, key=lambda d: (d.new_path or d.old_path or "", d.id or ""))


def _one_sided(side: sides.Side, kind: str) -> ScenarioDiff:
    path = side.path
    old, new = (None, path) if kind == "added" else (path, None)
    result = ScenarioDiff(side.ident, kind, old, new)
    if kind == "added":
        result.new_label = side.label
    else:
        result.old_label = side.label
    return result
