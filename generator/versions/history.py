"""A scenario's history for its documents: baseline, "what changed", changelog annex, date.

Owns: choosing the baseline of a scenario (``--since REV``, else the newest tag
matching ``baseline`` in scenario.toml, else the last commit whose ``version``
differs from the current one), always by the scenario's ``id``: renames of
the same id are followed, a file that held another id (a copy's origin, a
reused path) is never a baseline, so a new id has no section. Also the
:class:`Changes` a template shows (the same comparison as ``scenario diff``,
from the same bytes), the changelog annex merged with the file's commits, and
the commit time that dates a document when ``SOURCE_DATE_EPOCH`` is not set.
Outside git, or with no earlier version, there is no baseline and no section
(never "nothing changed" when nothing is known). Reads git only through a
:class:`~generator.versions.git.Repo` and the facts of its one scan. Must not
render.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from .git import SHORT, Commit, FileFacts, Repo, blob_id

if TYPE_CHECKING:  # the format stage loads only when a scenario is read (not in a no-op build)
    from . import sides

BRIEF_BULLETS = 5
"""At most this many highlights in a brief (the report lists them all)."""


@dataclass(frozen=True)
class Baseline:
    """The revision a document's "what changed" section compares against."""

    sha: str  # the commit it was read at
    short: str  # the commit printed: the file's own commit that made these bytes, where known
    path: str  # the file's path from the repository root at that revision
    version: str | None
    blob: str  # the blob id of the file there: what a build's key depends on

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> Baseline | None:
        """A baseline from the manifest's cache, or ``None`` for anything malformed."""
        if not isinstance(data, dict) or set(data) != {f for f in cls.__dataclass_fields__}:
            return None
        if not all(isinstance(data[k], str) for k in ("sha", "short", "path", "blob")):
            return None
        if data["version"] is not None and not isinstance(data["version"], str):
            return None
        return cls(**data)


@dataclass(frozen=True)
class Changes:
    """What a template shows: ``since``, the brief's ``highlights``, the report's ``all``."""

    since: str  # "version 0.4 (rev 3f2a9c1)"
    highlights: list[str]
    all: list[str]


