"""Pages a reader trusts: tables that break between rows and never leave one row alone,
the threshold table on the brief's first page, the framework's label out of the Level
cell, a last page that holds more than a line or two, and headed report sections.

The PDF tests are ``slow`` (each lays out a document); the Markdown and HTML ones are not.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from clients import pdftotext
from conftest import ROOT, render_file

from generator.analysis.analyse import analyse
from generator.format.validation import load_valid
from generator.rendering.phrases import common_framework, framework_labels, framework_note

SCENARIOS = ROOT / "scenarios"


def _statuses(name: str):
    return analyse(load_valid(SCENARIOS / f"{name}.yaml")).grouped_thresholds


# ------------------------------------------------------------------ the framework's label


def test_one_framework_is_named_once_above_the_table_and_labels_go_under_names() -> None:
    gdm = _statuses("gdm-frontier-safety-framework")
    assert framework_note(gdm) == "Every threshold below is from Google DeepMind FSF v3.0."
    rsp = _statuses("anthropic-rsp")
    assert framework_note(rsp) == "Thresholds from Anthropic RSP v2.2 unless marked otherwise."
    common = common_framework(rsp)
    by_name = {t.threshold.name: framework_labels(t, common) for t in rsp}
    assert by_name["CBRN-3"] == []  # the name is the label
    assert by_name["AI R&D checkpoint (2–8 hour software engineering tasks)"] == [
        "Autonomous AI R&D checkpoint"
    ]
    assert by_name["Cyber operations (ongoing assessment, not a Capability Threshold)"] == [
        "not from Anthropic RSP v2.2"
    ]
    # Two of seven thresholds from a lab's framework: each row names it, no note.
    pause = _statuses("coordinated-pause")
    assert framework_note(pause) == ""
    named = [framework_labels(t, "") for t in pause if t.threshold.frameworks]
    assert named == [["Anthropic RSP: AI R&D-5"], ["Anthropic RSP: AI R&D-4"]]


def test_the_level_cell_holds_the_level_alone() -> None:
    html = render_file(SCENARIOS / "anthropic-rsp.yaml", "brief", "html").decode()
    levels = re.findall(r'<td class="col-level">(.*?)</td>', html, re.S)
    assert levels and all("RSP" not in cell for cell in levels)
    words = {re.sub(r"<[^>]+>", "", cell).strip() for cell in levels}
    assert words == {"critical", "warning", "watch"}
    assert "Thresholds from Anthropic RSP v2.2 unless marked otherwise." in html
    md = render_file(SCENARIOS / "anthropic-rsp.yaml", "brief", "md").decode()
    assert "| AI R&D-4 · *early warning of: AI R&D-5* | critical |" in md


# ------------------------------------------------------------------ report sections


def test_an_indicator_without_a_threshold_has_its_report_section() -> None:
    md = render_file(SCENARIOS / "seoul-commitments.yaml", "report", "md").decode()
    section = md.split("\n## Indicators\n", 1)[1].split("\n## ", 1)[0]
    assert "### Indicator: Signatories of the Frontier AI Safety Commitments" in section
    assert "| 21 May 2024 | 16[^2] | at the Seoul summit |" in section
    assert "As of" not in section  # no threshold summary where there is no threshold
    html = render_file(SCENARIOS / "seoul-commitments.yaml", "report", "html").decode()
    assert ">Indicators</h2>" in html and 'class="thresholds"' not in html


def test_the_forecast_tables_have_headings() -> None:
    md = render_file(SCENARIOS / "ai-2027.yaml", "report", "md").decode()
    forecasts = md.split("\n## Forecasts\n", 1)[1].split("\n## ", 1)[0]
    assert forecasts.lstrip().startswith("### Median and interval of each forecast\n")
    assert "model)[^1] — Appendix G gives months" in forecasts  # a note set apart
    html = render_file(SCENARIOS / "ai-2027.yaml", "report", "html").decode()
    assert "<th></th>" not in html and '<th style="width:60%"></th>' not in html


# ------------------------------------------------------------------ pages (PDF)


def _pages(path: Path, template: str = "brief") -> list[str]:
    return pdftotext(render_file(path, template, "pdf")).split("\f")[:-1]


@pytest.mark.slow
def test_the_threshold_table_starts_on_the_first_page_when_it_fits() -> None:
    first = _pages(SCENARIOS / "anthropic-rsp.yaml")[0]
    assert "Thresholds, as of 31 December 2025" in first
    assert "CBRN-3" in first.split("Thresholds, as of", 1)[1]  # with rows, not a heading alone


@pytest.mark.slow
def test_a_long_table_breaks_between_rows_with_its_header_and_never_one_row_alone(
    tmp_path: Path,
) -> None:
    data = yaml.safe_load((SCENARIOS / "coordinated-pause.yaml").read_text(encoding="utf-8"))
    template = data["thresholds"][-1]
    data["thresholds"] += [
        dict(template, id=f"row-{i:02d}", name=f"Row {i:02d} threshold of the long table")
        for i in range(1, 36)  # without the rule, the last page held one row
    ]
    path = tmp_path / "coordinated-pause.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    pages = _pages(path)
    per_page = [len(re.findall(r"Row \d\d threshold", p)) for p in pages]
    holding = [n for n in per_page if n]
    assert sum(holding) == 35 and len(holding) >= 2, per_page  # the table did break
    assert min(holding) >= 2, per_page
    for page in pages:
        if re.search(r"Row \d\d threshold", page):
            assert "Evidence (latest)" in page  # its header, repeated on every page


@pytest.mark.slow
def test_a_last_page_of_a_line_or_two_is_pulled_back() -> None:
    """The EU report's changelog annex, one row, sat alone on a ninth page: laid out a
    notch tighter, the report keeps eight."""
    import weasyprint

    from generator.prepared import prepare_file
    from generator.rendering import pdf
    from generator.rendering.renderers import renderer
    from generator.workspace import load_settings

    settings = load_settings(ROOT)
    prepared = prepare_file(SCENARIOS / "eu-ai-act-gpai.yaml", settings.baseline)
    html = renderer("pdf").text(prepared, settings, "report")
    builtin = settings.template_dirs[-1]
    loose = weasyprint.HTML(
        string=html, base_url=builtin.as_uri() + "/", url_fetcher=pdf.ConfinedFetcher([ROOT])
    ).render()
    assert pdf.last_page_share(loose) < pdf.LONE_LAST_PAGE
    pages = pdftotext(pdf.html_to_pdf(html, "eu", prepared.created, settings)).split("\f")[:-1]
    assert len(pages) == len(loose.pages) - 1
    assert "Annex C: Changelog" in pages[-1] and "Annex B: Sources" in pages[-1]


def test_an_address_keeps_its_scheme_on_one_line() -> None:
    from generator.rendering.document import url_text

    assert url_text("https://x.org/a<b") == ('<span class="scheme">https://</span>x.org/a&lt;b')
    assert url_text("ftp://x.org") == "ftp://x.org"
    html = render_file(SCENARIOS / "eu-ai-act-gpai.yaml", "report", "html").decode()
    assert '"><span class="scheme">https://</span>eur-lex.europa.eu/' in html


@pytest.mark.slow
def test_no_address_in_a_pdf_is_split_inside_its_scheme() -> None:
    for name in ("eu-ai-act-gpai", "miri-draft-treaty", "anthropic-rsp"):
        text = pdftotext(render_file(SCENARIOS / f"{name}.yaml", "report", "pdf"))
        assert text.count("https://") >= 4  # the sources' addresses, each whole
        broken = re.findall(r"(?:^|\s)(?:h|ht|htt|http|https|https:|https:/)\n", text)
        assert broken == [], (name, broken)
