"""One document from one scenario: every stage, in order, in one place.

    load + validate -> analyse + git (prepare) -> render -> write

Owns: the order of the stages. The library API (``generator.render``),
``scenario render`` and the build all run these functions, so a document is
made the same way wherever it is made. A scenario is prepared once
(``prepared``) and then drawn in any number of templates and formats. Each
stage lives in its own package (``format``, ``analysis``, ``versions``,
``rendering``, ``write``); this module only calls them in order and must not
hold a stage's logic.
"""

from __future__ import annotations

from pathlib import Path

from .errors import RenderError
from .format.model import Scenario
from .outputs import FORMATS
from .prepared import Prepared, prepare_file
from .rendering.renderers import Rendered, renderer
from .workspace import TEMPLATES, Settings, load_settings


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
    settings = settings or load_settings()
    return document(prepare_file(Path(path), settings.baseline), settings, template, fmt)


def document(prepared: Prepared, settings: Settings, template: str, fmt: str) -> bytes:
    """The bytes of one document's main file, alone: where it would link an attachment (a
    Markdown chart) it gives the attachment's text instead, as on standard output (see
    :func:`rendered` for the files)."""
    return rendered(prepared, settings, template, fmt).unlinked()


def rendered(prepared: Prepared, settings: Settings, template: str, fmt: str) -> Rendered:
    """One document of a prepared scenario, as files: drawn by its format's renderer."""
    return renderer(fmt).render(prepared, settings, template)


def render_scenario(
    scenario: Scenario,
    path: Path,
    settings: Settings,
    template: str,
    fmt: str,
    revision: str | None = None,
    since: str | None = None,
) -> bytes:
    """One document of ``scenario`` (loaded from ``path``), its git facts read from ``path``.

    ``revision`` replaces the revision git gives (tests and benchmarks fix the
    footer with it); ``since`` overrides the baseline of "what changed".
    """
    prepared = prepare_file(Path(path), settings.baseline, since, scenario=scenario)
    if revision is not None:
        prepared.revision = revision
    return document(prepared, settings, template, fmt)