class Baselines:
    """Finds the baseline of each scenario file of one scan, reading each blob at most once.

    ``pattern`` is the ``baseline`` tag glob of scenario.toml, ``since`` the
    ``--since`` revision; with neither, the file's own history decides.
    Raises :class:`~generator.errors.GitError` for an unknown ``since``.
    """

    def __init__(self, repo: Repo, pattern: str | None = None, since: str | None = None) -> None:
        self.repo = repo
        self.pattern = pattern
        self.since = repo.commit(since) if since else None
        self._ids: dict[str, tuple[str | None, str | None]] = {}
        self._valid: dict[str, bool] = {}

    def query(self, facts: FileFacts, current: str) -> str:
        """What the baseline of this file depends on, hashed: the manifest caches by it.

        The file's last commit (its whole history), the hash of its bytes
        (``current``), and the tags or the ``--since`` commit: nothing else can
        change the answer.
        """
        if self.since:
            mode: list[Any] = ["since", self.since]
        elif self.pattern:
            mode = ["tags", self.pattern, self.repo.tags(self.pattern)]
        else:
            mode = ["history"]
        data = [*mode, facts.head, facts.rel, current]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()

    def find(self, facts: FileFacts, current: bytes) -> Baseline | None:
        """The baseline of the file (whose bytes on disk are ``current``), or ``None``.

        Versions are compared as both sides' bytes give them (not as the model
        normalises them), so an unchanged file is never its own baseline.
        """
        ident, version = self._know(current)
        if ident is None:
            return None
        if self.since:
            return self._at(self.since, facts, ident, current)
        if self.pattern:
            for _, sha in self.repo.tags(self.pattern):
                found = self._at(sha, facts, ident, current)
                if found is not None:
                    return found
            return None
        for commit in facts.commits:
            at_id, at_version = self._id_version(commit.blob, current)
            if at_id is None:
                continue  # unreadable there (a binary upload, conflict markers): never a baseline
            if at_id != ident:
                return None  # before this, the file was another scenario: no baseline there
            if at_version != version and self._validates(commit.blob):
                return Baseline(commit.sha, commit.short, commit.path, at_version, commit.blob)
        return None

    def first_commits(self, facts: FileFacts, current: bytes) -> dict[str | None, Commit]:
        """For each version the file has had, the oldest commit of its latest run with it
        (newest first, back to where the file was another scenario)."""
        self._know(current)
        found: dict[str | None, Commit] = {}
        ident = None
        for commit in facts.commits:
            at_id, at_version = self._id_version(commit.blob, current)
            if at_id is None:
                continue  # unreadable there
            if ident is None:
                ident = at_id
            elif at_id != ident:
                break  # before this, the file was another scenario
            found[at_version] = commit
        return found

    def _validates(self, blob: str) -> bool:
        """Whether the blob is a valid scenario: only then can "what changed" say what moved
        (an invalid one has no statuses to compare, and would read as "nothing moved")."""
        if blob not in self._valid:
            from . import sides

            raw = self.repo.object(blob) or b""
            self._valid[blob] = sides.from_bytes(raw, "baseline", None).scenario is not None
        return self._valid[blob]

    def _at(self, sha: str, facts: FileFacts, ident: str, current: bytes) -> Baseline | None:
        """The file as it was at commit ``sha``, if it was this scenario there."""
        by_commit = {c.sha: c.path for c in facts.commits}
        names = [by_commit[sha]] if sha in by_commit else []
        names += [facts.rel, *(c.path for c in facts.commits)]
        for path in dict.fromkeys(names):
            raw = self.repo.object(f"{sha}:{path}")
            if raw is None:
                continue
            blob = blob_id(raw)
            self._remember(blob, raw, current)
            at_id, at_version = self._ids[blob]
            if at_id != ident or not self._validates(blob):
                return None  # another scenario, or one that does not validate there
            made = next((c.short for c in facts.commits if c.blob == blob), sha[:SHORT])
            return Baseline(sha, made, path, at_version, blob)
        return None

    def _id_version(self, blob: str, current: bytes) -> tuple[str | None, str | None]:
        if blob not in self._ids:
            self._remember(blob, self.repo.object(blob) or b"", current)
        return self._ids[blob]

    _known: tuple[str | None, str | None] = (None, None)  # the current file's, during find()
    _known_bytes: bytes | None = None

    def _know(self, current: bytes) -> tuple[str | None, str | None]:
        """The current file's id and version, parsed once for its bytes."""
        if self._known_bytes is not current and self._known_bytes != current:
            self._known, self._known_bytes = _parsed(current), current
        return self._known

    def _remember(self, blob: str, raw: bytes, current: bytes) -> None:
        """The ``id`` and ``version`` of a blob. A blob whose top-level ``id:`` and
        ``version:`` lines are the current file's own (or which, like the current file,
        has no ``version`` anywhere) has its id and version, so a long history whose
        version never changed is read, not parsed."""
        if blob in self._ids:
            return
        same_id = _top_line(raw, b"id") is not None and _top_line(raw, b"id") == _top_line(
            current, b"id"
        )
        version = _top_line(raw, b"version")
        same_version = (version is not None and version == _top_line(current, b"version")) or (
            b"version" not in raw and b"version" not in current  # neither has one at all
        )
        if same_id and same_version:
            self._ids[blob] = self._known
            return
        line = _top_line(raw, b"id")
        if line is not None and (version is not None or b"version" not in raw):
            self._ids[blob] = _parsed(line + b"\n" + (version or b""))  # two lines, not the file
            return
        self._ids[blob] = _parsed(raw)


def _parsed(raw: bytes) -> tuple[str | None, str | None]:
    """The ``id`` and ``version`` a scenario's bytes give (``None`` where there is none)."""
    from . import sides

    data = sides.from_bytes(raw, "baseline", None, validate=False).data or {}
    ident, value = data.get("id"), data.get("version")
    return (
        ident if isinstance(ident, str) else None,
        None if value is None else str(sides.raw_text(value)),
    )


_TOP = re.compile(rb"^(id|version)[ \t]*:.*$", re.MULTILINE)


