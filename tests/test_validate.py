"""Validate stage: every problem located, with a hint, in one pass; warnings apart from errors."""

from __future__ import annotations

import shutil

import pytest

import generator

SCHEMA_ERRORS = [
    pytest.param(
        "unknown-key",
        "unknown-key.yaml:7:1: error: the top level: unknown key 'clasification' "
        "— did you mean 'classification'?",
        id="unknown-key",
    ),
    pytest.param(
        "unknown-key-no-suggestion",
        "unknown-key-no-suggestion.yaml:7:35: error: horizon: unknown key 'until' "
        "(allowed: start, end)",
        id="unknown-key-no-suggestion",
    ),
    pytest.param(
        "missing-required",
        "missing-required.yaml:2:1: error: the top level: missing required key 'title'",
        id="missing-required",
    ),
    pytest.param(
        "bad-enum",
        "bad-enum.yaml:10:11: error: sources[0].kind: 'reprot' is not one of report, policy, "
        "paper, news, dataset, legislation, other — did you mean 'report'?",
        id="bad-enum",
    ),
    pytest.param(
        "bad-slug",
        "bad-slug.yaml:3:5: error: id: 'Coordinated_Pause' is not a valid id; use lowercase "
        "letters, digits and hyphens, e.g. 'frontier-lab'",
        id="bad-slug",
    ),
    pytest.param(
        "bad-date",
        "bad-date.yaml:6:7: error: date: '2026-13' is not a real date (month must be in 1..12)",
        id="bad-date",
    ),
    pytest.param(
        "wrong-type",
        "wrong-type.yaml:4:8: error: title: expected text, got a list",
        id="wrong-type",
    ),
    pytest.param(
        "probability-out-of-range",
        "probability-out-of-range.yaml:12:23: error: forecasts[0].estimates[1].p: "
        "probability 1.5 is not between 0 and 1",
        id="probability-out-of-range",
    ),
]

REFERENCE_ERRORS = [
    pytest.param(
        "unknown-actor",
        "unknown-actor.yaml:17:14: error: timeline[1].actors[0]: unknown actor 'antropic' "
        "— did you mean 'anthropic'?",
        id="unknown-actor",
    ),
    pytest.param(
        "unknown-judgment-by",
        "unknown-judgment-by.yaml:16:9: error: judgments[0].by: unknown actor 'google-deepmnd' "
        "— did you mean 'google-deepmind'?",
        id="unknown-judgment-by",
    ),
    pytest.param(
        "unknown-source",
        "unknown-source.yaml:13:13: error: timeline[0].source: unknown source 'press-release' "
        "(declare it under sources)",
        id="unknown-source",
    ),
    pytest.param(
        "unknown-citation",
        "unknown-citation.yaml:5:38: error: summary: unknown source 'nope' "
        "(no sources are declared)",
        id="unknown-citation",
    ),
    pytest.param(
        "unknown-threshold",
        "unknown-threshold.yaml:14:16: error: forecasts[0].threshold: unknown threshold "
        "'autonomous-sucessor' — did you mean 'autonomous-successor'?",
        id="unknown-threshold",
    ),
    pytest.param(
        "unknown-indicator",
        "unknown-indicator.yaml:15:16: error: thresholds[0].indicator: unknown indicator "
        "'swe-bench-score' — did you mean 'swe-bench'?",
        id="unknown-indicator",
    ),
    pytest.param(
        "unknown-branch",
        "unknown-branch.yaml:13:13: error: timeline[0].branch: unknown branch 'slowdwon' "
        "— did you mean 'slowdown'?",
        id="unknown-branch",
    ),
    pytest.param(
        "empty-citation",
        "empty-citation.yaml:5:38: error: summary: empty citation '[@]'; write [@source-id]",
        id="empty-citation",
    ),
    pytest.param(
        "broken-citation",
        "broken-citation.yaml:6:60: error: summary: '[@news-when- ai-builds-itself]' is not a "
        "citation: an id cannot hold a space or a line break (write [@source-id], or [@a; @b] "
        "for several); did you mean [@news-when-ai-builds-itself]?",
        id="broken-citation",
    ),
    pytest.param(
        "duplicate-id",
        "duplicate-id.yaml:11:9: error: thresholds[1].id: duplicate id 'autonomous-successor' "
        "in thresholds (first used at line 8)",
        id="duplicate-id",
    ),
]

