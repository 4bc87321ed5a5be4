"""Names that may cite: a threshold's name, and the sentences the tool makes of names.

Owns: how a name that holds a citation (``"Cyber uplift level 1 [@fsf]"``) is
printed. It is a name — one line, printed as written, never emphasis, a
heading or a table cell of its own (``escaping.md_name`` in Markdown, escaped
HTML) — except that each ``[@id]`` becomes the document's note mark. The
statuses (``"alert"``), state sentences (``"Not triggered …: NAME."``) and
comparison rows built from such names are printed the same way, so a name's
``**TRIGGERED**`` is never a bold state word. Markdown *text* fields have
their own rule (``markup.to_markdown``/``to_html``).
"""

from __future__ import annotations

import html
from collections.abc import Callable

from markupsafe import Markup

from ..analysis.numbers import notation
from ..escaping import md_name, one_line, show_controls
from ..format.vocabulary import CITATION, cited_ids
from .markup import CITATION_RUN, Citations, breakable, contain_bidi


def _parts(text: str, citations: Citations, escape: Callable[[str], str], mark: Callable) -> str:
    line = notation(one_line(show_controls(str(text)).strip()))
    out, last = [], 0
    for match in CITATION_RUN.finditer(line):
        out.append(escape(line[last : match.start()]))
        ids = [i for c in CITATION.finditer(match.group(0)) for i in cited_ids(c.group(1))]
        out.append(mark(sorted({citations.number(i) for i in ids})))  # in order, each once
        last = match.end()
    out.append(escape(line[last:]))
    return "".join(out)


def name_markdown(text: str | None, citations: Citations) -> Markup:
    """A name in Markdown: ``md_name`` around its citations, each a ``[^n]`` mark."""
    if not text:
        return Markup("")
    marks = lambda numbers: "".join(f"[^{n}]" for n in numbers)  # noqa: E731
    return Markup(contain_bidi(_parts(text, citations, md_name, marks)))


def name_html(text: str | None, citations: Citations) -> Markup:
    """A name in HTML: escaped around its citations, each a linked note mark."""
    if not text:
        return Markup("")

    def marks(numbers: list[int]) -> str:
        links = ",".join(f'<a href="#source-{n}">{n}</a>' for n in numbers)
        return f'<sup class="note">{links}</sup>'

    escaped = _parts(text, citations, lambda t: html.escape(t, quote=False), marks)
    return Markup(breakable(contain_bidi(escaped)))
