"""Load stage: YAML is read safely, every failure is one located error, nothing hangs."""

from __future__ import annotations

import pytest

import generator
from generator.errors import LoadError
from generator.format.loader import MAX_BYTES, MAX_DEPTH, MAX_NODES, load_document, parse

MINIMAL = """\
format: 1
id: minimal
title: Minimal scenario
summary: The smallest valid scenario.
date: 2026-11-21
"""

LOAD_ERRORS = [
    pytest.param(
        "duplicate-key",
        "duplicate-key.yaml:7:1: error: duplicate key 'title' (first defined at line 4)",
        id="duplicate-key",
    ),
    pytest.param(
        "billion-laughs",
        "billion-laughs.yaml:12:37: error: aliases expand to more than 100000 values "
        "(a 'billion laughs' file?); write the values out",
        id="billion-laughs",
    ),
    pytest.param(
        "too-deep",
        "too-deep.yaml:7:80: error: values are nested more than 64 levels deep",
        id="too-deep",
    ),
    pytest.param(
        "empty-file",
        "empty-file.yaml:1:1: error: file is empty; a scenario is a YAML mapping",
        id="empty-file",
    ),
    pytest.param(
        "binary-file",
        "binary-file.yaml:5:22: error: this is a binary file, not a YAML text file "
        "(found a NUL byte)",
        id="binary-file",
    ),
    pytest.param(
        "not-utf8",
        "not-utf8.yaml:4:10: error: file is not valid UTF-8 (byte 0xe9); save it as UTF-8",
        id="not-utf8",
    ),
    pytest.param(
        "top-level-list",
        "top-level-list.yaml:2:1: error: a scenario file must be a mapping of keys to values, "
        "not a list",
        id="top-level-list",
    ),
    pytest.param(
        "multiple-documents",
        "multiple-documents.yaml:7:1: error: a scenario file holds one YAML document; "
        "remove the second '---'",
        id="multiple-documents",
    ),
    pytest.param(
        "yaml-syntax",
        "yaml-syntax.yaml:4:25: error: invalid YAML: mapping values are not allowed "
        "in this context",
        id="yaml-syntax",
    ),
    pytest.param(
        "python-tag",
        "python-tag.yaml:4:8: error: YAML tags such as "
        "'tag:yaml.org,2002:python/object/apply:os.system' are not supported; "
        "write the plain value",
        id="python-tag",
    ),
]


@pytest.mark.parametrize(("case", "expected"), LOAD_ERRORS)
def test_a_file_that_cannot_be_read_gives_one_located_error(diagnose, case, expected):
    assert diagnose(case) == [expected]


@pytest.mark.parametrize(("case", "expected"), LOAD_ERRORS)
def test_load_document_raises_load_error_carrying_the_diagnostic(cases, case, expected):
    with pytest.raises(LoadError) as caught:
        load_document(cases / f"{case}.yaml", display=f"{case}.yaml")
    assert [str(d) for d in caught.value.diagnostics] == [expected]
    assert str(caught.value) == expected


def test_load_never_raises_for_bad_input_and_gives_no_model(cases):
    model, diagnostics = generator.load(cases / "duplicate-key.yaml")
    assert model is None
    assert [d.code for d in diagnostics] == ["duplicate-key"]


# --------------------------------------------------------------------------- files


def test_a_missing_file_is_an_error_for_the_whole_file(tmp_path):
    _, diagnostics = generator.load(tmp_path / "nope.yaml", display="nope.yaml")
    assert [str(d) for d in diagnostics] == ["nope.yaml: error: no such file"]


def test_a_directory_is_not_a_scenario_file(tmp_path):
    _, diagnostics = generator.load(tmp_path, display="folder")
    assert [str(d) for d in diagnostics] == ["folder: error: is a directory, not a YAML file"]


