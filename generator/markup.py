"""Text fields to output: Markdown rendered and sanitised for HTML, escaped for Markdown.

Owns: the only path by which scenario text reaches a document. For HTML it
renders Markdown with Python-Markdown, then sanitises the result with nh3
(Ammonia) so that no script, event handler, iframe, style or foreign URL
scheme survives; for Markdown output it escapes raw HTML. Citations
``[@id]`` become numbered note marks through a per-document
:class:`Citations` registry. Must not read templates or files.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable

import markdown as _markdown
import nh3
from markupsafe import Markup

from .validation import CITATION

_ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "sup",
    "sub",
    "del",
    "hr",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto"}
_TOKEN = "\u2063CITE{}\u2063"
_SPACED_CITATION = re.compile(r"[ \t]*" + CITATION.pattern)
_TOKEN_RE = re.compile("\u2063CITE([^\u2063]*)\u2063")


class Citations:
    """Numbers sources in the order a document first cites them."""

    def __init__(self) -> None:
        self.order: list[str] = []

    def number(self, ident: str) -> int:
        """The note number of source ``ident``, assigned on first use."""
        if ident not in self.order:
            self.order.append(ident)
        return self.order.index(ident) + 1


_local = threading.local()


def _md_to_html(text: str) -> str:
    """Markdown to HTML with one converter per thread, reset between texts: building one
    per call (loading its extensions) cost more than converting a short field, and a
    converter is not safe to share between threads (Dask workers run several)."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = _markdown.Markdown(
            extensions=["sane_lists"], output_format="html"
        )
    return converter.reset().convert(text)


def sanitise(fragment: str) -> str:
    """Keep only harmless markup: no scripts, handlers, styles, frames or odd URL schemes."""
    return nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def to_html(
    text: str | None,
    citations: Citations,
    *,
    inline: bool = False,
    mark: Callable[[int, str], str] | None = None,
) -> Markup:
    """Render Markdown ``text`` to sanitised HTML with citations as note marks."""
    if not text:
        return Markup("")
    tokenised = _SPACED_CITATION.sub(lambda m: _TOKEN.format(m.group(1)), str(text))
    rendered = sanitise(_md_to_html(tokenised)).strip()
    if inline and rendered.startswith("<p>") and rendered.endswith("</p>"):
        paragraphs = rendered[3:-4].split("</p>\n<p>")
        if not any("<p>" in p or "</p>" in p for p in paragraphs):
            # Paragraphs of an inline field (a table cell, a list item) become line breaks.
            rendered = "<br><br>".join(paragraphs)

    def cite(match: re.Match[str]) -> str:
        ident = html.unescape(match.group(1))
        number = citations.number(ident)
        if mark is not None:
            return mark(number, ident)
        return f'<sup class="note"><a href="#source-{number}">{number}</a></sup>'

    return Markup(_breakable(_TOKEN_RE.sub(cite, rendered)))


_TAG = re.compile(r"(<[^>]*>)")
_CHAR = re.compile(r"&#?\w+;|[^\s<&]")  # one character of text, an entity counting as one
_LONG_RUN = re.compile(r"(?:&#?\w+;|[^\s<&]){41,}")
_CHUNK = 20


def _breakable(rendered: str) -> str:
    """``rendered`` with a ``<wbr>`` every 20 characters of a run longer than 40.

    A URL or hash without a space would otherwise set the minimum width of its
    table column and run off the page. CSS ``overflow-wrap: anywhere`` would do
    the same in tables but triples WeasyPrint's layout time, so the break
    opportunities are placed here, in text only (never inside a tag).
    """

    def split(match: re.Match[str]) -> str:
        chars = _CHAR.findall(match.group(0))
        return "<wbr>".join("".join(chars[i : i + _CHUNK]) for i in range(0, len(chars), _CHUNK))

    parts = _TAG.split(rendered)
    parts[::2] = [_LONG_RUN.sub(split, text) for text in parts[::2]]
    return "".join(parts)


_MD_SPECIAL_LINE = re.compile(r"^(\s*)([#>]|[-+*]\s|\d+[.)]\s)")


def to_markdown(text: str | None, citations: Citations, *, cell: bool = False) -> str:
    """Scenario Markdown for a Markdown document: raw HTML escaped, citations as footnotes.

    With ``cell``, the text is folded onto one line and pipes are escaped so it
    fits a table cell.
    """
    if not text:
        return ""
    out = str(text).strip().replace("<", "&lt;")  # no raw HTML reaches the document
    out = _SPACED_CITATION.sub(lambda m: f"[^{citations.number(m.group(1))}]", out)
    if cell:
        out = " ".join(line.strip() for line in out.splitlines() if line.strip())
        out = out.replace("|", "\\|")
    return out


_RAW_HTML = re.compile(r"<(?!https?://[^\s<>]*>|mailto:[^\s<>]*>)")


def escape_markdown_html(value: object) -> object:
    """Escape ``<`` in any text printed into a Markdown document, but keep autolinks."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _RAW_HTML.sub("&lt;", value)
    return value


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) or mailto link, else ``None`` (never a live script link)."""
    if url and re.match(r"(?i)(https?://|mailto:)", url.strip()):
        return url.strip()
    return None


def plain(text: str | None) -> str:
    """Text with Markdown and citations removed, for metadata and running heads."""
    if not text:
        return ""
    stripped = _SPACED_CITATION.sub("", str(text))
    rendered = nh3.clean(_md_to_html(stripped), tags=set())
    return " ".join(html.unescape(rendered).split())
