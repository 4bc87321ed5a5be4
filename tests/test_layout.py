"""The PDF prints everything once: no ghost copy of a box, a lane or a list.

WeasyPrint's multi-column layout, followed by floats near a page break, once printed the
brief's mechanism twice on one page (the first copy broken, its heading in the other
column). The count of every section heading, mechanism name and list item in `pdftotext`
of the PDF must equal its count in the Markdown of the same document, as GitHub parses it.
tests/cases/ghost-copy.yaml reproduces the layout that printed the copy.
"""

from __future__ import annotations

import functools
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from clients import cmark_gfm, missing

from generator.pipeline import rendered
from generator.prepared import Prepared, prepare_file
from generator.rendering.renderers import renderer
from generator.workspace import load_settings

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
PATHS = [
    *sorted((ROOT / "scenarios").glob("*.yaml")),
    CASES / "faithful.yaml",
    CASES / "three-way-fork.yaml",
    CASES / "ghost-copy.yaml",
]
DOCUMENTS = [(p, t) for p in PATHS for t in ("brief", "report")]
IDS = [f"{p.stem}-{t}" for p, t in DOCUMENTS]

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _poppler():
    """pdfinfo and pdftotext -raw are called here directly (by region, in drawing order)."""
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        missing("pdftotext", "not on PATH")


_TAG = re.compile(r"<[^>]+>")
_NOTE = re.compile(r"<sup[^>]*>.*?</sup>", re.S)
_HEADING = re.compile(r"<h[23][^>]*>(.*?)</h[23]>", re.S)
_ITEM = re.compile(r"<li[^>]*>(.*?)(?:</li>|<ul|<ol)", re.S)
_HIDDEN = re.compile(
    r'<head>.*?</head>|<nav class="toc.*?</nav>|<p class="stamp">.*?</p>'
    r'|<div class="classification-banner">.*?</div>'
    r"|<title>.*?</title>|<desc>.*?</desc>",  # a chart's title, words and tooltips: unprinted
    re.S,
)
_THEAD = re.compile(r"<thead>.*?</thead>", re.S)
_LEAD = re.compile(r'<figure class="chart lead">.*?<figcaption>(.*?)</figcaption></figure>', re.S)
# long enough to be one item's words, short enough to sit before any line's note mark
_PREFIX = 24


def _squeezed(text: str) -> str:
    """Letters and digits only, upper case: pdftotext breaks lines, joins hyphenated
    words, spaces out letter-spaced titles and prints `^` for superscripts."""
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def _text(fragment: str, notes: bool = False) -> str:
    """The words of an HTML fragment; note numbers only if ``notes`` (the PDF prints them)."""
    return html.unescape(_TAG.sub(" ", fragment if notes else _NOTE.sub("", fragment)))


def _pdf_text(data: bytes) -> str:
    """The text of the pages' bodies in drawing order, without the running head and
    foot (the title and stamp on every page) or the contents page (the headings again)."""
    info = subprocess.run(
        ["pdfinfo", "-"], input=data, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    width, height = (
        float(x) for x in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    )
    top, bottom = 24 * 72 / 25.4, 22 * 72 / 25.4  # the @page margins of base.html.j2
    run = subprocess.run(
        [
            "pdftotext",
            "-raw",
            "-x",
            "0",
            "-y",
            str(int(top)),
            "-W",
            str(int(width)),
            "-H",
            str(int(height - top - bottom)),
            "-",
            "-",
        ],
        input=data,
        capture_output=True,
        check=True,
        timeout=120,
    )
    pages = run.stdout.decode().split("\f")
    return "\n".join(p for p in pages if not _squeezed(p).startswith("CONTENTS"))


def _needles(page: str, mechanism_names: list[str]) -> set[str]:
    """What a reader counts on: headings, mechanism names and list items (their first
    words, before any note number), ignoring the contents list GitHub draws itself."""
    found = {_squeezed(_text(h)) for h in _HEADING.findall(page)}
    found |= {_squeezed(name) for name in mechanism_names}
    for item in _ITEM.findall(page):
        words = _text(item.split("<sup")[0])
        if len(_squeezed(words)) >= 12:
            found.add(_squeezed(words)[:_PREFIX])
    return {n for n in found if n and n != "CONTENTS"}


@functools.cache
def _document(path: Path, template: str) -> tuple[Prepared, str, bytes]:
    """The prepared scenario, the HTML a PDF is laid out from, and the PDF (made once)."""
    settings = load_settings(ROOT)
    prepared = prepare_file(path, settings.baseline)
    pdf = renderer("pdf")
    printed = pdf.text(prepared, settings, template)
    return (
        prepared,
        printed,
        pdf.finish(printed, prepared.scenario.id, prepared.created, settings).data,
    )


@pytest.mark.parametrize(("path", "template"), DOCUMENTS, ids=IDS)
def test_the_pdf_prints_every_heading_name_and_item_as_often_as_its_html(path, template):
    """The needles are the Markdown's (as GitHub parses it); each is counted in the PDF
    and in the HTML the PDF is laid out from, so a difference is the layout's alone."""
    prepared, printed, laid_out = _document(path, template)
    page = cmark_gfm(rendered(prepared, load_settings(ROOT), template, "md").data)
    # what print.css hides, and the contents page the PDF test drops
    body = _HIDDEN.sub("", printed)
    lead = _LEAD.search(body)
    caption = _squeezed(_text(lead.group(1))) if lead else ""
    if lead and caption[:40] not in _squeezed(_pdf_text(laid_out)):
        body = _LEAD.sub("", body)  # the brief's chart, left out of a PDF it did not fit
    # a table's head is printed again on each page the table runs onto: not counted
    heads = _squeezed(" ".join(_text(h) for h in _THEAD.findall(body)))
    # (a mark where the head was, so a heading and the first cell do not run together)
    expected = _squeezed(_text(_THEAD.sub(" · table head · ", body), notes=True))
    got = _squeezed(_pdf_text(laid_out))
    names = [m.name for m in prepared.scenario.mechanisms]
    wrong = {
        needle: (expected.count(needle), got.count(needle))
        for needle in sorted(_needles(page, names))
        if needle not in heads and got.count(needle) != expected.count(needle)
    }
    assert not wrong, f"(HTML, PDF) counts differ: {wrong}"


@pytest.mark.parametrize(("path", "template"), DOCUMENTS, ids=IDS)
def test_no_source_is_broken_after_its_first_word(path, template):
    """WeasyPrint, at some widths, broke a line after the first word of a text that a
    span follows (“Open / letter calling for ...” in the FLI brief at 7.5 pt): the
    space before a source's note and a trigger's state is inside their span."""
    _, _, laid_out = _document(path, template)
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=laid_out, capture_output=True, check=True
    ).stdout.decode()
    lonely = [line for line in text.splitlines() if re.fullmatch(r"(\d+\. )?“\S+", line.strip())]
    assert not lonely


def test_the_ghost_copy_fixture_still_has_what_reproduced_the_copy():
    """Three lanes that fill most of the first page, then the mechanism's boxes."""
    prepared = prepare_file(CASES / "ghost-copy.yaml")
    assert len(prepared.scenario.branches) == 3
    assert len(prepared.scenario.mechanisms) == 1
