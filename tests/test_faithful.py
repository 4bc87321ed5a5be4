"""Frameworks as written: the issue-11 fields validate; each new rule fires and stays quiet."""

from __future__ import annotations

import pytest

import generator
from generator.errors import did_you_mean


def test_every_new_field_used_as_a_framework_uses_it_is_valid_and_quiet(diagnose, cases):
    assert diagnose("faithful") == []
    model, _ = generator.load(cases / "faithful.yaml")
    assert model is not None
    plans, treaty = model.mechanisms
    assert [(t.threshold, t.at) for t in plans.triggers] == [
        ("cyber-1", "alert"),
        ("run-1e24", "crossing"),
    ]
    assert [(a.action, a.thresholds, a.within) for a in plans.action_items] == [
        ("Security level 2", ["cyber-1"], "30 days"),
        ("Report to the board [@policy].", [], None),
    ]
    assert (plans.duration, plans.none_stated("verification"), plans.none_stated("conditions")) == (
        "none",
        True,
        False,
    )
    assert treaty.verification[0].verifiers == ["state-a", "state-b"]
    assert treaty.none_stated("triggered_by") and treaty.limits == ["run-1e24"]
    assert model.indicators[1].unit.label == "H100-equivalents"


LINK_ERRORS = [
    (
        "escalation-cycle",
        [
            "escalation-cycle.yaml:8:50: error: thresholds[0].escalates_to: 'a' escalates to a "
            "cycle ('a' → 'b' → 'a'); the chain must end",
            "escalation-cycle.yaml:10:53: error: thresholds[2].escalates_to: 'c' escalates to "
            "itself ('c' → 'c'); the chain must end",
            "escalation-cycle.yaml:11:53: error: thresholds[3].escalates_to: unknown threshold "
            "'e' (declare it under thresholds)",
        ],
    ),
    (
        "part-of-cycle",
        [
            "part-of-cycle.yaml:8:67: error: actors[0].part_of: 'agency' is part of a cycle "
            "('agency' → 'council' → 'agency'); the chain must end"
        ],
    ),
    (
        "declined-party",
        [
            "declined-party.yaml:15:16: error: mechanisms[0].declined[0]: 'meta' is also listed "
            "as a party; an actor either joined or declined"
        ],
    ),
    (
        "bilateral-three",
        [
            "bilateral-three.yaml:12:5: error: mechanisms[0]: a bilateral mechanism needs "
            "exactly two parties (has 3)"
        ],
    ),
    (
        "alert-trigger-without-alert",
        [
            "alert-trigger-without-alert.yaml:15:39: warning: mechanisms[0].triggered_by[0].at: "
            "fires at the alert level, but threshold 't' has no alert value and no assessments, "
            "so it can fire only on crossing; add condition.alert or write at: crossing"
        ],
    ),
    (
        "assessments-mistakes",
        [
            "assessments-mistakes.yaml:17:16: error: thresholds[0].assessments[1]: a second "
            "assessment of 'Model A' dated 2026-02; keep one per date, or name the subject each "
            "one is about",
            "assessments-mistakes.yaml:18:9: warning: thresholds[0].assessments[2]: assessment "
            "has no source",
            "assessments-mistakes.yaml:18:16: error: thresholds[0].assessments[2]: assessments "
            "must be in date order, but 2025-06 comes after 2026-02",
        ],
    ),
    (
        "assessment-disagrees",
        [
            "assessment-disagrees.yaml:21:33: warning: thresholds[0].assessments[0].status: the "
            "assessment finds 'alert' but the reading of the same date (98) finds 'crossed'; "
            "the more severe is shown — correct one, or date each as published"
        ],
    ),
    (
        "new-references",
        [
            "new-references.yaml:10:62: error: actors[0].part_of: unknown actor 'un' "
            "(declare it under actors)",
            "new-references.yaml:14:21: error: thresholds[0].name: unknown source 'crad' "
            "— did you mean 'card'?",
            "new-references.yaml:16:51: error: thresholds[0].assessments[0].by: unknown actor "
            "'labb' (declare it under actors)",
            "new-references.yaml:21:32: error: mechanisms[0].triggered_by[0].threshold: unknown "
            "threshold 'tt' — did you mean 't'?",
            "new-references.yaml:22:17: error: mechanisms[0].limits[1]: unknown threshold 't2' "
            "— did you mean 't'?",
            "new-references.yaml:24:16: error: mechanisms[0].declined[0]: unknown actor 'ru' "
            "(declare it under actors)",
            "new-references.yaml:25:43: error: mechanisms[0].actions[0].thresholds[0]: unknown "
            "threshold 't3' — did you mean 't'?",
            "new-references.yaml:26:43: error: mechanisms[0].verification[0].by[1]: unknown "
            "actor 'chna' (declare it under actors)",
        ],
    ),
    (
        "new-fields-wrong",
        [
            "new-fields-wrong.yaml:8:69: error: indicators[0].unit.scale: 'logarithmic' is not "
            "one of linear, log",
            "new-fields-wrong.yaml:14:11: error: mechanisms[0].kind: 'bilaterl' is not one of "
            "unilateral, multilateral, bilateral, regulation, treaty, licensing, "
            "compute-governance, voluntary-policy, code-of-practice, voluntary-commitment, "
            "deterrence — did you mean 'bilateral'?",
            "new-fields-wrong.yaml:15:13: error: mechanisms[0].status: 'signed' is not one of "
            "proposed, agreed, in-force, suspended, ended",
            "new-fields-wrong.yaml:16:39: error: mechanisms[0].triggered_by[0].at: 'early' is "
            "not one of alert, crossing, not-crossed",
            "new-fields-wrong.yaml:17:13: error: mechanisms[0].halts[0]: 'deployment' is not "
            "one of training, internal-deployment, external-deployment, development",
            "new-fields-wrong.yaml:18:30: error: mechanisms[0].actions[0]: unknown key "
            "'thresold' — did you mean 'thresholds'?",
            "new-fields-wrong.yaml:19:15: error: mechanisms[0].duration: 'forever' is not one "
            "of none",
            "new-fields-wrong.yaml:20:62: error: mechanisms[0].entry_into_force.ratifications: "
            "must be >= 1, got the number 0",
        ],
    ),
]


