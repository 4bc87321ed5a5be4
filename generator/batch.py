"""Build: every scenario x template x format of a workspace, incremental and parallel.

Reads top to bottom like the pipeline: find the scenarios, validate them,
plan the outputs and their content-hash keys, skip what is unchanged, render
the rest (Markdown and HTML in this process, PDFs in long-lived worker
processes or on a Dask cluster), then write the manifest and the index.
Owns the output layout, the manifest, the lock and the summary. Rendering
itself is ``rendering``'s job and writing bytes is ``write``'s.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2.meta

from . import __version__
from .coverage import font_warnings
from .errors import BuildLockedError, Diagnostic, ScenarioError
from .model import Scenario
from .versions import git
from .workspace import Settings, builtin_templates, scenario_files
from .write import write_atomic

MANIFEST = "manifest.json"
LOCK = ".lock"
TASKS_PER_WORKER = 50
SAVE_EVERY = 2.0
"""Seconds between saves of the manifest during a build."""
"""PDFs a worker renders before it is replaced, so that memory stays bounded."""


def output_path(root: Path, scenario_id: str, template: str, fmt: str) -> Path:
    """Where a document goes: ``OUTPUT/<scenario id>/<template>.<format>``."""
    return root / scenario_id / f"{template}.{fmt}"


@dataclass(frozen=True)
class Task:
    """One document to render (picklable: it crosses process boundaries)."""

    scenario_file: str
    scenario_id: str
    template: str
    fmt: str
    revision: str
    target: str
    key: str
    settings: Settings


@dataclass
class Outcome:
    """What became of one output."""

    target: str
    state: str  # "built" | "skipped" | "failed"
    message: str = ""
    sha256: str = ""
    size: int = 0


@dataclass
class BuildResult:
    """The summary of a build."""

    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, Any]:
        return {
            "built": self.built,
            "skipped": self.skipped,
            "failed": self.failed,
            "removed": self.removed,
            "seconds": round(self.seconds, 3),
            "diagnostics": [d.as_dict() for d in self.diagnostics],
            "errors": self.messages,
        }


@dataclass(frozen=True)
class Summary:
    """What a build needs to know of a valid scenario, cached in the manifest by file hash."""

    id: str
    title: str
    status: str
    date: str
    version: str
    counts: dict[str, int]

    @classmethod
    def of(cls, model: Scenario) -> Summary:
        from .analyse import analyse

        counts = analyse(model).status_counts
        return cls(model.id, model.title, model.status, model.date, model.version or "", counts)

    @property
    def summary_line(self) -> str:
        """``1 crossed · 2 alert · 1 no data``."""
        from .analyse import format_counts

        return format_counts(self.counts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "date": self.date,
            "version": self.version,
            "counts": dict(self.counts),
        }


# --------------------------------------------------------------------------- the build


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
) -> BuildResult:
    """Render every scenario x template x format of the workspace into ``settings.output``.

    Unchanged outputs (same content-hash key) are neither rendered nor
    rewritten unless ``force``. An invalid scenario fails alone; the others
    are built. Raises :class:`BuildLockedError` when another build holds the lock.
    """
    started = time.perf_counter()
    if settings is None:
        from .workspace import load_settings

        settings = load_settings()
    result = BuildResult()
    out = settings.output
    out.mkdir(parents=True, exist_ok=True)
    with _lock(out):
        _remove_leftovers(out)
        # Find the scenarios and validate those whose bytes changed since the last
        # build (a valid file's summary is cached in the manifest under its sha256).
        targets = [Path(p) for p in (paths or [settings.root / "scenarios"])]
        files = scenario_files(targets)
        manifest = _read_manifest(out)
        old_outputs: dict[str, dict[str, Any]] = manifest.get("outputs", {})
        cache: dict[str, dict[str, Any]] = manifest.get("scenarios", {})
        valid, hashes, result.diagnostics, failed = _check_scenarios(files, cache, settings.root)
        result.failed.extend(str(path) for path in failed)
        if fail_fast and result.failed:
            result.seconds = time.perf_counter() - started
            return result

        # Plan every output with the key of everything that shapes it.
        tasks = _plan(valid, hashes, settings, out)
        todo, entries = [], {}
        for task in tasks:
            old = old_outputs.get(_rel(out, task.target))
            if (
                not force
                and old
                and old.get("key") == task.key
                and Path(task.target).is_file()
                and Path(task.target).stat().st_size == old.get("size")
            ):
                result.skipped.append(task.target)
                entries[_rel(out, task.target)] = {
                    **old,
                    "scenario": _display(task.scenario_file, settings.root),
                    "revision": task.revision,
                }
            else:
                todo.append(task)

        # Render what changed: text formats here, PDFs in worker processes. The manifest
        # is saved every few seconds, so a killed build's finished work is not redone.
        saved = time.monotonic()
        by_target = {task.target: task for task in todo}
        for done, outcome in enumerate(_run(todo, jobs, executor, scheduler, fail_fast), 1):
            if progress:
                progress(done, len(todo))
            if outcome.state == "built":
                result.built.append(outcome.target)
                task = by_target[outcome.target]
                entries[_rel(out, task.target)] = {
                    "scenario": _display(task.scenario_file, settings.root),
                    "template": task.template,
                    "format": task.fmt,
                    "key": task.key,
                    "sha256": outcome.sha256,
                    "size": outcome.size,
                    "revision": task.revision,
                }
            else:
                result.failed.append(outcome.target)
                result.messages.append(outcome.message)
            if time.monotonic() - saved >= SAVE_EVERY:
                _save_manifest(out, {**old_outputs, **entries}, cache)
                saved = time.monotonic()

        # Remove outputs whose scenario file no longer exists, or that a valid
        # scenario of this build no longer produces (its id or the settings changed).
        planned_files = {_display(str(path), settings.root) for path in valid}
        for rel, entry in old_outputs.items():
            if rel in entries:
                continue
            source = entry.get("scenario", "")
            if not (settings.root / source).is_file() or source in planned_files:
                (out / rel).unlink(missing_ok=True)
                _remove_empty(out / rel)
                result.removed.append(str(out / rel))
            else:
                entries[rel] = entry  # outside this build's paths or formats: keep

        # Record what was built from what, and the index of every briefing.
        scenarios = {
            rel: entry
            for rel, entry in cache.items()
            if rel not in planned_files and (settings.root / rel).is_file()
        }
        for path, summary in valid.items():
            scenarios[_display(str(path), settings.root)] = {
                "sha256": hashes[path],
                "tool": __version__,
                "summary": summary.as_dict(),
            }
        _save_manifest(out, entries, scenarios)
        _write_index(scenarios, entries, settings)
    result.seconds = time.perf_counter() - started
    return result


# --------------------------------------------------------------------------- helpers


def _check_scenarios(
    files: list[Path], cache: dict[str, dict[str, Any]], root: Path
) -> tuple[dict[Path, Summary], dict[Path, str], list[Diagnostic], list[Path]]:
    """Summaries of the valid files, their hashes, the errors and the failed files.

    A file whose bytes match a cached summary written by this tool version was
    valid last time and is not parsed again; the others are validated together.
    """
    hashes: dict[Path, str] = {}
    valid: dict[Path, Summary] = {}
    fresh: list[Path] = []
    for path in files:
        try:
            hashes[path] = _sha(path.read_bytes())
        except OSError:
            fresh.append(path)  # validation reports it, located
            continue
        entry = cache.get(_display(str(path), root))
        if entry and entry.get("sha256") == hashes[path] and entry.get("tool") == __version__:
            try:
                valid[path] = Summary(**entry["summary"])
                continue
            except (KeyError, TypeError):
                pass  # a damaged entry: validate the file again
        fresh.append(path)
    if not fresh:
        return valid, hashes, [], []
    from .validation import validate

    models, diagnostics = validate(fresh)
    errors = [d for d in diagnostics if d.severity == "error"]
    failed = []
    taken = {summary.id: path for path, summary in valid.items()}
    for path, model in models.items():
        if model is None:
            failed.append(path)
        elif model.id in taken:
            line = next(
                (
                    n
                    for n, text in enumerate(path.read_text("utf-8").splitlines(), 1)
                    if text.startswith("id:")
                ),
                1,
            )
            errors.append(
                Diagnostic(
                    str(path),
                    line,
                    5,
                    "error",
                    "duplicate-scenario-id",
                    f"id: scenario id '{model.id}' is already used by {taken[model.id]}",
                )
            )
            failed.append(path)
        else:
            valid[path] = Summary.of(model)
            taken[model.id] = path
            errors += font_warnings(model, str(path), builtin_templates() / "fonts")
    return valid, hashes, sorted(errors), failed


@contextmanager
def _lock(out: Path) -> Iterator[None]:
    """Hold ``OUTPUT/.lock`` for the build; a second build fails at once with a clear message."""
    handle = open(out / LOCK, "a+")  # noqa: SIM115 - held for the whole build
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildLockedError(
                f"{out / LOCK}: error: another build is running in this workspace "
                f"(pid {holder}); wait for it to finish"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()


def _rel(out: Path, target: str) -> str:
    return Path(target).relative_to(out).as_posix()


def _display(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return str(Path(path).resolve())


def _remove_empty(path: Path) -> None:
    with suppress(OSError):
        path.parent.rmdir()


def _save_manifest(
    out: Path, outputs: dict[str, dict[str, Any]], scenarios: dict[str, dict[str, Any]]
) -> None:
    document = {"format": 1, "tool": __version__, "outputs": outputs, "scenarios": scenarios}
    data = json.dumps(document, indent=2, sort_keys=True).encode() + b"\n"
    _write_if_changed(out / MANIFEST, data)


_LEFTOVER = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
"""The name ``write_atomic`` gives a temporary file: ``.<target>.<8 random>.tmp``."""


def _remove_leftovers(out: Path) -> None:
    """Delete temporary files a killed build left behind (safe: we hold the lock).

    Only the output layout is searched (the folder and its scenario folders),
    and only names of the shape ``write_atomic`` uses.
    """
    for leftover in [*out.glob(".*.tmp"), *out.glob("*/.*.tmp")]:
        if _LEFTOVER.fullmatch(leftover.name):
            leftover.unlink(missing_ok=True)


def _read_manifest(out: Path) -> dict[str, Any]:
    """The last build's manifest; an absent or damaged one reads as empty (all is rebuilt)."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != 1:
        return {}
    return {
        key: value for key in ("outputs", "scenarios") if isinstance(value := data.get(key), dict)
    }


