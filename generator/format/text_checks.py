"""Checks on the characters of every text value, whatever field it is in.

Owns: the warning for bidirectional control characters (the embeddings,
overrides and isolates U+202A–U+202E and U+2066–U+2069). One of them can make
a title or a paragraph display in another order than it is written —
"RTL\u202egnp.exe" shows as "RTLexe.png" — so a briefing could say something
its source does not. The documents isolate every field so that one field
cannot reorder another; this check tells the author the field itself is
affected. And the warning for control characters (C0 but tab and newline, DEL,
C1: written in YAML as ``"\\e"``, ``"\\a"``, ``"\\x9b"``): a terminal obeys them
(clears the screen, retitles the window), so every output shows them as
``\\x1b`` instead (``escaping.show_controls``) and the author learns the value
holds them. Must not check the format's structure or references.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from ..errors import Diagnostic
from ..escaping import control_characters
from .checker import format_path
from .loader import Document, Path_

BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
"""The characters that change the display order of the text around them."""


def _strings(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """Every text value inside ``value`` with its key path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def check_text(doc: Document) -> list[Diagnostic]:
    """One located warning per text value that holds a bidirectional or a control character."""
    out = []
    for path, text in _strings(doc.data, ()):
        controls = control_characters(text)
        if controls:
            out.append(_controls_warning(doc, path, controls))
        found = sorted({c for c in text if c in BIDI_CONTROLS})
        if not found:
            continue
        names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c)}" for c in found)
        message = (
            f"{format_path(path)}: holds the bidirectional control character"
            f"{'s' if len(found) > 1 else ''} {names}, which can make the text display in "
            "another order than it is written; remove "
            f"{'them' if len(found) > 1 else 'it'}"
        )
        out.append(doc.diagnostic(path, "bidi-control", message, severity="warning"))
    return out


def _controls_warning(doc: Document, path: Path_, found: list[str]) -> Diagnostic:
    several = len(found) > 1
    names = ", ".join(f"U+{ord(c):04X} (shown as \\x{ord(c):02x})" for c in found)
    message = (
        f"{format_path(path)}: holds the control character{'s' if several else ''} {names}, "
        f"which a terminal would act on (clear the screen, retitle the window); every output "
        f"shows {'them' if several else 'it'} escaped; remove {'them' if several else 'it'}"
    )
    return doc.diagnostic(path, "control-character", message, severity="warning")
