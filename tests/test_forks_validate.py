"""Forks, projections and distributions: each rule located, firing and not firing."""

from __future__ import annotations

import pytest

import generator

FIRING = [
    pytest.param(
        "branch-cycle",
        [
            "branch-cycle.yaml:8:30: error: branches[0].parent: branches fork from each other "
            "in a cycle (a → c → b → a); one of them must fork from the common path or a "
            "branch outside the cycle"
        ],
        id="branch-cycle",
    ),
    pytest.param(
        "branch-self-parent",
        [
            "branch-self-parent.yaml:8:30: error: branches[0].parent: branch 'a' cannot fork "
            "from itself"
        ],
        id="branch-self-parent",
    ),
    pytest.param(
        "branch-unknown-parent",
        [
            "branch-unknown-parent.yaml:9:36: error: branches[1].parent: unknown branch 'rase' "
            "— did you mean 'race'?"
        ],
        id="branch-unknown-parent",
    ),
    pytest.param(
        "mechanism-unknown-branch",
        [
            "mechanism-unknown-branch.yaml:13:13: error: mechanisms[0].branch: unknown branch "
            "'slowdwon' — did you mean 'slowdown'?"
        ],
        id="mechanism-unknown-branch",
    ),
    pytest.param(
        "before-split",
        [
            "before-split.yaml:10:12: warning: timeline[0].date: event dated 2027-09 comes "
            "before its branch 'race' leaves the common path (from: 2027-10)"
        ],
        id="before-split",
    ),
    pytest.param(
        "before-split-nested",
        [
            "before-split-nested.yaml:9:48: warning: branches[1].from: branch 'deal' leaves at "
            "2027-06, before its parent 'race' does (2027-10)"
        ],
        id="before-split-nested",
    ),
    pytest.param(
        "crossed-twice",
        [
            "crossed-twice.yaml:13:57: warning: timeline[0].crosses[0]: the story already "
            "reaches 'asi' at 2027 (timeline[1]) on this path"
        ],
        id="crossed-twice",
    ),
    pytest.param(
        "observation-after-date",
        [
            "observation-after-date.yaml:15:16: warning: indicators[0].observations[1].date: "
            "observation dated 2027-03 is after the scenario's date 2026-11-21, so it is not "
            "evidence yet; a value the scenario projects belongs under projections"
        ],
        id="observation-after-date",
    ),
    pytest.param(
        "projection-duplicate",
        [
            "projection-duplicate.yaml:16:16: error: indicators[0].projections[2]: a second "
            "projection dated 2027 on the common path; keep one value per date and path",
            "projection-duplicate.yaml:16:29: error: indicators[0].projections[2].value: "
            "120 is not a percentage between 0 and 100",
        ],
        id="projection-duplicate",
    ),
    pytest.param(
        "forecast-no-form",
        [
            "forecast-no-form.yaml:8:5: error: forecasts[0]: a forecast needs estimates "
            "(cumulative probabilities by date) or a distribution (a median with an interval)"
        ],
        id="forecast-no-form",
    ),
    pytest.param(
        "forecast-both-forms",
        [
            "forecast-both-forms.yaml:11:19: error: forecasts[0]: give estimates or a "
            "distribution, not both"
        ],
        id="forecast-both-forms",
    ),
    pytest.param(
        "distribution-order",
        [
            "distribution-order.yaml:8:57: error: forecasts[0].distribution.low: 2031 comes "
            "after the median 2030",
            "distribution-order.yaml:8:69: error: forecasts[0].distribution.high: 2029 comes "
            "before the median 2030",
        ],
        id="distribution-order",
    ),
    pytest.param(
        "distribution-no-level",
        [
            "distribution-no-level.yaml:8:37: error: forecasts[0].distribution: an interval "
            "needs its probability, e.g. level: 0.8 for an 80 % interval"
        ],
        id="distribution-no-level",
    ),
    pytest.param(
        "distribution-bad-bound",
        [
            "distribution-bad-bound.yaml:8:58: error: forecasts[0].distribution.high: "
            "'beyond 2050' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD, or 'after YYYY' "
            "for an open upper bound"
        ],
        id="distribution-bad-bound",
    ),
    pytest.param(
        "estimate-out-of-range-once",
        [
            "estimate-out-of-range-once.yaml:8:49: error: forecasts[0].estimates[0].p: "
            "probability 50 is not between 0 and 1"
        ],
        id="estimate-out-of-range-once",
    ),
    pytest.param(
        "horizon-evidence-and-forecasts",
        [
            "horizon-evidence-and-forecasts.yaml:17:16: warning: indicators[0].projections[0]"
            ".date: projection dated 2035 lies outside the horizon 2026–2030"
        ],
        id="horizon-evidence-and-forecasts",
    ),
]


@pytest.mark.parametrize(("case", "expected"), FIRING)
def test_each_rule_fires_located_and_once(diagnose, case, expected):
    assert diagnose(case) == expected


def test_a_three_way_fork_using_every_new_field_is_clean(diagnose, cases):
    # also the silent side of the rules: 'asi' is reached once in each of two sibling
    # branches, every branch event is dated on or after its split, the nested branches
    # leave after their parent, and the projections differ in date or path
    assert diagnose("three-way-fork") == []
    model, _ = generator.load(cases / "three-way-fork.yaml")
    assert model is not None
    race_deal = model.branches[0]
    assert (race_deal.from_, race_deal.parent) == ("2028-03", "race")
    assert model.actors[2].kind == "ai-system"
    assert model.forecasts[0].distribution.high == "after 2050"
    assert model.timeline[4].crosses == ["coder", "fast-rnd"]
    assert [p.branch for p in model.indicators[0].projections] == ["race", None, "pause"]


@pytest.mark.parametrize(
    ("edit", "silent"),
    [
        # an event in the split's own month or year is not before the split
        ("{date: 2027-10, event: On time., branch: race}", "before-split"),
        # an observation on the scenario's own date is evidence
        ("{date: 2026-11-21, value: 2, source: story}", "observation-after-date"),
    ],
    ids=["event-at-split", "observation-on-the-date"],
)
def test_rules_stay_silent_at_the_boundary(tmp_path, cases, edit, silent):
    minimal = (cases / "minimal.yaml").read_text()
    extra = {
        "before-split": "branches: [{id: race, name: Race, from: 2027-10}]\n"
        f"timeline: [{edit}]\n",
        "observation-after-date": "sources: [{id: story, title: Story}]\n"
        f"indicators: [{{id: m, name: M, unit: ratio, observations: [{edit}]}}]\n",
    }[silent]
    path = tmp_path / "boundary.yaml"
    path.write_text(minimal + extra)
    _, diagnostics = generator.load(path)
    assert [d.code for d in diagnostics] == []


def test_estimates_keep_their_rule_when_a_distribution_is_absent(diagnose):
    assert diagnose("forecast-p-decreasing") == [
        "forecast-p-decreasing.yaml:12:23: error: forecasts[0].estimates[1].p: "
        "cumulative probability falls from 0.6 to 0.3; by a later date it can only stay or rise"
    ]
