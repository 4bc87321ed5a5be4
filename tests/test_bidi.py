"""Bidirectional controls: a located warning, and no field can reorder what follows it.

``tests/hostile/bidi.yaml`` puts right-to-left overrides, embeddings and
isolates (some unmatched, one inside a link address) in a title, the summary,
an author, an actor and a recommendation. ``validate`` warns once per field;
every output closes what a field leaves open, so the text printed after the
field keeps its order ("Ada RTL\\u202egnp.exe · Audience" must not become
"Ada RTLecneiduA · exe.png").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from clients import pdftotext

import generator
from generator.pipeline import render_scenario
from generator.rendering.markup import Citations, contain_bidi, to_html
from generator.workspace import load_settings

TESTS = Path(__file__).resolve().parent
BIDI = TESTS / "hostile" / "bidi.yaml"
RLO, LRO, RLE, PDF, RLI, PDI = "\u202e", "\u202d", "\u202b", "\u202c", "\u2067", "\u2069"
WHY = "which can make the text display in another order than it is written"


def test_validate_warns_once_per_field_with_its_location() -> None:
    _, diagnostics = generator.load(BIDI, display="bidi.yaml")
    assert [str(d) for d in diagnostics] == [
        f"bidi.yaml:5:8: warning: title: holds the bidirectional control character "
        f"U+202E RIGHT-TO-LEFT OVERRIDE, {WHY}; remove it",
        f"bidi.yaml:6:10: warning: summary: holds the bidirectional control character "
        f"U+202E RIGHT-TO-LEFT OVERRIDE, {WHY}; remove it",
        f"bidi.yaml:10:11: warning: authors[0].name: holds the bidirectional control character "
        f"U+202E RIGHT-TO-LEFT OVERRIDE, {WHY}; remove it",
        f"bidi.yaml:14:11: warning: actors[0].name: holds the bidirectional control characters "
        f"U+202D LEFT-TO-RIGHT OVERRIDE, U+2067 RIGHT-TO-LEFT ISOLATE, U+2069 POP DIRECTIONAL "
        f"ISOLATE, {WHY}; remove them",
        f"bidi.yaml:17:11: warning: recommendations[0].text: holds the bidirectional control "
        f"characters U+202B RIGHT-TO-LEFT EMBEDDING, U+202C POP DIRECTIONAL FORMATTING, "
        f"U+202E RIGHT-TO-LEFT OVERRIDE, U+2069 POP DIRECTIONAL ISOLATE, {WHY}; remove them",
    ]


@pytest.mark.parametrize(
    ("text", "contained"),
    [
        ("plain text", "plain text"),
        (f"RTL{RLO}gnp.exe", f"RTL{RLO}gnp.exe{PDF}"),
        (f"a{RLO}b{PDF}c", f"a{RLO}b{PDF}c"),  # already closed: unchanged
        (f"a{PDF}{PDI}b", "ab"),  # closers that close nothing go
        (f"a{PDI}{RLO}b", f"a{RLO}b{PDF}"),  # a stray isolate end cannot end ours early
        (f"{RLI}a{RLO}b{PDI}c", f"{RLI}a{RLO}b{PDI}c"),  # the isolate's end closes both
        (f"{RLI}a{PDF}b", f"{RLI}ab{PDI}"),  # an embedding end cannot leave an isolate
        (f"{RLE}{LRO}{RLI}x", f"{RLE}{LRO}{RLI}x{PDI}{PDF}{PDF}"),  # innermost first
    ],
)
def test_contain_bidi(text: str, contained: str) -> None:
    assert contain_bidi(text) == contained
    assert contain_bidi(contained) == contained


def test_markdown_field_drops_controls_from_addresses_and_closes_its_own() -> None:
    html = to_html(f"{RLO}[x](https://example.org/{PDF}) y", Citations())
    assert (
        html == f'<p>{RLO}<a href="https://example.org/" rel="noopener noreferrer">x</a> y</p>{PDF}'
    )


def _render(template: str, fmt: str) -> bytes:
    scenario, _ = generator.load(BIDI)
    assert scenario is not None
    settings = load_settings(TESTS.parent)
    return render_scenario(scenario, BIDI, settings, template, fmt, "rev test")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_field_is_closed_where_it_ends(fmt: str) -> None:
    text = _render("brief", fmt).decode()
    assert f"Ada RTL{RLO}gnp.exe{PDF} · Audience: legislators" in text


@pytest.mark.slow
def test_pdf_text_after_a_field_stays_in_order() -> None:
    text = pdftotext(_render("brief", "pdf"))
    assert "Ada RTLexe.png · Audience: legislators" in text  # the field alone is reversed
    assert "ecneiduA" not in text
