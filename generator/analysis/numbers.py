"""One number style for every document: readings, money, counts, and numbers written in text.

Owns: how a number is printed — ``93.9``, ``650 000``, ``3×10²⁶`` for a measured quantity;
``USD 500 million`` and ``20 million`` for money and counts, in words while the words are
exact (never a rounded figure a reader would take as the data); and the rewriting of the
notations people type into text fields and names (``10^25``, ``10^{-3}``, ``1e24``,
``3e26``, ``3 x 10^26``) into the same ``10²⁵`` form. Must not know any output format:
the rewrite works on plain text and leaves code spans, link targets and addresses alone.
"""

from __future__ import annotations

import re

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_EXACT_DIGITS = 4
"""A figure is put in words (``1.25 billion``) only when four significant digits hold it."""


def power_of_ten(mantissa: str, exponent: int) -> str:
    """``3×10²⁶``, or ``10²⁶`` when the mantissa is one."""
    mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
    prefix = "" if mantissa in ("1", "") else f"{mantissa}×"
    return f"{prefix}10{str(exponent).translate(_SUPERSCRIPT)}"


def grouped(value: float) -> str:
    """A whole number with its thousands apart: ``650 000``; a fraction to four significant
    digits (``93.9``, ``0.01234``), or to one decimal from a thousand up (``12 345.6``)."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", " ")
    if abs(value) >= 1000:
        return f"{value:,.1f}".replace(",", " ")
    return f"{value:.4g}"


def format_number(value: float) -> str:
    """A measured quantity as people write it: 93.9, 80, 650 000 000, 3×10²⁶."""
    if value != 0 and (abs(value) >= 1e9 or abs(value) < 1e-3):
        mantissa, exponent = f"{value:.2e}".split("e")
        return power_of_ten(mantissa, int(exponent))
    return grouped(value)


def format_amount(value: float) -> str:
    """Money or a count: ``500 million``, ``1.25 billion``, ``650 000``; the digits in full
    where words would round them (``1 234 567``), and powers of ten past the trillions."""
    size = abs(value)
    if size >= 1e15:
        return format_number(value)
    for scale, word in _SCALES:
        if size >= scale:
            figure = value / scale
            text = f"{figure:.{_EXACT_DIGITS}g}"
            if "e" not in text and float(text) * scale == value:
                return f"{text} {word}"
            break
    return grouped(value)


# ---------------------------------------------------------------- numbers written in text

# What is never rewritten: a code span, a link's target, an address or autolink.
_KEEP = r"\[@[^\]\n]*\]|`[^`\n]*`|\]\([^)\n]*\)|<[^>\n]*>|(?:https?://|mailto:|www\.)[^\s<>()]*"
_MANTISSA = r"(?P<m>\d+(?:\.\d+)?)"
_POWER = (
    rf"(?<![\w.^]){_MANTISSA}\s?[x×*·]\s?10\^\{{?(?P<e>[-−+]?\d{{1,3}})\}}?(?![\w^])"
    r"|(?<![\w.^×])10\^\{?(?P<e2>[-−+]?\d{1,3})\}?(?![\w^])"
    rf"|(?<![\w.]){_MANTISSA.replace('m>', 'm3>')}[eE](?P<e3>[-+]?\d{{1,3}})(?![\w.])"
)
_IN_TEXT = re.compile(rf"(?P<keep>{_KEEP})|{_POWER}")


def _power(match: re.Match[str]) -> str:
    if match.group("keep"):
        return match.group(0)
    exponent = match.group("e") or match.group("e2") or match.group("e3")
    mantissa = match.group("m") or match.group("m3") or ""
    return power_of_ten(mantissa, int(exponent.replace("−", "-")))


def notation(text: str) -> str:
    """``text`` with ``10^25``, ``10^{-3}``, ``1e24`` and ``3 x 10^26`` as ``10²⁵``,
    ``10⁻³``, ``10²⁴``, ``3×10²⁶``; code spans, link targets and addresses as written."""
    if "^" not in text and "e" not in text and "E" not in text:
        return text
    return _IN_TEXT.sub(_power, text)
