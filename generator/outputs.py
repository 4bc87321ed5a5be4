"""The output formats: one registry entry each, so a new format is one addition here.

Owns: for each format its name, file extension, media type, which template
family serves it (Markdown or HTML), whether it is paged, and which engine
turns the rendered text into the file's bytes (``rendering`` runs it). Also the
paper sizes and PDF variants. Pure data that imports nothing, so the command
line and the settings can read the choices instantly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args


@dataclass(frozen=True)
class OutputFormat:
    """One output format and how it is made from a template."""

    name: str
    extension: str
    media_type: str
    family: Literal["md", "html"]  # the template family: brief.md.j2 or brief.html.j2
    paged: bool  # laid out in pages (print CSS, page numbers)
    engine: Literal["text", "pdf"]  # what turns the rendered text into the file's bytes

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
        OutputFormat("md", "md", "text/markdown; charset=utf-8", "md", False, "text"),
        OutputFormat("html", "html", "text/html; charset=utf-8", "html", False, "text"),
        OutputFormat("pdf", "pdf", "application/pdf", "html", True, "pdf"),
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
