"""Plan phase of a build: which scenarios are valid, and which outputs they need, with keys.

Owns finding the scenario files, validating those whose bytes changed since
the last build (an unchanged valid file's summary comes from the manifest,
and the file is not parsed), and the content-hash key of every output: the
scenario's bytes, the blob of its baseline, its revision, every template file
it depends on (through extends, include and import), the fonts for a PDF, the
settings that shape it and the tool versions. Must not render, write or
delete anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from contextlib import suppress
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..errors import Diagnostic, GitError
from ..outputs import output_format
from ..versions import git
from ..versions.git import blob_id
from ..versions.history import Baseline, Baselines
from ..workspace import Settings, builtin_templates, scenario_files
from .layout import output_path
from .manifest import Cached, GitCache, News, Summary

if TYPE_CHECKING:
    from ..analysis.analyse import Analysis
    from ..format.validation import Loaded


@dataclass(frozen=True)
class Task:
    """One document to render: where it goes and the key of everything that shapes it."""

    scenario_file: str  # absolute
    scenario: str  # as the manifest names it (see display)
    scenario_id: str
    template: str
    fmt: str
    revision: str
    target: str  # absolute
    key: str
    settings: Settings
    name: str = ""  # the target relative to the output folder: its name in the manifest


@dataclass
class Work:
    """One valid scenario of a build: its documents, and the baseline its git facts gave."""

    path: Path
    summary: Summary
    tasks: list[Task]
    baseline: Baseline | None = None
    git: GitCache | None = None  # the baseline's cache entry, for the manifest


@dataclass
class Checked:
    """The scenario files of a build, sorted: valid ones (with their summary) and failed ones.

    ``loaded`` keeps the files this build validated (each read once: their
    documents are prepared from what was read) until each is prepared.
    """

    valid: dict[Path, Summary] = field(default_factory=dict)
    hashes: dict[Path, str] = field(default_factory=dict)
    blobs: dict[Path, str] = field(default_factory=dict)
    labels: dict[Path, str] = field(default_factory=dict)  # as the manifest names each file
    loaded: dict[Path, tuple[Loaded, Analysis]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)
    news: dict[Path, News] = field(default_factory=dict)  # what changed, as each was prepared


def find(paths: list[str | Path] | None, settings: Settings) -> list[Path]:
    """The scenario files named by ``paths`` (default: the workspace's ``scenarios/``)."""
    return scenario_files([Path(p) for p in (paths or [settings.root / "scenarios"])])


def check(files: list[Path], cache: dict[str, Cached], root: Path) -> Checked:
    """Sort the files into valid (with summaries) and failed (with located diagnostics).

    A file whose bytes match a cached summary written by this tool version was
    valid last time and is not parsed again; the others are validated, in
    order, and kept for the documents they need.
    """
    checked = Checked()
    _real_folder.cache_clear()  # links may have changed since the last build in this process
    fresh: list[Path] = []
    for path in files:
        checked.labels[path] = display(str(path), root)
        try:
            raw = path.read_bytes()
        except OSError:
            fresh.append(path)  # validation reports it, located
            continue
        checked.hashes[path], checked.blobs[path] = sha(raw), blob_id(raw)
        entry = cache.get(checked.labels[path])
        if entry and entry.sha256 == checked.hashes[path] and entry.tool == __version__:
            checked.valid[path] = entry.summary
        else:
            fresh.append(path)
    if not fresh:
        return checked
    from ..analysis.analyse import analyse
    from ..coverage import font_warnings
    from ..format.validation import duplicate_id, load_file

    errors: list[Diagnostic] = []
    taken = {summary.id: path for path, summary in checked.valid.items()}
    for path in fresh:
        loaded = load_file(path)
        errors += [d for d in loaded.diagnostics if d.severity == "error"]
        if loaded.raw:  # what was validated is what the key and the documents use
            checked.hashes[path], checked.blobs[path] = sha(loaded.raw), blob_id(loaded.raw)
        model = None if loaded.errors else loaded.model
        if model is None:
            checked.failed.append(path)
        elif model.id in taken:
            errors.append(duplicate_id(str(path), loaded.id_at, model.id, taken[model.id]))
            checked.failed.append(path)
        else:
            analysis = analyse(model)
            checked.valid[path] = Summary.of(model, analysis)
            checked.loaded[path] = (loaded, analysis)
            taken[model.id] = path
            errors += font_warnings(model, str(path), builtin_templates() / "fonts")
    checked.diagnostics = sorted(errors)
    return checked


def scan(checked: Checked) -> git.Scan:
    """One pass over git for every valid file of the build (close it when done)."""
    return git.scan({path: checked.blobs[path] for path in sorted(checked.valid)})


def baselines(found: git.Scan, settings: Settings, since: str | None) -> Baselines | None:
    """What finds the build's baselines (``None`` outside git, or when git failed).

    Raises :class:`~generator.errors.GitError` (located at ``--since``) for an
    unknown ``since``.
    """
    if found.repo is None or found.error:
        return None
    try:
        return Baselines(found.repo, settings.baseline, since)
    except GitError as exc:
        raise GitError.at("--since", exc.message.removeprefix("error: ")) from exc


def plan(
    checked: Checked,
    settings: Settings,
    found: git.Scan,
    finder: Baselines | None,
    cache: dict[str, Cached],
) -> list[Work]:
    """Every output of every valid scenario, with the key of everything that shapes it.

    The key holds the scenario's bytes and the *blob* of its baseline, never
    the baseline's commit, so a new tag or an unrelated commit changes no key.
    A baseline is looked for only when the file's history, its bytes, the tags
    or ``--since`` moved since the last build; otherwise the manifest has it.
    """
    tool = {"scenario": __version__}
    with suppress(metadata.PackageNotFoundError):
        tool["weasyprint"] = metadata.version("weasyprint")
    fonts = _fonts(settings)  # they shape every PDF: hashed once, not once per template
    deps = {
        (t, f): {**template_files(settings, t, f), **(fonts if output_format(f).fonts else {})}
        for t in settings.templates
        for f in settings.formats
    }
    environment = os.environ.get("SOURCE_DATE_EPOCH", "")
    # What shapes every document of a template and format, serialised once for all scenarios.
    per_output = {
        (t, f): json.dumps(
            {
                "settings": settings.fingerprint(),
                "source_date_epoch": environment,
                "templates": deps[(t, f)],
                "format": f,
                "template": t,
                "tool": tool if output_format(f).fonts else tool["scenario"],
            },
            sort_keys=True,
        )
        for t, f in deps
    }
    works = []
    for path, summary in sorted(checked.valid.items()):
        work = Work(path, summary, [])
        facts = found.facts.get(path)
        if finder is not None and facts is not None:
            work.baseline, work.git = _baseline(finder, facts, path, checked, cache, settings.root)
        revision = found.revision(path)
        # What shapes every document of this scenario: its bytes and its git facts.
        own = json.dumps(
            {
                "scenario": checked.hashes[path],
                "revision": revision,
                "history": facts.head if facts else "",
                "baseline": work.baseline.blob if work.baseline else None,
            },
            sort_keys=True,
        )
        absolute, label = str(_real(str(path))), checked.labels[path]
        folder = output_path(settings.output, summary.id, "x", "md").parent
        for template in settings.templates:
            for fmt in settings.formats:
                key = sha(f"{per_output[(template, fmt)]}\n{own}".encode())
                target = folder / f"{template}.{fmt}"  # as layout.output_path names it
                task = Task(
                    absolute,
                    label,
                    summary.id,
                    template,
                    fmt,
                    revision,
                    str(target),
                    key,
                    settings,
                    f"{summary.id}/{target.name}",
                )
                work.tasks.append(task)
        works.append(work)
    return works


def _baseline(
    finder: Baselines,
    facts: git.FileFacts,
    path: Path,
    checked: Checked,
    cache: dict[str, Cached],
    root: Path,
) -> tuple[Baseline | None, GitCache]:
    """The file's baseline: from the manifest when nothing it depends on moved, else found."""
    query = finder.query(facts, checked.hashes[path])
    entry = cache.get(checked.labels[path])
    if entry is not None and entry.git is not None and entry.git.query == query:
        return entry.git.baseline, entry.git
    raw = checked.loaded[path][0].raw if path in checked.loaded else path.read_bytes()
    baseline = finder.find(facts, raw)
    return baseline, GitCache(query, baseline)


def template_files(settings: Settings, template: str, fmt: str) -> dict[str, str]:
    """Every template file a document depends on (through extends, include, import), hashed."""
    import jinja2

    from ..rendering.templates import source_environment, template_name

    env = source_environment(tuple(settings.template_dirs))
    found: dict[str, str] = {}
    pending = [template_name(template, fmt)]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        try:
            source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            continue  # the render reports it
        found[name] = sha(Path(filename).read_bytes()) if filename else sha(source.encode())
        pending.extend(_references(env, source))
    return found


# A tag that names another template, and one that names it as a plain string literal.
_TAG = re.compile(r"\{%[-+]?\s*(?:extends|include|import|from)\b")
_LITERAL = re.compile(
    r"\{%[-+]?\s*(?:extends|include|import|from)\s+(?:\"([^\"\\{}]+)\"|'([^'\\{}]+)')"
)


def _references(env: Any, source: str) -> list[str]:
    """The templates ``source`` names. Read from its tags when every one names a plain
    string (parsing a template costs a tenth of a second), else from Jinja's parse."""
    import jinja2
    import jinja2.meta

    literal = [a or b for a, b in _LITERAL.findall(source)]
    if len(literal) == len(_TAG.findall(source)):
        return literal
    with suppress(jinja2.TemplateSyntaxError):  # the render reports it, located
        return [r for r in jinja2.meta.find_referenced_templates(env.parse(source)) if r]
    return []


def display(path: str, root: Path) -> str:
    """A scenario file as the manifest names it: relative to the workspace when inside it."""
    real = _real(path)
    try:
        return real.relative_to(root).as_posix()
    except ValueError:
        return str(real)


def _real(path: str) -> Path:
    """``path`` with every link resolved; its folder's answer is cached, as a build asks it of
    a thousand files in a few folders."""
    if os.path.islink(path):
        return Path(path).resolve()
    folder, name = os.path.split(os.path.abspath(path))
    return Path(_real_folder(folder)) / name


@lru_cache(maxsize=256)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fonts(settings: Settings) -> dict[str, str]:
    folder = settings.template_dirs[-1] / "fonts"
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    return {f"fonts/{p.relative_to(folder).as_posix()}": sha(p.read_bytes()) for p in files}


def complete_news(works: list[Work], checked: Checked, found: git.Scan) -> None:
    """Give each scenario's git cache what changed since its baseline, for the index: as
    its documents were prepared this build, else as the manifest had it for the same file
    and baseline, else worked out now (a file whose documents were all up to date but whose
    history moved). A history that cannot be read leaves it unknown; the index then says
    nothing of the scenario's changes rather than something wrong."""
    from dataclasses import replace

    from ..errors import GitError, ScenarioError
    from ..format.validation import load_file
    from ..versions import history, sides

    for work in works:
        cache, baseline = work.git, work.baseline
        if cache is None or baseline is None:
            continue
        news = checked.news.get(work.path) or cache.news
        facts = found.facts.get(work.path)
        if news is None and found.repo is not None and facts is not None:
            try:
                if baseline.blob == facts.blob:
                    news = News.of(None, baseline)
                else:
                    loaded = load_file(work.path)
                    model = loaded.valid()
                    label = str(work.path)
                    new = sides.Side(
                        label, label, data=loaded.data, scenario=model, blob=facts.blob
                    )
                    news = News.of(history.changes(found.repo, baseline, new), baseline)
            except (GitError, ScenarioError, OSError):
                news = None
        work.git = replace(cache, news=news)
