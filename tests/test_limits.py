"""Inputs built to be too big: each is one located error, never a crash or a flood.

- an id longer than 64 characters (it names output files) is a schema error,
  in the validator and in the JSON Schema alike;
- a diagnostic echoes at most 60 characters of any value, however long the
  value (a 100,000-digit number, a 100,000-character string or key).
"""

from __future__ import annotations

from pathlib import Path

from jsonschema import Draft202012Validator

import generator
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
