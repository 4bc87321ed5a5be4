"""The semantic diff as a library: identity, formatting-insensitivity, consequences."""

from __future__ import annotations

from pathlib import Path

import pytest
from git_helpers import GitRepo

import generator
from generator.versions import sides
from generator.versions.diff import Change

V = Path(__file__).parent / "versions"
V1, V2 = V / "v1.yaml", V / "v2.yaml"


def edit(tmp_path: Path, old: str, new: str, source: Path = V1) -> Path:
    text = source.read_text()
    assert old in text, old
    target = tmp_path / "edited.yaml"
    target.write_text(text.replace(old, new))
    return target


def test_same_file_has_no_change() -> None:
    result = generator.diff(V1, V1)
    assert (result.change, result.changes, result.consequences) == ("unchanged", [], [])


def test_changes_are_matched_by_identity() -> None:
    paths = [c.path for c in generator.diff(V1, V2).changes]
    assert paths == [
        "summary",
        "date",
        "version",
        "indicators[swe-bench].observations[2026-03]",
        "forecasts[self-training].estimates[2027].p",
        "judgments[saturation].likelihood",
        "judgments[saturation].probability",
        "judgments[#2].statement",
        "recommendations[#2]",
        "changelog[0.5]",
    ]


def test_a_changed_number_has_old_and_new_values() -> None:
    change = next(c for c in generator.diff(V1, V2).changes if c.path.endswith("[2027].p"))
    assert change == Change("changed", "forecasts[self-training].estimates[2027].p", 0.3, 0.35)


def test_a_reworded_judgment_is_a_change_with_a_word_diff() -> None:
    change = next(c for c in generator.diff(V1, V2).changes if c.path == "judgments[#2].statement")
    assert ("-", "will") in change.words and ("+", "wants to") in change.words


def test_consequences_from_analysing_both_sides() -> None:
    texts = [c.text for c in generator.diff(V1, V2).consequences]
    assert texts == [
        "Threshold 'Coding benchmark saturated': alert → crossed, caused by the observation "
        "of 2026-03 (97.5 %)",
        "Mechanism 'Coordinated pause' is now triggered (not triggered → triggered): "
        "Coding benchmark saturated on crossing (crossed)",
        "Judgment “Coding benchmarks will stop distinguishing frontier models by 2028.”: "
        "likely 0.75 → very likely 0.92",
        "Forecast 'An AI system trains its successor without human involvement' by 2027: "
        "0.3 → 0.35",
        "New recommendation (medium): “Agree the pause's exit criteria with the lab before "
        "it is triggered.”",
        "Version: 0.4 → 0.5",
        "Date: 2026-03-01 → 2026-04-01",
    ]


def test_probability_moved_without_a_changelog_entry_warns(tmp_path: Path) -> None:
    moved = edit(tmp_path, "probability: 0.75", "probability: 0.78")
    warnings = [c.text for c in generator.diff(V1, moved).consequences if c.kind == "warning"]
    assert warnings == [
        "Judgment saturation: probability changed (likely 0.75 → likely 0.78) "
        "with no new changelog entry"
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("value: 97, alert: 90", "alert: 90, value: 97.0"),  # key order, number spelling
        ('version: "0.4"', "version: '0.4'"),  # quoting
        ("parties: [lab, government]", "parties: [government, lab]"),  # list order
        ("  - id: lab\n    name: A frontier lab\n    kind: lab\n", ""),  # entity moved (below)
        (
            "Frontier coding agents are close to saturating the benchmark that labs use\n"
            "  to decide",
            "Frontier coding agents are close\n"
            "  to saturating the benchmark that labs use to decide",
        ),  # re-wrapped paragraph
        ("priority: high", "priority: high  # the first thing to fund"),  # a comment
    ],
)
def test_formatting_is_not_a_change(tmp_path: Path, old: str, new: str) -> None:
    text = V1.read_text().replace(old, new)
    if not new:  # move the lab below the government in the actors list
        text = text.replace(
            "mechanisms:", "  - id: lab\n    name: A frontier lab\n    kind: lab\nmechanisms:", 1
        )
    target = tmp_path / "reformatted.yaml"
    target.write_text(text)
    assert generator.load(target)[0] is not None
    assert generator.diff(V1, target).changes == []


