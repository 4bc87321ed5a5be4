"""The brief compares every instrument in words from the data, featured by state.

Each heading rule and its precedence phrase by phrase; the state words; the
comparison table's cells; the instruments shown in full (the triggered one, in
every file order, with byte-identical briefs); and whose recommendation it is.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

import generator
from generator.analysis.analyse import analyse
from generator.analysis.wording import also_lines, heading_noun, kind_status, plural_noun
from generator.format.mechanisms import Mechanism
from generator.pipeline import render

CASES = Path(__file__).parent / "cases"
CASE = (CASES / "instruments.yaml").read_text(encoding="utf-8")
LEVELS = {"t1": "warning", "t2": "critical"}


def _mech(**fields) -> Mechanism:
    return Mechanism.model_validate({"id": "m", "name": "M", "kind": "regulation", **fields})


HEADINGS = [
    pytest.param({"targets": ["x"]}, "deterrence", id="targets"),
    pytest.param({"ladder": [{"step": "One", "response": "Act"}]}, "deterrence", id="ladder"),
    pytest.param({"requires": ["Report"]}, "obligations", id="requires"),
    pytest.param({"halts": ["training"], "triggered_by": ["t1"]}, "pause", id="pause"),
    pytest.param({"halts": ["development"], "triggered_by": ["t1"]}, "pause", id="development"),
    pytest.param({"limits": ["t1"]}, "standing limit", id="limits"),
    pytest.param(
        {"halts": ["external-deployment"], "triggered_by": ["t1", "t2"]},
        "release policy",
        id="tiers-at-two-levels",
    ),
    pytest.param(
        {
            "halts": ["external-deployment"],
            "triggered_by": [{"threshold": "t1", "at": "not-crossed"}],
        },
        "release policy",
        id="tier-below",
    ),
    pytest.param(
        {"halts": ["external-deployment"], "triggered_by": ["t1"]},
        "deployment hold",
        id="one-level",
    ),
    pytest.param({"halts": [], "triggered_by": ["t1"]}, "response plan", id="halts-nothing"),
    pytest.param({"halts": ["training"]}, "regulation", id="halts-without-trigger-is-its-kind"),
    pytest.param({"triggered_by": ["t1"]}, "regulation", id="format-1-says-not-what-it-halts"),
    pytest.param({"kind": "treaty", "triggered_by": ["t1"]}, "treaty", id="treaty"),
]


@pytest.mark.parametrize(("fields", "noun"), HEADINGS)
def test_each_heading_follows_from_the_data(fields, noun):
    assert heading_noun(_mech(**fields), LEVELS) == noun


def test_one_precedence_decides_and_the_others_are_lines_in_the_box():
    mech = _mech(
        targets=["x"],
        requires=["Report", "Keep records"],
        halts=["training"],
        triggered_by=["t1"],
        limits=["t2"],
    )
    assert heading_noun(mech, LEVELS) == "deterrence"
    assert also_lines(mech, LEVELS) == [
        "Also requires 2 standing duties.",
        "Also halts training or development when triggered.",
        "Also forbids 1 thing outright.",
    ]
    assert also_lines(_mech(requires=["Report"]), LEVELS) == []


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        (
            {"entry_into_force": {"text": "On 1 Jan", "date": "2025-01-01"}},
            "Regulation, in force since 1 January 2025",
        ),
        (
            {"entry_into_force": {"text": "Later", "date": "2027-01-01"}, "status": "agreed"},
            "Regulation, agreed, not in force",
        ),
        ({}, "Regulation, in force"),
        ({"status": "proposed", "kind": "treaty"}, "Treaty, proposed, not in force"),
        (
            {"status": "ended", "kind": "voluntary-commitment"},
            "Voluntary commitment, ended, not in force",
        ),
    ],
)
def test_kind_and_status_in_words(fields, words):
    assert kind_status(_mech(**fields), "2026-01-01") == words


def test_plurals_of_heading_nouns():
    assert [
        plural_noun(n)
        for n in ("pause", "release policy", "code of practice", "obligations", "deterrence")
    ] == [
        "pauses",
        "release policies",
        "codes of practice",
        "obligations",
        "deterrence",
    ]


def _variant(tmp_path: Path, order: tuple[int, ...], name: str) -> Path:
    """The case with the deterrence regime's threshold crossed, mechanisms in ``order``."""
    data = yaml.safe_load(CASE)
    data["thresholds"][1]["assessments"] = [
        {"date": "2025-02", "status": "crossed", "by": "state-a", "source": "tracker"}
    ]
    data["mechanisms"] = [data["mechanisms"][i] for i in order]
    path = tmp_path / name / "case.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_the_triggered_instrument_is_shown_in_full_in_every_file_order(tmp_path):
    briefs = set()
    for k, order in enumerate(itertools.permutations(range(4))):
        if k % 5:  # 5 of the 24 orders, first to last
            continue
        path = _variant(tmp_path, order, f"order{k}")
        md = render(path, template="brief", fmt="md")
        html = render(path, template="brief", fmt="html")
        briefs.add((md, html))
    assert len(briefs) == 1
    md = next(iter(briefs))[0].decode()
    table = md.split("## Deterrence, response plans and obligations")[1].split("\n## ")[0]
    rows = [line.split(" · ")[0] for line in table.splitlines() if line.startswith("| **")]
    # By state: the triggered regime, the two that apply (by id), then the law in force.
    assert rows == [
        "| **Mutual deterrence**",
        "| **Release at moderate**",
        "| **The commitments**",
        "| **The frontier AI statute**",
    ]
    full = [line for line in md.splitlines() if line.startswith("## ") and ": " in line]
    assert full == [
        "## Deterrence: Mutual deterrence",
        "## Response plan: Release at moderate",
        "## Obligations: The commitments",
    ]
    assert "**State:** TRIGGERED — Triggered: the ladder has reached Sabotage" in md
    assert (
        "2. **Sabotage**: Degrade the training run — when A state's bid for unilateral "
        "dominance, crossing *(now crossed; reached)*" in md
    )
    assert "**Acts against:** State C" in md


