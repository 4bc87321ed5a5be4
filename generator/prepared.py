"""A prepared scenario: everything its documents are made from, computed once.

Owns: the :class:`Prepared` object -- the validated model, its analysis,
every input file it was made from with its hash, and its git facts (revision,
dirty state, commit time, baseline and the "what changed" result, the
changelog annex) -- and the two ways to make one: :func:`prepare_file` for a
single file (``scenario render``, the library API) and :func:`prepare` for a
file of a build, whose git facts come from the build's one scan. Every
template x format of the scenario is drawn from the same object, so nothing is
parsed, analysed or asked of git twice. A git failure fails the scenario's
documents with a located message; it never gives a document quietly missing
its section. Must not render or write.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .analysis.analyse import Analysis, analyse
from .errors import GitError, RenderError
from .format.model import Scenario
from .format.validation import Loaded, load_file
from .versions import git, history, sides
from .versions.history import Baseline, Baselines, Changes, LogEntry


@dataclass
class Prepared:
    """One scenario, ready for any template and format."""

    path: Path  # absolute
    label: str  # the file as the user named it, for messages
    scenario: Scenario
    analysis: Analysis
    inputs: dict[str, str]  # every input file (as labelled) -> sha256 of the bytes used
    revision: str = ""  # "rev 3f2a9c1[, uncommitted changes]", "uncommitted changes" or ""
    dirty: bool = False
    committed: int | None = None  # commit time of the file, when committed and unchanged
    baseline: Baseline | None = None
    changes: Changes | None = None
    changelog: list[LogEntry] = field(default_factory=list)

    @property
    def created(self) -> _dt.datetime:
        """The document date (``SOURCE_DATE_EPOCH``, the commit time or the scenario date)."""
        return history.source_date(self.scenario, self.committed)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prepare(
    loaded: Loaded,
    path: Path,
    label: str,
    found: git.Scan,
    finder: Baselines | None,
    *,
    baseline: Baseline | bool | None = True,
    scenario: Scenario | None = None,
    analysis: Analysis | None = None,
) -> Prepared:
    """Prepare the scenario ``loaded`` from ``path``, with the git facts of ``found``.

    ``baseline`` is the baseline the build's plan already found (``None`` for
    none); ``True`` asks ``finder`` for it. ``scenario`` and ``analysis``
    replace the loaded model and its analysis when the caller has them.
    Raises :class:`ValidationError` for an invalid file and
    :class:`RenderError` (located at ``label``) when git fails.
    """
    model = scenario or loaded.valid()
    prepared = Prepared(
        path.resolve(),
        label,
        model,
        analysis or analyse(model),
        {label: sha256(loaded.raw)},
        changelog=history.changelog(model, None),
    )
    if found.error:
        raise RenderError.at(label, f"reading its history: {_reason(found.error)}", code="git")
    facts = found.facts.get(path)
    if facts is None or found.repo is None:
        return prepared  # outside git: no revision, no history, no section
    prepared.revision, prepared.dirty = facts.revision, facts.dirty
    prepared.committed = facts.commit_time
    prepared.changelog = history.changelog(model, facts, finder, loaded.raw)
    try:
        if baseline is True:
            baseline = finder.find(facts, loaded.raw) if finder else None
        prepared.baseline = baseline or None
        if prepared.baseline is not None and prepared.baseline.blob != facts.blob:
            new = sides.Side(label, label, data=loaded.data, scenario=model, blob=facts.blob)
            changes = history.changes(found.repo, prepared.baseline, new, prepared.analysis)
            prepared.changes = changes
    except GitError as exc:
        reason = f"reading its history: {_reason(exc.message)}"
        raise RenderError.at(label, reason, code="git") from exc
    return prepared


def prepare_file(
    path: Path,
    pattern: str | None = None,
    since: str | None = None,
    *,
    scenario: Scenario | None = None,
) -> Prepared:
    """Prepare one scenario file: read once, validated, analysed, one pass over git.

    ``pattern`` is the ``baseline`` tag glob of the settings and ``since`` the
    ``--since`` revision. Raises :class:`ValidationError` for an invalid file.
    """
    loaded = load_file(path)
    if scenario is None:
        scenario = loaded.valid()
    with git.scan({path: loaded.raw}) as found:
        finder = None
        if found.repo is not None and not found.error:
            try:
                finder = Baselines(found.repo, pattern, since)
            except GitError as exc:
                raise RenderError(f"--since: {_reason(exc.message)}") from exc
        return prepare(loaded, path, str(path), found, finder, scenario=scenario)


def from_model(scenario: Scenario, revision: str = "", path: Path | None = None) -> Prepared:
    """A scenario already validated, seen outside git (tests and benchmarks fix ``revision``)."""
    where = (path or Path(f"{scenario.id}.yaml")).resolve()
    return Prepared(
        where,
        str(path or where.name),
        scenario,
        analyse(scenario),
        {},
        revision,
        changelog=history.changelog(scenario, None),
    )


def _reason(message: str) -> str:
    return message.removeprefix("error: ")
