"""Our outputs as the real clients read them: GitHub's Markdown parser and the W3C HTML checker.

Every example scenario and every test fixture that renders (``tests/cases``,
``tests/hostile``), as a brief and a report, goes to Markdown and to HTML:

- each Markdown document through ``cmark-gfm`` (what GitHub runs): every table
  row stays in its table, and no image or refused link comes out;
- all HTML documents, in one batch, through the Nu HTML checker: zero errors.

The tools are found by ``tests/clients.py``: missing on a developer's machine,
the tests skip and say what to install; under CI they fail.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from clients import cmark_gfm, vnu

import generator
from generator.format.model import Scenario
from generator.pipeline import render_scenario
from generator.rendering.markup import link_allowed
from generator.workspace import load_settings

pytestmark = pytest.mark.slow  # runs the real clients (cmark-gfm, the Nu HTML checker on Java)

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
TEMPLATES = ("brief", "report")
SOURCES = [
    *sorted((ROOT / "scenarios").glob("*.yaml")),
    *sorted((TESTS / "cases").glob("*.yaml")),
    *sorted((TESTS / "hostile").glob("*.yaml")),
]
DELIMITER_ROW = re.compile(r"^\|(?:\s*:?-+:?\s*\|)+\s*$")


@cache
def _valid(path: Path) -> Scenario | None:
    scenario, diagnostics = generator.load(path)
    if scenario is None or any(d.severity == "error" for d in diagnostics):
        return None
    return scenario


RENDERABLE = [p for p in SOURCES if _valid(p) is not None]
CASES = [(p, t) for p in RENDERABLE for t in TEMPLATES]
IDS = [f"{p.parent.name}/{p.stem}-{t}" for p, t in CASES]


def _render(path: Path, template: str, fmt: str) -> bytes:
    scenario = _valid(path)
    assert scenario is not None
    return render_scenario(scenario, path, load_settings(ROOT), template, fmt, "rev test")


def test_every_example_and_most_fixtures_render() -> None:
    # guard against the list above shrinking unnoticed (a fixture going invalid)
    examples = sorted((ROOT / "scenarios").glob("*.yaml"))
    assert set(examples) <= set(RENDERABLE)
    assert len(RENDERABLE) >= 20


def _table_rows(markdown: str) -> int:
    """Table rows in the Markdown source: lines that start with ``|``, delimiters left out."""
    lines = markdown.splitlines()
    return sum(1 for line in lines if line.startswith("|") and not DELIMITER_ROW.match(line))


@pytest.mark.parametrize(("path", "template"), CASES, ids=IDS)
def test_markdown_tables_and_links_as_github_reads_them(path: Path, template: str) -> None:
    markdown = _render(path, template, "md")
    page = cmark_gfm(markdown)
    outside = re.sub(r"<table>.*?</table>", "", page, flags=re.S)
    strays = [line for line in outside.splitlines() if re.match(r"(<p>)?\|", line)]
    assert strays == [], "table rows printed as paragraphs"
    assert page.count("<tr>") == _table_rows(markdown.decode())
    assert re.findall(r"<img\b[^>]*>", page) == []
    hrefs = re.findall(r'<a\b[^>]*\bhref="([^"]*)"', page)
    assert [h for h in hrefs if not h.startswith("#") and not link_allowed(h)] == []


def test_html_is_valid_for_the_w3c_checker(tmp_path: Path) -> None:
    paths = []
    for path, template in CASES:
        target = tmp_path / f"{path.parent.name}-{path.stem}.{template}.html"
        target.write_bytes(_render(path, template, "html"))
        paths.append(target)
    errors = vnu(paths)
    assert errors == [], f"{len(errors)} errors in {len(paths)} files:\n" + "\n".join(errors)


def test_a_missing_client_skips_here_and_fails_under_ci(monkeypatch) -> None:
    from clients import missing

    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"cmark-gfm not available \(not on PATH\)"):
        missing("cmark-gfm", "not on PATH")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set, so this check may not be skipped"):
        missing("cmark-gfm", "not on PATH")
