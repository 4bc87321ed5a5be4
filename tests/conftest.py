"""Shared fixtures: the failure-mode files in ``tests/cases`` and a helper to run them.

Each ``tests/cases/NAME.yaml`` is the minimal valid scenario (``minimal.yaml``)
plus one mistake (or, for ``aliases`` and ``strings-kept``, one feature); its
first line is a comment saying which.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import generator

TESTS = Path(__file__).parent
CASES = TESTS / "cases"
SCENARIOS = TESTS.parent / "scenarios"


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
