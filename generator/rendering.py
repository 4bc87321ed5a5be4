"""Render stage: one valid scenario into a brief or report, as Markdown, HTML or PDF.

Owns: the Jinja2 environment (sandboxed, strict undefined, autoescaped HTML),
the template search path with workspace overrides, the document context
(scenario, computed analysis, stamp), and the filters through which scenario
text reaches a document. Must not validate (it renders only valid scenarios)
or write files (that is ``write``'s job).
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from .analyse import Analysis, analyse, format_number, format_value
from .errors import RenderError, TemplateError
from .markup import Citations, escape_markdown_html, plain, safe_url, to_html, to_markdown
from .model import Scenario, date_bounds
from .versions import git
from .workspace import FORMATS, TEMPLATES, Settings, load_settings

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(value: str) -> str:
    """``21 November 2026`` from ``2026-11-21``; ``November 2026``; ``2026``."""
    parts = str(value).split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def css_string(value: object) -> Markup:
    """A quoted CSS string with every character that could end it (or the style) escaped."""
    out = "".join(
        c if c.isalnum() or c in " .,:;·–-_/+()" else f"\\{ord(c):x} " for c in str(value)
    )
    return Markup(f'"{out}"')


@dataclass(frozen=True)
class Stamp:
    """What identifies a document's inputs: printed in the footer of every page."""

    scenario_id: str
    version: str
    revision: str
    as_of: str

    @property
    def text(self) -> str:
        parts = (f"Scenario {self.scenario_id}", f"v{self.version}", self.revision)
        return " · ".join(p for p in parts if p) + f" · as of {long_date(self.as_of)}"


