"""Text fields to output: Markdown rendered and sanitised for HTML, escaped for Markdown.

Owns: the only path by which scenario text reaches a document, and its link
policy, the same for every output: links only to ``http``, ``https`` and
``mailto`` addresses, no image from scenario text; any other link or image is
printed as plain text. For HTML it renders Markdown with Python-Markdown, then
sanitises the result with nh3 (Ammonia) so that no script, event handler,
iframe, style or other URL survives; for Markdown output it escapes raw HTML
and breaks the syntax of every link and image the policy refuses. Citations
``[@id]`` become numbered note marks through a per-document
:class:`Citations` registry. Must not read templates or files.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable, Iterable
from urllib.parse import quote
from xml.etree import ElementTree

import markdown as _markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from ..analysis.numbers import notation
from ..escaping import md_name, one_line, show_controls
from ..format.text_checks import BIDI_CONTROLS
from ..format.vocabulary import CITATION, cited_ids

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
_PHRASING_TAGS = {"br", "em", "strong", "b", "i", "code", "a", "sup", "sub", "del"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto"}
_LINK = re.compile(r"(?i)(https?://|mailto:)")
# nh3 writes every attribute value double-quoted with ``"`` and ``>`` escaped.
_ANCHOR = re.compile(r"<a((?: [a-z-]+=\"[^\"]*\")*)>(.*?)</a>", re.S)
_BLOCK_END = re.compile(r"</(?:p|li|h[4-6]|blockquote|pre|tr|table|ul|ol)>|<hr>")
_BIDI = re.compile(f"[{''.join(sorted(BIDI_CONTROLS))}]")
# Each opening control (embedding, override, isolate) and the character that closes it.
_BIDI_CLOSER = {
    c: "\u2069" if c >= "\u2066" else "\u202c" for c in BIDI_CONTROLS - {"\u202c", "\u2069"}
}
_TAG = re.compile(r"<[^>]*>")  # in sanitised HTML, ">" inside an attribute is escaped
_BREAKS = re.compile(r"\s*<br>\s*")
_EXTRA_BREAKS = re.compile(r"^(?:<br>)+|(?<=<br><br>)(?:<br>)+|(?:<br>)+$")
_TOKEN = "\u2063CITE{}\u2063"
_SPACED_CITATION = re.compile(r"[ \t]*" + CITATION.pattern)
_TOKEN_RE = re.compile("\u2063CITE([^\u2063]*)\u2063")
_TOKENS_RE = re.compile("(?:\u2063CITE[^\u2063]*\u2063)+")


class Citations:
    """Numbers sources in the order a document first cites them."""

    def __init__(self) -> None:
        self.order: list[str] = []

    def number(self, ident: str) -> int:
        """The note number of source ``ident``, assigned on first use."""
        if ident not in self.order:
            self.order.append(ident)
        return self.order.index(ident) + 1


def link_allowed(url: str | None) -> bool:
    """The link policy: only absolute ``http``, ``https`` and ``mailto`` addresses."""
    return bool(url and _LINK.match(url.strip()))


class _ImagesAsText(Treeprocessor):
    """Every Markdown image becomes its alt text: scenario text never loads an image."""

    def run(self, root: ElementTree.Element) -> None:
        for element in root.iter("img"):
            alt, tail = element.get("alt", ""), element.tail
            element.clear()  # also clears the tail: the text that follows the image
            element.tag, element.text, element.tail = "span", alt, tail  # nh3 keeps only the text


class _NoImages(Extension):
    def extendMarkdown(self, md: _markdown.Markdown) -> None:
        md.treeprocessors.register(_ImagesAsText(md), "images-as-text", 0)


_local = threading.local()


def _md_to_html(text: str) -> str:
    """Markdown to HTML with one converter per thread, reset between texts: building one
    per call (loading its extensions) cost more than converting a short field, and a
    converter is not safe to share between threads (Dask workers run several)."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = _markdown.Markdown(
            extensions=["sane_lists", _NoImages()], output_format="html"
        )
    return converter.reset().convert(text)


