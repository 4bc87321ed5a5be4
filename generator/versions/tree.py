"""Diffs of every scenario under some paths between two revisions (or a revision and the tree).

Owns: ``scenario diff [PATH...] --rev A[..B]``: listing the scenario files at
each side, matching scenarios by their ``id`` so a moved or renamed file is
reported as moved (not removed plus added), and skipping files whose content
is byte-identical without validating them. Must not print.
"""

from __future__ import annotations

import hashlib
import os
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
        skipped: list[ScenarioDiff] = []
        olds = _at_revision(repo, a, paths)
        if b is None and repo.bare:
            raise GitError(
                f"error: {repo.root} is a bare repository, with no working tree to compare; "
                f"give two revisions: --rev {a}..HEAD"
            )
        news = _at_revision(repo, b, paths) if b else _in_tree(repo, paths, skipped)
        if not olds and not news:
            where_b = b or "the working tree"
            raise GitError(f"error: no scenario files under {', '.join(paths)} at {a} or {where_b}")
        diffs = _pair_up(olds, news) + skipped
        return sorted(diffs, key=lambda d: (d.new_path or d.old_path or "", d.id or ""))


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


def _in_tree(repo: Repo, paths: list[str], skipped: list[ScenarioDiff]) -> list[sides.Side]:
    """The scenario files of the working tree. One that cannot be compared — a link out of
    the repository, a file in a submodule, an unreadable file — is a ``skipped`` entry
    with its reason, and the others are compared as usual."""
    out = []
    for path in scenario_files([repo.cwd / p for p in paths]):
        if not path.is_file():
            continue
        shown = os.path.relpath(path, repo.cwd)
        try:
            rel = repo.relpath(path)
            raw = path.read_bytes()
        except GitError:
            skipped.append(_skipped(shown, "it leads outside the repository"))
            continue
        except OSError as exc:
            skipped.append(_skipped(shown, f"cannot read it: {exc.strerror or exc}"))
            continue
        module = _submodule(repo.root, rel)
        if module is not None:  # its history is the submodule's: never "added" here
            skipped.append(_skipped(shown, f"it is in the submodule {module}; diff it there"))
            continue
        display = repo.display(rel)
        side = sides.from_bytes(raw, display, display, validate=False, blob=blob_id(raw))
        if _is_scenario(side):
            out.append(side)
    return out


def _skipped(path: str, reason: str) -> ScenarioDiff:
    return ScenarioDiff(None, "skipped", None, path, notes=[reason])


def _submodule(root: Path, rel: str) -> str | None:
    """The folder of the nested repository (a submodule) that holds ``rel``, if any."""
    parts = rel.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        folder = "/".join(parts[:depth])
        if (root / folder / ".git").exists():
            return folder
    return None


def _is_scenario(side: sides.Side) -> bool:
    """A YAML file with neither ``format`` nor ``id`` (a CI workflow, say) is not a scenario."""
    return side.data is None or "format" in side.data or "id" in side.data


def _pair_up(olds: list[sides.Side], news: list[sides.Side]) -> list[ScenarioDiff]:
    """Match by path and ``id`` first (the file itself), then by ``id`` (a moved file is the
    same scenario), then by path when there is no id. So a copy that keeps its original's
    id is the file added, never the original moved."""
    by_id = {s.ident: s for s in reversed(olds) if s.ident}
    by_path = {s.path: s for s in olds}
    used: set[int] = set()
    matched: dict[int, sides.Side] = {}
    for k, new in enumerate(news):  # the same file, the same scenario
        old = by_path.get(new.path)
        if old is not None and new.ident and old.ident == new.ident:
            matched[k] = old
            used.add(id(old))
    out = []
    for k, new in enumerate(news):
        old = matched.get(k)
        if old is None and new.ident:
            candidate = by_id.get(new.ident)
            old = candidate if candidate is not None and id(candidate) not in used else None
        if old is None:
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
    return out


def _one_sided(side: sides.Side, kind: str) -> ScenarioDiff:
    path = side.path
    old, new = (None, path) if kind == "added" else (path, None)
    result = ScenarioDiff(side.ident, kind, old, new)
    if kind == "added":
        result.new_label = side.label
    else:
        result.old_label = side.label
    return result