def _write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _template_files(settings: Settings, template: str, fmt: str) -> dict[str, str]:
    """Every template file a document depends on (through extends, include, import), hashed."""
    from .rendering import _environment, template_name

    env = _environment(tuple(settings.template_dirs))
    found: dict[str, str] = {}
    pending = [template_name(template, fmt)]
    while pending:
        name = pending.pop()
        if name in found or name is None:
            continue
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        found[name] = _sha(Path(filename).read_bytes()) if filename else _sha(source.encode())
        try:
            refs = jinja2.meta.find_referenced_templates(env.parse(source))
            pending.extend(r for r in refs if r)
        except jinja2.TemplateSyntaxError:
            pass  # the render reports it, located
    return found


def _plan(
    valid: dict[Path, Summary], hashes: dict[Path, str], settings: Settings, out: Path
) -> list[Task]:
    revisions = git.revisions(list(valid))
    tool = {"scenario": __version__}
    with suppress(metadata.PackageNotFoundError):
        tool["weasyprint"] = metadata.version("weasyprint")
    # The fonts shape every PDF: hash them once, not once per template.
    fonts_dir = settings.template_dirs[-1] / "fonts"
    fonts = {f"fonts/{font.name}": _sha(font.read_bytes()) for font in sorted(fonts_dir.iterdir())}
    deps = {
        (t, f): {**_template_files(settings, t, f), **(fonts if f == "pdf" else {})}
        for t in settings.templates
        for f in settings.formats
    }
    tasks = []
    for path, model in sorted(valid.items()):
        scenario_hash = hashes[path]
        for template in settings.templates:
            for fmt in settings.formats:
                key_data = {
                    "scenario": scenario_hash,
                    "templates": deps[(template, fmt)],
                    "settings": settings.fingerprint(),
                    "format": fmt,
                    "template": template,
                    "revision": revisions[path],
                    "tool": tool if fmt == "pdf" else tool["scenario"],
                    "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
                }
                key = _sha(json.dumps(key_data, sort_keys=True).encode())
                target = output_path(out, model.id, template, fmt)
                tasks.append(
                    Task(
                        str(path),
                        model.id,
                        template,
                        fmt,
                        revisions[path],
                        str(target),
                        key,
                        settings,
                    )
                )
    return tasks


