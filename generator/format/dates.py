"""How the format's dates print: the two styles of every document, chosen here once.

Owns: ``long_date`` for prose ("21 November 2026") and ``short_date`` for
tables ("21 Nov 2026"); a date the author wrote as a year or a month keeps that
precision. The analysis and the templates use these, never a date as written.
Must not parse or check dates (``types`` and ``model`` do).
"""

from __future__ import annotations

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(value: str) -> str:
    """Prose: ``21 November 2026`` from ``2026-11-21``; ``November 2026``; ``2026``."""
    if str(value).startswith("after "):  # an open bound of a forecast interval
        return f"after {long_date(str(value)[6:])}"
    parts = str(value).split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def short_date(value: str) -> str:
    """Tables: ``21 Nov 2026`` from ``2026-11-21``; ``Nov 2026``; ``2026``.

    Templates choose by filter name; prose uses :func:`long_date`.
    """
    if str(value).startswith("after "):
        return f"after {short_date(str(value)[6:])}"
    parts = str(value).split("-")
    if len(parts) >= 2:
        month = MONTHS[int(parts[1]) - 1][:3]
        return f"{int(parts[2])} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"
    return parts[0]
