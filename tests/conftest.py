"""Shared fixtures: the failure-mode files in ``tests/cases`` and a helper to run them.

Each ``tests/cases/NAME.yaml`` is the minimal valid scenario (``minimal.yaml``)
plus one mistake (or, for ``aliases`` and ``strings-kept``, one feature); its
first line is a comment saying which.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

import generator
import generator.format.model

TESTS = Path(__file__).parent
CASES = TESTS / "cases"
SCENARIOS = TESTS.parent / "scenarios"

# The documents read their scenario's git history (revision, "what changed", the changelog
# annex). Files of this checkout are rendered as if outside any repository, so that the
# tests do not depend on the project's own commits; the versioning tests make their own
# repositories in temporary folders, which this does not affect.
os.environ["GIT_CEILING_DIRECTORIES"] = str(TESTS.parent.resolve())


ROOT = TESTS.parent
EXAMPLES = sorted(SCENARIOS.glob("*.yaml"))
REVISION = "rev test"


def load_valid_scenario(path: Path) -> generator.format.model.Scenario:
    """The model of a scenario file that must be valid (the test fails with its errors)."""
    scenario, diagnostics = generator.load(path)
    errors = [str(d) for d in diagnostics if d.severity == "error"]
    assert scenario is not None and not errors, errors
    return scenario


def render_file(path: Path, template: str, fmt: str, settings=None) -> bytes:
    """One document of a valid scenario file, as the pipeline makes it, with a fixed revision."""
    from generator.pipeline import render_scenario
    from generator.workspace import load_settings

    settings = settings or load_settings(ROOT)
    return render_scenario(load_valid_scenario(path), path, settings, template, fmt, REVISION)


def run_case(name: str) -> list[str]:
    """Load ``tests/cases/NAME.yaml`` and give back each diagnostic as the CLI prints it."""
    _, diagnostics = generator.load(CASES / f"{name}.yaml", display=f"{name}.yaml")
    return [str(d) for d in diagnostics]


@pytest.fixture
def cases() -> Path:
    """The folder of named failure-mode files."""
    return CASES


@pytest.fixture
def diagnose() -> Callable[[str], list[str]]:
    """``diagnose("duplicate-key")`` -> ``["duplicate-key.yaml:7:1: error: ..."]``."""
    return run_case