def test_big_numbers_by_value(tmp_path: Path) -> None:
    base = edit(tmp_path, "value: 97, alert: 90", "value: 1e26, alert: 90")
    same = base.with_name("same.yaml")
    same.write_text(base.read_text().replace("1e26", "100000000000000000000000000"))
    assert generator.diff(base, same).changes == []


def test_a_side_that_does_not_validate_is_compared_as_data(tmp_path: Path) -> None:
    broken = edit(
        tmp_path,
        "likelihood: likely\n    probability: 0.75",
        "likelihood: likely\n    probability: 0.95",
    )
    result = generator.diff(V1, broken)
    assert result.consequences == []
    assert result.notes == [
        "new side does not validate, so its analysis was skipped and only its data is "
        f"compared: {broken}:57:18: error: judgments[0].probability: 0.95 disagrees with "
        "'likely', which means 55%–80% on the icd-203 scale"
    ]
    assert [c.path for c in result.changes] == ["judgments[saturation].probability"]


def test_unreadable_side_is_a_note_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nid: [unclosed\n")
    result = generator.diff(V1, bad)
    assert result.notes and result.notes[0].startswith("new side does not validate")
    assert f"{bad}:" in result.notes[0]


def test_a_model_can_be_a_side() -> None:
    model, _ = generator.load(V2)
    assert model is not None
    assert generator.diff(sides.from_file(V2), model).changes == []


def test_rev_path_sides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("s.yaml", "v1.yaml")
    repo.commit("one")
    repo.write("s.yaml", "v2.yaml")
    monkeypatch.chdir(repo.root)
    result = generator.diff("HEAD:s.yaml", "s.yaml")
    assert result.old_label == "HEAD:s.yaml"
    assert len(result.changes) == 10


# -- long lists: matching stays near-linear and still pairs what was reworded ------------


def _timeline(n: int, word: str) -> list[dict[str, str]]:
    return [
        {"date": f"{2030 + i // 12}-{i % 12 + 1:02d}", "event": f"Lab {i} reports task {i}{word}."}
        for i in range(n)
    ]


def test_a_long_reworded_timeline_is_matched_event_by_event() -> None:
    from generator.versions import match

    old, new = _timeline(400, ""), _timeline(400, ", reworded")  # 160,000 pairs: indexed
    assert len(old) * len(new) > match.ALL_PAIRS
    pairs, removed, added = match.pair("timeline", old, new)
    assert (removed, added) == ([], [])
    assert pairs == [(i, i) for i in range(400)]
    mirrored, _, _ = match.pair("timeline", new, old)
    assert sorted((j, i) for i, j in mirrored) == pairs  # symmetric


def test_a_long_list_pairs_each_entity_by_its_rare_words_not_its_position() -> None:
    from generator.versions import match

    old = [{"statement": f"Judgment number {i} about the {i}th lab."} for i in range(200)]
    new = [{"statement": f"Judgment number {i} about lab {i}, reworded."} for i in range(200)]
    new.reverse()
    pairs, removed, added = match.pair("judgments", old, new)
    assert (removed, added) == ([], [])
    assert sorted(pairs) == [(i, 199 - i) for i in range(200)]


def test_timeline_labels_number_the_entries_of_one_date() -> None:
    from generator.versions import match

    items = [{"date": "2027"}, {"date": "2028"}, {"date": "2027"}, "x", {"date": "2027"}]
    assert match.labels("timeline", items) == ["2027 #1", "2028", "2027 #2", "#4", "2027 #3"]


def test_matching_scores_a_bounded_number_of_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.versions import match

    scored = []
    dice = match._dice
    monkeypatch.setattr(match, "_dice", lambda a, b: scored.append(1) or dice(a, b))
    for n in (400, 1600):  # 4x the events: about 4x the pairs scored, not 16x
        scored.clear()
        match.pair("timeline", _timeline(n, ""), _timeline(n, ", reworded"))
        assert len(scored) <= 2 * n * (match.RARE_WORDS + 1) * match.MAX_POSTING
        assert len(scored) <= 8 * n
