"""PDF stage: HTML to PDF through WeasyPrint, offline and reproducible.

Owns: the URL fetcher that confines WeasyPrint to ``data:`` URLs and files
inside the workspace and the built-in templates (no network, no file outside
them, no symlink out), the document metadata, the PDF variants, and the
settings that make the bytes the same on every run -- including the date
inside each embedded font, which fontTools (WeasyPrint's subsetter when
``libharfbuzz-subset0`` is missing) would otherwise take from the clock. This
is the only module that imports WeasyPrint, and it is imported only when a PDF
is rendered.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import logging
import re
import struct
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
import weasyprint
from weasyprint.formatting_structure.boxes import MarginBox, TextBox
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..errors import RenderError
from ..workspace import Settings

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


class ConfinedFetcher(URLFetcher):
    """Fetches ``data:`` URLs and files under the allowed roots; refuses everything else.

    Every refusal is recorded in :attr:`refused` so that tests (and callers)
    can prove nothing was requested from the network or the wider disk.
    """

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(timeout=1, allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = [r.resolve() for r in roots]
        self.refused: list[str] = []
        self.fetched: list[str] = []

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return True
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return False
        path = Path(unquote(parts.path))
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return False
        return real.is_file() and any(real.is_relative_to(root) for root in self.roots)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if not self.allowed(url):
            self.refused.append(url)
            raise ValueError(f"refused to fetch {url[:200]}: outside the workspace")
        self.fetched.append(url)
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = Path(unquote(urlsplit(url).path)).resolve()
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {})


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    """One font configuration per process: WeasyPrint caches each @font-face in it.

    Reusing it across documents (as the warm build workers do) saves about a
    quarter of a brief's render time; the bytes produced are the same.
    """
    return FontConfiguration()


_SFNT_TAGS = (b"\x00\x01\x00\x00", b"OTTO", b"true")
_FONT_EPOCH = _dt.datetime(1904, 1, 1, tzinfo=_dt.UTC)  # OpenType dates count from here


def _checksum(data: bytes | bytearray) -> int:
    """The OpenType checksum: the sum of big-endian 32-bit words, zero-padded, modulo 2**32."""
    padded = bytes(data) + bytes(-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def stamp_font(data: bytes, when: _dt.datetime) -> bytes:
    """``data`` (one sfnt font) with ``head.modified`` set to ``when``, checksums redone.

    Anything that is not a single TrueType/OpenType font (a collection, a
    damaged file) is given back unchanged.
    """
    if data[:4] not in _SFNT_TAGS:
        return data
    tables = int.from_bytes(data[4:6], "big")
    records = (12 + 16 * i for i in range(tables))
    record = next((r for r in records if data[r : r + 4] == b"head"), None)
    if record is None:
        return data
    offset, length = struct.unpack(">II", data[record + 8 : record + 16])
    if length < 54 or offset + length > len(data):
        return data
    font = bytearray(data)
    seconds = int((when - _FONT_EPOCH).total_seconds())
    font[offset + 8 : offset + 12] = bytes(4)  # checkSumAdjustment counts as 0 in the sums
    font[offset + 28 : offset + 36] = seconds.to_bytes(8, "big", signed=True)
    font[record + 4 : record + 8] = _checksum(font[offset : offset + length]).to_bytes(4, "big")
    adjustment = (0xB1B0AFBA - _checksum(font)) & 0xFFFFFFFF
    font[offset + 8 : offset + 12] = adjustment.to_bytes(4, "big")
    return bytes(font)


class FontDater:
    """A WeasyPrint finisher: every embedded font's date becomes the document's date.

    fontTools stamps each subset it saves with the current time unless the
    process-wide ``SOURCE_DATE_EPOCH`` is set; rewriting the one field in the
    finished font streams makes the bytes independent of the clock (and of
    which subsetter ran) without touching the environment of the caller.
    """

    def __init__(self, when: _dt.datetime) -> None:
        self.when = when

    def __call__(self, document: object, pdf: pydyf.PDF) -> None:
        for obj in pdf.objects:
            if not isinstance(obj, pydyf.Stream) or len(obj.stream) != 1:
                continue
            if "Length1" in obj.extra or obj.extra.get("Subtype") == "/OpenType":
                obj.stream[0] = stamp_font(bytes(obj.stream[0]), self.when)


LONE_LAST_PAGE = 0.2
"""A last page whose text fills less than this share of its body is pulled back if it can be."""
_FIT = re.compile(r"<html\b")


BRIEF_PAGES = 4
"""The most pages a brief with its chart may take."""
MOSTLY_EMPTY = 1 / 3
"""A page, other than the last, whose text ends above this share of its body is mostly empty."""
_LEAD_FIGURE = re.compile(r'<figure class="chart lead">.*?</figure>', re.S)


def _fits(document: weasyprint.document.Document) -> bool:
    """Whether a brief holds its chart: at most four pages, none before the last mostly
    empty, and the last more than a line or two."""
    shares = [page_share(document, k) for k in range(len(document.pages))]
    if len(shares) > BRIEF_PAGES or any(s < MOSTLY_EMPTY for s in shares[:-1]):
        return False
    return len(shares) == 1 or shares[-1] >= LONE_LAST_PAGE


def last_page_share(document: weasyprint.document.Document) -> float:
    """How far down its body the last page's text reaches, from 0 to 1."""
    return page_share(document, len(document.pages) - 1)


