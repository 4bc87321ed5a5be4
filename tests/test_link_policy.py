"""The link policy, the same in every output: http, https and mailto links only, no images.

Scenario text with ``javascript:``, ``file:``, ``data:`` and relative links,
remote and local images, reference definitions and raw HTML anchors
(``tests/hostile/links.yaml``) must keep its words and lose every such link in
the Markdown and the HTML alike. The Markdown is read the way GitHub reads it
(cmark-gfm), so what is checked is what a reader's viewer would make of it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from clients import cmark_gfm

import generator
from generator.pipeline import render_scenario
from generator.rendering.markup import Citations, refuse_links, to_html, to_markdown
from generator.workspace import load_settings

ROOT = Path(__file__).resolve().parents[1]
LINKS = Path(__file__).resolve().parent / "hostile" / "links.yaml"
REFUSED = (
    "summary-script",
    "summary-file",
    "summary-data",
    "summary-relative",
    "summary-tracker",
    "summary-local",
    "summary-ref",
    "summary-spaced",
    "summary-encoded",
    "summary-raw",
    "judgment-image",
    "judgment-data",
    "rec-script",
    "rec-image",
)
KEPT = {"summary-web": "https://example.org/ok", "summary-mail": "mailto:desk@example.org"}


def _render(template: str, fmt: str) -> str:
    scenario, diagnostics = generator.load(LINKS)
    assert scenario is not None, [str(d) for d in diagnostics]
    return render_scenario(scenario, LINKS, load_settings(ROOT), template, fmt, "rev test").decode()


def _links_and_images(page: str) -> tuple[list[tuple[str, str]], list[str]]:
    """``([(href, text)], [img tags])`` of an HTML page; links inside the page left out."""
    links = re.findall(r'<a\b[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', page, flags=re.S)
    links = [(href, text) for href, text in links if not href.startswith("#")]
    return links, re.findall(r"<img\b[^>]*>", page)


def _check(page: str) -> None:
    links, images = _links_and_images(page)
    assert images == []
    assert sorted(links) == sorted((href, text) for text, href in KEPT.items())
    for word in REFUSED:
        assert word in page, word  # the words stay, as plain text


@pytest.mark.parametrize("template", ["brief", "report"])
def test_markdown_output_keeps_only_web_and_mail_links_as_github_reads_it(template) -> None:
    markdown = _render(template, "md")
    # --unsafe: the check sees every link our output makes, not what GitHub would drop
    page = cmark_gfm(markdown.encode())
    links, images = _links_and_images(page)
    assert images == []
    kept = [(href, text) for href, text in links if not href.startswith("https://tracker.")]
    assert sorted(kept) == sorted((href, text) for text, href in KEPT.items())
    # the tracker's address may be printed (and autolinked) as text, never fetched
    assert all(text == href for href, text in links if href.startswith("https://tracker."))
    for word in REFUSED:
        assert word in page, word


@pytest.mark.parametrize("template", ["brief", "report"])
def test_html_output_keeps_only_web_and_mail_links(template) -> None:
    page = _render(template, "html")
    _check(page)
    assert "<a rel=" not in page  # a refused link leaves no anchor without an address
    # an image is replaced by its description
    assert "and tracker summary-tracker and local summary-local and" in page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[x](javascript:alert(1))", "[x]\\(javascript:alert(1))"),
        ("[x](JavaScript:alert(1))", "[x]\\(JavaScript:alert(1))"),
        ("[x](file:///etc/passwd)", "[x]\\(file:///etc/passwd)"),
        ("[x](data:text/html,hi)", "[x]\\(data:text/html,hi)"),
        ("[x](notes.md)", "[x]\\(notes.md)"),
        ("[x](  javascript:y)", "[x]\\(  javascript:y)"),
        ("[x](\njavascript:y)", "[x]\\(\njavascript:y)"),
        ("![t](https://tracker.example/t.png)", "!\\[t](https://tracker.example/t.png)"),
        ("![t](local.png)", "!\\[t]\\(local.png)"),
        ("[r][d]\n\n[d]: javascript:x", "[r][d]\n\n[d]\\: javascript:x"),
        ("[d]:\n  https://example.org", "[d]:\n  https://example.org"),
        ("[x](https://example.org) [m](mailto:a@example.org)", None),
        ("[x](HTTP://EXAMPLE.ORG)", None),
        ("[^1]: a footnote, not a link", None),
        ("plain [brackets] and (parentheses)", None),
    ],
)
def test_refuse_links(text: str, expected: str | None) -> None:
    assert refuse_links(text) == (text if expected is None else expected)
    assert refuse_links(refuse_links(text)) == refuse_links(text)  # idempotent


def test_markdown_field_refuses_links_after_citations_become_notes() -> None:
    citations = Citations()
    assert to_markdown("[@src](javascript:x)", citations) == "[^1]\\(javascript:x)"


def test_html_image_becomes_its_description_and_keeps_the_text_after_it() -> None:
    html = to_html("a ![chart](https://tracker.example/c.png) b", Citations())
    assert html == "<p>a chart b</p>"


def test_inline_html_is_phrasing_content_whatever_the_blocks() -> None:
    text = "one\n\ntwo\n\n- three\n- four\n\n<div>five</div>"
    html = to_html(text, Citations(), inline=True)
    assert html == "one<br><br>two<br>three<br>four<br><br>five"
    assert to_html("\n\n- one\n\n\n\n---\n\n", Citations(), inline=True) == "one"
