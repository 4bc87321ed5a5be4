"""Renderers: one small class per kind of output, each drawing the view model into files.

Owns: how a document's template text becomes its files. A renderer runs in two
steps so the build can split them: :meth:`Renderer.text` (the template, in the
main process, where the prepared scenario is) and :meth:`Renderer.finish` (the
engine, in a worker for a slow format). What it returns is a
:class:`Rendered`: the main file's bytes and any attachments beside it. A new
output format is one entry in ``generator/outputs.py`` plus one class here,
registered in :data:`RENDERERS` under the entry's ``renderer`` key. Must not
write files (``write`` does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from ..outputs import OutputFormat, output_format

if TYPE_CHECKING:
    from ..prepared import Prepared
    from ..workspace import Settings


ATTACHMENTS = "charts"
"""The folder beside a document that holds its attachments."""


@dataclass(frozen=True)
class Attachment:
    """A file a document links to, written beside it (a chart, later).

    ``name`` and ``extension`` are the renderer's (``[a-z0-9-]+``); the file goes
    to ``charts/<template>-<name>.<extension>`` next to the document, so two
    documents never write the same path. The document holds :attr:`mark` where
    it links to the file: ``link`` (with ``{path}``, the relative path) replaces
    it where the file is written, ``text`` where it cannot be (standard output,
    a device).
    """

    name: str
    extension: str
    data: bytes
    link: str
    text: str

    @property
    def mark(self) -> str:
        return f"\u2063attachment:{self.name}\u2063"

    def path(self, template: str) -> str:
        """Its path relative to the document's folder."""
        return f"{ATTACHMENTS}/{template}-{self.name}.{self.extension}"


@dataclass(frozen=True)
class Rendered:
    """A document as files: its main file and its attachments."""

    data: bytes
    attachments: tuple[Attachment, ...] = field(default=())

    def linked(self, template: str) -> bytes:
        """The main file, each attachment's mark replaced by a link to where it is written."""
        data = self.data
        for a in self.attachments:
            data = data.replace(a.mark.encode(), a.link.format(path=a.path(template)).encode())
        return data

    def unlinked(self) -> bytes:
        """The main file alone: each attachment's mark replaced by its text."""
        data = self.data
        for a in self.attachments:
            data = data.replace(a.mark.encode(), a.text.encode())
        return data


class Renderer:
    """Draws documents of one output format: the template's text, then the file's bytes."""

    key: ClassVar[str]

    def __init__(self, fmt: OutputFormat) -> None:
        self.format = fmt

    def text(self, prepared: Prepared, settings: Settings, template: str) -> str:
        """The template drawn for this format (Markdown, or the HTML a PDF is made from)."""
        from .document import render_text

        return render_text(prepared, settings, template, self.format.name)

    def finish(self, text: str, label: str, created: datetime, settings: Settings) -> Rendered:
        raise NotImplementedError

    def render(self, prepared: Prepared, settings: Settings, template: str) -> Rendered:
        """Both steps, in this process."""
        text = self.text(prepared, settings, template)
        return self.finish(text, prepared.scenario.id, prepared.created, settings)


class TextRenderer(Renderer):
    """Markdown and HTML: the template's text is the file, in UTF-8."""

    key = "text"

    def finish(self, text: str, label: str, created: datetime, settings: Settings) -> Rendered:
        return Rendered(text.encode("utf-8"), tuple(getattr(text, "attachments", ())))


class PdfRenderer(Renderer):
    """PDF: the HTML laid out by WeasyPrint (imported only here, only when used)."""

    key = "pdf"

    def finish(self, text: str, label: str, created: datetime, settings: Settings) -> Rendered:
        from .pdf import html_to_pdf

        return Rendered(html_to_pdf(text, label, created, settings))


RENDERERS: dict[str, type[Renderer]] = {cls.key: cls for cls in (TextRenderer, PdfRenderer)}


def renderer(fmt: str) -> Renderer:
    """The renderer of output format ``fmt`` (a registry name)."""
    entry = output_format(fmt)
    return RENDERERS[entry.renderer](entry)