SEMANTIC_ERRORS = [
    pytest.param(
        "observations-out-of-order",
        "observations-out-of-order.yaml:16:16: error: indicators[0].observations[1]: "
        "observations must be in date order, but 2025-01 comes after 2026-06",
        id="observations-out-of-order",
    ),
    pytest.param(
        "duplicate-observation-date",
        "duplicate-observation-date.yaml:16:16: error: indicators[0].observations[1]: "
        "a second observation dated 2026-06; keep one per date, or name the subject "
        "each one is about",
        id="duplicate-observation-date",
    ),
    pytest.param(
        "percent-out-of-range",
        "percent-out-of-range.yaml:15:32: error: indicators[0].observations[0].value: "
        "120 is not a percentage between 0 and 100",
        id="percent-out-of-range",
    ),
    pytest.param(
        "forecast-not-increasing",
        "forecast-not-increasing.yaml:12:14: error: forecasts[0].estimates[1].by: "
        "dates must strictly increase, but 2027 follows 2028",
        id="forecast-not-increasing",
    ),
    pytest.param(
        "forecast-p-decreasing",
        "forecast-p-decreasing.yaml:12:23: error: forecasts[0].estimates[1].p: "
        "cumulative probability falls from 0.6 to 0.3; by a later date it can only stay or rise",
        id="forecast-p-decreasing",
    ),
    pytest.param(
        "branch-sum",
        "branch-sum.yaml:8:3: error: branches: probabilities add up to 1.3, more than 1",
        id="branch-sum",
    ),
    pytest.param(
        "condition-missing",
        "condition-missing.yaml:12:5: error: thresholds[0]: a threshold with an indicator "
        "needs a condition, e.g. condition: {op: '>=', value: 90, alert: 80}",
        id="condition-missing",
    ),
    pytest.param(
        "condition-without-indicator",
        "condition-without-indicator.yaml:11:16: error: thresholds[0]: a condition needs an "
        "indicator to test",
        id="condition-without-indicator",
    ),
    pytest.param(
        "alert-wrong-side",
        "alert-wrong-side.yaml:16:45: error: thresholds[0].condition.alert: the early warning "
        "95 must lie below the trigger value 90 for op '>='",
        id="alert-wrong-side",
    ),
    pytest.param(
        "horizon-reversed",
        "horizon-reversed.yaml:9:8: error: horizon: end 2026 comes before start 2030",
        id="horizon-reversed",
    ),
    pytest.param(
        "likelihood-unknown-term",
        "likelihood-unknown-term.yaml:12:17: error: judgments[0].likelihood: 'probable' is not "
        "a term of the icd-203 scale (terms: almost no chance, very unlikely, unlikely, "
        "roughly even chance, likely, very likely, almost certain)",
        id="likelihood-unknown-term",
    ),
    pytest.param(
        "likelihood-other-scale",
        "likelihood-other-scale.yaml:13:17: error: judgments[0].likelihood: "
        "'about as likely as not' is not a term of the icd-203 scale "
        "(it belongs to the ipcc scale; set likelihood_scale: ipcc)",
        id="likelihood-other-scale",
    ),
    pytest.param(
        "likelihood-mismatch",
        "likelihood-mismatch.yaml:13:18: error: judgments[0].probability: 0.3 disagrees with "
        "'likely', which means 55%–80% on the icd-203 scale",
        id="likelihood-mismatch",
    ),
    pytest.param(
        "too-few-parties",
        "too-few-parties.yaml:11:5: error: mechanisms[0]: a multilateral mechanism needs "
        "at least two parties (has 1)",
        id="too-few-parties",
    ),
]

