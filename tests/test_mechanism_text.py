"""What a document says about a mechanism's duration and exit: only what the scenario states.

A mechanism with exit criteria but no duration lists its exit criteria and
claims nothing about a duration; one with neither says "not specified"; the
examples (all with a duration) are covered by the golden files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import generator
from generator.pipeline import render_scenario
from generator.workspace import load_settings

TESTS = Path(__file__).resolve().parent
CASES = TESTS / "cases"
EXIT = "Evaluations show the capability is contained."


def _render(case: str, template: str, fmt: str) -> str:
    path = CASES / f"{case}.yaml"
    scenario, diagnostics = generator.load(path)
    assert scenario is not None, [str(d) for d in diagnostics]
    settings = load_settings(TESTS.parent)
    return render_scenario(scenario, path, settings, template, fmt, "rev test").decode()


def _duration_box(page: str) -> str:
    match = re.search(r'<p class="box-title">Duration and exit</p>(.*?)</div>', page, re.S)
    assert match, "no Duration and exit box"
    return " ".join(match.group(1).split())


@pytest.mark.parametrize("template", ["brief", "report"])
def test_exit_criteria_without_duration_in_markdown(template: str) -> None:
    markdown = _render("exit-without-duration", template, "md")
    assert f"**Duration and exit:**\n\n- {EXIT}\n" in markdown
    assert "not specified" not in markdown


@pytest.mark.parametrize("template", ["brief", "report"])
def test_exit_criteria_without_duration_in_html(template: str) -> None:
    page = _render("exit-without-duration", template, "html")
    assert _duration_box(page) == f"<ul><li>{EXIT}</li></ul>"


@pytest.mark.parametrize("template", ["brief", "report"])
def test_neither_duration_nor_exit_is_not_specified(template: str) -> None:
    markdown = _render("no-exit-criteria", template, "md")
    assert "**Duration and exit:** not specified.\n" in markdown
    page = _render("no-exit-criteria", template, "html")
    assert _duration_box(page) == '<p class="muted">Not specified.</p>'