def _top_line(raw: bytes, key: bytes) -> bytes | None:
    """The one top-level ``key:`` line of a YAML file, ``None`` when there is not exactly one."""
    lines = [m.group(0).rstrip() for m in _TOP.finditer(raw) if m.group(1) == key]
    return lines[0] if len(lines) == 1 else None


def since_text(base: Baseline) -> str:
    """``version 0.4 (rev 3f2a9c1)``, or ``rev 3f2a9c1`` for a baseline without a version."""
    return f"version {base.version} (rev {base.short})" if base.version else f"rev {base.short}"


def changes(repo: Repo, base: Baseline, new: sides.Side, known: Any = None) -> Changes | None:
    """What changed in the scenario ``new`` since ``base``, or ``None`` for the same content.

    The same comparison ``scenario diff BASE NEW`` makes, on the same bytes;
    ``known`` is the analysis of ``new`` when the caller has it (not redone).
    """
    from . import sides
    from .diff import compare

    raw = repo.object(base.blob) or b""
    label = f"{base.short}:{base.path}"
    old = sides.from_bytes(raw, label, base.path, base.short, validate=False, blob=base.blob)
    result = compare(old, new, known)
    if not result.changes:
        return None
    shown = [c for c in result.consequences if c.kind not in ("warning", "scenario")]
    count = len(result.changes)
    edits = [
        f"{count} edit{'s' if count != 1 else ''} to the text; "
        "no status, judgment or forecast moved"
    ]
    return Changes(
        since_text(base),
        [c.text for c in shown[:BRIEF_BULLETS]] or edits,
        [c.text for c in result.consequences] or edits,
    )


@dataclass(frozen=True)
class LogEntry:
    """One line of the report's changelog annex: an author's entry or a commit of the file."""

    date: str
    label: str  # "v1.2" for a changelog entry, "rev 3f2a9c1" for a commit
    summary: str  # Markdown for a changelog entry, plain text for a commit subject
    commit: bool
    time: int = 0  # a commit's time, so that commits of one day keep their order
    order: int = 0  # its place in git's history (oldest 0): commits of one second too
    revision: str = ""  # an entry's: the short hash of the commit that first had it
    revision_date: str = ""  # and that commit's date


def changelog(
    scenario: sides.Scenario,
    facts: FileFacts | None,
    finder: Baselines | None = None,
    current: bytes = b"",
) -> list[LogEntry]:
    """The scenario's ``changelog:`` merged with the file's commits, oldest first.

    Each entry carries the revision that first had its version (with ``finder``,
    which reads the file's history), and the commits are listed as entries of
    their own; a template shows their subjects only when the workspace opts in
    (``changelog_commits``), since a commit subject is a developer's note.
    Ordered by date, then the author's entries before the commits of that day
    (in commit order), then by label, so the annex is the same on every run for
    the same checkout.
    """
    made = finder.first_commits(facts, current) if finder and facts is not None else {}
    entries = []
    for c in scenario.changelog:
        commit = made.get(str(c.version))
        entries.append(
            LogEntry(
                c.date,
                f"v{c.version}",
                c.summary,
                False,
                revision=commit.short if commit else "",
                revision_date=commit.date if commit else "",
            )
        )
    if facts is not None:
        newest = len(facts.commits) - 1  # git lists them newest first, parents after children
        entries += [
            LogEntry(c.date, f"rev {c.short}", c.subject, True, c.time, newest - k)
            for k, c in enumerate(facts.commits)
        ]
    return sorted(entries, key=lambda e: (e.date, e.commit, e.time, e.order, e.label))


def source_date(scenario: sides.Scenario, committed: int | None = None) -> _dt.datetime:
    """The document date: ``SOURCE_DATE_EPOCH``, else ``committed`` (the commit time of the
    unchanged file), else the scenario date, so that rebuilding an old commit later gives
    the same bytes."""
    from ..format.model import date_bounds

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.UTC)
    if committed is not None:
        return _dt.datetime.fromtimestamp(committed, tz=_dt.UTC)
    day = date_bounds(scenario.date)[0]
    return _dt.datetime(day.year, day.month, day.day, tzinfo=_dt.UTC)