def source_date(scenario: Scenario) -> _dt.datetime:
    """The document date for metadata: ``SOURCE_DATE_EPOCH`` if set, else the scenario date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.UTC)
    day = date_bounds(scenario.date)[0]
    return _dt.datetime(day.year, day.month, day.day, tzinfo=_dt.UTC)


class _Loader(jinja2.FileSystemLoader):
    """Workspace templates first, then built-in; ``builtin/NAME`` always means the built-in."""

    def __init__(self, dirs: list[Path]) -> None:
        super().__init__([str(d) for d in dirs])
        self.builtin = jinja2.FileSystemLoader(str(dirs[-1]))

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Any]:
        if template.startswith("builtin/"):
            return self.builtin.get_source(environment, template.removeprefix("builtin/"))
        return super().get_source(environment, template)


@lru_cache(maxsize=8)
def _environment(dirs: tuple[Path, ...], markdown: bool = False) -> jinja2.Environment:
    """The sandboxed template environment; for Markdown, every printed value has ``<`` escaped."""
    env = ImmutableSandboxedEnvironment(
        finalize=escape_markdown_html if markdown else None,
        loader=_Loader(list(dirs)),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2")),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        long_date=long_date,
        number=format_number,
        plain=plain,
        css_string=css_string,
        safe_url=safe_url,
    )
    return env


class Document:
    """The context a template sees for one document, with its text filters."""

    def __init__(
        self,
        scenario: Scenario,
        analysis: Analysis,
        settings: Settings,
        template: str,
        fmt: str,
        stamp: Stamp,
    ) -> None:
        self.s = scenario
        self.a = analysis
        self.settings = settings
        self.template = template
        self.format = fmt
        self.stamp = stamp
        self.citations = Citations()

    # text filters, exposed to templates as functions ------------------------------
    def html(self, text: str | None) -> Markup:
        return to_html(text, self.citations)

    def inline(self, text: str | None) -> Markup:
        return to_html(text, self.citations, inline=True)

    def md(self, text: str | None) -> str:
        return to_markdown(text, self.citations)

    def cell(self, text: str | None) -> str:
        return to_markdown(text, self.citations, cell=True)

    def cite(self, ident: str | None) -> int | None:
        """Note number of a structured citation (an observation's or judgment's source)."""
        return self.citations.number(ident) if ident else None

    def note_numbers(self, ids: list[str | None]) -> list[int]:
        """Note numbers of several sources cited together, each once, in ascending order."""
        return sorted({self.citations.number(i) for i in ids if i})

    def not_cited_in(self, ids: list[str], text: str | None) -> list[str]:
        """The ``ids`` that ``text`` does not already cite, so no note mark appears twice."""
        return [i for i in ids if f"[@{i}]" not in (text or "")]

    def cited_sources(self) -> list[tuple[int, Any]]:
        """The sources cited so far, in note order (call it at the end of the document)."""
        by_id = {s.id: s for s in self.s.sources}
        return [(n, by_id[i]) for n, i in enumerate(self.citations.order, 1) if i in by_id]

    def value(self, number: float, unit: str) -> str:
        return format_value(number, unit)

    def context(self) -> dict[str, Any]:
        s = self.s
        return {
            "s": s,
            "a": self.a,
            "doc": self,
            "stamp": self.stamp,
            "classification": s.classification or self.settings.classification,
            "organisation": self.settings.organisation
            or next((x.organisation for x in s.authors if x.organisation), None),
            "paper": self.settings.paper,
            "print": self.format == "pdf",
            "created": source_date(s).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "kicker": f"Scenario {self.template}",
        }


def template_name(template: str, fmt: str) -> str:
    """File name of a template for a format: ``brief.html.j2`` serves html and pdf."""
    return f"{template}.{'md' if fmt == 'md' else 'html'}.j2"


def render_text(
    scenario: Scenario, settings: Settings, template: str, fmt: str, revision: str
) -> str:
    """Render Markdown or HTML (the HTML that becomes the PDF when ``fmt`` is pdf)."""
    env = _environment(tuple(settings.template_dirs), fmt == "md")
    stamp = Stamp(scenario.id, scenario.version or "0", revision, scenario.date)
    doc = Document(scenario, analyse(scenario), settings, template, fmt, stamp)
    name = template_name(template, fmt)
    try:
        tmpl = env.get_template(name)
        text = tmpl.render(doc.context())
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            f"template not found: {exc.name} (looked in "
            f"{', '.join(str(d) for d in settings.template_dirs)})"
        ) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"{exc.filename or exc.name}:{exc.lineno}:1: error: template syntax: {exc.message}"
        ) from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"{name}: error: template reads an undefined value: {exc.message}"
        ) from exc
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"{name}: error: template tried an unsafe operation: {exc}") from exc
    return text


def render(
    path: str | Path, *, template: str = "brief", fmt: str = "pdf", settings: Settings | None = None
) -> bytes:
    """Render one scenario file to a document and return its bytes.

    Raises :class:`~generator.errors.ValidationError` (with every diagnostic)
    when the scenario has errors, :class:`~generator.errors.TemplateError` for
    a broken template and :class:`~generator.errors.RenderError` for a bad option.
    """
    from .validation import load_valid

    if template not in TEMPLATES and not template.replace("-", "").isalnum():
        raise RenderError(f"unknown template '{template}'")
    if fmt not in FORMATS:
        raise RenderError(f"unknown format '{fmt}'; choose from {', '.join(FORMATS)}")
    path = Path(path)
    settings = settings or load_settings()
    return render_scenario(load_valid(path), path, settings, template, fmt)


def render_scenario(
    scenario: Scenario,
    path: Path,
    settings: Settings,
    template: str,
    fmt: str,
    revision: str | None = None,
) -> bytes:
    """Render an already validated scenario (``path`` gives its git revision)."""
    revision = revision if revision is not None else git.revision(path)
    text = render_text(scenario, settings, template, fmt, revision)
    if fmt != "pdf":
        return text.encode("utf-8")
    from .pdf import html_to_pdf

    return html_to_pdf(text, scenario, settings)
