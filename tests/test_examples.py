"""The example scenarios in ``scenarios/`` are real, sourced and valid, even under --strict."""

from __future__ import annotations

from pathlib import Path

import pytest

import generator

SCENARIOS = Path(__file__).parent.parent / "scenarios"
EXAMPLES = sorted(SCENARIOS.glob("*.yaml"))


def test_there_are_at_least_three_examples():
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_an_example_has_no_error_and_no_warning(path):
    model, diagnostics = generator.load(path)
    assert [str(d) for d in diagnostics] == []
    assert model is not None


def test_the_examples_validate_together():
    models, diagnostics = generator.validate([SCENARIOS])
    assert [str(d) for d in diagnostics] == []
    assert sorted(models) == EXAMPLES