def render_task(task: Task) -> Outcome:
    """Render and write one output; never raises (runs in workers and on Dask)."""
    from .rendering import render_scenario
    from .validation import load_valid

    try:
        scenario = load_valid(task.scenario_file)
        data = render_scenario(
            scenario,
            Path(task.scenario_file),
            task.settings,
            task.template,
            task.fmt,
            revision=task.revision,
        )
        write_atomic(Path(task.target), data)
        return Outcome(task.target, "built", sha256=_sha(data), size=len(data))
    except ScenarioError as exc:
        return Outcome(task.target, "failed", str(exc))
    except Exception as exc:  # a bug or an engine failure: this output fails, the build goes on
        return Outcome(task.target, "failed", f"{task.target}: error: {type(exc).__name__}: {exc}")


def _warm_worker() -> None:
    """Import WeasyPrint and lay out one small page so the first real PDF is fast."""
    import weasyprint

    weasyprint.HTML(string="<p>warm</p>").write_pdf()


def _run(
    todo: list[Task], jobs: int | None, executor: str, scheduler: str | None, fail_fast: bool
) -> Iterator[Outcome]:
    text = [t for t in todo if t.fmt != "pdf"]
    pdfs = [t for t in todo if t.fmt == "pdf"]
    for task in text:  # fast: no pool start-up for Markdown and HTML
        outcome = render_task(task)
        yield outcome
        if fail_fast and outcome.state == "failed":
            return
    if not pdfs:
        return
    if executor == "dask":
        yield from _run_dask(pdfs, scheduler, fail_fast)
        return
    workers = max(1, min(jobs or os.cpu_count() or 1, len(pdfs)))
    if workers == 1:
        for task in pdfs:
            outcome = render_task(task)
            yield outcome
            if fail_fast and outcome.state == "failed":
                return
        return
    import multiprocessing

    # Workers are recycled by starting a fresh pool for every `workers x TASKS_PER_WORKER`
    # PDFs, not with `max_tasks_per_child`: on Python 3.11-3.15 that option deadlocks once
    # a worker reaches its limit while tasks are queued (CPython gh-115634).
    context = multiprocessing.get_context("forkserver")
    chunk = workers * TASKS_PER_WORKER
    for start in range(0, len(pdfs), chunk):
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_warm_worker
        ) as pool:
            batch = pdfs[start : start + chunk]
            futures: dict[Future[Outcome], Task] = {pool.submit(render_task, t): t for t in batch}
            for future in as_completed(futures):
                try:
                    outcome = future.result()
                except BrokenProcessPool as exc:
                    target = futures[future].target
                    outcome = Outcome(target, "failed", f"{target}: error: worker died: {exc}")
                yield outcome
                if fail_fast and outcome.state == "failed":
                    for other in futures:
                        other.cancel()
                    return


