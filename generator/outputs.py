"""The output formats: one registry entry each, so a new format is one addition here.

Owns: for each format its name, file extension, media type, which template
family serves it, which renderer draws it (``rendering.renderers``), and
whether it takes the print stylesheet, the shipped fonts and a worker. Also the
paper sizes and PDF variants. Pure data that imports nothing, so the command
line and the settings can read the choices instantly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args


@dataclass(frozen=True)
class OutputFormat:
    """One output format and how it is made: one entry here plus one renderer class.

    Three decisions that once hung on a single "paged" flag are kept apart:
    whether the HTML carries the print stylesheet (``print_css``), whether the
    shipped fonts shape the file's bytes (``fonts``: they join its build key
    and its font-coverage warning), and whether it is laid out in a worker
    process (``worker``: slow enough to be worth a process).
    """

    name: str
    extension: str
    media_type: str
    family: str  # the template family: brief.<family>.j2 (md, html, or a new one)
    renderer: str  # the key of its renderer in generator/rendering/renderers.py
    print_css: bool = False
    fonts: bool = False
    worker: bool = False

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
        OutputFormat("md", "md", "text/markdown; charset=utf-8", "md", "text"),
        OutputFormat("html", "html", "text/html; charset=utf-8", "html", "text"),
        OutputFormat(
            "pdf", "pdf", "application/pdf", "html", "pdf", print_css=True, fonts=True, worker=True
        ),
    )
}

FORMATS: tuple[str, ...] = tuple(REGISTRY)
if TYPE_CHECKING:
    Format = str
else:  # the settings' choices are the registry's names: a new format is one entry above
    Format = Literal[FORMATS]

Paper = Literal["A4", "Letter"]
PAPERS: tuple[str, ...] = get_args(Paper)
PdfVariant = Literal["pdf/ua-1", "pdf/a-3b"]
PDF_VARIANTS: tuple[str, ...] = get_args(PdfVariant)


def output_format(name: str) -> OutputFormat:
    """The registry entry for ``name``; ``KeyError`` for an unknown format."""
    return REGISTRY[name]