def test_a_zero_byte_file_is_empty(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    _, diagnostics = generator.load(path, display="empty.yaml")
    assert [str(d) for d in diagnostics] == [
        "empty.yaml:1:1: error: file is empty; a scenario is a YAML mapping"
    ]


def test_a_file_over_2_mib_is_too_large(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text(MINIMAL + "# " + "x" * MAX_BYTES + "\n", encoding="utf-8")
    _, diagnostics = generator.load(path, display="huge.yaml")
    assert [str(d) for d in diagnostics] == [
        "huge.yaml:1:1: error: file is larger than 2 MiB; split it into several scenarios"
    ]


def test_a_file_of_exactly_2_mib_is_accepted(tmp_path):
    path = tmp_path / "big.yaml"
    padding = MAX_BYTES - len(MINIMAL) - len("# \n")
    path.write_text(MINIMAL + "# " + "x" * padding + "\n", encoding="utf-8")
    assert path.stat().st_size == MAX_BYTES
    model, diagnostics = generator.load(path)
    assert diagnostics == []
    assert model is not None


def test_a_byte_order_mark_and_crlf_line_ends_keep_lines_right(tmp_path):
    path = tmp_path / "windows.yaml"
    text = MINIMAL + "title: Again\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    _, diagnostics = generator.load(path, display="windows.yaml")
    assert [str(d) for d in diagnostics] == [
        "windows.yaml:6:1: error: duplicate key 'title' (first defined at line 3)"
    ]


# --------------------------------------------------------------------------- budgets


def test_billion_laughs_stops_at_the_alias_budget_without_expanding(cases):
    with pytest.raises(LoadError) as caught:
        load_document(cases / "billion-laughs.yaml")
    assert caught.value.diagnostics[0].code == "alias-budget"


def test_ten_thousand_nested_lists_give_too_deep_not_a_recursion_error():
    text = MINIMAL + "open_questions: " + "[" * 10_000 + "]" * 10_000 + "\n"
    with pytest.raises(LoadError) as caught:
        parse(text, "deep.yaml")
    [diagnostic] = caught.value.diagnostics
    # Our limit, or libyaml's own (1000 levels, met first by recent libyaml while scanning
    # ahead): the same message either way, at a bracket past the limit on that line.
    prefix = len("open_questions: ")
    assert diagnostic.message == "values are nested more than 64 levels deep"
    assert diagnostic.line == 6
    assert prefix + MAX_DEPTH <= diagnostic.column <= prefix + 1001


def test_ten_thousand_nested_mappings_give_too_deep():
    text = MINIMAL + "horizon: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n"
    with pytest.raises(LoadError) as caught:
        parse(text, "deep.yaml")
    assert caught.value.diagnostics[0].code == "too-deep"


def test_nesting_up_to_the_limit_is_accepted():
    # The top-level mapping and open_questions' list take two of the levels.
    inner = MAX_DEPTH - 2
    document = parse(MINIMAL + "open_questions: " + "[" * inner + "]" * inner + "\n")
    assert isinstance(document.data["open_questions"], list)


def test_aliases_within_the_budget_work(diagnose, cases):
    assert diagnose("aliases") == []
    model, _ = generator.load(cases / "aliases.yaml")
    assert model is not None
    assert model.timeline[0].actors == ["anthropic", "openai"]
    assert model.recommendations[0].actors == ["anthropic", "openai"]


def test_the_alias_budget_counts_expanded_values():
    anchor = "[" + ", ".join(["x"] * 999) + "]"  # 1 000 values
    within = MINIMAL + f"open_questions:\n  - &a {anchor}\n" + "  - *a\n" * 50
    assert len(parse(within).data["open_questions"]) == 51
    beyond = MINIMAL + f"open_questions:\n  - &a {anchor}\n" + "  - *a\n" * (MAX_NODES // 1000)
    with pytest.raises(LoadError) as caught:
        parse(beyond)
    assert caught.value.diagnostics[0].code == "alias-budget"


def test_a_recursive_alias_is_refused():
    with pytest.raises(LoadError) as caught:
        parse(MINIMAL + "open_questions: &a [*a]\n", "loop.yaml")
    assert [str(d) for d in caught.value.diagnostics] == [
        "loop.yaml:6:21: error: alias '*a' refers to a value that contains it"
    ]


def test_an_alias_without_an_anchor_is_located():
    with pytest.raises(LoadError) as caught:
        parse(MINIMAL + "tags: *nope\n", "alias.yaml")
    assert [str(d) for d in caught.value.diagnostics] == [
        "alias.yaml:6:7: error: alias '*nope' refers to no anchor '&nope' above it"
    ]


# --------------------------------------------------------------------------- scalars


def test_yaml_1_1_booleans_and_short_codes_stay_strings():
    data = parse(MINIMAL + "audience: [NO, no, on, off, yes, y, Yes]\n").data
    assert data["audience"] == ["NO", "no", "on", "off", "yes", "y", "Yes"]


def test_numbers_remember_how_they_were_written():
    data = parse(MINIMAL + "version: 1.10\nopen_questions: [1e26, 007, 2.50]\n").data
    assert data["version"] == 1.1
    assert data["version"].raw == "1.10"
    assert [n.raw for n in data["open_questions"]] == ["1e26", "007", "2.50"]
    assert isinstance(data["open_questions"][0], float)
    assert data["open_questions"][0] == 1e26


def test_dates_are_never_resolved():
    assert parse(MINIMAL).data["date"] == "2026-11-21"


def test_true_false_and_null_follow_yaml_1_2():
    data = parse(MINIMAL + "open_questions: [true, False, null, ~, 'true']\n").data
    assert data["open_questions"] == [True, False, None, None, "true"]


def test_every_value_and_key_is_located():
    document = parse(MINIMAL + "horizon:\n  start: 2026\n  end: 2030\n")
    assert document.positions[("horizon", "end")] == (8, 8)
    assert document.key_positions[("horizon", "end")] == (8, 3)
    assert document.locate(("horizon", "end", "nothing", 3)) == (8, 8)


# --------------------------------------------------------------------------- known bugs


def test_a_control_character_is_located_in_one_line(cases):
    _, diagnostics = generator.load(cases / "control-character.yaml")
    (diagnostic,) = diagnostics
    assert str(diagnostic) == (
        f"{cases / 'control-character.yaml'}:4:15: error: "
        "control character U+0007 is not allowed in YAML; delete it"
    )
    assert "\n" not in diagnostic.message
    assert "<unicode string>" not in diagnostic.message


@pytest.mark.parametrize("bad", [b"\xe9", b"\x00"], ids=["not-utf8", "nul-byte"])
def test_columns_count_characters_not_bytes(tmp_path, bad):
    path = tmp_path / "accent.yaml"
    # "title: Café " is 12 characters but 13 bytes: the bad byte is character 13.
    path.write_bytes(b"format: 1\ntitle: Caf\xc3\xa9 " + bad + b"\n")
    _, diagnostics = generator.load(path)
    assert [(d.line, d.column) for d in diagnostics] == [(2, 13)]


def test_an_integer_of_5000_digits_does_not_crash(tmp_path):
    path = tmp_path / "digits.yaml"
    path.write_text(MINIMAL + "version: 1" + "0" * 5000 + "\n")
    _, diagnostics = generator.load(path)
    assert all(d.line == 6 for d in diagnostics)
