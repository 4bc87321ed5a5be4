"""Forks analysis: lanes in tree and date order whatever the file order; projections apart."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import generator
from generator.analysis.analyse import analyse
from generator.analysis.forks import (
    analyse_forks,
    distribution_text,
    estimates_text,
    medians_text,
    projected_crossings,
)
from generator.format.model import Distribution, Forecast

FORK = Path(__file__).parent / "cases" / "three-way-fork.yaml"


@pytest.fixture(scope="module")
def fork():
    scenario, diagnostics = generator.load(FORK)
    assert scenario is not None, diagnostics
    return scenario


def _lanes(scenario):
    forks = analyse_forks(scenario)
    return [
        (lane.id, lane.depth, [e.event.date for e in lane.events])
        for lane in [forks.common, *forks.lanes]
    ]


EXPECTED_LANES = [
    (None, 0, ["2025-06", "2027-03", "2027-06"]),
    ("pause", 1, ["2027-07", "2028-04"]),
    ("race", 1, ["2028-02"]),
    ("race-deal", 2, ["2029"]),
    ("race-war", 2, ["2028-06"]),
]


def test_lanes_common_first_then_each_branch_with_nested_ones_under_their_parent(fork):
    assert _lanes(fork) == EXPECTED_LANES


@pytest.mark.parametrize("seed", range(5))
def test_lane_order_does_not_depend_on_the_file_order(fork, seed):
    rng = random.Random(seed)
    timeline, branches = list(fork.timeline), list(fork.branches)
    rng.shuffle(timeline)
    rng.shuffle(branches)
    shuffled = fork.model_copy(update={"timeline": timeline, "branches": branches})
    forks = analyse_forks(shuffled)
    # the same lanes with the same events in date order ...
    assert sorted(_lanes(shuffled), key=str) == sorted(EXPECTED_LANES, key=str)
    # ... in tree order: a nested lane follows its parent, before the next top-level lane
    assert forks.lanes[0].depth == 1
    for lane in forks.lanes:
        if lane.depth == 2:
            above = [x for x in forks.lanes[: forks.lanes.index(lane)] if x.depth == 1]
            assert above[-1] is lane.parent


def test_events_after_the_scenario_date_are_projected(fork):
    forks = analyse_forks(fork)
    assert [(e.event.date, e.projected) for e in forks.common.events] == [
        ("2025-06", False),
        ("2027-03", True),
        ("2027-06", True),
    ]


def test_projected_crossings_per_path_for_scenario_status(fork):
    assert projected_crossings(fork) == {
        "coder": [{"date": "2027-03", "branch": None}],
        "asi": [{"date": "2028-02", "branch": "race"}, {"date": "2028-04", "branch": "pause"}],
        "fast-rnd": [{"date": "2027-03", "branch": None}],
    }


def test_a_projected_crossing_is_not_evidence(fork):
    # the story crosses fast-rnd in 2027-03, but the only reading (1.2, 2025-06) is clear
    status = analyse(fork).threshold("fast-rnd")
    assert status is not None
    assert (status.status, status.reading_text) == ("clear", "1.2×")
    assert status.evidence is not None and status.evidence.date == "2025-06"


def test_projected_values_per_path_in_date_order(fork):
    forks = analyse_forks(fork)
    rows = [
        (lane.id, [(p.date, p.value) for p in values])
        for lane, values in forks.projections(fork.indicators[0])
    ]
    assert rows == [
        (None, [("2027-03", 4.0)]),
        ("pause", [("2027-09", 2.0)]),
        ("race", [("2028-01", 40.0)]),
    ]


def test_what_belongs_to_each_branch_and_how_it_is_labelled(fork):
    forks = analyse_forks(fork)
    assert [m.id for m in forks.lane("pause").of("mechanisms")] == ["reset"]
    assert [a.id for a in forks.lane("race").of("actors")] == ["agent-5"]
    assert forks.label(fork.mechanisms[0]) == ""
    assert forks.label(fork.mechanisms[1]) == "In the slowdown ending"
    assert forks.label(fork.mechanisms[2]) == "In the deal ending (within the race ending)"
    assert [lane.probability for lane in forks.lanes] == [
        "30 %",
        "not stated",
        "not stated",
        "not stated",
    ]
    assert forks.split == "2027-06"


def test_key_events_of_a_lane_are_its_first_its_crossings_and_its_last(fork):
    forks = analyse_forks(fork)
    assert [e.event.date for e in forks.common.key_events] == ["2025-06", "2027-03", "2027-06"]


@pytest.mark.parametrize(
    ("dist", "text"),
    [
        (
            {"median": "2030", "low": "2026", "high": "2050", "level": 0.8},
            "median 2030 (80 %: 2026–2050)",
        ),
        (
            {"median": "2033", "low": "2027", "high": "after 2050", "level": 0.8},
            "median 2033 (80 %: 2027 to after 2050)",
        ),
        (
            {"median": "2027-07", "low": "2027-03", "high": "2028-03", "level": 0.8},
            "median Jul 2027 (80 %: Mar 2027 to Mar 2028)",
        ),
        ({"median": "2030", "high": "2040", "level": 0.9}, "median 2030 (90 %: by 2040)"),
        ({"median": "2030"}, "median 2030"),
    ],
)
def test_a_distribution_reads_as_its_authors_write_it(dist, text):
    forecast = Forecast(id="f", event="E", distribution=Distribution(**dist))
    assert distribution_text(forecast) == text


def test_several_forecasts_of_one_milestone_read_as_a_spread_of_medians(fork):
    assert analyse_forks(fork).summary(fork.forecasts) == (
        "2 forecasts: medians Apr 2028 to 2030; 40 % by 2029, 70 % by 2031"
    )
    assert analyse_forks(fork).last_common.event.date == "2027-06"
    forks = analyse_forks(fork)
    coder, asi, fast = forks.milestones
    assert medians_text(coder.forecasts) == "median 2030 (80 %: 2026 to after 2050)"
    assert (
        medians_text([*coder.forecasts, *asi.forecasts]) == "2 forecasts: medians Apr 2028 to 2030"
    )
    assert fast.forecasts == [] and medians_text(fast.forecasts) == ""
    assert estimates_text(fork.forecasts[2]) == "40 % by 2029, 70 % by 2031"
