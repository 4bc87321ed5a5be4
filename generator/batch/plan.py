"""Plan phase of a build: which scenarios are valid, and which outputs they need, with keys.

Owns finding the scenario files, validating those whose bytes changed since
the last build (an unchanged valid file's summary comes from the manifest),
and the content-hash key of every output: the scenario's bytes, every template
file it depends on (through extends, include and import), the fonts for a PDF,
the settings that shape it, the git revision and the tool versions. Must not
render, write or delete anything.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import suppress
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from .._version import __version__
from ..coverage import font_warnings
from ..errors import Diagnostic
from ..outputs import output_format
from ..versions import git
from ..workspace import Settings, builtin_templates, scenario_files
from .layout import output_path
from .manifest import Cached, Summary


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
    since: str | None = None


@dataclass
class Checked:
    """The scenario files of a build, sorted: valid ones (with their summary) and failed ones."""

    valid: dict[Path, Summary] = field(default_factory=dict)
    hashes: dict[Path, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)


def find(paths: list[str | Path] | None, settings: Settings) -> list[Path]:
    """The scenario files named by ``paths`` (default: the workspace's ``scenarios/``)."""
    return scenario_files([Path(p) for p in (paths or [settings.root / "scenarios"])])


def check(files: list[Path], cache: dict[str, Cached], root: Path) -> Checked:
    """Sort the files into valid (with summaries) and failed (with located diagnostics).

    A file whose bytes match a cached summary written by this tool version was
    valid last time and is not parsed again; the others are validated together.
    """
    checked = Checked()
    fresh: list[Path] = []
    for path in files:
        try:
            checked.hashes[path] = sha(path.read_bytes())
        except OSError:
            fresh.append(path)  # validation reports it, located
            continue
        entry = cache.get(display(str(path), root))
        if entry and entry.sha256 == checked.hashes[path] and entry.tool == __version__:
            checked.valid[path] = entry.summary
        else:
            fresh.append(path)
    if not fresh:
        return checked
    from ..format.validation import validate

    models, diagnostics = validate(fresh)
    errors = [d for d in diagnostics if d.severity == "error"]
    taken = {summary.id: path for path, summary in checked.valid.items()}
    for path, model in models.items():
        if model is None:
            checked.failed.append(path)
        elif model.id in taken:
            errors.append(_duplicate_id(path, model.id, taken[model.id]))
            checked.failed.append(path)
        else:
            checked.valid[path] = Summary.of(model)
            taken[model.id] = path
            errors += font_warnings(model, str(path), builtin_templates() / "fonts")
    checked.diagnostics = sorted(errors)
    return checked


def plan(checked: Checked, settings: Settings, since: str | None = None) -> list[Task]:
    """Every output of every valid scenario, with the key of everything that shapes it."""
    revisions = git.revisions(list(checked.valid))
    baselines = _baselines(checked, revisions, settings, since)
    tool = {"scenario": __version__}
    with suppress(metadata.PackageNotFoundError):
        tool["weasyprint"] = metadata.version("weasyprint")
    fonts = _fonts(settings)  # they shape every PDF: hashed once, not once per template
    deps = {
        (t, f): {**template_files(settings, t, f), **(fonts if output_format(f).paged else {})}
        for t in settings.templates
        for f in settings.formats
    }
    tasks = []
    for path, summary in sorted(checked.valid.items()):
        for template in settings.templates:
            for fmt in settings.formats:
                key_data = {
                    "scenario": checked.hashes[path],
                    "templates": deps[(template, fmt)],
                    "settings": settings.fingerprint(),
                    "format": fmt,
                    "template": template,
                    "revision": revisions[path],
                    "baseline": baselines[path],
                    "tool": tool if output_format(fmt).paged else tool["scenario"],
                    "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
                }
                key = sha(json.dumps(key_data, sort_keys=True).encode())
                target = output_path(settings.output, summary.id, template, fmt)
                task = Task(
                    str(path),
                    summary.id,
                    template,
                    fmt,
                    revisions[path],
                    str(target),
                    key,
                    settings,
                    # The baseline found here, so each document's render reads that commit
                    # instead of searching the history again.
                    baselines[path] or since,
                )
                tasks.append(task)
    return tasks


def _baselines(
    checked: Checked, revisions: dict[Path, str], settings: Settings, since: str | None
) -> dict[Path, str | None]:
    """The "what changed" baseline commit of each scenario: a document follows it when it moves."""
    from ..versions import history

    return {
        path: history.baseline_revision(path, summary.version or None, settings.baseline, since)
        if revisions[path].startswith("rev ")
        else None
        for path, summary in checked.valid.items()
    }


def template_files(settings: Settings, template: str, fmt: str) -> dict[str, str]:
    """Every template file a document depends on (through extends, include, import), hashed."""
    import jinja2
    import jinja2.meta

    from ..rendering.document import template_environment, template_name

    env = template_environment(settings, fmt)
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
        with suppress(jinja2.TemplateSyntaxError):  # the render reports it, located
            refs = jinja2.meta.find_referenced_templates(env.parse(source))
            pending.extend(r for r in refs if r)
    return found


def display(path: str, root: Path) -> str:
    """A scenario file as the manifest names it: relative to the workspace when inside it."""
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return str(Path(path).resolve())


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fonts(settings: Settings) -> dict[str, str]:
    folder = settings.template_dirs[-1] / "fonts"
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    return {f"fonts/{p.relative_to(folder).as_posix()}": sha(p.read_bytes()) for p in files}


def _duplicate_id(path: Path, scenario_id: str, first: Path) -> Diagnostic:
    """The located error for a second file with an id another file of the build already has."""
    lines = path.read_text("utf-8").splitlines()
    line = next((n for n, text in enumerate(lines, 1) if text.startswith("id:")), 1)
    message = f"id: scenario id '{scenario_id}' is already used by {first}"
    return Diagnostic(str(path), line, 5, "error", "duplicate-scenario-id", message)
