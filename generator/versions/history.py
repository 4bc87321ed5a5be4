"""A scenario's history for its documents: baseline, "what changed", changelog annex, date.

Owns: choosing the baseline revision (``--since REV``, else the newest tag
matching ``baseline`` in scenario.toml, else the last commit whose ``version``
differs from the current one), the :class:`Changes` a template shows, the
changelog annex merged with the file's git history, and the commit time that
dates a document when ``SOURCE_DATE_EPOCH`` is not set. Outside git, or with
no earlier version, there is no baseline and no section (never "nothing
changed" when nothing is known). Must not render.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..format.model import date_bounds
from . import sides
from .diff import compare
from .git import Repo, find_repo

BRIEF_BULLETS = 5
"""At most this many highlights in a brief (the report lists them all)."""


@dataclass(frozen=True)
class Baseline:
    """The revision a document's "what changed" section compares against."""

    sha: str
    short: str
    path: str  # the file's path from the repository root at that revision
    version: str | None


@dataclass(frozen=True)
class Changes:
    """What a template shows: ``since``, the brief's ``highlights``, the report's ``all``."""

    since: str  # "version 0.4 (rev 3f2a9c1)"
    highlights: list[str]
    all: list[str]
    changelog: list[tuple[str, str, str]] = field(default_factory=list)  # date, what, summary


def _version(repo: Repo, sha: str, rel: str) -> tuple[bool, str | None]:
    raw = repo.read(sha, rel)
    if raw is None:
        return False, None
    side = sides.from_bytes(raw, rel, rel, validate=False)
    value = (side.data or {}).get("version")
    return True, None if value is None else str(sides.raw_text(value))


def find_baseline(
    path: Path, current: str | None, pattern: str | None = None, since: str | None = None
) -> Baseline | None:
    """The baseline revision of the scenario at ``path`` (whose version is ``current``)."""
    repo = find_repo(path.resolve().parent)
    if repo is None:
        return None
    with repo:
        rel = repo.relpath(path.resolve())
        history = repo.history(rel)
        names = {c.sha: c.path for c in history}
        candidates = [since] if since else repo.tags(pattern) if pattern else []
        for rev in candidates:
            sha = repo.commit(rev)
            at = names.get(sha, rel)
            found, version = _version(repo, sha, at)
            if found:
                return Baseline(sha, sha[:7], at, version)
        if since or pattern:
            return None
        for commit in history:
            found, version = _version(repo, commit.sha, commit.path)
            if found and version != current:
                return Baseline(commit.sha, commit.short, commit.path, version)
    return None


def baseline_revision(
    path: Path, current: str | None, pattern: str | None = None, since: str | None = None
) -> str | None:
    """The baseline's commit id, for the build's content key (``None`` without one)."""
    found = find_baseline(path, current, pattern, since)
    return found.sha if found else None


def changes_since(
    path: Path, scenario: sides.Scenario, pattern: str | None = None, since: str | None = None
) -> Changes | None:
    """What changed in ``scenario`` (read from ``path``) since its baseline, or ``None``."""
    base = find_baseline(path, scenario.version, pattern, since)
    if base is None:
        return None
    with Repo(path.resolve().parent) as repo:
        raw = repo.read(base.sha, base.path) or b""
        history = repo.history(repo.relpath(path.resolve()))
    old = sides.from_bytes(raw, f"{base.short}:{base.path}", base.path, base.short)
    result = compare(old, sides.from_model(scenario))
    if not result.changes:
        return None  # the same content: there is nothing to report
    shown = [c for c in result.consequences if c.kind not in ("warning", "scenario")]
    edits = [f"{len(result.changes)} edits to the text; no status, judgment or forecast moved"]
    label = f"version {base.version} (rev {base.short})" if base.version else f"rev {base.short}"
    annex = sorted(
        [(c.date, f"v{c.version}", c.summary) for c in scenario.changelog]
        + [(c.date, f"rev {c.short}", c.subject) for c in history]
    )
    return Changes(
        label,
        [c.text for c in shown[:BRIEF_BULLETS]] or edits,
        [c.text for c in result.consequences] or edits,
        annex,
    )


@dataclass(frozen=True)
class LogEntry:
    """One line of the report's changelog annex: an author's entry or a commit of the file."""

    date: str
    label: str  # "v1.2" for a changelog entry, "rev 3f2a9c1" for a commit
    summary: str  # Markdown for a changelog entry, plain text for a commit subject
    commit: bool
    time: int = 0  # a commit's time, so that commits of one day keep their order


def changelog(path: Path | None, scenario: sides.Scenario) -> list[LogEntry]:
    """The scenario's ``changelog:`` merged with the file's git history, oldest first.

    Ordered by date, then the author's entries before the commits of that day
    (in commit order), then by label, so the annex is the same on every run for
    the same checkout.
    """
    entries = [LogEntry(c.date, f"v{c.version}", c.summary, False) for c in scenario.changelog]
    repo = find_repo(path.resolve().parent) if path is not None else None
    if repo is not None:
        with repo:
            entries += [
                LogEntry(c.date, f"rev {c.short}", c.subject, True, c.time)
                for c in repo.history(repo.relpath(path.resolve()))
            ]
    return sorted(entries, key=lambda e: (e.date, e.commit, e.time, e.label))


def commit_time(path: Path) -> int | None:
    """Commit time of the last commit of ``path`` when it is committed and unchanged since."""
    repo = find_repo(path.resolve().parent)
    if repo is None:
        return None
    with repo:
        rel = repo.relpath(path.resolve())
        history = repo.history(rel)
        if not history or repo.is_dirty(rel):
            return None
        return history[0].time


def source_date(scenario: sides.Scenario, path: Path | None = None) -> _dt.datetime:
    """The document date: ``SOURCE_DATE_EPOCH``, else the commit time of ``path``, else the
    scenario date, so that rebuilding an old commit later gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.UTC)
    committed = commit_time(path) if path is not None else None
    if committed is not None:
        return _dt.datetime.fromtimestamp(committed, tz=_dt.UTC)
    day = date_bounds(scenario.date)[0]
    return _dt.datetime(day.year, day.month, day.day, tzinfo=_dt.UTC)
