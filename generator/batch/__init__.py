"""Build: every scenario x template x format of a workspace, incremental and parallel.

:func:`build` reads as its phases, in order: **plan** (find and validate the
scenarios, key every output, skip what is unchanged), **run** (Markdown and
HTML in this process, PDFs on an executor: a local process pool or a Dask
cluster), **write and manifest** (record what was built, remove what an
earlier build wrote and no scenario produces any more), **index**. Owns the
order of the phases and the summary; each phase's work lives in its module
(``plan``, ``executors``, ``manifest``, ``layout``, ``write``, ``index``).
Must not render documents itself.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._version import __version__
from ..errors import Diagnostic
from ..outputs import output_format
from ..workspace import Settings
from . import executors, layout, lock, manifest, plan, produce
from .executors import Executor, Outcome
from .index import write_index
from .interrupt import Interrupted, stop_on_signals
from .layout import output_path
from .manifest import Cached, Manifest, Output
from .plan import Task

__all__ = ["BuildResult", "Interrupted", "build", "output_path"]

SAVE_EVERY = 2.0
"""Seconds between saves of the manifest during a build."""


@dataclass
class BuildResult:
    """The summary of a build.

    ``diagnostics`` holds everything the build reports, each once: the
    validator's findings, and why each failed output failed (a template, the
    PDF engine, a write, git), so one broken template that fails many outputs
    is one diagnostic while ``failed`` still lists every output.
    """

    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    _reported: set[Diagnostic] = field(default_factory=set, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """Nothing failed and nothing is an error (a build that could not start has no outputs)."""
        return not self.failed and not any(d.severity == "error" for d in self.diagnostics)

    def report(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Add ``diagnostics``, leaving out any the build already reports."""
        for diagnostic in diagnostics:
            if diagnostic not in self._reported:
                self._reported.add(diagnostic)
                self.diagnostics.append(diagnostic)

    def fail(self, target: str, errors: Iterable[Diagnostic]) -> None:
        """Count ``target`` as failed, for ``errors``."""
        self.failed.append(target)
        self.report(errors)

    def as_dict(self) -> dict[str, Any]:
        return {
            "built": self.built,
            "skipped": self.skipped,
            "failed": self.failed,
            "removed": self.removed,
            "seconds": round(self.seconds, 3),
            "diagnostics": [d.as_dict() for d in self.diagnostics],
        }


def build(
    paths: list[str | Path] | None = None,
    *,
    settings: Settings | None = None,
    jobs: int | None = None,
    force: bool = False,
    fail_fast: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    since: str | None = None,
) -> BuildResult:
    """Render every scenario x template x format of the workspace into ``settings.output``.

    Unchanged outputs (same content-hash key) are neither rendered nor
    rewritten unless ``force``. An invalid scenario or an output that cannot
    be written fails alone; the others are built. Raises
    :class:`~generator.errors.BuildLockedError` when another build holds the
    lock, and :class:`Interrupted` on SIGINT or SIGTERM (in the main thread),
    after stopping the workers and saving the manifest of what was finished.
    ``since`` names the baseline revision of the "what changed" sections
    (default: the last commit with another version, or ``baseline`` in settings).
    """
    started = time.perf_counter()
    if settings is None:
        from ..workspace import load_settings

        settings = load_settings()
    result = BuildResult()
    # A cluster is asked for whatever the formats: a build told to use one that is not
    # there fails at once, not only when it has a PDF to lay out.
    cluster = executors.choose(executor, jobs, scheduler, 0) if executor == "dask" else None
    try:
        _build(
            paths,
            settings,
            force,
            fail_fast,
            executor,
            jobs,
            scheduler,
            cluster,
            progress,
            since,
            result,
        )
    finally:
        if cluster is not None:
            cluster.close()
    result.seconds = time.perf_counter() - started
    return result