def _keep_allowed_link(tag: str, attribute: str, value: str) -> str | None:
    return None if tag == "a" and attribute == "href" and not link_allowed(value) else value


def _unwrap_dead_anchor(match: re.Match[str]) -> str:
    return match.group(0) if ' href="' in match.group(1) else match.group(2)


def sanitise(fragment: str, tags: set[str] = _ALLOWED_TAGS) -> str:
    """Keep only harmless markup: no scripts, handlers, styles, frames or refused links.

    A link the policy refuses keeps its text and loses its anchor.
    """
    cleaned = nh3.clean(
        fragment,
        tags=tags,
        attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_allowed_link,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _ANCHOR.sub(_unwrap_dead_anchor, cleaned)


def _phrasing(fragment: str) -> str:
    """A sanitised fragment as phrasing content: paragraphs and other blocks become line breaks.

    Inline fields are printed inside a paragraph, a list item or a table cell,
    where a block (a ``<p>`` in a ``<p>``) would not be valid HTML.
    """
    folded = _BLOCK_END.sub("<br>", re.sub(r"</p>\s*<p>", "<br><br>", fragment))
    breaks = _BREAKS.sub("<br>", sanitise(folded, _PHRASING_TAGS))
    return _EXTRA_BREAKS.sub("", breaks.strip())  # none at either end, at most two in a row


def contain_bidi(text: str) -> str:
    """``text`` with its bidirectional controls closed where it ends, so it reorders nothing after.

    An embedding, override or isolate (U+202A–U+202E, U+2066–U+2069) left open
    in one field would reorder whatever a document prints after it; closers
    that match nothing are dropped, and any still open are closed at the end,
    as the Unicode bidirectional algorithm pairs them.
    """
    if not _BIDI.search(text):
        return text
    out: list[str] = []
    open_: list[str] = []  # the closer each open control needs, innermost last
    for char in text:
        if char in ("\u202c", "\u2069"):
            if char == "\u202c" and open_[-1:] == ["\u202c"]:
                out.append(open_.pop())
            elif char == "\u2069" and "\u2069" in open_:
                while open_.pop() != "\u2069":  # an isolate's end also ends what it holds
                    pass
                out.append(char)
        else:
            out.append(char)
            if char in _BIDI_CLOSER:
                open_.append(_BIDI_CLOSER[char])
    return "".join(out + open_[::-1])


def contain_bidi_value(value: object) -> object:
    """Any text printed into an HTML document, its controls shown and bidi controls contained."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return contain_bidi(show_controls(value))
    return value


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
    tokenised = _SPACED_CITATION.sub(
        lambda m: "".join(_TOKEN.format(i) for i in cited_ids(m.group(1))),
        notation(show_controls(text)),
    )
    rendered = sanitise(_md_to_html(tokenised)).strip()
    if inline:
        rendered = _phrasing(rendered)
    # Controls inside a tag (an address) are not text: drop them, then contain the text's.
    rendered = contain_bidi(_TAG.sub(lambda m: _BIDI.sub("", m.group(0)), rendered))

    def cite(match: re.Match[str]) -> str:
        # Citations side by side ([@a; @b], or [@a] [@b]) share one mark, each source once
        # and in order: 1,2 (never 2,1 or 1,1).
        idents = [html.unescape(i) for i in _TOKEN_RE.findall(match.group(0))]
        numbers = sorted({(citations.number(i), i) for i in idents})
        if mark is not None:
            return "".join(mark(n, i) for n, i in numbers)
        links = ",".join(f'<a href="#source-{n}">{n}</a>' for n, _ in numbers)
        return f'<sup class="note">{links}</sup>'

    return Markup(breakable(_TOKENS_RE.sub(cite, rendered)))


_TAG = re.compile(r"(<[^>]*>)")
_CHAR = re.compile(r"&#?\w+;|[^\s<&]")  # one character of text, an entity counting as one
_LONG_RUN = re.compile(r"(?:&#?\w+;|[^\s<&]){41,}")
_CHUNK = 20


def breakable(rendered: str) -> str:
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


# Where a line's own content starts: after any list markers ("- ", "1. ") in front of it.
_LIST_PREFIX = re.compile(r"(?:[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$))*")
_RULE_OR_UNDERLINE = re.compile(r" {0,3}(?:(?:[-*_][ \t]*){3,}|=+[ \t]*|-+[ \t]*)$")
_BLOCK_OPENER = re.compile(r" {0,3}(?:#{1,6}(?:[ \t]|$)|>|`{3,}|~{3,})")  # heading, quote, fence
_DELIMITER_ROW = re.compile(r"[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?$")
# "[label]:" or "[^n]:" where a line starts (in a list item too), the label perhaps
# running over lines: a link or footnote definition.
_DEFINITION = re.compile(
    r"^((?:[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]+)*[ \t]{0,3}\[(?:[^\[\]\\]|\\.)*)\]:", re.M
)
_FOOTNOTE_REF = re.compile(r"(?<!\\)\[\^")


def _backslash_at(line: str, at: int) -> str:
    """``line`` with a backslash before its first character from ``at`` that is not a space."""
    at += len(line[at:]) - len(line[at:].lstrip(" \t"))
    return line[:at] + "\\" + line[at:]


def _inert_line(line: str) -> str:
    """One line of a text field with every block structure but a list item made inert.

    A thematic break or setext underline, a heading, a quote, a fence and a
    table's delimiter row get a backslash before the character that would open
    them, also inside a list item, where GitHub would draw them too.
    """
    if _RULE_OR_UNDERLINE.match(line):  # "- - -" is a rule before it is a list item
        return _backslash_at(line, 0)
    prefix = _LIST_PREFIX.match(line).group(0)  # type: ignore[union-attr]  # matches ""
    rest = line[len(prefix) :]
    if _RULE_OR_UNDERLINE.match(rest) or _BLOCK_OPENER.match(rest):
        return _backslash_at(line, len(prefix))
    if "|" in rest and _DELIMITER_ROW.match(rest):
        return line.replace("|", "\\|")
    return line


def _inert_text(text: str) -> str:
    """Text with no raw HTML, footnote mark, definition or block structure but lists."""
    text = notation(show_controls(text)).replace("<", "&lt;")  # no raw HTML reaches the document
    text = _FOOTNOTE_REF.sub("\\[^", text)  # a note mark is the tool's, from a citation
    return "\n".join(_inert_line(line) for line in text.split("\n"))


def to_markdown(text: str | None, citations: Citations, *, cell: bool = False) -> Markup:
    """Scenario Markdown for a Markdown document: paragraphs, emphasis, lists and links only.

    No heading, quote, fence, thematic break, table, raw HTML, footnote or link
    definition can form (each is printed as its characters); citations become
    footnote marks. With ``cell``, the text is folded onto one line with pipes
    escaped and nothing at its start that opens a block, so it fits a table cell
    or a line of its own template.
    """
    if not text:
        return Markup("")
    out = _inert_text(str(text).strip())
    if cell:  # each line is inert already; folded, only its start can open a list item
        out = _CELL_START.sub(r"\1\\\2", one_line(out).replace("|", "\\|"), count=1)
    out = CITATION_RUN.sub(lambda m: _marks(m.group(0), citations), out)
    out = _DEFINITION.sub(r"\1]\\:", out)  # after the citations: "[@a]: x" is one too
    return Markup(contain_bidi(refuse_links(out)))


CITATION_RUN = re.compile(rf"(?:{_SPACED_CITATION.pattern})+")
"""Citations side by side (``[@a] [@b]``, ``[@a; @b]``): one group of note marks."""


def _marks(run: str, citations: Citations) -> str:
    """Citations side by side as one group of note marks: each source once, in order."""
    ids = [i for c in CITATION.finditer(run) for i in cited_ids(c.group(1))]
    return "".join(f"[^{n}]" for n in sorted({citations.number(i) for i in ids}))


def with_sources(text: str | None, sources: Iterable[str | None]) -> str:
    """``text`` citing ``sources`` too: those it does not cite already join its closing
    citation (``… coder [@a; @b].``), or follow it as one; so a judgment's marks are one
    group, never ``coder².¹``."""
    body = text or ""
    cited = {i for c in CITATION.finditer(body) for i in cited_ids(c.group(1))}
    extra = list(dict.fromkeys(i for i in sources if i and i not in cited))
    if not extra:
        return body
    more = "; ".join(f"@{i}" for i in extra)
    last = _CLOSING_CITATION.search(body)
    if last:
        return f"{body[: last.end(1) - 1]}; {more}]{body[last.end(1) :]}"
    return f"{body.rstrip()} [{more}]" if body.strip() else f"[{more}]"


_CLOSING_CITATION = re.compile(rf"({CITATION.pattern})[.,;:!?)\]\"'”’»\s]*$")


# A list marker at the start of a one-line text would make its line a list item.
_CELL_START = re.compile(r"^(\d{0,9})((?<=\d)[.)]|(?<!\d)[-+*])(?=[ \t]|$)")


_RAW_HTML = re.compile(r"<(?!https?://[^\s<>]*>|mailto:[^\s<>]*>)")
# Where CommonMark reads a link destination: after "](" (inline link or image) and after
# "[label]:" (link reference definition; "[^n]:" is a footnote and has none).
_DESTINATION = re.compile(r"\]\(|(?<!\\)\[(?!\^)(?:[^\[\]\\]|\\.)*\]:")
_DESTINATION_GAP = re.compile(r"[ \t]*(?:\n[ \t]*)?")


def refuse_links(text: str) -> str:
    """Markdown with every image, and every link the policy refuses, turned into plain text.

    A backslash before the ``[`` of an image, or before the ``(`` or ``:`` that
    starts a destination, breaks the syntax and prints the character itself.
    Applying it twice changes nothing.
    """

    def check(match: re.Match[str]) -> str:
        source = match.string
        gap = _DESTINATION_GAP.match(source, match.end())
        start = gap.end() if gap else match.end()
        if link_allowed(source[start : start + 10]):
            return match.group(0)
        return match.group(0)[:-1] + "\\" + match.group(0)[-1]

    text = text.replace("![", "!\\[")
    return _DESTINATION.sub(check, text)


def markdown_value(value: object) -> object:
    """Any value a Markdown template prints: a string is a name (printed as written, see
    ``escaping.md_name``); Markdown the tool made (a text field through ``doc.md``, a
    macro's output) is ``Markup`` and printed as it is."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return Markup(contain_bidi(md_name(value)))
    return value


def markdown_concat(parts: Iterable[str]) -> Markup:
    """What a Markdown template or macro writes is the tool's Markdown: not escaped again."""
    return Markup("".join(parts))


def autolink(url: str | None) -> Markup:
    """A source's address in Markdown: an autolink if the policy allows it, else its text.

    Nothing is escaped inside ``<...>``, so the characters an autolink cannot hold
    (spaces, ``<``, ``>``, controls) are percent-encoded instead.
    """
    if not url:
        return Markup("")
    if not link_allowed(url):
        return Markup(contain_bidi(md_name(url)))
    return Markup(f"<{_NOT_IN_AUTOLINK.sub(lambda m: quote(m.group(0)), url.strip())}>")


_NOT_IN_AUTOLINK = re.compile(f"[\\x00-\\x20<>\\x7f-\\x9f{''.join(sorted(BIDI_CONTROLS))}]")


def safe_url(url: str | None) -> str | None:
    """``url`` if the link policy allows it, else ``None`` (never a live script link)."""
    return url.strip() if url and link_allowed(url) else None


def plain(text: str | None) -> str:
    """Text with Markdown and citations removed, for metadata and running heads."""
    if not text:
        return ""
    stripped = _SPACED_CITATION.sub("", notation(show_controls(str(text))))
    rendered = nh3.clean(_md_to_html(stripped), tags=set())
    return " ".join(html.unescape(rendered).split())
