"""Fuzz: damaged scenarios give located diagnostics, and the ones still valid render.

Each example takes a bundled scenario as data, applies a few structural
mutations (a key deleted, a value's type swapped, a value replaced by random
text with unicode and bidirectional controls, a huge number, an empty or
nested value), writes it back as YAML and runs it through ``validate`` and,
when it stays valid, through the Markdown and HTML renders of the brief and
the report. The only acceptable outcome is diagnostics that each name the file
with a line and column, or a document: never an exception.

The run is derandomized (the same examples on every machine) and bounded to
well under a minute; ``tests/test_properties.py`` damages the YAML text itself.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import generator
from generator.format.loader import load_document
from generator.pipeline import render_scenario
from generator.workspace import load_settings

pytestmark = pytest.mark.slow  # a bounded fuzz run (tens of seconds)

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
BASES = [*sorted((ROOT / "scenarios").glob("*.yaml")), TESTS / "cases" / "minimal.yaml"]
LOCATED = re.compile(r"^fuzz\.yaml:\d+:\d+: (error|warning): \S")
SETTINGS = load_settings(ROOT)


def _plain(value: Any) -> Any:
    """Loader data as plain Python types that ``yaml.safe_dump`` writes."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


DATA = [_plain(load_document(path).data) for path in BASES]

text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        st.sampled_from("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069|<>[]()!*_`#:@^"),
    ),
    max_size=40,
)
values = st.one_of(
    text,
    st.integers(),
    st.integers(min_value=10**20, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.just([]),
    st.just({}),
    st.lists(text, max_size=3),
    st.dictionaries(text, text, max_size=2),
    st.sampled_from(["2026", "2026-02-30", "0000-01-01", "likely", "high", "crossed", "-"]),
)


def _containers(value: Any, found: list[Any]) -> list[Any]:
    """Every mapping and list inside ``value`` (``value`` itself included)."""
    if isinstance(value, dict | list):
        found.append(value)
        children = value.values() if isinstance(value, dict) else value
        for child in children:
            _containers(child, found)
    return found


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A bundled scenario with one to four structural mutations."""
    data = _plain(draw(st.sampled_from(DATA)))  # a fresh copy
    for _ in range(draw(st.integers(1, 4))):
        container = draw(st.sampled_from(_containers(data, [])))
        keys = list(container) if isinstance(container, dict) else list(range(len(container)))
        if not keys:
            continue
        key = draw(st.sampled_from(keys))
        # Text replaced by text keeps most scenarios valid, so the renders get fuzzed too.
        action = draw(st.sampled_from(["retext"] * 4 + ["delete", "replace", "swap", "add"]))
        if action == "retext" and " " in str(container[key]):  # prose, not an id or a date
            container[key] = draw(text)
        elif action == "delete":
            del container[key]
        elif action == "replace":
            container[key] = draw(values)
        elif action == "swap":
            old = container[key]
            container[key] = [old] if not isinstance(old, list) else (old[0] if old else None)
        elif action == "add" and isinstance(container, dict):
            container[draw(text)] = draw(values)
    return data


def _dump(data: dict[str, Any], path: Path) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=mutated())
def test_mutated_scenarios_give_located_diagnostics_or_documents(
    data: dict[str, Any], tmp_path_factory
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.yaml"
    _dump(data, path)
    scenario, diagnostics = generator.load(path, display="fuzz.yaml")
    for diagnostic in diagnostics:
        line = str(diagnostic)
        assert LOCATED.match(line), line
        assert len(line) < 1000, line[:200]
    if scenario is None:
        assert any(d.severity == "error" for d in diagnostics)
        return
    for template in ("brief", "report"):
        for fmt in ("md", "html"):
            document = render_scenario(scenario, path, SETTINGS, template, fmt, "rev fuzz")
            assert document.strip()
