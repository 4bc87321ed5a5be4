"""Text from untrusted authors as it is printed: terminal controls shown, Markdown made inert.

Owns: the one rule for control characters in every output (each C0 character
but tab and newline, DEL and each C1 character is shown as ``\\x1b``, never
sent, so a value cannot clear a screen, retitle a terminal, move the cursor or
ring a bell), and the one rule for a *name* in Markdown (every value printed as
written: a name, an id, a date, a sentence the tool makes of names), and for a
code span. Markdown *text* fields (a summary, a description) have their own
rule in ``rendering.markup``, built on this one. Imports nothing of the
project: the command line, the diff and the renderers share it.
"""

from __future__ import annotations

import json
import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def show_controls(text: str) -> str:
    """``text`` with every control character but tab and newline written as ``\\xNN``.

    Tab and newline are text; anything else in C0, DEL or C1 is an instruction
    to a terminal (``ESC [ 2 J`` clears it, ``ESC ] 0 ;`` retitles it, BEL
    rings it, CR overwrites the line), and a reader must see it, not obey it.
    """
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


_UNESCAPED_BY_JSON = re.compile("[\x7f-\x9f]")


def json_text(data: object, **options: object) -> str:
    """``json.dumps(data, ensure_ascii=False)`` with DEL and C1 written ``\\u007f``.

    JSON always escapes C0, but keeps DEL and C1 (``\\x9b`` is a terminal's
    one-byte CSI) as they are; those can only stand inside a string, where
    ``\\u00NN`` is the same character to every JSON reader.
    """
    text = json.dumps(data, ensure_ascii=False, **options)  # type: ignore[arg-type]
    return _UNESCAPED_BY_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def control_characters(text: str) -> list[str]:
    """The distinct control characters ``show_controls`` would escape, in code order."""
    return sorted(set(_CONTROL.findall(text)))


_LINE_BREAK = re.compile(r"[ \t]*\n\s*")
_LEADING_SPACE = re.compile(r"^[ \t]{2,}(?=\S)")
# Everywhere in a line: what opens a link, image, footnote, code span, emphasis,
# strikethrough, raw HTML, a table cell or an escape.
_NAME_SPECIAL = re.compile(r"([\\`*_\[\]<!|~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # "&amp;" would print as "&"
# At the start of a line: a heading, a quote, a list item, a setext underline.
_NAME_START = re.compile(r"^([ \t]?)(?:([#>+=-])|(\d{1,9})([.)])(?=[ \t]|$))")


def one_line(text: str) -> str:
    """``text`` on one line: every line break, with the spaces around it, one space."""
    return _LINE_BREAK.sub(" ", text) if "\n" in text else text


def md_name(text: str) -> str:
    """A value printed as written into Markdown: one line, nothing in it starts structure.

    Backslash-escapes only what could open something in its position: ``[ ] `` `
    ``* _ ~ < ! | \\`` anywhere, an entity's ``&``, and at the start a heading,
    quote or list marker (``#``, ``>``, ``-``, ``+``, ``=``, ``1.``). CommonMark
    allows a backslash before any ASCII punctuation and prints the character, so
    the name reads as written; a name without those characters is unchanged.
    """
    line = _LEADING_SPACE.sub(" ", one_line(show_controls(text)))
    line = _ENTITY.sub("\\\\&", _NAME_SPECIAL.sub(r"\\\1", line))
    return _NAME_START.sub(_escape_start, line, count=1)


def _escape_start(match: re.Match[str]) -> str:
    space, mark, digits, dot = match.groups()
    return f"{space}\\{mark}" if mark else f"{space}{digits}\\{dot}"


_BACKTICKS = re.compile(r"`+")


def md_code(text: str, *, cell: bool = False) -> str:
    """``text`` as a Markdown code span: on one line, fenced by more backticks than it holds.

    Nothing inside a code span is Markdown, and no backslash escapes it, so the
    fence is what keeps the text in: one backtick longer than its longest run,
    with a space inside each end when it starts or ends with a backtick. In a
    table cell (``cell``) a ``|`` is written ``\\|``, the one escape GitHub's
    table parser reads inside a span.
    """
    line = one_line(show_controls(text))
    longest = max((len(run) for run in _BACKTICKS.findall(line)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if line[:1] in ("`", " ") or line[-1:] in ("`", " ") else ""
    if cell:
        line = line.replace("|", "\\|")
    return f"{fence}{pad}{line}{pad}{fence}"
