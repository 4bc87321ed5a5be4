"""Inputs built to be too big: each is one located error, never a crash or a flood.

- an id longer than 64 characters (it names output files) is a schema error,
  in the validator and in the JSON Schema alike;
- a diagnostic echoes at most 60 characters of any value, however long the
  value (a 100,000-digit number, a 100,000-character string or key).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import generator
from generator.errors import Diagnostic
from generator.format.loader import load_document
from generator.format.model import json_schema

TESTS = Path(__file__).resolve().parent
CASES = TESTS / "cases"


def test_an_id_of_300_characters_is_a_located_error(diagnose) -> None:
    assert diagnose("id-too-long") == [
        "id-too-long.yaml:3:5: error: id: 'frontier-pause-frontier-pause-frontier-p…' is too "
        "long for an id (300 characters; at most 64)"
    ]


def test_an_id_of_64_characters_is_valid(tmp_path: Path) -> None:
    text = (CASES / "minimal.yaml").read_text(encoding="utf-8")
    path = tmp_path / "long.yaml"
    path.write_text(text.replace("id: minimal", "id: " + "a" * 64), encoding="utf-8")
    scenario, diagnostics = generator.load(path)
    assert diagnostics == [] and scenario is not None and len(scenario.id) == 64


def test_the_json_schema_bounds_every_id() -> None:
    schema = json_schema()
    assert schema["properties"]["id"]["maxLength"] == 64
    assert schema["$defs"]["Actor"]["properties"]["id"]["maxLength"] == 64
    errors = list(
        Draft202012Validator(schema).iter_errors(load_document(CASES / "id-too-long.yaml").data)
    )
    assert [(list(e.absolute_path), e.validator) for e in errors] == [(["id"], "maxLength")]


DIGITS = "9" * 100_000
LETTERS = "x" * 100_000
CUT_DIGITS = "9" * 59 + "…"
CUT_LETTERS = "x" * 59 + "…"
HUGE = {
    "format-number": (
        ("format: 1", f"format: {DIGITS}"),
        f"2:9: error: format: unsupported format version {CUT_DIGITS}; this tool reads format 1",
    ),
    "format-text": (
        ("format: 1", f"format: '{LETTERS}'"),
        f"2:9: error: format: unsupported format version {CUT_LETTERS}; this tool reads format 1",
    ),
    "unknown-key": (
        ("date: 2026-11-21", f"date: 2026-11-21\n? {LETTERS}\n: 1"),
        f"7:3: error: the top level: unknown key '{CUT_LETTERS}' (allowed: ",
    ),
    "duplicate-key": (
        ("date: 2026-11-21", f"date: 2026-11-21\n? {LETTERS}\n: 1\n? {LETTERS}\n: 2"),
        f"9:3: error: duplicate key '{CUT_LETTERS}' (first defined at line 7)",
    ),
    "unknown-actor": (
        (
            "date: 2026-11-21",
            f"date: 2026-11-21\nrecommendations:\n  - text: x\n"
            f"    priority: high\n    actors: [{LETTERS}]",
        ),
        f"10:14: error: recommendations[0].actors[0]: unknown actor '{CUT_LETTERS}' "
        "(no actors are declared)",
    ),
    "yaml-tag": (
        ("date: 2026-11-21", f"date: 2026-11-21\nstatus: !{LETTERS} draft"),
        f"7:9: error: YAML tags such as '!{CUT_LETTERS[:-2]}…' are not supported; "
        "write the plain value",
    ),
}


@pytest.mark.parametrize(("edit", "expected"), HUGE.values(), ids=HUGE.keys())
def test_a_huge_value_is_echoed_short(tmp_path: Path, edit, expected: str) -> None:
    path = tmp_path / "huge.yaml"
    text = (CASES / "minimal.yaml").read_text(encoding="utf-8").replace(*edit)
    path.write_text(text, encoding="utf-8")
    _, diagnostics = generator.load(path, display="huge.yaml")
    lines = [str(d) for d in diagnostics]
    assert lines[0].startswith(f"huge.yaml:{expected}"), lines[0][:300]
    assert max(len(line) for line in lines) < 500  # the message and its list of keys


def test_a_message_keeps_short_values_and_its_own_words_whole() -> None:
    long_path = "/" + "folder/" * 20 + "scenario.yaml"
    diagnostic = Diagnostic("f.yaml", 1, 1, "error", "code", f"id 'abc' is used by {long_path}")
    assert diagnostic.message == f"id 'abc' is used by {long_path}"
    quoted = Diagnostic("f.yaml", 1, 1, "error", "code", f"value '{'a b ' * 40}' is bad")
    assert quoted.message == f"value '{('a b ' * 40)[:59]}…' is bad"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("command", [["validate"], ["render", "-f", "md"]])
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path, command: list[str]) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    result = subprocess.run(
        [sys.executable, "-c", "from generator.cli import main; main()", *command, "pipe.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,  # before the fix, this waited for a writer forever
    )
    assert result.returncode == 1
    assert "pipe.yaml: error: not a regular file" in (result.stdout + result.stderr).splitlines()
    assert not (tmp_path / "output").exists()