@pytest.mark.parametrize(("case", "expected"), LINK_ERRORS, ids=[c for c, _ in LINK_ERRORS])
def test_the_new_fields_are_checked_and_located(diagnose, case, expected):
    assert diagnose(case) == expected


def _variant(tmp_path, cases, case: str, old: str, new: str) -> list[str]:
    text = (cases / f"{case}.yaml").read_text()
    assert old in text
    path = tmp_path / f"{case}.yaml"
    path.write_text(text.replace(old, new))
    _, diagnostics = generator.load(path, display=path.name)
    return [str(d) for d in diagnostics]


@pytest.mark.parametrize("kind", ["voluntary-policy", "unilateral"])
def test_a_self_governed_policy_adjudicated_by_its_party_is_a_fact_not_a_warning(
    tmp_path, cases, kind
):
    variant = _variant(tmp_path, cases, "self-adjudication", "kind: multilateral", f"kind: {kind}")
    assert variant == []


@pytest.mark.parametrize(
    ("case", "old", "new"),
    [
        ("no-verification", "exit_criteria:", "verification: []\n    exit_criteria:"),
        ("no-exit-criteria", "verification:", "exit_criteria: []\n    verification:"),
    ],
    ids=["verification", "exit-criteria"],
)
def test_an_explicit_empty_list_states_none_and_does_not_warn(tmp_path, cases, case, old, new):
    assert _variant(tmp_path, cases, case, old, new) == []


@pytest.mark.parametrize("field", ["role: Regulator whose law applies.", "position: Opposed."])
def test_a_context_actor_with_a_role_or_position_does_not_warn(tmp_path, cases, field):
    assert _variant(tmp_path, cases, "unused-actor", "kind: lab", f"kind: lab\n    {field}") == []


def test_readings_sharing_a_date_are_fine_when_each_names_its_subject(tmp_path, cases):
    case = "duplicate-observation-date"
    text = (cases / f"{case}.yaml").read_text()
    lines = [
        line.replace("source:", "subject: Model {}, source:".format("AB"[i % 2]))
        if "date: 2026-06" in line
        else line
        for i, line in enumerate(text.splitlines())
    ]
    path = tmp_path / f"{case}.yaml"
    path.write_text("\n".join(lines) + "\n")
    _, diagnostics = generator.load(path)
    assert [d.code for d in diagnostics] == []


def test_bilateral_with_two_parties_is_valid(tmp_path, cases):
    assert _variant(tmp_path, cases, "bilateral-three", "[us, cn, uk]", "[us, cn]") == [
        "bilateral-three.yaml:10:10: warning: actors[2]: actor 'uk' is never referenced; name it "
        "where it takes part (one of the 19 fields that name actors, such as "
        "mechanisms.parties, mechanisms.adjudicator, timeline.actors), or give it a role or "
        "position if it is there for context"
    ]


@pytest.mark.parametrize(
    ("word", "choices", "hint"),
    [
        ("bilateral", ["unilateral", "multilateral"], ""),
        ("bilaterl", ["unilateral", "bilateral"], " — did you mean 'bilateral'?"),
        ("antropic", ["anthropic"], " — did you mean 'anthropic'?"),
        ("drafted", ["draft", "final"], " — did you mean 'draft'?"),
        ("thresold", ["action", "thresholds"], " — did you mean 'thresholds'?"),
        ("policy", ["treaty"], ""),
    ],
)
def test_did_you_mean_only_for_close_matches(word, choices, hint):
    assert did_you_mean(word, choices) == hint