def _build(
    paths: list[str | Path] | None,
    settings: Settings,
    force: bool,
    fail_fast: bool,
    executor: str,
    jobs: int | None,
    scheduler: str | None,
    cluster: executors.Executor | None,
    progress: Callable[[int, int], None] | None,
    since: str | None,
    result: BuildResult,
) -> None:
    out = settings.output
    lock.make_folder(out)
    with lock.held(out), stop_on_signals():
        layout.remove_leftovers(out)

        # Plan: validate the scenarios whose bytes changed since the last build (a valid
        # file's summary is cached in the manifest), read git once for all of them, then
        # key every output they need.
        old, warning = manifest.read(out)
        checked = plan.check(plan.find(paths, settings), old.scenarios, settings.root)
        result.report([*([warning] if warning else []), *checked.diagnostics])
        result.failed.extend(str(path) for path in checked.failed)
        if fail_fast and result.failed:
            return
        with plan.scan(checked) as found:
            finder = plan.baselines(found, settings, since)
            works = plan.plan(checked, settings, found, finder, old.scenarios)
            tasks = [task for work in works for task in work.tasks]
            todo, outputs = _unchanged(tasks, old, force, result, out)

            # Run: each scenario with work to do is prepared once; its text documents are
            # written here and its PDFs laid out on the executor meanwhile. The manifest is
            # saved every few seconds and when the build is stopped, so finished work is
            # never redone.
            produced = produce.items(
                works, {t.target for t in todo}, checked, found, finder, settings
            )
            how = (executor, jobs, scheduler, cluster)
            _run(todo, produced, outputs, old, result, settings, fail_fast, progress, how)
            plan.complete_news(works, checked, found)

        # Write and manifest: drop what an earlier build wrote for a scenario that is gone
        # or no longer produces it, then record what was built from what.
        _remove_stale(old, outputs, checked, settings, result)
        scenarios = _scenario_cache(old.scenarios, checked, works, settings.root)

        # Index: every briefing with its status and links (rendered only when it changes);
        # a broken index template fails the index alone.
        index, broken = write_index(scenarios, outputs, settings, old.index)
        for target, error in broken.items():
            result.fail(target, error.located(target))
        done = Manifest(outputs, scenarios, index)
        if done != old:  # an unchanged build writes nothing, not even the manifest
            manifest.save(out, done)


# --------------------------------------------------------------------------- phases


def _unchanged(
    tasks: list[Task], old: Manifest, force: bool, result: BuildResult, out: Path
) -> tuple[list[Task], dict[str, Output]]:
    """The tasks to run, and the manifest entries of the outputs that are already current."""
    todo, outputs = [], {}
    for task in tasks:
        key = _key(task)
        entry = old.outputs.get(key)
        if not force and entry and entry.key == task.key and _present(task, entry, out):
            result.skipped.append(task.target)
            if (entry.scenario, entry.revision) != (task.scenario, task.revision):
                entry = dataclasses.replace(entry, scenario=task.scenario, revision=task.revision)
            outputs[key] = entry
        else:
            todo.append(task)
    return todo, outputs


def _run(
    todo: list[Task],
    produced: Generator[executors.Item, None, None],
    outputs: dict[str, Output],
    old: Manifest,
    result: BuildResult,
    settings: Settings,
    fail_fast: bool,
    progress: Callable[[int, int], None] | None,
    how: tuple[str, int | None, str | None, executors.Executor | None],
) -> None:
    """Render ``todo``, recording each output as it finishes; on any stop, save and pass it on."""
    by_target = {task.target: task for task in todo}
    saved = time.monotonic()
    try:
        for done, outcome in enumerate(_outcomes(todo, produced, *how), 1):
            if progress:
                progress(done, len(todo))
            if outcome.state == "built":
                task = by_target[outcome.target]
                outputs[_key(task)] = _entry(task, outcome, settings.output)
                result.built.append(outcome.target)
            else:
                result.fail(outcome.target, outcome.errors)
                if fail_fast:
                    break
            if time.monotonic() - saved >= SAVE_EVERY:
                # The index files are not rewritten yet: their key stays the one on disk
                # (with none, a build whose end found nothing new kept an empty key).
                manifest.save(
                    settings.output, Manifest({**old.outputs, **outputs}, old.scenarios, old.index)
                )
                saved = time.monotonic()
    except BaseException as stop:  # interrupted, or a failure outside any one output
        manifest.save(
            settings.output, Manifest({**old.outputs, **outputs}, old.scenarios, old.index)
        )
        # A signal may land between recording an output and counting it: count what the
        # saved manifest holds, so the line printed and the manifest always agree.
        recorded = {target for target, task in by_target.items() if _key(task) in outputs}
        result.built = [t for t in result.built if t in recorded] + sorted(
            recorded - set(result.built)
        )
        if isinstance(stop, Interrupted):
            stop.kept, stop.output = (len(result.built), len(result.skipped)), str(settings.output)
        raise


