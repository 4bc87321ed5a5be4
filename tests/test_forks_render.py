"""The documents of a three-way fork (a fork within a fork): the brief and report tell it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import generator
from generator.pipeline import render_scenario
from generator.workspace import load_settings

ROOT = Path(__file__).resolve().parents[1]
FORK = ROOT / "tests" / "cases" / "three-way-fork.yaml"


def _render(template: str, fmt: str) -> str:
    scenario, diagnostics = generator.load(FORK)
    assert scenario is not None, diagnostics
    data = render_scenario(scenario, FORK, load_settings(ROOT), template, fmt, revision="rev")
    return data.decode("utf-8")


@pytest.fixture(scope="module")
def brief_md() -> str:
    return _render("brief", "md")


@pytest.fixture(scope="module")
def report_md() -> str:
    return _render("report", "md")


def test_the_brief_tells_the_fork_with_a_nested_fork_under_its_parent(brief_md):
    section = brief_md.split("## How it could unfold")[1].split("\n## ")[0]
    assert (
        "**Common path, to June 2027.** Thresholds the story reaches on it: Superhuman coder "
        "(March 2027); Research ten times faster (March 2027). Last common event "
        "(June 2027, *projected*): The committee votes.[^1]" in section
    )
    lines = [line for line in section.splitlines() if line.lstrip().startswith("- ")]
    assert lines == [
        "- **Slowdown ending**, from June 2027 · probability 30 %. Condition: The committee "
        "votes to slow down.",
        "  - July 2027 *(projected)*: The lab shuts the model down.[^1]",
        "  - April 2028 *(projected)*: A transparent superintelligence.[^1] — *reaches: "
        "Superintelligence*",
        "  - Mechanisms only in this future: Slow down and reassess.",
        "- **Race ending**, from June 2027 · probability not stated. Condition: The committee "
        "votes to continue.",
        "  - February 2028 *(projected)*: Superintelligence arrives[^1]. — *reaches: "
        "Superintelligence*",
        "  - **Deal ending**, from March 2028 · probability not stated. Condition: The AIs "
        "agree a deal.",
        "    - 2029 *(projected)*: The AIs replace both governments' systems.[^1]",
        "    - Mechanisms only in this future: The deal between the AIs.",
        "  - **War ending**, from March 2028 · probability not stated. Condition: The deal fails.",
        "    - June 2028 *(projected)*: War.[^1]",
    ]
    assert (
        "| Superintelligence | Feb 2028 (Race ending); Apr 2028 (Slowdown ending) | median "
        "Apr 2028 (80 %: Jun 2027 to 2032); given a superhuman coder in March 2027[^2] |" in section
    )


def test_the_threshold_table_gives_the_story_date_beside_the_status(brief_md):
    assert (
        "| Research ten times faster | critical | AI R&D progress multiplier: 1.2× (Jun 2025)[^1] "
        "| ≥ 10×; alert at 3× | **CLEAR** | Mar 2027 |" in brief_md
    )


def test_branch_entities_say_which_future_they_belong_to(brief_md, report_md):
    assert "1. The slowdown is better.[^1] *(in the slowdown ending)*" in brief_md
    assert "| Prepare a shutdown plan. *(in the slowdown ending)* |" in brief_md
    assert "*In the slowdown ending — not part of every future.*" in report_md
    assert "*In the deal ending (within the race ending) — not part of every future.*" in report_md
    assert "| **Agent-5** | AI system *(in the race ending)* |" in report_md


def test_a_mechanism_with_no_trigger_is_labelled_so(brief_md):
    row = next(line for line in brief_md.splitlines() if "**Emergency shutdown**" in line)
    assert row.endswith("| **NO TRIGGER DEFINED** |") and "NOT TRIGGERED" not in row


def test_the_report_timeline_is_lanes_in_date_order(report_md):
    timeline = report_md.split("## Timeline")[1].split("\n## ")[0]
    headings = re.findall(r"^### (.*)$", timeline, flags=re.M)
    assert headings == [
        "Common path",
        "Slowdown ending · from June 2027",
        "Race ending · from June 2027",
        "Race ending › Deal ending · from March 2028",
        "Race ending › War ending · from March 2028",
    ]
    common = timeline.split("### Common path")[1].split("###")[0]
    dates = re.findall(r"^\| ([A-Z][a-z]{2} \d{4})", common, flags=re.M)
    assert dates == ["Jun 2025", "Mar 2027", "Jun 2027"]
    assert "| Jun 2025 | Agents are unreliable.[^1] |" in common  # evidence: not marked
    assert "| Mar 2027 *(projected)* |" in common


def test_one_footnote_mark_per_source_per_event(report_md):
    assert "Superintelligence arrives[^1]. — *reaches: Superintelligence*" in report_md
    assert "[^1][^1]" not in report_md and "[^1].[^1]" not in report_md


def test_the_report_prints_distributions_branches_and_projections(report_md):
    assert (
        "| Superhuman coder[^2] | Eli Lifland | median 2030 (80 %: 2026 to after 2050) |  |"
        in report_md
    )
    assert "In the race ending. Cumulative probability" in report_md
    assert "| Race ending › **Deal ending** | Mar 2028 | The AIs agree a deal. | not stated |" in (
        report_md
    )
    assert "| **Slowdown ending** | Jun 2027 | The committee votes to slow down. | 30 % |" in (
        report_md
    )
    projected = report_md.split("| Projected | Path | Value | Note |")[1].split("\n\n")[0]
    assert [row.split(" | ")[:3] for row in projected.strip().splitlines()[1:]] == [
        ["| Mar 2027", "Common path", "4×[^1]"],
        ["| Sep 2027", "Slowdown ending", "2×[^1]"],
        ["| Jan 2028", "Race ending", "40×[^1]"],
    ]


def test_html_brief_marks_projected_events_and_branch_mechanisms():
    html = _render("brief", "html")
    assert '<h2 id="forks">How it could unfold</h2>' in html
    # the last common event and the five branch events, all after 15 January 2026
    assert html.count('<span class="projected">projected</span>') == 6
    assert "<th>In the story</th>" in html
    report = _render("report", "html")
    assert '<p class="branch-line">In the slowdown ending — not part of every future.</p>' in report
