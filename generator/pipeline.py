"""One document from one scenario file: every stage, in order, in one place.

    load -> validate -> analyse -> render -> write

Owns: the order of the stages for one document. The library API
(``generator.render``), ``scenario render`` and the build's workers all run
this and nothing else, so a document is made the same way wherever it is made.
Each stage lives in its own package (``format``, ``analysis``, ``versions``,
``rendering``, ``batch.write``); this module only calls them in order and must
not hold a stage's logic.
"""

from __future__ import annotations

from pathlib import Path

from .analysis.analyse import analyse
from .errors import RenderError
from .format.model import Scenario
from .format.validation import load_valid
from .outputs import FORMATS, output_format
from .rendering.document import finish, render_text
from .versions import git, history
from .workspace import TEMPLATES, Settings, load_settings
from .write import write_atomic


def render(
    path: str | Path, *, template: str = "brief", fmt: str = "pdf", settings: Settings | None = None
) -> bytes:
    """Render one scenario file to a document and return its bytes (the library API).

    Raises :class:`~generator.errors.ValidationError` (with every diagnostic)
    when the scenario has errors, :class:`~generator.errors.TemplateError` for
    a broken template and :class:`~generator.errors.RenderError` for a bad option.
    """
    if template not in TEMPLATES and not template.replace("-", "").isalnum():
        raise RenderError(f"unknown template '{template}'")
    if fmt not in FORMATS:
        raise RenderError(f"unknown format '{fmt}'; choose from {', '.join(FORMATS)}")
    return document(Path(path), settings or load_settings(), template, fmt)


def document(
    path: Path,
    settings: Settings,
    template: str,
    fmt: str,
    *,
    revision: str | None = None,
    since: str | None = None,
) -> bytes:
    """The bytes of one document of the scenario file at ``path``."""
    scenario = load(path)
    return render_scenario(scenario, path, settings, template, fmt, revision, since)


def load(path: Path) -> Scenario:
    """Load and validate: the typed scenario, or ValidationError with every error."""
    return load_valid(path)


def render_scenario(
    scenario: Scenario,
    path: Path,
    settings: Settings,
    template: str,
    fmt: str,
    revision: str | None = None,
    since: str | None = None,
) -> bytes:
    """The stages after validation, for a scenario already loaded from ``path``.

    ``revision`` (the stamp's git revision) is looked up when not given;
    ``since`` overrides the baseline of the "what changed" section.
    """
    # Analyse: the facts the document states, computed once.
    analysis = analyse(scenario)
    # Its place in git: the revision, and what changed since the baseline.
    revision = revision if revision is not None else git.revision(path)
    changes = history.changes_since(path, scenario, settings.baseline, since)
    # Render: the template to text, then the format's engine to the file's bytes.
    text = render_text(
        scenario, settings, template, fmt, revision, changes, path, analysis=analysis
    )
    return finish(output_format(fmt).engine, text, scenario, settings)


def write(
    path: Path,
    target: Path,
    settings: Settings,
    template: str,
    fmt: str,
    *,
    revision: str | None = None,
    since: str | None = None,
    inside: Path | None = None,
) -> bytes:
    """Make one document and write it to ``target`` atomically; give back its bytes.

    ``inside`` confines the write to an output folder (no link out of it).
    """
    data = document(path, settings, template, fmt, revision=revision, since=since)
    # Write: all or nothing, never a half-written file.
    write_atomic(target, data, inside=inside)
    return data
