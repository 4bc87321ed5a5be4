"""Font coverage: which characters of a scenario no font can draw in the PDF.

Owns: the check, made before a PDF is rendered, that every character of the
scenario's text is in one of the fonts shipped with the templates or in a
system font that fontconfig (which Pango asks for fallbacks) knows; and the
warning that names the characters, the field they are in and, for CJK, the
Debian package that would draw them. Without it such characters come out as
empty boxes and the reader loses the text silently. Must not import
WeasyPrint: it reads the shipped fonts with fontTools and asks ``fc-list``.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from .errors import Diagnostic
from .format.model import Scenario

# Code points that need no glyph: controls, format characters (joiners, marks
# of direction), separators.
_NO_GLYPH = {"Cc", "Cf", "Zl", "Zp"}
_CJK = (
    (0x2E80, 0x9FFF),  # radicals, kana, CJK symbols, unified ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFF00, 0xFFEF),  # half- and full-width forms
    (0x20000, 0x3FFFF),  # supplementary ideographs
)
_SHOWN = 8  # characters named in one warning; the rest are counted


def texts(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a scenario with its key path: ``("actors[cas].name", "中国科学院")``."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from texts(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from texts(item, f"{path}[{getattr(item, 'id', None) or index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts(item, f"{path}.{key}")


@lru_cache(maxsize=4)
def shipped(fonts: Path) -> frozenset[int]:
    """The code points that every one of the shipped fonts in ``fonts`` covers."""
    from fontTools.ttLib import TTFont

    maps = [set(TTFont(f, lazy=True).getBestCmap()) for f in sorted(fonts.glob("*.[ot]tf"))]
    return frozenset(set.intersection(*maps)) if maps else frozenset()


@lru_cache(maxsize=4096)
def system_covers(char: str) -> bool:
    """Whether a font fontconfig knows has a glyph for ``char`` (cached per character).

    Without ``fc-list`` (Debian's ``fontconfig``) nothing can be known, so every
    character counts as covered and no warning is made.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True
    found = subprocess.run(
        [fc_list, f":charset={ord(char):x}", "family"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return bool(found.stdout.strip())


def missing(text: str, fonts: Path) -> list[str]:
    """The characters of ``text`` that no shipped or system font can draw, in order, once each."""
    covered = shipped(fonts)
    out: list[str] = []
    for char in dict.fromkeys(text):
        if ord(char) in covered or char.isspace() or unicodedata.category(char) in _NO_GLYPH:
            continue
        if not system_covers(char):
            out.append(char)
    return out


def _describe(chars: list[str]) -> str:
    named = ", ".join(f"U+{ord(c):04X} {c}" for c in chars[:_SHOWN])
    more = f" and {len(chars) - _SHOWN} more" if len(chars) > _SHOWN else ""
    return named + more


def font_warnings(scenario: Scenario, display: str, fonts: Path) -> list[Diagnostic]:
    """One warning per field whose characters the PDF cannot draw (empty boxes instead)."""
    warnings = []
    for path, text in texts(scenario):
        chars = missing(text, fonts)
        if not chars:
            continue
        hint = ""
        if any(a <= ord(c) <= b for c in chars for a, b in _CJK):
            hint = "; a CJK font would draw them, e.g. Debian's fonts-noto-cjk"
        warnings.append(
            Diagnostic(
                display,
                0,
                0,
                "warning",
                "font-coverage",
                f"{path}: no installed font can draw {_describe(chars)}: the PDF shows "
                f"empty boxes{hint}",
            )
        )
    return warnings