def page_share(document: weasyprint.document.Document, index: int) -> float:
    """How far down its body page ``index``'s text reaches, from 0 to 1."""
    page = document.pages[index]._page_box
    top, height = page.content_box_y(), page.height
    bottoms = [
        box.position_y + box.margin_height()
        for body in page.children
        if not isinstance(body, MarginBox)  # the running head and foot
        for box in body.descendants()
        if isinstance(box, TextBox)
    ]
    return (max(bottoms) - top) / height if bottoms and height else 0.0


def html_to_pdf(
    html: str,
    label: str,
    created: _dt.datetime,
    settings: Settings,
    fetcher: ConfinedFetcher | None = None,
) -> bytes:
    """Lay out ``html`` and return the PDF bytes; identical input gives identical bytes.

    ``label`` names the document in an error (the scenario id); ``created`` is
    the document date, which also dates every embedded font.
    """
    builtin = settings.template_dirs[-1]
    fetcher = fetcher or ConfinedFetcher([settings.root, builtin])
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    # Tagging (structure for screen readers) costs about a tenth of the render time, so
    # it comes with the accessible variant (pdf/ua-1 turns it on) rather than always.
    options: dict[str, object] = {"pdf_identifier": digest}
    if settings.pdf_variant:
        options["pdf_variant"] = settings.pdf_variant

    def lay_out(text: str) -> weasyprint.document.Document:
        source = weasyprint.HTML(string=text, base_url=builtin.as_uri() + "/", url_fetcher=fetcher)
        return source.render(font_config=_font_config(), **options)

    try:
        document = lay_out(html)
        if _LEAD_FIGURE.search(html):
            # The brief's one chart must fit its pages: else the brief goes without it (the
            # report carries every chart) rather than run long, leave a page mostly empty,
            # or add a page that is mostly empty.
            bare = _LEAD_FIGURE.sub("", html, count=1)
            if not _fits(document):
                html, document = bare, lay_out(bare)
            elif len(document.pages) > 1 and last_page_share(document) < MOSTLY_EMPTY:
                without = lay_out(bare)
                if len(without.pages) < len(document.pages):
                    html, document = bare, without
        if len(document.pages) > 1 and last_page_share(document) < LONE_LAST_PAGE:
            # A last page holding a line or two (one source, one changelog row): set the
            # whole document a notch tighter (print.css, html[data-fit]) and keep that
            # if it saves the page. Same HTML, same decision: the bytes stay reproducible.
            tighter = lay_out(_FIT.sub(r"\g<0> data-fit", html, count=1))
            if len(tighter.pages) < len(document.pages):
                document = tighter
        return document.write_pdf(finisher=FontDater(created), **options)
    except Exception as exc:  # WeasyPrint raises many types; all mean "this render failed"
        raise RenderError.at(label, f"PDF rendering failed: {type(exc).__name__}: {exc}") from exc
