"""Analyse stage: status from the latest evidence, trigger levels, agreements, limits."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import generator
from generator.analysis.analyse import analyse
from generator.cli import main

BASE = """format: 1
id: t
title: T
summary: S.
date: 2026-03-01
sources: [{id: s, title: S}]
actors: [{id: lab, name: A Lab, kind: lab}]
indicators:
  - id: score
    name: Score
    unit: percent
    observations: [{date: OBS_DATE, value: 95, source: s}]
thresholds:
  - id: t
    name: Level one
    level: critical
    indicator: score
    condition: {op: ">=", value: 97, alert: 90}
    assessments: [{date: ASSESS_DATE, status: ASSESSED, by: lab, source: s}]
mechanisms:
  - id: m
    name: M
    kind: voluntary-policy
    STATUS
    triggered_by: [TRIGGER]
    parties: [lab]
    adjudicator: lab
    verification: []
    exit_criteria: []
"""


def _analysis(tmp_path, **values: str):
    text = BASE
    defaults = {
        "OBS_DATE": "2026-01",
        "ASSESS_DATE": "2025-06",
        "ASSESSED": "clear",
        "TRIGGER": "t",
        "STATUS": "",
    }
    for key, value in (defaults | values).items():
        text = text.replace(key, value)
    path = tmp_path / "t.yaml"
    path.write_text(text)
    model, diagnostics = generator.load(path)
    assert model is not None, [str(d) for d in diagnostics]
    return analyse(model)


def test_a_later_reading_decides_over_an_earlier_assessment(tmp_path):
    (t,) = _analysis(tmp_path, ASSESSED="crossed").thresholds
    assert (t.status, t.evidence.kind, t.evidence.date) == ("alert", "observation", "2026-01")


def test_a_later_assessment_decides_over_an_earlier_reading(tmp_path):
    (t,) = _analysis(tmp_path, ASSESS_DATE="2026-02", ASSESSED="crossed").thresholds
    assert (t.status, t.evidence.kind, t.reading_text) == (
        "crossed",
        "assessment",
        "crossed, assessed by A Lab",
    )


def test_evidence_after_the_scenario_date_is_ignored_and_none_left_is_not_assessed(tmp_path):
    (t,) = _analysis(tmp_path, OBS_DATE="2026-04", ASSESS_DATE="2026-05").thresholds
    assert (t.status, t.evidence, t.reading_text) == ("not assessed", None, "no reading yet")


def test_readings_per_subject_the_most_severe_subject_decides(cases):
    model, _ = generator.load(cases / "faithful.yaml")
    statuses = {t.threshold.id: t for t in analyse(model).thresholds}
    assert statuses["cyber-1"].status == "alert"  # Model A at alert, Model B clear, same date
    assert statuses["cyber-1"].evidence.subject == "Model A"
    assert statuses["run-1e24"].reading_text == "5×10²⁴ FLOP, Model B"
    assert statuses["cyber-alert"].status == "not assessed"


@pytest.mark.parametrize(
    ("trigger", "triggered", "state"),
    [
        ("{threshold: t, at: alert}", True, "triggered"),
        ("t", False, "not triggered"),  # past the early warning: said in the sentence
        ("{threshold: t, at: crossing}", False, "not triggered"),
    ],
    ids=["alert-level-fires", "crossing-does-not", "crossing-spelt-out"],
)
def test_a_trigger_fires_at_its_own_level(tmp_path, trigger, triggered, state):
    (m,) = _analysis(tmp_path, TRIGGER=trigger).mechanisms
    assert (m.triggered, m.state) == (triggered, state)
    if triggered:
        assert m.state_text == "Triggered: Level one at the alert level (alert)."
        assert [t.as_dict() for t in m.fired] == [{"threshold": "t", "at": "alert"}]


@pytest.mark.parametrize("status", ["proposed", "agreed", "suspended", "ended"])
def test_a_mechanism_not_in_force_is_never_triggered(tmp_path, status):
    (m,) = _analysis(
        tmp_path, TRIGGER="{threshold: t, at: alert}", STATUS=f"status: {status}"
    ).mechanisms
    assert (m.triggered, m.state, m.fired) == (False, f"{status}, not in force", [])
    assert m.code == "not-in-force"


def test_a_standing_limit_already_exceeded_is_stated_with_its_reading(cases):
    model, _ = generator.load(cases / "faithful.yaml")
    plans, treaty = analyse(model).mechanisms
    assert (treaty.state, treaty.triggered) == ("proposed, not in force", None)
    assert [(x.status.threshold.id, x.reading) for x in treaty.limits_exceeded] == [
        ("run-1e24", "5×10²⁴ FLOP, Model B, 2025")
    ]
    assert plans.limits_exceeded == []


def test_who_decides_and_what_halts_are_stated_as_facts(cases):
    model, _ = generator.load(cases / "faithful.yaml")
    plans, treaty = analyse(model).mechanisms
    assert plans.governance == "Adjudicated by A Lab alone; no external verifier."
    assert plans.halts_text == "Halts external deployment."  # nothing said of training
    assert (plans.noun, plans.duration_text) == ("deployment hold", "No end date.")
    # the parties' own national technical means are not external verification
    assert treaty.governance == "Would be adjudicated by Safety council; no external verifier."
    # It halts training but names no trigger: its heading is what it forbids outright.
    assert (treaty.noun, treaty.halts_text) == ("standing limit", "Halts training.")
    assert [x.deadline for x in plans.actions] == ["within 30 days", ""]


def test_flop_readings_sit_on_a_log_scale(cases):
    model, _ = generator.load(cases / "faithful.yaml")
    t = analyse(model).threshold("run-1e24")
    assert t.log_scale
    # 10^24 trigger and 5x10^24 reading on a scale from 10^23 to 10^26
    assert (round(t.trigger_position, 3), round(t.position, 3)) == (0.333, 0.566)


def test_status_json_has_the_documented_shape(cases, monkeypatch):
    monkeypatch.chdir(cases)
    result = CliRunner().invoke(main, ["status", "--format", "json", "faithful.yaml"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["id", "date", "thresholds", "mechanisms", "glance"]
    assert [(t["id"], t["status"]) for t in data["thresholds"]] == [
        ("cyber-alert", "not-assessed"),
        ("cyber-1", "alert"),
        ("run-1e24", "crossed"),
    ]
    assert data["thresholds"][1]["evidence"] == {
        "kind": "assessment",
        "date": "2025-06",
        "status": "alert",
        "subject": "Model A",
        "by": "lab",
        "source": "card",
        "note": None,
    }
    assert data["mechanisms"] == [
        {
            "id": "response-plans",
            "kind": "voluntary-policy",
            "status": "in-force",
            "state": "triggered",
            "triggered": True,
            "by": [
                {"threshold": "cyber-1", "at": "alert"},
                {"threshold": "run-1e24", "at": "crossing"},
            ],
            "limits_exceeded": [],
            "parties": ["lab"],
            "compliance": None,
            "ladder": [],
        },
        {
            "id": "treaty",
            "kind": "bilateral",
            "status": "proposed",
            "state": "not-in-force",
            "triggered": None,
            "by": [],
            "limits_exceeded": [{"threshold": "run-1e24", "reading": "5×10²⁴ FLOP, Model B, 2025"}],
            "parties": ["state-a", "state-b"],
            "compliance": None,
            "ladder": [],
        },
    ]


def test_status_for_people_names_each_threshold_and_mechanism(cases, monkeypatch):
    monkeypatch.chdir(cases)
    result = CliRunner().invoke(main, ["status", "faithful.yaml"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "faithful, as of 2026-03-01",
        "thresholds:",
        "  cyber-alert  not assessed",
        "  cyber-1      alert: alert, assessed by A Lab, Model A "
        "(assessment, 2025-06, source card)",
        "  run-1e24     crossed: 5×10²⁴ FLOP, Model B (observation, 2025, source card)",
        "mechanisms:",
        "  response-plans: triggered. Triggered: Cyber uplift level 1 (Cyber uplift 1) at the "
        "alert level (alert); A training run above 10^24 FLOP on crossing (crossed).",
        "  treaty: proposed, not in force. Nothing in it is triggered or binding yet.",
        "    limit run-1e24 already exceeded: 5×10²⁴ FLOP, Model B, 2025",
    ]


def test_status_of_an_invalid_scenario_prints_its_errors_and_exits_1(cases, monkeypatch):
    monkeypatch.chdir(cases)
    result = CliRunner().invoke(main, ["status", "unknown-actor.yaml"])
    assert result.exit_code == 1
    assert "unknown actor 'antropic'" in result.stderr


def test_status_gives_the_story_s_projected_crossings_beside_the_evidence(cases, monkeypatch):
    monkeypatch.chdir(cases)
    result = CliRunner().invoke(main, ["status", "--format", "json", "three-way-fork.yaml"])
    assert result.exit_code == 0, result.output
    thresholds = {t["id"]: t for t in json.loads(result.stdout)["thresholds"]}
    assert thresholds["coder"]["status"] == "not-assessed"  # a projection is not evidence
    assert thresholds["coder"]["projected"] == [{"date": "2027-03", "branch": None}]
    assert thresholds["asi"]["projected"] == [
        {"date": "2028-02", "branch": "race"},
        {"date": "2028-04", "branch": "pause"},
    ]
    faithful = CliRunner().invoke(main, ["status", "--format", "json", "faithful.yaml"])
    assert all(t["projected"] == [] for t in json.loads(faithful.stdout)["thresholds"])
