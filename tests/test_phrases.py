"""Phrases the documents assemble from the data (issue: documents a reader trusts).

Each phrase is computed once (``rendering.phrases``, ``analysis.forks``) and drawn
by every format; these tests hold the words, and that Markdown and HTML agree.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import ROOT, render_file

from generator.analysis.analyse import analyse
from generator.format.model import Scenario
from generator.format.validation import load_valid
from generator.rendering.phrases import common_author, likelihood_text

SCENARIOS = ROOT / "scenarios"


def _scenario(name: str, edit=None) -> Scenario:
    """A bundled scenario, edited, loaded as the tool loads a file."""
    import tempfile

    data = yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8"))
    if edit:
        edit(data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        return load_valid(path)


def test_a_judgment_reads_term_range_and_percentage_never_a_p_value() -> None:
    s = _scenario("coordinated-pause")
    a = analyse(s)
    assert likelihood_text(a, s.judgments[0]) == "likely (55–80 %), 65 %; moderate confidence"
    md = render_file(SCENARIOS / "coordinated-pause.yaml", "brief", "md").decode()
    html = render_file(SCENARIOS / "coordinated-pause.yaml", "brief", "html").decode()
    assert "*(likely (55–80 %), 65 %; moderate confidence)*" in md
    assert "(likely (55–80 %), 65 %; moderate confidence)" in html
    assert "p = " not in md and "p = " not in html


def test_a_judgment_with_only_a_probability_or_only_confidence() -> None:
    def edit(data):
        data["judgments"][0].pop("likelihood")
        data["judgments"][1].pop("likelihood")
        data["judgments"][1].pop("probability")

    s = _scenario("coordinated-pause", edit)
    a = analyse(s)
    assert likelihood_text(a, s.judgments[0]) == "65 %; moderate confidence"
    assert likelihood_text(a, s.judgments[1]) == "moderate confidence"


def test_attribution_is_said_once_when_every_judgment_has_one_author(tmp_path: Path) -> None:
    s = _scenario("ai-2027")
    assert common_author(analyse(s), s.judgments) == "AI Futures Project (the authors)"
    md = render_file(SCENARIOS / "ai-2027.yaml", "brief", "md").decode()
    judgments = md.split("## Key judgments", 1)[1].split("\n## ", 1)[0]
    assert "judgment of" not in judgments
    assert "*All judgments are those of AI Futures Project (the authors).*" in judgments

    def mixed(data):
        data["judgments"][0]["by"] = data["actors"][0]["id"]

    path = tmp_path / "mixed.yaml"
    data = yaml.safe_load((SCENARIOS / "ai-2027.yaml").read_text(encoding="utf-8"))
    mixed(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    other = render_file(path, "brief", "md").decode()
    judgments = other.split("## Key judgments", 1)[1].split("\n## ", 1)[0]
    assert judgments.count("— judgment of") == 4 and "All judgments are" not in judgments


def test_branch_probabilities_short_of_one_name_the_rest() -> None:
    s = _scenario("coordinated-pause")
    forks = analyse(s).forks
    assert sum(b.probability or 0 for b in s.branches) < 1
    assert forks.remainder() == "other outcomes: 5 %, not described"
    md = render_file(SCENARIOS / "coordinated-pause.yaml", "report", "md").decode()
    assert "| *Other outcomes* | *not described* | 5 % |" in md
    brief = render_file(SCENARIOS / "coordinated-pause.yaml", "brief", "md").decode()
    assert "- *Other outcomes: 5 %, not described.*" in brief

    def whole(data):
        data["branches"][-1]["probability"] = round(
            1 - sum(b.get("probability", 0) for b in data["branches"][:-1]), 6
        )

    assert analyse(_scenario("coordinated-pause", whole)).forks.remainder() == ""

    def unstated(data):
        data["branches"][0].pop("probability")

    assert analyse(_scenario("coordinated-pause", unstated)).forks.remainder() == ""


def test_the_marking_band_says_draft_until_final_and_the_kicker_is_not_lowered() -> None:
    from generator.rendering.document import marking, running_head

    assert marking("official", "draft") == "OFFICIAL · DRAFT"
    assert marking("official", "final") == "OFFICIAL"
    md = render_file(SCENARIOS / "ai-2027.yaml", "brief", "md").decode()
    assert md.startswith("**PUBLIC · DRAFT**\n\n*SCENARIO BRIEF · AI 2027 · DRAFT*\n")
    html = render_file(SCENARIOS / "ai-2027.yaml", "brief", "html").decode()
    assert html.count('<div class="classification-banner"><span>PUBLIC · DRAFT</span></div>') == 2
    assert running_head("Capability watch") == "Capability watch"
    long = "Frontier Safety Framework v3.0: Google DeepMind critical capability levels"
    assert running_head(long) == "Frontier Safety Framework v3.0: Google DeepMind…"
    assert len(running_head("x" * 200)) == 48


def test_no_version_prints_no_v0() -> None:
    md = render_file(SCENARIOS / "ai-2027.yaml", "brief", "md").decode()
    assert "· v0 ·" not in md and "Scenario ai-2027 · rev " in md


def test_a_later_source_cited_for_earlier_facts_is_quiet_and_says_so(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "cases" / "source-after-date.yaml").read_text()
    path = tmp_path / "s.yaml"
    path.write_text(text + "    retrospective: true\n")
    _, diagnostics = __import__("generator").load(path)
    assert diagnostics == []
    md = render_file(path, "brief", "md").decode()
    assert "Published after 29 March 2023; cited for facts that held by then." in md


def test_note_marks_are_one_group_in_order_and_definitions_stand_apart() -> None:
    from generator.rendering.markup import Citations, to_html, to_markdown, with_sources

    md = render_file(SCENARIOS / "ai-2027.yaml", "brief", "md").decode()
    assert "superhuman coder[^1][^2]." in md and "coder[^2].[^1]" not in md
    html = render_file(SCENARIOS / "ai-2027.yaml", "brief", "html").decode()
    assert (
        'superhuman coder<sup class="note"><a href="#source-1">1</a>,'
        '<a href="#source-2">2</a></sup>.' in html
    )
    assert with_sources("A coder [@b].", ["a", "b"]) == "A coder [@b; @a]."
    assert with_sources("End of 2027.", ["a", None]) == "End of 2027. [@a]"
    numbered = Citations()
    for ident in ("a", "b", "c"):
        numbered.number(ident)
    assert str(to_markdown("x [@c] [@a; @c].", numbered)) == "x[^1][^3]."
    assert '<a href="#source-1">1</a>,<a href="#source-3">3</a></sup>' in str(
        to_html("x [@c] [@a; @c].", numbered)
    )
    notes = md[md.index("[^1]: ") :]
    assert "\n\n[^2]: " in notes  # a parser without footnotes keeps them apart


def test_stitched_phrases_read_as_sentences() -> None:
    from generator.analysis.mechanisms import _duration

    class _D:
        def __init__(self, low, high):
            self.min, self.max = low, high

    class _M:
        def __init__(self, low, high):
            self.duration = _D(low, high)

    assert _duration(_M(None, "Unlimited")) == "No upper limit."
    assert _duration(_M("6 months", "indefinite")) == "At least 6 months; no upper limit."
    assert _duration(_M(None, "12 months")) == "At most 12 months."
    seoul = render_file(SCENARIOS / "seoul-commitments.yaml", "brief", "md").decode()
    assert "**Duration and exit:** No exit criteria stated." in seoul
    assert "Exit criteria: none stated" not in seoul
    ai = render_file(SCENARIOS / "ai-2027.yaml", "brief", "md").decode()
    assert "Thresholds the story reaches on it: A state actor steals" in ai
    assert "The story reaches A" not in ai


def test_a_method_written_as_an_id_reads_as_words_and_maturity_has_a_legend() -> None:
    from generator.format.mechanisms import Verification

    assert Verification(method="training-run-declarations").label == "Training run declarations"
    assert Verification(method="NTM-2 satellites").label == "NTM-2 satellites"  # as written
    brief = render_file(SCENARIOS / "coordinated-pause.yaml", "brief", "md").decode()
    assert "**Training run declarations**" in brief and "training-run-declarations" not in brief
    report = render_file(SCENARIOS / "miri-draft-treaty.yaml", "report", "md").decode()
    assert "*Maturity: deployable, can be used now; near-term, needs engineering" in report


def test_the_cover_carries_reference_contact_and_review_when_given(tmp_path: Path) -> None:
    text = (SCENARIOS / "coordinated-pause.yaml").read_text(encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(
        text.replace(
            "\nsummary:",
            "\nreference: PU-2026-041\ncontact: {name: Policy Unit, email: pu@example.org}\n"
            "review: {by: Chief Scientific Adviser's office, date: 2026-11-20}\nsummary:",
            1,
        )
    )
    line = (
        "Ref. PU-2026-041 · Contact: Policy Unit (pu@example.org) · Reviewed by Chief "
        "Scientific Adviser's office, 20 November 2026"
    )
    for template in ("brief", "report"):
        assert line in render_file(path, template, "md").decode()
    assert line in render_file(path, "brief", "html").decode().replace("&#39;", "'")
    report = render_file(path, "report", "html").decode()
    assert "<dt>Reference</dt><dd>PU-2026-041</dd>" in report
    plain = render_file(SCENARIOS / "coordinated-pause.yaml", "brief", "md").decode()
    assert "Ref. " not in plain and "Contact:" not in plain


def test_the_at_a_glance_facts_are_computed_from_the_data() -> None:
    from generator.analysis.glance import glance

    facts = [f.text for f in glance(analyse(_scenario("coordinated-pause")))]
    assert facts[0] == "7 thresholds: 1 crossed, 3 at alert, 3 not assessed."
    assert facts[1].endswith(": 80 % (May 2026); trigger ≥ 75 %: crossed.")
    assert facts[2] == "No instrument is triggered or applies (2 instruments)."

    def lower(data):  # the lead reading falls below its trigger and its alert
        for ind in data["indicators"]:
            for obs in ind.get("observations", []):
                if obs.get("value") == 80:
                    obs["value"] = 40

    moved = [f.text for f in glance(analyse(_scenario("coordinated-pause", lower)))]
    assert moved[0] != facts[0] and moved[1] != facts[1]
    seoul = [f.as_dict() for f in glance(analyse(_scenario("seoul-commitments")))]
    assert seoul == [
        {"kind": "instruments", "text": "Applying now: Frontier AI Safety Commitments."},
        {
            "kind": "headline",
            "text": "Signatories of the Frontier AI Safety Commitments: 16 (21 May 2024) → "
            "20 (Mar 2025).",
        },
    ]
    eu = [f.text for f in glance(analyse(_scenario("eu-ai-act-gpai")))]
    assert any(t.startswith("Next fixed date, 2 August 2026: ") for t in eu)
    md = render_file(SCENARIOS / "coordinated-pause.yaml", "brief", "md").decode()
    assert "**At a glance**\n\n- 7 thresholds: 1 crossed, 3 at alert, 3 not assessed.\n" in md


def test_status_json_lists_the_same_facts(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from generator.cli import main

    out = (
        CliRunner()
        .invoke(main, ["status", str(SCENARIOS / "seoul-commitments.yaml"), "--format", "json"])
        .stdout
    )
    assert [f["kind"] for f in json.loads(out)["glance"]] == ["instruments", "headline"]


def test_a_threshold_s_severity_has_its_own_mark_beside_the_status_colour() -> None:
    import re

    html = render_file(SCENARIOS / "coordinated-pause.yaml", "brief", "html").decode()
    found = re.findall(
        r'<span class="level-mark level-(\w+)" aria-hidden="true">((?:<span class="\w+">'
        r"</span>){3})</span>",
        html,
    )
    assert len(found) == 7  # one per threshold row
    for level, inner in re.findall(
        r'<span class="level-mark level-(\w+)" aria-hidden="true">((?:<span class="\w+">'
        r"</span>){3})</span>",
        html,
    ):
        on = inner.count('class="on"')
        assert on == {"watch": 1, "warning": 2, "critical": 3}[level]


def test_a_jurisdiction_code_prints_as_the_name_a_reader_knows() -> None:
    from generator.format.vocabulary import jurisdiction_name

    assert jurisdiction_name("CA") == "Canada"  # never read as California
    assert jurisdiction_name("US-CA") == "US-CA"  # a subdivision code, as written
    assert jurisdiction_name("US", "United States") == ""  # no "United States (United States)"
    assert jurisdiction_name(None) == ""
    md = render_file(SCENARIOS / "miri-draft-treaty.yaml", "report", "md").decode()
    assert "| **China** | government |" in md
    assert "(Technical Governance Team)** (United States) |" in md


def test_an_actor_s_kind_reads_as_words() -> None:
    from generator.format.vocabulary import actor_kind

    assert actor_kind("ai-system") == "AI system"
    assert actor_kind("international-body") == "international body"
    md = render_file(SCENARIOS / "ai-2027.yaml", "report", "md").decode()
    assert "| AI system *(in the race ending)* |" in md and "ai system" not in md


# ------------------------------------------------------------------ one number style (item 5)


def test_money_and_counts_in_words_while_the_words_are_exact() -> None:
    from generator.analysis.status import format_value

    assert format_value(650_000_000, "usd") == "USD 650 million"
    assert format_value(1e9, "usd") == "USD 1 billion"
    assert format_value(1.25e9, "usd") == "USD 1.25 billion"
    assert format_value(1_234_567, "usd") == "USD 1 234 567"  # words would round it
    assert format_value(500_000, "usd") == "USD 500 000"
    assert format_value(20_000_000, "count") == "20 million"
    assert format_value(16, "count") == "16"
    assert format_value(3e26, "flop") == "3×10²⁶ FLOP"
    assert format_value(12_345.67, "hours") == "12 345.7 h"  # never '1.235e+04'


def test_powers_of_ten_typed_in_text_print_as_superscripts() -> None:
    from generator.analysis.numbers import notation

    assert notation("runs above 10^25 FLOP, or 1e24, or 3e26") == (
        "runs above 10²⁵ FLOP, or 10²⁴, or 3×10²⁶"
    )
    assert notation("3 x 10^26 FLOP and 10^{-3}") == "3×10²⁶ FLOP and 10⁻³"
    kept = "`1e5` <https://x.org/1e24> [a](https://x.org/10^25) [@run-1e24] v1e2 1e5b"
    assert notation(kept) == kept


def test_the_one_number_style_reaches_every_format() -> None:
    def edit(data):
        data["summary"] = "Training above 10^26 FLOP (`10^26` as typed) is covered."
        data["thresholds"][0]["name"] = "Runs past 1e25 FLOP"

    import tempfile

    data = yaml.safe_load((SCENARIOS / "coordinated-pause.yaml").read_text(encoding="utf-8"))
    edit(data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "coordinated-pause.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        md = render_file(path, "report", "md").decode()
        html = render_file(path, "report", "html").decode()
    for text in (md, html):
        assert "Training above 10²⁶ FLOP" in text
        assert "Runs past 10²⁵ FLOP" in text
        assert "USD 650 million" in text
        assert "650 000 000" not in text and "1e25" not in text
    assert "`10^26`" in md and "<code>10^26</code>" in html


def test_an_event_that_says_its_own_date_is_dated_once() -> None:
    from generator.analysis.forks import date_label
    from generator.format.model import TimelineEvent

    def event(date, text):
        return TimelineEvent.model_validate({"date": date, "event": text})

    assert date_label(event(2030, "Mid-2030: Consensus-1 acts.")) == (
        "Mid-2030",
        "Consensus-1 acts.",
    )
    late = date_label(event("2025-12", "late 2025: agents arrive."))
    assert late == ("Late 2025", "Agents arrive.")
    assert date_label(event("2027-10", "October 2027: a leak.")) == ("October 2027", "A leak.")
    # A label naming another year is the story's own words, not the event's date.
    assert date_label(event(2029, "2030: a plan is made.")) == (None, "2030: a plan is made.")
    assert date_label(event(2030, "Ratio 2030:1 holds.")) == (None, "Ratio 2030:1 holds.")
    md = render_file(SCENARIOS / "ai-2027.yaml", "brief", "md").decode()
    html = render_file(SCENARIOS / "ai-2027.yaml", "report", "html").decode()
    assert "- Mid-2030 *(projected)*: Consensus-1 releases biological weapons" in md
    assert "2030 *(projected)*: Mid-2030" not in md
    assert 'Mid-2030<br><span class="projected">projected</span></td><td>Consensus-1' in html


def test_every_source_list_gives_publisher_date_and_address() -> None:
    title = "“Tech Giants Agree to Put Limits on Gen AI Systems”, Campus Technology, 29 May 2024."
    for template in ("brief", "report"):
        md = render_file(SCENARIOS / "seoul-commitments.yaml", template, "md").decode()
        assert f"{title} <https://campustechnology.com/Articles/2024/05/29/" in md, template
        html = render_file(SCENARIOS / "seoul-commitments.yaml", template, "html").decode()
        assert (
            f'{title} <a href="https://campustechnology.com/Articles/2024/05/29/'
            in html.replace("&#34;", '"')
        ), template
