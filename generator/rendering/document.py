"""Render stage: one valid scenario into a brief or report, as Markdown, HTML or PDF.

Owns: the Jinja2 environment (sandboxed, strict undefined, autoescaped HTML),
the template search path with workspace overrides, the document context
(scenario, computed analysis, stamp), and the filters through which scenario
text reaches a document. Must not validate (it renders only valid scenarios)
or write files (that is ``write``'s job).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from ..analysis.analyse import format_number, format_value
from ..analysis.status import ThresholdStatus
from ..escaping import md_code, md_name, show_controls
from ..format.dates import long_date, short_date
from ..format.vocabulary import SCALE_NAMES, actor_kind, jurisdiction_name, unit_name
from ..outputs import output_format
from ..versions import history
from ..workspace import Settings
from .template_errors import Undefined, template_error
from .templates import TemplateLoader, template_name
from .view import build_view, mechanisms_heading, position_heading

if TYPE_CHECKING:
    from ..format.model import Judgment
    from ..prepared import Prepared

from .markup import (
    autolink,
    contain_bidi,
    contain_bidi_value,
    markdown_concat,
    markdown_value,
    plain,
    safe_url,
    to_html,
    to_markdown,
    with_sources,
)
from .names import name_html, name_markdown
from .phrases import (
    common_author,
    common_framework,
    framework_labels,
    framework_note,
    likelihood_text,
)


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
        version = f"v{self.version}" if self.version else ""  # never "v0" for none given
        parts = (f"Scenario {self.scenario_id}", version, self.revision)
        return " · ".join(p for p in parts if p) + f" · as of {long_date(self.as_of)}"


_BLANK_LINES = re.compile(r"\n{3,}")


def single_blank_lines(text: str) -> Markup:
    """Markdown drawn part by part, with at most one blank line between the parts."""
    return Markup(_BLANK_LINES.sub("\n\n", text))


@lru_cache(maxsize=8)
def _environment(dirs: tuple[Path, ...], markdown: bool = False) -> jinja2.Environment:
    """The sandboxed template environment.

    In Markdown every printed string is a name, printed as written
    (``escaping.md_name``): only what the tool made Markdown — a text field
    through ``doc.md``/``doc.cell``, a macro's or block's output, ``autolink`` —
    is ``Markup`` and printed as it is. So a value cannot open a heading, a
    table row or a footnote in any template, a workspace's own included.
    """
    env = ImmutableSandboxedEnvironment(
        finalize=markdown_value if markdown else contain_bidi_value,
        loader=TemplateLoader(list(dirs)),
        undefined=Undefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2")),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        long_date=long_date,
        short_date=short_date,
        number=format_number,
        plain=plain,
        css_string=css_string,
        safe_url=safe_url,
        url_text=url_text,
        plain_cell=markdown_value,  # templates before names were escaped by default
        jurisdiction=jurisdiction_name,
        actor_kind=actor_kind,
        autolink=autolink,
        code=lambda text, cell=False: Markup(md_code(str(text), cell=cell)),
        single_blank_lines=single_blank_lines,
    )
    if markdown:
        env.concat = markdown_concat  # type: ignore[method-assign]
    return env


_SCHEME = re.compile(r"(?i)^(https?://|mailto:)")


def url_text(url: str) -> Markup:
    """An address as printed in HTML: its scheme kept on one line (a long address may
    break anywhere after it, never as ``ht`` / ``tp://``)."""
    text = contain_bidi(show_controls(str(url)))
    found = _SCHEME.match(text)
    if not found:
        return Markup(html.escape(text))
    scheme, rest = found.group(0), text[found.end() :]
    return Markup(f'<span class="scheme">{html.escape(scheme)}</span>{html.escape(rest)}')


RUNNING_HEAD = 48
"""Characters of the running head: one line of 7 pt Inter in its 64 mm."""


def running_head(title: str) -> str:
    """The title on one line of the page head: cut at a word, with an ellipsis, if long."""
    line = " ".join(title.split())
    if len(line) <= RUNNING_HEAD:
        return line
    cut = line[: RUNNING_HEAD - 1]
    if line[RUNNING_HEAD - 1] != " ":  # the cut falls inside a word: drop that word
        cut = cut.rsplit(" ", 1)[0]
    cut = cut.rstrip(" ,;:–—-")
    return (cut or line[: RUNNING_HEAD - 1]) + "…"


def marking(classification: str, status: str) -> str:
    """The band on every page: ``OFFICIAL · DRAFT`` until the scenario is final, so a
    page taken out of a draft still says it is one."""
    band = classification.upper()
    return band if status == "final" else f"{band} · {status.upper()}"


class Document:
    """The context a template sees for one document, with its text filters."""

    def __init__(self, prepared: Prepared, settings: Settings, template: str, fmt: str) -> None:
        scenario = prepared.scenario
        self.prepared = prepared
        self.s = scenario
        self.a = prepared.analysis
        self.settings = settings
        self.template = template
        self.format = fmt
        self.stamp = Stamp(scenario.id, scenario.version or "", prepared.revision, scenario.date)
        self.view = build_view(prepared, template, settings.changelog_commits)
        self.citations = self.view.citations  # numbered already, in reading order
        self.changes = prepared.changes
        self.attachments: list[Any] = []  # files the document links to (Markdown charts)

    def lead_chart(self) -> Markup:
        """The brief's one chart: the trajectory of the indicator of the threshold nearest to
        acting (``glance.lead``). A PDF that cannot hold it in four pages without a mostly
        empty one is laid out without it (``pdf.html_to_pdf``); the report has it anyway."""
        from ..analysis.glance import lead

        t = lead(self.a)
        return self.chart(t.indicator, lead=True) if t is not None else Markup("")

    def chart(self, indicator: Any, lead: bool = False) -> Markup:
        """The trajectory of ``indicator`` against its thresholds (``charts.trajectory``):
        inline SVG in a figure for HTML and PDF; for Markdown, a link to the SVG written
        beside the document (``charts/<template>-indicator-<id>.svg``). Either way a caption
        says in words what it shows, so a reader without the image loses nothing."""
        from .charts.trajectory import trajectory

        return self._figure(trajectory(self.a, indicator), lead)

    def forecast_chart(self) -> Markup:
        """Every forecast distribution on one axis (``charts.forecasts``), as :meth:`chart`."""
        from .charts.forecasts import distributions

        return self._figure(distributions(self.a))

    def cumulative_chart(self) -> Markup:
        """Every cumulative forecast as a line by date (``charts.forecasts``), as :meth:`chart`."""
        from .charts.forecasts import cumulative

        return self._figure(cumulative(self.a))

    def _figure(self, chart: Any, lead: bool = False) -> Markup:
        if chart is None:
            return Markup("")
        if not output_format(self.format).markdown:
            caption = html.escape(contain_bidi(show_controls(chart.alt)), quote=False)
            kind = "chart lead" if lead else "chart"
            return Markup(
                f'<figure class="{kind}">{chart.svg}'
                f"<figcaption>Figure: {caption}</figcaption></figure>"
            )
        from .renderers import Attachment

        label = chart.title.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        label = label.replace("{", "{{").replace("}", "}}")
        data = chart.svg.encode("utf-8")
        link = f"![{label}]({{path}})\n\n"  # the caption follows, with or without it
        attachment = Attachment(chart.name, "svg", data, link, "")
        self.attachments.append(attachment)
        caption = contain_bidi(md_name(f"Figure: {chart.alt}"))
        return Markup(f"{attachment.mark}*{caption}*")

    def changelog(self) -> list[history.LogEntry]:
        """The changelog annex: the scenario's entries, each with the revision that first
        had it; the file's commits (their subjects are developers' notes) only when the
        workspace sets ``changelog_commits``."""
        if self.settings.changelog_commits:
            return self.prepared.changelog
        return [c for c in self.prepared.changelog if not c.commit]

    # text filters, exposed to templates as functions ------------------------------
    def html(self, text: str | None) -> Markup:
        return to_html(text, self.citations)

    def inline(self, text: str | None) -> Markup:
        return to_html(text, self.citations, inline=True)

    def md(self, text: str | None) -> Markup:
        return to_markdown(text, self.citations)

    def cell(self, text: str | None) -> Markup:
        return to_markdown(text, self.citations, cell=True)

    def likelihood(self, judgment: Judgment) -> str:
        """``likely (55–80 %), 65 %; high confidence`` (``phrases.likelihood_text``)."""
        return likelihood_text(self.a, judgment)

    def judged_by(self, judgments: list[Judgment]) -> str:
        """The one author of every judgment listed, to be named once (else empty)."""
        return common_author(self.a, judgments)

    def framework(self, statuses: list[ThresholdStatus]) -> str:
        """The one framework of a threshold table, said once above it (else empty)."""
        return common_framework(statuses)

    def framework_note(self, statuses: list[ThresholdStatus]) -> str:
        """``Every threshold below is from …`` (``phrases.framework_note``), else empty."""
        return framework_note(statuses)

    def framework_labels(self, status: ThresholdStatus, common: str) -> list[str]:
        """A threshold's framework and label, under its name (``phrases.framework_labels``)."""
        return framework_labels(status, common)

    def name(self, text: str | None) -> Markup:
        """A name that may cite (a threshold's, a sentence of names): see ``names``."""
        if output_format(self.format).markdown:
            return name_markdown(text, self.citations)
        return name_html(text, self.citations)

    def cite(self, ident: str | None) -> int | None:
        """Note number of a structured citation (an observation's or judgment's source)."""
        return self.citations.number(ident) if ident else None

    def note_numbers(self, ids: list[str | None]) -> list[int]:
        """Note numbers of several sources cited together, each once, in ascending order."""
        return sorted({self.citations.number(i) for i in ids if i})

    def with_sources(self, text: str | None, ids: list[str | None]) -> str:
        """``text`` citing ``ids`` too, its marks one group (``markup.with_sources``)."""
        return with_sources(text, ids)

    def not_cited_in(self, ids: list[str], text: str | None) -> list[str]:
        """The ``ids`` that ``text`` does not already cite, so no note mark appears twice."""
        return [i for i in ids if f"[@{i}]" not in (text or "")]

    def cited_sources(self) -> list[tuple[int, Any]]:
        """The sources cited so far, in note order (call it at the end of the document)."""
        by_id = {s.id: s for s in self.s.sources}
        return [(n, by_id[i]) for n, i in enumerate(self.citations.order, 1) if i in by_id]

    def value(self, number: float, unit: str) -> str:
        return format_value(number, unit)

    def names(self, ids: list[str]) -> list[str]:
        """The names of the actors ``ids``, in order."""
        return self.a.actor_names(ids)

    def unit(self, unit: object) -> str:
        return unit_name(unit)

    def mechanisms_heading(self) -> str:
        return mechanisms_heading(self.a)

    def position_heading(self) -> str:
        return position_heading(self.a)

    def context(self) -> dict[str, Any]:
        s = self.s
        return {
            "s": s,
            "a": self.a,
            "doc": self,
            "view": self.view,
            "stamp": self.stamp,
            "classification": s.classification or self.settings.classification,
            "running_head": running_head(s.short_title or s.title),
            "marking": marking(s.classification or self.settings.classification, s.status),
            "organisation": self.settings.organisation
            or next((x.organisation for x in s.authors if x.organisation), None),
            "paper": self.settings.paper,
            "print": output_format(self.format).print_css,
            "created": self.prepared.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "changes": self.changes,
            "kicker": f"Scenario {self.template}",
            "scale_name": SCALE_NAMES[s.likelihood_scale],
            "forks": self.a.forks,
        }


def render_text(prepared: Prepared, settings: Settings, template: str, fmt: str) -> str:
    """Render Markdown or HTML (the HTML that becomes the PDF when ``fmt`` is pdf)."""
    env = _environment(tuple(settings.template_dirs), output_format(fmt).markdown)
    doc = Document(prepared, settings, template, fmt)
    name = template_name(template, fmt)
    try:
        tmpl = env.get_template(name)
        text = tmpl.render(doc.context())
    except Exception as exc:  # a template's failure, located; a bug is raised as it is
        raise template_error(exc, name, prepared.label, settings.template_dirs, prepared) from exc
    return Drawn(text, doc.attachments)


class Drawn(str):
    """A template's text, with the attachments it links to (a Markdown document's charts),
    which the renderer writes beside it."""

    attachments: tuple[Any, ...]

    def __new__(cls, text: str, attachments: list[Any]) -> Drawn:
        made = super().__new__(cls, text)
        made.attachments = tuple(attachments)
        return made

    def __reduce__(self) -> tuple[Any, ...]:  # to a worker process, whole
        return (Drawn, (str(self), list(self.attachments)))


# --------------------------------------------------------------------------- for the build


def template_environment(settings: Settings, fmt: str) -> jinja2.Environment:
    """The environment documents of ``fmt`` render in: the build's index and dependency scan."""
    return _environment(tuple(settings.template_dirs), output_format(fmt).markdown)
