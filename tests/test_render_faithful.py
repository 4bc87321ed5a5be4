"""Documents say what a framework says: the if-then logic, who decides, what stops, in force.

Also the rendering defects found on the way: citations rendered wherever text
is, Markdown and HTML of one template carrying the same content.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

import generator
from generator.analysis.analyse import analyse
from generator.format.validation import load_valid
from generator.prepared import from_model
from generator.rendering.document import render_text
from generator.workspace import load_settings

CASES = Path(__file__).parent / "cases"
SCENARIOS = Path(__file__).parent.parent / "scenarios"

FRAMEWORKS = [
    "gdm-frontier-safety-framework",
    "anthropic-rsp",
    "openai-preparedness-framework",
    "miri-draft-treaty",
]


def _render(path: Path, template: str, fmt: str) -> str:
    scenario = load_valid(path)
    settings = load_settings(path.parent)
    return render_text(from_model(scenario, "rev"), settings, template, fmt)


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_each_framework_scenario_is_strict_clean(name):
    _, diagnostics = generator.load(SCENARIOS / f"{name}.yaml")
    assert [str(d) for d in diagnostics] == []


def test_the_fsf_brief_states_the_if_then_logic_and_who_decides():
    md = _render(SCENARIOS / "gdm-frontier-safety-framework.yaml", "brief", "md")
    # It holds deployment only, with tiers of responses: a release policy, never a pause.
    assert "## Release policy: FSF response plans" in md
    assert "Pause" not in md.split("## Release policy")[1].split("## Recommendations")[0]
    assert "Triggered: Cyber uplift level 1 at the alert level (alert)." in md
    assert "- CBRN uplift level 1 — at the alert level *(now clear)*" in md
    assert "Adjudicated by Google DeepMind alone; no external verifier." in md
    assert "**Halts external deployment and internal deployment.**" in md
    assert "Security level 4" in md and "*— for ML R&D automation level 1*" in md
    assert "None stated: verification." in md and "**Verification**" not in md
    assert "**Duration and exit:** No end date. No exit criteria stated." in md


def test_a_proposed_treaty_is_never_shown_triggered_and_its_exceeded_limit_has_the_reading():
    md = _render(SCENARIOS / "miri-draft-treaty.yaml", "brief", "md")
    assert "**State:** PROPOSED, NOT IN FORCE — Nothing in it is triggered or binding yet." in md
    assert "TRIGGERED" not in md
    assert "already exceeded: 5×10²⁴ FLOP, gpt-oss-120B, 2025" in md
    assert "**Would bind:** United States · China." in md
    assert "*· within 120 days of the Treaty entering into force*" in md


def test_the_code_of_practice_names_who_declined():
    md = _render(SCENARIOS / "openai-preparedness-framework.yaml", "report", "md")
    assert "**Declined:** Meta." in md
    assert "## Pauses and codes of practice" in md


def test_flop_bars_are_drawn_on_a_log_scale():
    page = _render(SCENARIOS / "miri-draft-treaty.yaml", "brief", "html")
    assert 'class="bar log"' in page
    assert "on a log scale where values span orders of magnitude" in page


def test_a_multi_citation_is_rendered_in_every_format():
    md = _render(CASES / "faithful.yaml", "brief", "md")
    assert "Self-governed response plans and a standing limit[^1][^2]." in md
    page = _render(CASES / "faithful.yaml", "brief", "html")
    marks = '<sup class="note"><a href="#source-1">1</a>,<a href="#source-2">2</a></sup>'
    assert f"limit{marks}" in page


def _numbers(data):
    """PyYAML reads ``4.0e24`` as text; the scenario loader reads it as a number."""
    if isinstance(data, dict):
        return {k: _numbers(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_numbers(v) for v in data]
    if isinstance(data, str) and re.fullmatch(r"\d+(\.\d+)?e\d+", data):
        return float(data)
    return data


def _cite_everything(data):
    """Every string of the scenario with a citation appended."""
    if isinstance(data, dict):
        return {k: _cite_everything(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_cite_everything(v) for v in data]
    if isinstance(data, str):
        return f"{data} [@policy]"
    return data


def _set(data, path, value):
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def test_citations_render_in_every_text_field_of_every_format(tmp_path):
    original = _numbers(yaml.safe_load((CASES / "faithful.yaml").read_text()))
    data = _cite_everything(original)
    path = tmp_path / "cited.yaml"
    # Revert the strings that are not text (ids, references, choices, dates) until valid.
    for _ in range(10):
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        model, diagnostics = generator.load(path)
        if model is not None:
            break
        for d in diagnostics:
            if d.code == "unknown-source":
                continue  # a broken source id: reverting the id mends it
            where = re.match(r"([\w\[\]\.]+): ", d.message)
            parts = tuple(
                int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", where.group(1))
            )
            node = original
            for part in parts:
                node = node[part] if isinstance(node, dict | list) else node
            if isinstance(node, str):
                _set(data, parts, node)
    assert model is not None
    cited = sum(line.count("[@policy]") for line in path.read_text().splitlines())
    assert cited > 35  # the check means something: most text fields carry a citation
    for template in ("brief", "report"):
        for fmt in ("md", "html"):
            text = _render(path, template, fmt)
            assert "[@" not in text, (template, fmt, text[text.index("[@") - 80 :][:160])


PRESENTATION = {
    # words of layout, not content: HTML table headings and the position bars' legend
    # (Markdown has no bars), Markdown's rule and its "State" label before the chip text
    "for", "response", "deadline", "sources", "position", "against", "bar", "marks",
    "log", "scale", "magnitude", "orders", "span", "values", "state", "trigger", "class",
}  # fmt: skip


def _words(text: str) -> set[str]:
    found = re.findall(r"[^\W\d_][\w²³⁴⁰¹⁵⁶⁷⁸⁹×%-]*", html.unescape(text).lower())
    return {w for w in found if w not in PRESENTATION}


def _html_words(page: str) -> set[str]:
    body = page.split("<body", 1)[1].replace("<wbr>", "")  # a break opportunity, not a space
    body = re.sub(r"<svg\b.*?</svg>", "", body, flags=re.S)  # a chart: its caption is the words
    body = re.sub(r'<sup class="note">.*?</sup>', "", body)
    body = re.sub(
        r"<a href=[^>]*>(?:<span class=\"scheme\">https?://</span>|https?://)[^<]*</a>", "", body
    )
    body = re.sub(r"Position: reading.*?marks(, on a log scale [^.]*)?\.", "", body)
    return _words(re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize("name", [*FRAMEWORKS, "coordinated-pause"])
def test_markdown_and_html_briefs_carry_the_same_content(name):
    md = _render(SCENARIOS / f"{name}.yaml", "brief", "md")
    page = _render(SCENARIOS / f"{name}.yaml", "brief", "html")
    md = re.sub("\u2063attachment:[^\u2063]*\u2063", "", md)  # where a chart's link goes
    md_words = _words(re.sub(r"<https?://[^>]*>", "", md))
    assert (sorted(md_words - _html_words(page)), sorted(_html_words(page) - md_words)) == (
        [],
        [],
    )


def test_a_heading_names_each_kind_of_mechanism_once():
    from generator.rendering.document import Document

    scenario = load_valid(SCENARIOS / "coordinated-pause.yaml")
    nouns = [m.noun for m in analyse(scenario).mechanisms]
    assert nouns == ["pause", "pause"]  # a pause agreement and statutory pause powers
    doc = Document(from_model(scenario), load_settings(SCENARIOS.parent), "report", "md")
    assert doc.mechanisms_heading() == "Pauses"
    # With more than three kinds of instrument, the heading says what they all are.
    many = load_valid(SCENARIOS / "ai-2027.yaml")
    doc = Document(from_model(many), load_settings(SCENARIOS.parent), "report", "md")
    assert doc.mechanisms_heading() == "Instruments"


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("template", ["brief", "report"])
def test_entry_into_force_written_as_text_renders(tmp_path, template, fmt):
    # docs/FORMAT.md allows text or {text, ratifications}; the text form used to crash.
    source = (Path(__file__).parent / "cases" / "faithful.yaml").read_text()
    text = source.replace(
        "entry_into_force: {text: When both parties ratify, ratifications: 2}",
        "entry_into_force: 1 January 2026",
    )
    assert text != source
    path = tmp_path / "faithful.yaml"
    path.write_text(text)
    out = _render(path, template, fmt)  # renders (the brief shows no entry into force)
    assert "ratifications)" not in out
    if template == "report":
        assert "1 January 2026" in out
