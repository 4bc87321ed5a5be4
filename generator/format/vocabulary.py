"""The format's vocabulary: the closed sets of words it uses, with the rules that belong to them.

Owns: likelihood scales (terms, ranges and display names), units (names,
printed suffixes, the percent range), condition operators (symbols, the
comparison, which side of the trigger the early warning lies on), threshold
statuses, and the citation syntax. The model types its fields from these
names, the validator applies these rules, the analysis computes with them and
the templates print their display names: each is stated here once. Must not
import anything from the rest of the package.
"""

from __future__ import annotations

import re
from typing import Literal

CITATION = re.compile(r"\[@([^\]\s]*)\]")
"""A citation in text: ``[@source-id]``."""

# ------------------------------------------------------------------ likelihood

LIKELIHOOD_SCALES: dict[str, dict[str, tuple[float, float]]] = {
    "icd-203": {
        "almost no chance": (0.01, 0.05),
        "very unlikely": (0.05, 0.20),
        "unlikely": (0.20, 0.45),
        "roughly even chance": (0.45, 0.55),
        "likely": (0.55, 0.80),
        "very likely": (0.80, 0.95),
        "almost certain": (0.95, 0.99),
    },
    "ipcc": {
        "virtually certain": (0.99, 1.00),
        "very likely": (0.90, 1.00),
        "likely": (0.66, 1.00),
        "about as likely as not": (0.33, 0.66),
        "unlikely": (0.00, 0.33),
        "very unlikely": (0.00, 0.10),
        "exceptionally unlikely": (0.00, 0.01),
    },
}
"""Calibrated likelihood terms and the probability range each one stands for."""

LikelihoodScale = Literal["icd-203", "ipcc"]
DEFAULT_SCALE: LikelihoodScale = "icd-203"
SCALE_NAMES: dict[str, str] = {"icd-203": "ICD-203", "ipcc": "IPCC"}
"""How each scale is named in print."""

# ----------------------------------------------------------------------- units

Unit = Literal["percent", "count", "usd", "flop", "hours", "ratio"]
UNIT_SUFFIX: dict[str, str] = {
    "percent": " %",
    "count": "",
    "usd": " USD",
    "flop": " FLOP",
    "hours": " h",
    "ratio": "×",
}
"""What follows a number in print, per unit."""

PERCENT_RANGE = (0.0, 100.0)


def out_of_range(unit: str, value: float) -> str | None:
    """Why ``value`` cannot be a reading in ``unit``, or None when it can.

    The one rule units carry: a percentage lies between 0 and 100.
    """
    low, high = PERCENT_RANGE
    if unit == "percent" and not low <= value <= high:
        return f"{value:g} is not a percentage between {low:g} and {high:g}"
    return None


# ------------------------------------------------------------------ conditions

Operator = Literal[">", ">=", "<", "<="]
OPERATORS: tuple[str, ...] = (">", ">=", "<", "<=")
OP_SYMBOL: dict[str, str] = {">": ">", ">=": "≥", "<": "<", "<=": "≤"}


def compare(value: float, op: str, limit: float) -> bool:
    """Whether ``value OP limit`` holds."""
    return {">": value > limit, ">=": value >= limit, "<": value < limit, "<=": value <= limit}[op]


def rising(op: str) -> bool:
    """Whether a reading crosses by going up (``>``, ``>=``) rather than down."""
    return op.startswith(">")


def alert_on_safe_side(op: str, value: float, alert: float) -> bool:
    """The early warning lies before the trigger value: below it for ``>``, above for ``<``."""
    return alert < value if rising(op) else alert > value


def reaches_alert(reading: float, op: str, alert: float) -> bool:
    """Whether a reading has reached the early-warning value (inclusive, whatever ``op``)."""
    return compare(reading, ">=" if rising(op) else "<=", alert)


# -------------------------------------------------------------------- statuses

STATUSES: tuple[str, ...] = ("crossed", "alert", "clear", "no data")
"""A threshold's status as of the scenario date, most severe first."""
