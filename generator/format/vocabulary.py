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

CITATION = re.compile(r"\[(@[^\]\s;]*(?:[ \t]*;[ \t]*@[^\]\s;]*)*)\]")
"""A citation in text: ``[@source-id]``, or several as pandoc writes them: ``[@a; @b]``."""

CITED_ID = re.compile(r"@([^\s;]*)")
"""Each cited id inside a citation's brackets."""


def cited_ids(citation: str) -> list[str]:
    """The ids of one citation's group (``@a; @b`` gives ``a``, ``b``)."""
    return CITED_ID.findall(citation)


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
UnitScale = Literal["linear", "log"]
LOG_UNITS: tuple[str, ...] = ("flop",)
"""Built-in units whose values span orders of magnitude: drawn on a log scale."""
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


def unit_suffix(unit: object) -> str:
    """What follows a number in print: a built-in unit's suffix, or a custom unit's label."""
    label = getattr(unit, "label", None)
    if label is not None:
        return f" {label}"
    return UNIT_SUFFIX.get(str(unit), "")


def unit_name(unit: object) -> str:
    """The unit as named in print: ``percent``, or a custom unit's label."""
    return str(getattr(unit, "label", unit))


def log_scale(unit: object) -> bool:
    """Whether readings in ``unit`` are drawn on a log scale (FLOP, or a custom ``scale: log``)."""
    scale = getattr(unit, "scale", None)
    if scale is not None:
        return bool(scale == "log")
    return unit in LOG_UNITS


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


def reading_status(reading: float, op: str, value: float, alert: float | None) -> str:
    """What a reading says of a threshold: ``crossed``, ``alert`` or ``clear``."""
    if compare(reading, op, value):
        return "crossed"
    if alert is not None and reaches_alert(reading, op, alert):
        return "alert"
    return "clear"


# -------------------------------------------------------------------- statuses

STATUSES: tuple[str, ...] = ("crossed", "alert", "clear", "not assessed")
"""A threshold's status as of the scenario date, most severe first."""

AssessmentStatus = Literal["clear", "alert", "crossed"]
"""What an assessment found: a threshold's status judged by evaluation, not by a number."""


def severity(status: str) -> int:
    """Rank of a status, higher for more severe: crossed 3, alert 2, clear 1, not assessed 0."""
    return len(STATUSES) - 1 - STATUSES.index(status)


# -------------------------------------------------------------------- triggers

TriggerLevel = Literal["alert", "crossing", "not-crossed"]
"""The level at which a trigger fires: at the early warning, when the threshold is crossed,
or while it is not crossed (a release tier that applies below the next one)."""

FIRES_AT: dict[str, tuple[str, ...]] = {
    "crossing": ("crossed",),
    "alert": ("alert", "crossed"),
    "not-crossed": ("clear", "alert"),
}
"""The threshold statuses at which a trigger of each level fires (applies, for not-crossed)."""

LEVEL_WORDS: dict[str, str] = {
    "crossing": "on crossing",
    "alert": "at the alert level",
    "not-crossed": "while not crossed",
}

THRESHOLD_LEVELS: tuple[str, ...] = ("watch", "warning", "critical")
"""A threshold's canonical levels, least severe first; a source may name them (``levels``)."""

# ------------------------------------------------------------------ mechanisms

MechanismKind = Literal[
    "unilateral",
    "multilateral",
    "bilateral",
    "regulation",
    "treaty",
    "licensing",
    "compute-governance",
    "voluntary-policy",
    "code-of-practice",
    "voluntary-commitment",
    "deterrence",
]
SELF_GOVERNED_KINDS: tuple[str, ...] = ("voluntary-policy", "unilateral")
"""Kinds whose party may be its own adjudicator by design: a company's own policy."""

MIN_PARTIES: dict[str, int] = {
    "multilateral": 2,
    "treaty": 2,
    "bilateral": 2,
    "voluntary-commitment": 2,
    "deterrence": 1,
}
EXACT_PARTIES: dict[str, int] = {"bilateral": 2}

MechanismStatus = Literal["proposed", "agreed", "in-force", "suspended", "ended"]
IN_FORCE = "in-force"
"""A mechanism with no ``status`` is in force, as format v1 always assumed."""

EACH_PARTY = "each-party"
"""The adjudicator that is each party (for a law, each covered actor) judging itself;
reserved: no actor may have this id."""

ComplianceStatus = Literal["met", "partly", "not-met", "unknown"]
COMPLIANCE_WORDS: dict[str, str] = {
    "met": "met",
    "partly": "partly met",
    "not-met": "not met",
    "unknown": "unknown",
}
"""How each compliance status is said in print."""

STATES: tuple[str, ...] = (
    "applies",
    "triggered",
    "in-force",
    "not-triggered",
    "not-assessed",
    "not-in-force",
)
"""An instrument's computed state as of the scenario date (``scenario status --format json``):
``applies`` in force and its coverage established or a tier's condition met; ``triggered``;
``in-force`` in force, coverage not established and nothing to trigger; ``not-triggered``;
``not-assessed`` none of its triggers assessed; ``not-in-force`` proposed, agreed, suspended
or ended."""

Halt = Literal["training", "internal-deployment", "external-deployment", "development"]
HALT_WORDS: dict[str, str] = {
    "training": "training",
    "internal-deployment": "internal deployment",
    "external-deployment": "external deployment",
    "development": "development",
}


# ------------------------------------------------------------------ jurisdictions

JURISDICTIONS: dict[str, str] = {
    "AE": "United Arab Emirates", "AU": "Australia", "BR": "Brazil", "CA": "Canada",
    "CH": "Switzerland", "CN": "China", "DE": "Germany", "DK": "Denmark", "ES": "Spain",
    "EU": "European Union", "FI": "Finland", "FR": "France", "GB": "United Kingdom",
    "IE": "Ireland", "IL": "Israel", "IN": "India", "IT": "Italy", "JP": "Japan",
    "KR": "Republic of Korea", "NL": "Netherlands", "NO": "Norway", "NZ": "New Zealand",
    "RU": "Russia", "SA": "Saudi Arabia", "SE": "Sweden", "SG": "Singapore", "TW": "Taiwan",
    "UK": "United Kingdom", "UN": "United Nations", "US": "United States",
}  # fmt: skip
"""Country and bloc codes (ISO 3166-1 alpha-2, with EU, UK and UN) and the names a reader
knows them by: "CA" alone reads as California in a document about US law."""


def jurisdiction_name(code: str | None, of: str | None = None) -> str:
    """``Canada`` for a code the table knows, anything else as the author wrote it; empty
    when it would only repeat the name ``of`` the actor it belongs to."""
    if not code:
        return ""
    name = JURISDICTIONS.get(code.strip(), code.strip())
    return "" if of is not None and name.casefold() == of.strip().casefold() else name


ACTOR_KINDS: dict[str, str] = {"ai-system": "AI system", "lab": "AI lab"}
"""An actor's kind as a reader reads it, where the id's words are not enough."""


def actor_kind(kind: str) -> str:
    """``AI system`` for ``ai-system``; other kinds with their hyphens as spaces."""
    return ACTOR_KINDS.get(kind, kind.replace("-", " "))
