"""Instruments as written: laws in force, pledges, deterrence regimes and release tiers.

Every new field validates strict-clean; each instrument rule fires with its exact
located message and stays quiet on the valid case; ``status`` computes each
instrument's state, membership and compliance as of the scenario's date; and the
semantic diff reports parties, compliance, duties and an instrument that now applies.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import generator
from generator.cli import main

CASES = Path(__file__).parent / "cases"
CASE = (CASES / "instruments.yaml").read_text(encoding="utf-8")


def _write(tmp_path: Path, *edits: tuple[str, str], name: str = "case.yaml") -> Path:
    text = CASE
    for before, after in edits:
        assert before in text, before
        text = text.replace(before, after, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _diagnostics(path: Path) -> list[str]:
    _, found = generator.load(path, display=path.name)
    return [str(d) for d in found]


def _states(path: Path) -> dict[str, dict]:
    result = CliRunner().invoke(main, ["status", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    return {m["id"]: m for m in json.loads(result.output)["mechanisms"]}


def test_every_instrument_field_is_strict_clean_and_loads_as_written(diagnose):
    assert diagnose("instruments") == []
    model, _ = generator.load(CASES / "instruments.yaml")
    assert model is not None
    statute, pledge, deterrence, tier = model.mechanisms
    assert [c.id for c in statute.covered_classes] == ["large-developers"]
    assert [(d.duty, d.within, d.to, d.covers) for d in statute.duties] == [
        ("Publish a frontier AI framework", None, None, ["large-developers"]),
        ("Report a critical safety incident", "15 days", "oes", []),
        ("Keep the framework current.", None, None, []),
    ]
    assert statute.each_party_adjudicates and statute.enforcer == "ag"
    assert statute.entry_into_force is not None and statute.entry_into_force.date == "2025-01-01"
    assert pledge.conveners == ["state-a", "state-b"]
    assert pledge.party_ids == ["lab-a", "lab-b", "lab-c"]
    assert deterrence.targets == ["state-c"] and [s.step for s in deterrence.ladder] == [
        "Espionage",
        "Sabotage",
    ]
    assert [t.at for t in tier.triggers] == ["not-crossed"]
    assert model.timeline[0].scheduled is True
    assert model.recommendations[0].proposed_by == "state-a"


def test_status_json_gives_each_instruments_state_parties_compliance_and_ladder(tmp_path):
    states = _states(CASES / "instruments.yaml")
    assert {k: v["state"] for k, v in states.items()} == {
        "statute": "in-force",  # its class has no members: coverage not established
        "pledge": "applies",
        "deterrence": "not-assessed",  # its one threshold step: bid-for-dominance unassessed
        "moderate-tier": "applies",  # bio-high is clear, so the tier below it applies
    }
    pledge = states["pledge"]
    assert pledge["kind"] == "voluntary-commitment"
    assert pledge["parties"] == ["lab-a", "lab-b", "lab-c"]
    # lab-b's latest entry as of 2025-03-01 is the not-met of 2025-02-10 (its met is 2025-06).
    assert pledge["compliance"] == {
        "parties": 3,
        "met": 1,
        "partly": 0,
        "not-met": 1,
        "unknown": 0,
        "not-recorded": 1,
        "text": "1 of 3 met · 1 not met · 1 not recorded",
    }
    assert [
        (s["step"], s["threshold_status"], s["reached"]) for s in states["deterrence"]["ladder"]
    ] == [("Espionage", None, None), ("Sabotage", "not assessed", False)]


def test_status_text_says_in_force_since_coverage_and_the_compliance_count(tmp_path):
    result = CliRunner().invoke(main, ["status", str(CASES / "instruments.yaml")])
    assert result.exit_code == 0, result.output
    assert (
        "statute: in force. In force since 1 January 2025: coverage not established (no source "
        "names who is in: Large frontier developers); 3 standing duties." in result.output
    )
    assert "    compliance: 1 of 3 met · 1 not met · 1 not recorded" in result.output
    assert "    step Sabotage: not reached (not assessed)" in result.output


def test_parties_count_only_between_joining_and_leaving(tmp_path):
    path = _write(
        tmp_path,
        ("{actor: lab-c, joined: 2024-11,", "{actor: lab-c, joined: 2025-04,"),
        ("{actor: lab-b, joined: 2024-05-21}", "{actor: lab-b, joined: 2024-05-21, left: 2025-01}"),
    )
    pledge = _states(path)["pledge"]
    assert pledge["parties"] == ["lab-a"]  # lab-b left, lab-c had not yet joined
    assert pledge["compliance"]["parties"] == 1


def test_a_tier_below_a_threshold_stops_applying_once_it_is_crossed(tmp_path):
    path = _write(tmp_path, ("{date: 2025-01, status: clear,", "{date: 2025-01, status: crossed,"))
    assert _states(path)["moderate-tier"]["state"] == "not-triggered"


def test_members_establish_coverage_and_the_law_applies(tmp_path):
    path = _write(
        tmp_path,
        (
            "          - Annual revenue above USD 500 million\n",
            "          - Annual revenue above USD 500 million\n        members: [lab-a]\n",
        ),
    )
    assert _states(path)["statute"]["state"] == "applies"


RULES = [
    pytest.param(
        [
            (
                "  - {id: oes,",
                "  - {id: each-party, name: X, kind: other, role: Observer}\n  - {id: oes,",
            )
        ],
        "case.yaml:33:10: error: actors[7].id: 'each-party' is reserved (adjudicator: each-party "
        "means each party judges itself); choose another id",
        id="reserved-id",
    ),
    pytest.param(
        [("      - {actor: lab-c,", "      - lab-a\n      - {actor: lab-c,")],
        "case.yaml:64:9: error: mechanisms[1].parties[2]: 'lab-a' is listed twice; list each "
        "party once",
        id="duplicate-party",
    ),
    pytest.param(
        [
            (
                "{actor: lab-b, joined: 2024-05-21}",
                "{actor: lab-b, joined: 2024-05-21, left: 2024-01}",
            )
        ],
        "case.yaml:63:50: error: mechanisms[1].parties[1].left: 'lab-b' left on 2024-01, before "
        "it joined on 2024-05-21",
        id="party-dates",
    ),
    pytest.param(
        [
            ("      - id: large-developers", "      - id: lab-a"),
            ("covers: [large-developers]}", "covers: [lab-a]}"),
        ],
        "case.yaml:41:13: error: mechanisms[0].covers[0].id: 'lab-a' is an actor's id; a class "
        "of actors is not an actor and needs an id of its own",
        id="class-id-is-actor",
    ),
    pytest.param(
        [
            (
                "    requires:\n      - {duty: Publish",
                "      - {id: large-developers, name: Again}\n"
                "    requires:\n      - {duty: Publish",
            )
        ],
        "case.yaml:46:14: error: mechanisms[0].covers[1].id: a second class with id "
        "'large-developers'",
        id="duplicate-class",
    ),
    pytest.param(
        [("covers: [large-developers]}", "covers: [large-developer]}")],
        "case.yaml:47:58: error: mechanisms[0].requires[0].covers[0]: 'large-developer' is "
        "neither a class this mechanism covers nor an actor — did you mean 'large-developers'?",
        id="unknown-covered",
    ),
    pytest.param(
        [
            (
                "{actor: lab-a, date: 2025-02-10, status: met",
                "{actor: state-c, date: 2025-02-10, status: met",
            )
        ],
        "case.yaml:68:17: error: mechanisms[1].compliance[0].actor: 'state-c' is not a party of "
        "'pledge'; compliance is recorded for parties only (add it to parties)",
        id="compliance-not-party",
    ),
    pytest.param(
        [("{actor: lab-b, date: 2025-06,", "{actor: lab-b, date: 2025-02-10,")],
        "case.yaml:70:30: error: mechanisms[1].compliance[2]: a second compliance entry for "
        "'lab-b' dated 2025-02-10; keep one per party and date",
        id="duplicate-compliance",
    ),
    pytest.param(
        [
            (
                "status: met, source: tracker}\n      - {actor: lab-b",
                "status: met}\n      - {actor: lab-b",
            )
        ],
        "case.yaml:68:9: warning: mechanisms[1].compliance[0]: compliance has no source",
        id="unsourced-compliance",
    ),
    pytest.param(
        [("    targets: [state-c]\n", "    targets: []\n    declined: [state-c]\n")],
        "case.yaml:73:5: error: mechanisms[2]: a deterrence mechanism needs at least one target "
        "(targets: the actors it acts against)",
        id="no-targets",
    ),
    pytest.param(
        [
            (
                "    adjudicator: each-party\n    requires: [Publish a safety",
                "    adjudicator: each-party\n    enforcer: ag\n    requires: [Publish a safety",
            )
        ],
        "case.yaml:66:15: warning: mechanisms[1].enforcer: a voluntary commitment has no "
        "external enforcement; if someone enforces it, choose the kind it is (regulation, "
        "treaty, code-of-practice)",
        id="voluntary-enforcer",
    ),
    pytest.param(
        [("      - step: Sabotage", "      - step: Espionage")],
        "case.yaml:80:15: error: mechanisms[2].ladder[1].step: a second step named 'Espionage'; "
        "name each step of a ladder once",
        id="duplicate-step",
    ),
    pytest.param(
        [
            (
                "{text: On 1 January 2025, date: 2025-01-01}",
                "{text: On 1 January 2026, date: 2026-01-01}",
            )
        ],
        "case.yaml:39:55: warning: mechanisms[0].entry_into_force.date: it enters into force on "
        "2026-01-01, after the scenario's date (2025-03-01), yet its status is in-force; write "
        "status: agreed until then, or correct the date",
        id="future-entry",
    ),
]


@pytest.mark.parametrize(("edits", "message"), RULES)
def test_each_instrument_rule_fires_with_its_located_message(tmp_path, edits, message):
    assert _diagnostics(_write(tmp_path, *edits)) == [message]


def test_level_names_must_differ_and_each_party_is_no_actor_reference(tmp_path):
    path = _write(
        tmp_path,
        ("levels: {warning: High, critical: Critical}", "levels: {warning: High, critical: high}"),
    )
    assert _diagnostics(path) == [
        "case.yaml:10:35: error: levels.critical: 'high' is also the name of warning; each "
        "level needs a name of its own"
    ]


def test_the_future_entry_rule_is_quiet_for_an_agreed_instrument(tmp_path):
    path = _write(
        tmp_path,
        (
            "{text: On 1 January 2025, date: 2025-01-01}",
            "{text: On 1 January 2026, date: 2026-01-01}",
        ),
        (
            "    kind: regulation\n    status: in-force\n",
            "    kind: regulation\n    status: agreed\n",
        ),
    )
    assert _diagnostics(path) == []
    assert _states(path)["statute"]["state"] == "not-in-force"


def _consequences(old: Path, new: Path) -> list[str]:
    return [c.text for c in generator.diff(old, new).consequences]


def _paths(old: Path, new: Path) -> list[tuple[str, str]]:
    return [(c.kind, c.path) for c in generator.diff(old, new).changes]


def test_diff_reports_a_party_that_joined_and_compliance_that_moved(tmp_path):
    old = _write(tmp_path, name="old.yaml")
    new = _write(
        tmp_path,
        ("date: 2025-03-01", "date: 2025-07-01"),
        name="new.yaml",
    )
    texts = _consequences(old, new)
    assert (
        "Compliance with 'The commitments': 1 of 3 met · 1 not met · 1 not recorded"
        " → 2 of 3 met · 1 not recorded" in texts
    )


def test_diff_reports_a_duty_added_and_a_party_written_out_as_one_change(tmp_path):
    old = _write(tmp_path, name="old.yaml")
    new = _write(
        tmp_path,
        (
            "      - Keep the framework current.\n",
            "      - Keep the framework current.\n      - Retain records for five years.\n",
        ),
        (
            "    parties: [state-a, state-b]\n",
            "    parties: [state-a, {actor: state-b, joined: 2020-01}]\n",
        ),
        name="new.yaml",
    )
    assert _paths(old, new) == [
        ("added", "mechanisms[statute].requires[#4]"),
        ("added", "mechanisms[deterrence].parties[state-b].joined"),
    ]


def test_diff_reports_a_party_that_left_and_a_law_that_now_applies(tmp_path):
    old = _write(tmp_path, name="old.yaml")
    new = _write(
        tmp_path,
        (
            "          - Annual revenue above USD 500 million\n",
            "          - Annual revenue above USD 500 million\n        members: [lab-a]\n",
        ),
        ("{actor: lab-c, joined: 2024-11,", "{actor: lab-c, joined: 2024-11, left: 2025-02,"),
        name="new.yaml",
    )
    texts = _consequences(old, new)
    assert "Mechanism 'The frontier AI statute' now applies (in-force → applies)" in texts
    assert "Lab C is no longer a party to 'The commitments'" in texts


def test_a_date_fixed_by_law_prints_as_scheduled_not_projected(tmp_path):
    from generator.pipeline import render

    report = render(CASES / "instruments.yaml", template="report", fmt="md").decode()
    assert "| 1 Jan 2026 *(scheduled)* | The first annual review is due" in report
    path = _write(tmp_path, (", scheduled: true}", "}"))
    report = render(path, template="report", fmt="md").decode()
    assert "| 1 Jan 2026 *(projected)* | The first annual review is due" in report
