"""One view model, every format: the same sections, headings, state words and note numbers.

The structure of a brief or report is computed once (``generator/rendering/view.py``)
and each format only draws it. These tests read each format the way its reader does:
the Markdown through GitHub's parser (cmark-gfm), the HTML as written, the PDF through
``pdftotext``; and they compare what a reader sees, in order.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

from generator.analysis.wording import STATUS_WORDS
from generator.format.vocabulary import STATUSES
from generator.pipeline import render
from generator.prepared import prepare_file
from generator.rendering.view import build_view
from generator.workspace import load_settings

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
CASES = [(p, t) for p in SCENARIOS for t in ("brief", "report")]
IDS = [f"{p.stem}-{t}" for p, t in CASES]

needs_cmark = pytest.mark.skipif(shutil.which("cmark-gfm") is None, reason="needs cmark-gfm")

_TAG = re.compile(r"<[^>]+>")
_HEADING = re.compile(r"<h([23])[^>]*>(.*?)</h\1>", re.S)
_HTML_NOTE = re.compile(r'<a href="#source-(\d+)">\d+</a>')
# cmark-gfm numbers footnotes by first reference; its link keeps the label written.
_GFM_NOTE = re.compile(r'<a href="#fn-(\d+)" id="fnref-[^"]*" data-footnote-ref>(\d+)</a>')
WORDS = {*STATUSES, "triggered", "in force", "no trigger defined", "not triggered", "applies"}
WORDS |= set(STATUS_WORDS.values())
_HTML_STATE = re.compile(
    r'<span class="chip (?:status|mstate) (?:state|status)-[^"]*">([^<]*)</span>'
)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


@cache
def _outputs(path: Path, template: str) -> dict[str, str]:
    settings = load_settings(ROOT)
    return {
        fmt: render(path, template=template, fmt=fmt, settings=settings).decode()
        for fmt in ("md", "html")
    }


@cache
def _gfm(markdown: str) -> str:
    run = subprocess.run(
        ["cmark-gfm", "--extension", "table", "--extension", "footnotes"],
        input=markdown,
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


def _headings(page: str) -> list[str]:
    """Every h2 and h3 a reader sees, but the contents (GitHub lists headings itself)."""
    return [_text(h) for _, h in _HEADING.findall(page) if _text(h) != "Contents"]


@needs_cmark
@pytest.mark.parametrize(("path", "template"), CASES, ids=IDS)
def test_markdown_and_html_have_the_same_headings_in_the_same_order(path, template):
    out = _outputs(path, template)
    assert _headings(_gfm(out["md"])) == _headings(out["html"])


@needs_cmark
@pytest.mark.parametrize(("path", "template"), CASES, ids=IDS)
def test_note_numbers_are_the_same_in_every_format_and_in_reading_order(path, template):
    out = _outputs(path, template)
    html_notes = [int(n) for n in _HTML_NOTE.findall(out["html"])]
    gfm = _GFM_NOTE.findall(_gfm(out["md"]))
    labels = [int(label) for label, _ in gfm]
    shown = [int(number) for _, number in gfm]
    assert labels == html_notes
    # GitHub shows footnotes numbered by first use: it prints our numbers only if they
    # were assigned in reading order.
    assert shown == labels
    first_uses = list(dict.fromkeys(labels))
    assert first_uses == list(range(1, len(first_uses) + 1))


@pytest.mark.parametrize(("path", "template"), CASES, ids=IDS)
def test_state_words_are_the_same_in_every_format(path, template):
    out = _outputs(path, template)
    html_words = [w.upper() for w in _HTML_STATE.findall(out["html"])]
    md_words = re.findall(r"\*\*(?:State:\*\* )?([A-Z][A-Z ,-]+[A-Z])(?:\*\*| —)", out["md"])
    md_words = [w for w in md_words if w.lower() in WORDS]
    assert md_words == html_words


def test_the_view_orders_the_sections_and_words_the_headings():
    prepared = prepare_file(ROOT / "scenarios" / "coordinated-pause.yaml")
    brief = build_view(prepared, "brief")
    assert brief.keys == [
        "header",
        "bottom_line",
        "judgments",
        "thresholds",
        "instruments",
        "forks",
        "mechanism",
        "recommendations",
        "sources",
    ]
    table = brief.section("instruments")
    assert table is not None and table.heading == "Pauses"
    assert [r.state.mechanism.id for r in table.data.rows] == [
        "coordinated-pause",
        "statutory-backstop",
    ]
    # Neither applies nor is triggered, and none is featured: the first by state then id.
    full = [s for s in brief.sections if s.key == "mechanism"]
    assert [(s.heading, s.anchor) for s in full] == [
        (
            "Pause: Coordinated, verifiable pause of frontier training and automated AI R&D",
            "mechanism-coordinated-pause",
        ),
    ]
    shown = brief.section("recommendations").data
    assert (len(shown.items), shown.more) == (3, 2)
    assert shown.more_text == "2 more of lower priority in the full report."

    report = build_view(prepared, "report")
    contents = [s.heading for s in report.contents]
    assert contents[-3:] == [
        "Annex A: Verification methods",
        "Annex B: Sources",
        "Annex C: Changelog",
    ]
    assert report.section("contents").data == report.contents


def test_a_section_moved_in_the_view_moves_in_every_format(monkeypatch):
    from generator.rendering import view as view_module

    original = view_module.brief_sections

    def recommendations_first(prepared):
        sections = original(prepared)
        recs = next(s for s in sections if s.key == "recommendations")
        return [sections[0], recs, *(s for s in sections[1:] if s is not recs)]

    monkeypatch.setitem(view_module.SECTIONS, "brief", recommendations_first)
    settings = load_settings(ROOT)
    path = ROOT / "scenarios" / "coordinated-pause.yaml"
    md = render(path, template="brief", fmt="md", settings=settings).decode()
    page = render(path, template="brief", fmt="html", settings=settings).decode()
    assert re.findall(r"^## (.*)$", md, re.M)[0] == "Recommendations"
    assert _headings(page)[0] == "Recommendations"


def test_a_workspace_overrides_one_markdown_section(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "brief.md.j2").write_text(
        '{% extends "builtin/brief.md.j2" %}{% block recommendations %}\n\n'
        "## To the Secretary of State\n\n{{ section.data.items | length }} actions\n"
        "{% endblock %}",
        encoding="utf-8",
    )
    settings = load_settings(tmp_path)
    md = render(
        ROOT / "scenarios" / "coordinated-pause.yaml", template="brief", fmt="md", settings=settings
    ).decode()
    headings = re.findall(r"^## (.*)$", md, re.M)
    assert headings[-2:] == ["To the Secretary of State", "Sources"]
    assert "\n3 actions\n" in md
    assert "Key judgments" in headings and "Recommendations" not in headings


def _pdf_text(path: Path, template: str) -> str:
    settings = load_settings(ROOT)
    data = render(path, template=template, fmt="pdf", settings=settings)
    run = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True, timeout=120
    )
    return " ".join(run.stdout.decode().split())


_NUMBER = re.compile(r"[\d][\d.,×⁰¹²³⁴⁵⁶⁷⁸⁹]*")


def _squeezed(text: str) -> str:
    """Text without spaces or hyphens: pdftotext breaks lines and joins hyphenated words."""
    return re.sub(r"[\s\-\u00ad]", "", text)


def _in_order(needles: list[str], haystack: str) -> None:
    at = 0
    for needle in needles:
        found = haystack.find(needle, at)
        assert found >= 0, f"{needle!r} missing after position {at}"
        at = found + len(needle)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
@pytest.mark.parametrize(("path", "template"), CASES, ids=IDS)
def test_the_pdf_reads_the_same_headings_words_and_numbers_in_the_same_order(path, template):
    out = _outputs(path, template)
    text = _squeezed(_pdf_text(path, template))
    _in_order([_squeezed(h) for h in _headings(out["html"])], text)
    words = [_squeezed(w.upper()) for w in _HTML_STATE.findall(out["html"])]
    _in_order(words, text.upper())
    # every figure of the threshold table: the readings and the triggers
    for t in prepare_file(path).analysis.thresholds:
        for figure in (t.reading_text, t.trigger_text):
            for number in _NUMBER.findall(figure or ""):
                assert number in text, f"{number} ({figure}) missing"