def test_a_reorder_is_no_semantic_change(tmp_path):
    a, b = _variant(tmp_path, (0, 1, 2, 3), "a"), _variant(tmp_path, (3, 2, 1, 0), "b")
    assert not generator.diff(a, b).semantic


def test_featured_names_what_to_show_when_nothing_acts(tmp_path):
    text = CASE.replace(
        "{actor: lab-c, joined: 2024-11, note: Joined after the summit.}",
        "{actor: lab-c, joined: 2024-11, note: Joined after the summit.}\n    status: ended",
    ).replace("{date: 2025-01, status: clear,", "{date: 2025-01, status: crossed,")
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    model, _ = generator.load(path)
    assert model is not None
    assert {m.mechanism.id: m.code for m in analyse(model).mechanisms} == {
        "statute": "in-force",
        "deterrence": "not-assessed",
        "moderate-tier": "not-triggered",
        "pledge": "not-in-force",
    }
    md = render(path, template="brief", fmt="md").decode()
    assert "\n## Response plan: Release at moderate\n" in md  # first by state, nothing featured
    assert "\n## Obligations: The frontier AI statute\n" not in md
    path.write_text(
        text.replace("levels:", "featured: [statute, pledge]\nlevels:"), encoding="utf-8"
    )
    md = render(path, template="brief", fmt="md").decode()
    heads = [line for line in md.splitlines() if line.startswith("## ") and ": " in line]
    assert heads == [
        "## Obligations: The frontier AI statute",
        "## Obligations: The commitments",
    ]
    assert "| **The commitments** · *Voluntary commitment, ended, not in force* |" in md


def test_the_table_says_what_each_instrument_stops_requires_and_who_decides_enforces_verifies():
    md = render(CASES / "instruments.yaml", template="brief", fmt="md").decode()
    assert (
        "| **The frontier AI statute** · *Regulation, in force since 1 January 2025* | Requires 3 "
        "standing duties · *covers Large frontier developers* | Decides: each covered actor, for "
        "itself · Enforces: The Attorney General · Verifies: no one | **IN FORCE** |" in md
    )
    assert (
        "| **Mutual deterrence** · *Deterrence regime, in force* | A ladder of 2 responses · "
        "*against State C; binds State A, State B* | Decides: not stated · Enforces: not stated · "
        "Verifies: no one | **NOT ASSESSED** |" in md
    )
    # A tier that applies while a threshold is not crossed is said so, not "triggered".
    assert "Halts nothing; applies while not crossed: Biological uplift, high" in md
    assert "(now clear; applies)" in md


def test_obligations_print_with_deadline_recipient_and_whom_and_parties_with_counts(tmp_path):
    text = CASE.replace("levels:", "featured: [statute]\nlevels:")
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    md = render(path, template="brief", fmt="md").decode()
    assert "- Report a critical safety incident — to The emergency office, within 15 days" in md
    assert "- Publish a frontier AI framework *· of Large frontier developers*" in md
    assert "- **Catastrophic risk**: A risk of death of more than 50 people[^1]." in md
    assert "**Penalties**\n\n- A civil penalty of up to USD 1 million per violation." in md
    assert "Lab C *(joined 2024-11)*" in md
    assert "**Compliance:** 1 of 3 met · 1 not met · 1 not recorded, as of 1 March 2025." in md
    assert "| **Medium** | Publish the frameworks. *— proposed by State A* |" in md


def test_level_names_print_as_the_source_names_them():
    md = render(CASES / "instruments.yaml", template="brief", fmt="md").decode()
    assert "| Biological uplift, high | High |" in md
    report = render(CASES / "instruments.yaml", template="report", fmt="md").decode()
    assert "*High ·" in report
