"""The output formats: one registry entry each, so a new format is one addition here.

Owns: for each format its name, file extension, media type, which template
family serves it (Markdown or HTML), whether it is paged, and the function
that turns the rendered template text into the file's bytes. Also the paper
sizes and PDF variants. Imports nothing heavy: the PDF engine is imported only
when a PDF is made, so the command line can read the choices instantly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:  # pragma: no cover
    from ..format.model import Scenario
    from ..workspace import Settings


def _utf8(text: str, scenario: Scenario, settings: Settings) -> bytes:
    return text.encode("utf-8")


def _pdf(text: str, scenario: Scenario, settings: Settings) -> bytes:
    from .pdf import html_to_pdf

    return html_to_pdf(text, scenario, settings)


@dataclass(frozen=True)
class OutputFormat:
    """One output format and how it is made from a template."""

    name: str
    extension: str
    media_type: str
    family: Literal["md", "html"]  # the template family: brief.md.j2 or brief.html.j2
    paged: bool  # laid out in pages (print CSS, page numbers)
    finish: Callable[[str, Any, Any], bytes]  # rendered text -> the file's bytes

    @property
    def markdown(self) -> bool:
        """Whether the template writes Markdown (escaping rules differ from HTML)."""
        return self.family == "md"

    def template_file(self, template: str) -> str:
        """``brief.html.j2`` for html and pdf, ``brief.md.j2`` for md."""
        return f"{template}.{self.family}.j2"


REGISTRY: dict[str, OutputFormat] = {
    f.name: f
    for f in (
        OutputFormat("md", "md", "text/markdown; charset=utf-8", "md", False, _utf8),
        OutputFormat("html", "html", "text/html; charset=utf-8", "html", False, _utf8),
        OutputFormat("pdf", "pdf", "application/pdf", "html", True, _pdf),
    )
}

Format = Literal["md", "html", "pdf"]
FORMATS: tuple[str, ...] = get_args(Format)
assert tuple(REGISTRY) == FORMATS, "Format must name the registry's formats"

Paper = Literal["A4", "Letter"]
PAPERS: tuple[str, ...] = get_args(Paper)
PdfVariant = Literal["pdf/ua-1", "pdf/a-3b"]
PDF_VARIANTS: tuple[str, ...] = get_args(PdfVariant)


def output_format(name: str) -> OutputFormat:
    """The registry entry for ``name``; ``KeyError`` for an unknown format."""
    return REGISTRY[name]