def _outcomes(
    todo: list[Task],
    produced: Generator[executors.Item, None, None],
    executor: str,
    jobs: int | None,
    scheduler: str | None,
    cluster: Executor | None,
) -> Iterator[Outcome]:
    """Each output's outcome as it finishes; closing this iterator stops the executor's work."""
    if cluster is not None:  # connected by the build, which closes it
        with closing(produced), closing(cluster.run(produced)) as outcomes:
            yield from outcomes
        return
    # Formats laid out in workers (PDF): worth worker processes, started only for them.
    pdfs = sum(1 for t in todo if output_format(t.fmt).worker)
    pool: Executor = (
        executors.choose(executor, jobs, scheduler, pdfs) if pdfs else executors.Serial()
    )
    with pool, closing(produced), closing(pool.run(produced)) as outcomes:
        yield from outcomes


def _remove_stale(
    old: Manifest,
    outputs: dict[str, Output],
    checked: plan.Checked,
    settings: Settings,
    result: BuildResult,
) -> None:
    """Remove old outputs whose scenario is gone or no longer produces them; keep the rest.

    Outputs of scenarios outside this build's paths are kept as they are. A file
    that is not safely the build's own (see :func:`layout.remove_document`) stays
    where it is, with a warning.
    """
    out = settings.output
    planned = {checked.labels[path] for path in checked.valid}
    for key, entry in old.outputs.items():
        files = {key: entry.sha256, **{k: v["sha256"] for k, v in entry.attachments.items()}}
        if key in outputs:  # still built: only the attachments it no longer has go
            files = {k: v for k, v in files.items() if k not in outputs[key].attachments}
            files.pop(key)
        elif _is_file(settings.root / entry.scenario) and entry.scenario not in planned:
            outputs[key] = entry  # outside this build's paths or formats: keep
            continue
        for name, digest in sorted(files.items(), key=lambda kv: kv[0] == key):
            if layout.remove_document(out, name, digest):
                result.removed.append(str(out / name))
            else:
                message = "left in place: not the file an earlier build wrote there"
                where = str(out / name)
                result.report([Diagnostic(where, 0, 0, "warning", "stale", message)])


def _scenario_cache(
    cache: dict[str, Cached], checked: plan.Checked, works: list[plan.Work], root: Path
) -> dict[str, Cached]:
    """The summaries (and baselines) to keep: this build's valid files, and others' that
    still exist."""
    planned = {checked.labels[path] for path in checked.valid}
    kept = {
        path: entry
        for path, entry in cache.items()
        if path not in planned and _is_file(root / path)
    }
    baselines = {work.path: work.git for work in works}
    for path, summary in checked.valid.items():
        entry = Cached(checked.hashes[path], __version__, summary, baselines.get(path))
        kept[checked.labels[path]] = entry
    return kept


# --------------------------------------------------------------------------- helpers


def _key(task: Task) -> str:
    return task.name


def _entry(task: Task, outcome: Outcome, out: Path) -> Output:
    attachments = {
        Path(path).relative_to(out).as_posix(): {"sha256": digest, "size": size}
        for path, (digest, size) in outcome.attachments.items()
    }
    return Output(
        task.scenario,
        task.template,
        task.fmt,
        task.key,
        outcome.sha256,
        outcome.size,
        task.revision,
        attachments,
    )


def _present(task: Task, entry: Output, out: Path) -> bool:
    """Whether the document and each of its attachments are on disk at their recorded size."""
    return _size(task.target) == entry.size and all(
        _size(str(out / key)) == facts["size"] for key, facts in entry.attachments.items()
    )


def _size(path: str) -> int | None:
    """The size of a regular file, ``None`` for anything else (one system call)."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_size if stat.S_ISREG(found.st_mode) else None


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the system, a NUL byte
        return False
