"""The semantic diff of the framework and fork fields: their consequences, in words."""

from __future__ import annotations

from pathlib import Path

import generator

CASES = Path(__file__).parent / "cases"


def _texts(old: Path, new: Path) -> list[str]:
    return [c.text for c in generator.diff(old, new).consequences]


def _variant(tmp_path: Path, name: str, *edits: tuple[str, str]) -> tuple[Path, Path]:
    text = (CASES / name).read_text(encoding="utf-8")
    old = tmp_path / "old.yaml"
    old.write_text(text, encoding="utf-8")
    for before, after in edits:
        assert before in text, before
        text = text.replace(before, after)
    new = tmp_path / "new.yaml"
    new.write_text(text, encoding="utf-8")
    return old, new


def test_an_assessment_that_moves_a_level_and_fires_an_alert_level_trigger(tmp_path):
    old, new = _variant(
        tmp_path,
        "faithful.yaml",
        ("status: alert, by: lab, subject: Model A", "status: clear, by: lab, subject: Model A"),
    )
    # Going back: the alert-level trigger on cyber-1 stops firing, run-1e24 still fires.
    texts = _texts(new, old)
    assert (
        "Threshold 'Cyber uplift level 1': clear → alert, caused by the assessment of 2025-06 "
        "(alert, assessed by A Lab, Model A)" in texts
    )


def test_a_projected_crossing_that_moved_a_mechanism_that_moved_and_a_shifted_median(tmp_path):
    old, new = _variant(
        tmp_path,
        "three-way-fork.yaml",
        ("{date: 2027-03, crosses: [coder, fast-rnd]", "{date: 2027-03, crosses: [fast-rnd]"),
        (
            "  - id: reset\n    name: Slow down and reassess\n    kind: unilateral\n"
            "    branch: pause\n",
            "  - id: reset\n    name: Slow down and reassess\n    kind: unilateral\n"
            "    branch: race\n",
        ),
        ("distribution: {median: 2030, low: 2026,", "distribution: {median: 2031, low: 2026,"),
    )
    texts = _texts(old, new)
    assert (
        "Threshold 'Superhuman coder' in the story: 2027-03 (every future) → "
        "not reached in the story" in texts
    )
    assert (
        "Mechanism 'Slow down and reassess' moved from the Slowdown ending branch to "
        "the Race ending branch" in texts
    )
    assert any(
        t.startswith("Forecast '")
        and t.endswith(
            ": median 2030 (80 %: 2026 to after 2050) → median 2031 (80 %: 2026 to after 2050)"
        )
        for t in texts
    ), texts


def test_no_fork_consequence_when_nothing_moved(tmp_path):
    old, new = _variant(tmp_path, "three-way-fork.yaml")
    assert _texts(old, new) == []