WARNINGS = [
    pytest.param(
        "source-after-date",
        "source-after-date.yaml:10:11: warning: sources[0].date: source 'later' is dated "
        "2026-05, after the scenario's date 2023-03-29; date the scenario later, or write "
        "retrospective: true if it is cited for facts that held by then",
        id="source-after-date",
    ),
    pytest.param(
        "summary-label",
        "summary-label.yaml:5:10: warning: summary: starts with 'Bottom line', which every "
        "document prints before it; remove it",
        id="summary-label",
    ),
    pytest.param(
        "outside-horizon",
        "outside-horizon.yaml:9:11: warning: timeline[0].date: event dated 2024-03 lies "
        "outside the horizon 2026–2030",
        id="outside-horizon",
    ),
    pytest.param(
        "self-adjudication",
        "self-adjudication.yaml:15:18: warning: mechanisms[0].adjudicator: 'anthropic' is also "
        "a party, so it would judge its own compliance; if each party judges itself by design, "
        "write adjudicator: each-party (a company's own policy is kind: voluntary-policy)",
        id="self-adjudication",
    ),
    pytest.param(
        "no-verification",
        "no-verification.yaml:10:5: warning: mechanisms[0]: mechanism has no verification "
        "methods; list them, or write verification: [] if the source states none",
        id="no-verification",
    ),
    pytest.param(
        "no-exit-criteria",
        "no-exit-criteria.yaml:10:5: warning: mechanisms[0]: mechanism has no exit criteria; "
        "list them, or write exit_criteria: [] if the source states none",
        id="no-exit-criteria",
    ),
    pytest.param(
        "uncited-source",
        "uncited-source.yaml:8:9: warning: sources[0]: source 'news' is never cited",
        id="uncited-source",
    ),
    pytest.param(
        "unused-actor",
        "unused-actor.yaml:8:9: warning: actors[0]: actor 'anthropic' is never referenced; "
        "name it where it takes part (one of the 19 fields that name actors, such as "
        "mechanisms.parties, mechanisms.adjudicator, timeline.actors), or give it a role or "
        "position if it is there for context",
        id="unused-actor",
    ),
    pytest.param(
        "unsourced-observation",
        "unsourced-observation.yaml:12:9: warning: indicators[0].observations[0]: "
        "observation has no source",
        id="unsourced-observation",
    ),
    pytest.param(
        "unsourced-judgment",
        "unsourced-judgment.yaml:8:5: warning: judgments[0]: judgment has no source",
        id="unsourced-judgment",
    ),
]


def test_the_minimal_scenario_is_valid(diagnose, cases):
    assert diagnose("minimal") == []
    model, _ = generator.load(cases / "minimal.yaml")
    assert model is not None
    assert (model.id, model.status, model.likelihood_scale) == ("minimal", "draft", "icd-203")


@pytest.mark.parametrize(("case", "expected"), SCHEMA_ERRORS)
def test_schema_errors_are_located_with_a_hint(diagnose, case, expected):
    assert diagnose(case) == [expected]


@pytest.mark.parametrize(("case", "expected"), REFERENCE_ERRORS)
def test_references_must_resolve(diagnose, case, expected):
    assert diagnose(case) == [expected]


@pytest.mark.parametrize(("case", "expected"), SEMANTIC_ERRORS)
def test_semantic_rules(diagnose, case, expected):
    assert diagnose(case) == [expected]


@pytest.mark.parametrize(("case", "expected"), WARNINGS)
def test_warnings(diagnose, case, expected):
    assert diagnose(case) == [expected]


@pytest.mark.parametrize(
    "case", [p.values[0] for p in SCHEMA_ERRORS + REFERENCE_ERRORS + SEMANTIC_ERRORS]
)
def test_a_scenario_with_errors_gives_no_model(cases, case):
    model, diagnostics = generator.load(cases / f"{case}.yaml")
    assert model is None
    assert {d.severity for d in diagnostics} == {"error"}


@pytest.mark.parametrize("case", [p.values[0] for p in WARNINGS])
def test_warnings_alone_still_give_a_model(cases, case):
    model, diagnostics = generator.load(cases / f"{case}.yaml")
    assert model is not None
    assert {d.severity for d in diagnostics} == {"warning"}


def test_a_final_scenario_may_not_keep_a_warning(diagnose, cases):
    assert diagnose("final-with-warnings") == [
        "final-with-warnings.yaml:7:9: error: status: a final scenario may have no warnings, "
        "and this one has 1; fix them or set status: review",
        "final-with-warnings.yaml:9:9: warning: sources[0]: source 'news' is never cited",
    ]
    model, _ = generator.load(cases / "final-with-warnings.yaml")
    assert model is None


def test_every_problem_is_reported_in_one_pass(diagnose):
    assert diagnose("three-mistakes") == [
        "three-mistakes.yaml:5:38: error: summary: unknown source 'nope' (no sources are declared)",
        "three-mistakes.yaml:7:9: error: status: 'drafted' is not one of draft, review, final, "
        "superseded — did you mean 'draft'?",
        "three-mistakes.yaml:9:3: error: branches: probabilities add up to 1.3, more than 1",
    ]


