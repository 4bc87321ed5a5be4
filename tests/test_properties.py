"""Property tests: a damaged scenario gives located diagnostics, never an exception.

Each example takes a valid scenario (the examples in ``scenarios/`` and the
minimal one), damages it the way an editor or a bad merge does (lines deleted,
duplicated or swapped, stray characters, a value replaced, the file cut short)
and checks that loading and validating it only ever returns diagnostics.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import Diagnostic, LoadError
from generator.format.loader import decode, parse
from generator.format.validation import check_document

TESTS = Path(__file__).parent
CASES, SCENARIOS = TESTS / "cases", TESTS.parent / "scenarios"

MINIMAL = (CASES / "minimal.yaml").read_text(encoding="utf-8")
BASES = [p.read_text(encoding="utf-8") for p in sorted(SCENARIOS.glob("*.yaml"))]
BASES += [MINIMAL, (CASES / "strings-kept.yaml").read_text(encoding="utf-8")]

YAML_PUNCTUATION = [*":-[]{},#&*!|>'\"%@`?\t\n ", "---", "...", ": ", "- ", "[@", "\x00"]
SCALAR = re.compile(r"(?<=: )[^\n]+|(?<=- )[^\n]+")
"""The rest of a line after 'key: ' or '- ': roughly, a scalar."""


def budget(examples: int) -> settings:
    """Hypothesis settings: ``examples`` runs, no per-example deadline (CI machines vary)."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


noise = st.one_of(
    st.sampled_from(YAML_PUNCTUATION),
    st.text(max_size=8),
    st.integers(-(10**6), 10**6).map(str),
    st.floats().map(str),
    st.dates().map(str),
    st.lists(st.sampled_from(YAML_PUNCTUATION), min_size=1, max_size=6).map("".join),
)


@st.composite
def mutation(draw, text: str) -> str:
    """``text`` with one random edit."""
    lines = text.split("\n")
    kind = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "replace", "truncate"]))
    if kind == "delete":
        del lines[draw(st.integers(0, len(lines) - 1))]
    elif kind == "duplicate":
        i = draw(st.integers(0, len(lines) - 1))
        lines.insert(i, lines[i])
    elif kind == "swap":
        i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "insert":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(noise) + text[at:]
    elif kind == "replace":
        scalars = list(SCALAR.finditer(text))
        if scalars:
            match = draw(st.sampled_from(scalars))
            return text[: match.start()] + draw(noise) + text[match.end() :]
    else:
        return text[: draw(st.integers(0, len(text)))]
    return "\n".join(lines)


@st.composite
def damaged(draw) -> str:
    text = draw(st.sampled_from(BASES))
    for _ in range(draw(st.integers(1, 3))):
        text = draw(mutation(text))
    return text


def diagnostics_of(text: str) -> list[Diagnostic]:
    """What ``generator.load`` reports for a file holding ``text``, without the file."""
    try:
        document = parse(text, "damaged.yaml")
    except LoadError as exc:
        return exc.diagnostics
    _, diagnostics = check_document(document)
    return diagnostics


def assert_well_formed(diagnostics: list[Diagnostic], text: str) -> None:
    lines = len(text.splitlines()) or 1  # YAML also breaks lines at \r, NEL, U+2028, U+2029
    for d in diagnostics:
        assert d.file == "damaged.yaml"
        assert 0 <= d.line <= lines + 1, str(d)
        assert d.column >= 0, str(d)
        assert d.severity in {"error", "warning"}
        assert d.code
        assert d.message.strip()


@budget(200)
@given(damaged())
def test_a_damaged_scenario_gives_diagnostics_never_an_exception(text):
    assert_well_formed(diagnostics_of(text), text)


@budget(60)
@given(st.sampled_from(BASES), st.data())
def test_random_bytes_give_diagnostics_never_an_exception(base, data):
    raw = base.encode("utf-8")
    at = data.draw(st.integers(0, len(raw)))
    raw = raw[:at] + data.draw(st.binary(min_size=1, max_size=4)) + raw[at:]
    try:
        text = decode(raw, "damaged.yaml")
    except LoadError as exc:
        assert_well_formed(exc.diagnostics, raw.decode("utf-8", "replace"))
        return
    assert_well_formed(diagnostics_of(text), text)


LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**64), 2**64),  # beyond float range is a known crash, tested apart
    st.floats(),
    st.text(max_size=10),
    st.sampled_from(["2026", "2026-06", "2026-13", "2026-02-30", ">=", "<", "percent", "lab"]),
)
KEYS = [
    "id",
    "date",
    "p",
    "by",
    "value",
    "source",
    "actors",
    "kind",
    "unit",
    "condition",
    "op",
    "alert",
    "indicator",
    "parties",
    "adjudicator",
    "likelihood",
    "probability",
]
LISTS = [
    "sources",
    "indicators",
    "thresholds",
    "actors",
    "mechanisms",
    "forecasts",
    "branches",
    "timeline",
    "judgments",
    "recommendations",
]


@budget(40)
@given(
    st.recursive(
        LEAF,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)
        ),
        max_leaves=20,
    )
)
def test_any_value_anywhere_gives_diagnostics_never_an_exception(value):
    """The rules read raw data defensively: wrong shapes never reach a crash."""
    for key in [*LISTS, "horizon", "likelihood_scale", "status"]:
        document = parse(MINIMAL, "damaged.yaml")
        document.data[key] = [value] if key in LISTS else value
        _, diagnostics = check_document(document)
        assert_well_formed(diagnostics, MINIMAL)
