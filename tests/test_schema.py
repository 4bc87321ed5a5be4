"""The JSON Schema (``scenario schema``) is valid, and agrees with the validator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from generator.format.loader import load_document
from generator.format.model import json_schema

TESTS = Path(__file__).parent
CASES, SCENARIOS = TESTS / "cases", TESTS.parent / "scenarios"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    return Draft202012Validator(json_schema())


def data(path: Path) -> object:
    """The parsed YAML; RawInt and RawFloat are int and float, as JSON Schema expects."""
    return load_document(path).data


def test_the_schema_is_a_valid_draft_2020_12_schema():
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_the_schema_forbids_unknown_keys_everywhere():
    schema = json_schema()
    objects = [schema, *schema["$defs"].values()]
    assert all(o.get("additionalProperties") is False for o in objects if o.get("type") == "object")


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_the_schema_accepts_every_example_scenario(validator, path):
    assert [e.message for e in validator.iter_errors(data(path))] == []


@pytest.mark.parametrize("case", ["minimal", "aliases"])
def test_the_schema_accepts_a_valid_case(validator, case):
    assert [e.message for e in validator.iter_errors(data(CASES / f"{case}.yaml"))] == []


@pytest.mark.parametrize(
    ("case", "where"),
    [
        ("unknown-key", []),
        ("missing-required", []),
        ("bad-enum", ["sources", 0, "kind"]),
        ("bad-slug", ["id"]),
        ("probability-out-of-range", ["forecasts", 0, "estimates", 1, "p"]),
        ("wrong-type", ["title"]),
    ],
)
def test_the_schema_rejects_what_the_validator_rejects(validator, case, where):
    errors = list(validator.iter_errors(data(CASES / f"{case}.yaml")))
    assert [list(e.absolute_path) for e in errors] == [where]


def test_the_schema_accepts_numbers_written_in_text_fields(validator):
    assert [e.message for e in validator.iter_errors(data(CASES / "strings-kept.yaml"))] == []


def test_the_committed_docs_are_what_the_code_generates():
    """docs/ must be regenerated with the model: `scenario schema -o docs/scenario.schema.json`
    and `scenario schema --markdown -o docs/FORMAT.md`."""
    from generator.format.reference import format_reference

    docs = Path(__file__).parent.parent / "docs"
    committed = json.loads((docs / "scenario.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "docs/scenario.schema.json is out of date"
    assert (docs / "FORMAT.md").read_text(encoding="utf-8") == format_reference() + "\n", (
        "docs/FORMAT.md is out of date"
    )


def test_every_reference_field_names_its_target_in_the_schema():
    schema = json_schema()
    convener = schema["$defs"]["Mechanism"]["properties"]["convener"]["anyOf"][0]["oneOf"][0]
    assert convener["x-references"] == "actors"
    adjudicator = schema["$defs"]["Mechanism"]["properties"]["adjudicator"]["anyOf"]
    assert adjudicator[0]["const"] == "each-party"  # an id's pattern fits it too: anyOf
    assert adjudicator[1]["x-references"] == "actors"
    assert "actors" in convener["description"]
    by = schema["$defs"]["Judgment"]["properties"]["by"]["anyOf"][0]
    assert by["x-references"] == "actors"