def test_diagnostics_carry_a_code_per_rule(cases):
    _, diagnostics = generator.load(cases / "three-mistakes.yaml")
    assert [d.code for d in diagnostics] == ["unknown-source", "invalid-choice", "branch-sum"]


def test_short_codes_stay_strings_and_scientific_notation_is_a_number(diagnose, cases):
    assert diagnose("strings-kept") == []
    model, _ = generator.load(cases / "strings-kept.yaml")
    assert model is not None
    assert model.version == "1.10"
    assert model.actors[0].jurisdiction == "NO"
    assert model.audience == ["on", "yes", "NO"]
    value = model.indicators[0].observations[0].value
    assert isinstance(value, float)
    assert value == 1e26


def test_ids_are_unique_across_files(tmp_path, cases):
    shutil.copy(cases / "minimal.yaml", tmp_path / "a.yaml")
    shutil.copy(cases / "minimal.yaml", tmp_path / "b.yaml")
    models, diagnostics = generator.validate([tmp_path])
    assert [str(d) for d in diagnostics] == [
        f"{tmp_path / 'b.yaml'}:3:5: error: id: scenario id 'minimal' is already used by "
        f"{tmp_path / 'a.yaml'}"
    ]
    assert models[tmp_path / "a.yaml"] is not None
    assert models[tmp_path / "b.yaml"] is None


def test_one_broken_file_does_not_hide_the_others(tmp_path, cases):
    shutil.copy(cases / "minimal.yaml", tmp_path / "good.yaml")
    shutil.copy(cases / "duplicate-key.yaml", tmp_path / "broken.yaml")
    shutil.copy(cases / "unknown-actor.yaml", tmp_path / "invalid.yml")
    (tmp_path / ".hidden").mkdir()
    shutil.copy(cases / "minimal.yaml", tmp_path / ".hidden" / "ignored.yaml")
    (tmp_path / "notes.txt").write_text("not a scenario\n")
    models, diagnostics = generator.validate([tmp_path])
    assert sorted(p.name for p in models) == ["broken.yaml", "good.yaml", "invalid.yml"]
    assert models[tmp_path / "good.yaml"] is not None
    assert [(d.file, d.code) for d in diagnostics] == [
        (str(tmp_path / "broken.yaml"), "duplicate-key"),
        (str(tmp_path / "invalid.yml"), "unknown-actor"),
    ]


# --------------------------------------------------------------------------- known bugs


def test_observations_dated_by_year_are_checked_too(diagnose):
    assert diagnose("observations-out-of-order-years") == [
        "observations-out-of-order-years.yaml:16:16: error: indicators[0].observations[1]: "
        "observations must be in date order, but 2024 comes after 2025",
        "observations-out-of-order-years.yaml:17:16: error: indicators[0].observations[2]: "
        "a second observation dated 2024; keep one per date, or name the subject each one "
        "is about",
    ]


def test_an_unknown_citation_points_at_the_citation(cases):
    _, diagnostics = generator.load(cases / "citation-in-folded-text.yaml")
    assert [(d.code, d.line, d.column) for d in diagnostics] == [("unknown-source", 8, 50)]


def test_an_unsupported_format_version_reads_plainly(tmp_path, cases):
    path = tmp_path / "format-2.yaml"
    path.write_text((cases / "minimal.yaml").read_text().replace("format: 1", "format: 2"))
    _, diagnostics = generator.load(path)
    (diagnostic,) = diagnostics
    assert diagnostic.message.startswith("format: unsupported format version 2")


def test_a_horizon_ending_in_december_9999_does_not_crash(diagnose):
    assert diagnose("horizon-year-9999") == []


@pytest.mark.parametrize(
    "field",
    [
        "branches: [{id: a, name: A, probability: HUGE}]",
        "forecasts: [{id: a, event: A, estimates: [{by: 2027, p: HUGE}]}]",
        "judgments: [{statement: A, likelihood: likely, probability: HUGE}]",
    ],
    ids=["branch", "forecast", "judgment"],
)
def test_a_number_too_big_for_a_float_is_an_error_not_a_crash(tmp_path, cases, field):
    path = tmp_path / "huge.yaml"
    huge = "1" + "0" * 400  # larger than the largest float
    minimal = (cases / "minimal.yaml").read_text()
    path.write_text(minimal + field.replace("HUGE", huge) + "\n")
    model, diagnostics = generator.load(path)
    assert model is None
    assert {(d.line, d.severity) for d in diagnostics} >= {(7, "error")}