def _run_dask(tasks: list[Task], scheduler: str | None, fail_fast: bool) -> Iterator[Outcome]:
    try:
        from dask.distributed import Client
        from dask.distributed import as_completed as dask_completed
    except ImportError as exc:
        raise ScenarioError(
            "the dask executor needs the optional extra: pip install 'scenario-briefings[dask]'"
        ) from exc
    if not scheduler:
        raise ScenarioError("--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    client = Client(scheduler, timeout="10s")
    try:
        futures = client.map(render_task, tasks, pure=False)
        for future in dask_completed(futures):
            outcome = future.result()
            yield outcome
            if fail_fast and outcome.state == "failed":
                client.cancel(futures)
                return
    finally:
        client.close()


def _write_index(
    scenarios: dict[str, dict[str, Any]], entries: dict[str, dict[str, Any]], settings: Settings
) -> None:
    """``OUTPUT/index.md`` and ``index.html``: every briefing with status and links."""
    from .rendering import _environment

    rows = []
    summaries = [Summary(**entry["summary"]) for entry in scenarios.values()]
    for summary in sorted(summaries, key=lambda item: item.id):
        files = sorted(rel for rel in entries if rel.startswith(f"{summary.id}/"))
        if files:
            rows.append({**summary.as_dict(), "summary_line": summary.summary_line, "files": files})
    for name, fmt in (("index.md.j2", "md"), ("index.html.j2", "html")):
        env = _environment(tuple(settings.template_dirs), fmt == "md")
        text = env.get_template(name).render(rows=rows, classification=settings.classification)
        _write_if_changed(settings.output / f"index.{fmt}", text.encode("utf-8"))
