"""Rendering: the documents state the analysed facts, cite correctly and stay well formed.

Markdown and HTML renders are fast; the two paper-size tests render a PDF
(marked ``slow``, about a second each).
"""

from __future__ import annotations

import html.parser
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, REVISION, ROOT, SCENARIOS, load_valid_scenario, render_file

import generator
from generator.analysis.analyse import analyse
from generator.errors import TemplateError
from generator.pipeline import render, render_scenario
from generator.workspace import load_settings

PAUSE = SCENARIOS / "coordinated-pause.yaml"

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


_load = load_valid_scenario


def _text(path: Path, template: str, fmt: str, settings=None) -> str:
    return render_file(path, template, fmt, settings).decode("utf-8")


@pytest.fixture(scope="module")
def pause_brief_md() -> str:
    return _text(PAUSE, "brief", "md")


def _threshold_rows(markdown: str) -> dict[str, str]:
    """Table rows of the threshold table, keyed by the threshold's name (the first cell
    before the framework's label and any early-warning note, each after a " · ")."""
    section = markdown.split("## Thresholds", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith("| Threshold |"):
            rows[line.split(" | ")[0].removeprefix("| ").split(" · ")[0]] = line
    return rows


# -- analysed facts -----------------------------------------------------------------


def test_brief_states_each_threshold_status_from_the_analysis(pause_brief_md: str) -> None:
    analysis = analyse(_load(PAUSE))
    rows = _threshold_rows(pause_brief_md)
    assert len(rows) == len(analysis.thresholds)
    statuses = set()
    for ts in analysis.thresholds:
        row = rows[ts.threshold.name]
        assert row.rstrip().endswith(f"**{ts.status.upper()}** |"), row
        statuses.add(ts.status)
    # the example exercises the interesting statuses, so the check above means something
    assert {"crossed", "alert", "not assessed"} <= statuses


def test_brief_swe_bench_row_by_hand(pause_brief_md: str) -> None:
    # latest reading 93.9 %, trigger >= 97, alert 90: past the alert, short of the trigger
    (row,) = [r for r in _threshold_rows(pause_brief_md).values() if "SWE-bench" in r]
    assert "93.9 %" in row
    assert "≥ 97 %; alert at 90 %" in row
    assert row.rstrip().endswith("**ALERT** |")
    # 80 % against >= 75: crossed
    (row,) = [r for r in _threshold_rows(pause_brief_md).values() if "80 % (May 2026)" in r]
    assert row.rstrip().endswith("**CROSSED** |")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_likelihood_terms_shown_with_their_ranges(fmt: str) -> None:
    scenario = _load(PAUSE)
    analysis = analyse(scenario)
    text = _text(PAUSE, "brief", fmt)
    terms = [t for j in scenario.judgments if (t := analysis.likelihood(j))]
    assert terms
    for term in terms:
        assert f"{term.term} ({term.range_text})" in text
    assert "likely (55–80 %), 65 %" in text


@pytest.mark.parametrize("template", ["brief", "report"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_judgment_names_whose_it_is_and_the_scale_note_only_with_terms(
    tmp_path: Path, template: str, fmt: str
) -> None:
    text = (ROOT / "tests" / "cases" / "unknown-judgment-by.yaml").read_text(encoding="utf-8")
    path = tmp_path / "attributed.yaml"
    path.write_text(text.replace("google-deepmnd", "google-deepmind"), encoding="utf-8")
    out = _text(path, template, fmt)
    assert "No critical capability level has been reached." in out
    assert "— judgment of Google DeepMind" in out
    assert "Likelihood terms follow" not in out  # no judgment uses a likelihood term


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("template", ["brief", "report"])
def test_markdown_footnotes_numbered_in_order_of_first_use(path: Path, template: str) -> None:
    markdown = _text(path, template, "md")
    definitions = re.findall(r"^\[\^(\d+)\]:", markdown, flags=re.M)
    body = re.sub(r"^\[\^\d+\]:.*$", "", markdown, flags=re.M)
    used = [int(n) for n in re.findall(r"\[\^(\d+)\]", body)]
    assert used, "the example cites sources, so the document should have notes"
    first_use = list(dict.fromkeys(used))
    assert first_use == list(range(1, len(first_use) + 1))
    assert [int(n) for n in definitions] == first_use  # defined once each, in order
    # the definitions come last
    last_use = max(body.rfind(f"[^{n}]") for n in first_use)
    assert last_use < markdown.index(f"[^{definitions[0]}]:")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("template", ["brief", "report"])
def test_markdown_has_no_template_syntax_or_raw_html(path: Path, template: str) -> None:
    markdown = _text(path, template, "md")
    for token in ("{{", "{%", "{#"):
        assert token not in markdown
    without_autolinks = re.sub(r"<https?://[^>\s]+>", "", markdown)
    assert not re.findall(r"<[a-zA-Z/][^>]{0,40}", without_autolinks)


class _Balance(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]} at {self.getpos()}")
            if tag in self.stack:
                del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag) :]
        else:
            self.stack.pop()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("template", ["brief", "report"])
def test_html_is_one_self_contained_html5_file(path: Path, template: str) -> None:
    page = _text(path, template, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in page
    parser = _Balance()
    parser.feed(page)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    names = [tag for tag, _ in parser.tags]
    assert "link" not in names and "script" not in names and "iframe" not in names
    for tag, attrs in parser.tags:
        assert "src" not in attrs, (tag, attrs)
    assert not re.search(r"url\(\s*['\"]?(https?:|file:|//)", page)
    assert "@import" not in page


class _NestedParagraphs(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open_p = 0
        self.nested = 0

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.nested += self.open_p > 0
            self.open_p += 1

    def handle_endtag(self, tag):
        if tag == "p":
            self.open_p -= 1


@pytest.mark.parametrize("template", ["brief", "report"])
def test_multi_paragraph_summary_gives_valid_html(tmp_path: Path, template: str) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        "format: 1\nid: two\ntitle: Two paragraphs\ndate: 2026-11-21\n"
        "summary: |-\n  First paragraph.\n\n  Second paragraph.\n",
        encoding="utf-8",
    )
    parser = _NestedParagraphs()
    parser.feed(_text(path, template, "html"))
    assert parser.nested == 0


# -- workspace templates ---------------------------------------------------------------


def _workspace(tmp_path: Path, templates: dict[str, str]) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    for name, text in templates.items():
        (folder / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_workspace_template_replaces_only_one_block(tmp_path: Path) -> None:
    root = _workspace(
        tmp_path,
        {
            "brief.html.j2": '{% extends "builtin/brief.html.j2" %}'
            "{% block recommendations %}<p>OVERRIDDEN</p>{% endblock %}"
        },
    )
    settings = load_settings(root)
    assert settings.config_file is None
    page = render(PAUSE, template="brief", fmt="html", settings=settings).decode()
    builtin = render(PAUSE, template="brief", fmt="html", settings=load_settings(ROOT)).decode()
    assert "<p>OVERRIDDEN</p>" in page
    assert 'id="recommendations"' not in page and 'id="recommendations"' in builtin
    # the other blocks are still the built-in ones
    for ident in ('id="judgments"', 'id="thresholds"', 'id="instruments"', 'id="sources"'):
        assert ident in page
    assert "Bottom line." in page


def test_workspace_template_overrides_a_whole_file(tmp_path: Path) -> None:
    root = _workspace(tmp_path, {"brief.md.j2": "# {{ s.title }}\n\nCustom brief.\n"})
    text = render(PAUSE, template="brief", fmt="md", settings=load_settings(root)).decode()
    assert text == "# Coordinated, verifiable pause on frontier AI development\n\nCustom brief.\n"


def test_undefined_variable_in_template_is_a_template_error(tmp_path: Path) -> None:
    root = _workspace(tmp_path, {"brief.md.j2": "{{ s.title }} {{ no_such_variable }}\n"})
    with pytest.raises(TemplateError) as info:
        render(PAUSE, template="brief", fmt="md", settings=load_settings(root))
    assert "no_such_variable" in str(info.value)


def test_undefined_attribute_in_template_is_a_template_error(tmp_path: Path) -> None:
    root = _workspace(tmp_path, {"brief.md.j2": "{{ s.no_such_field }}\n"})
    with pytest.raises(TemplateError):
        render(PAUSE, template="brief", fmt="md", settings=load_settings(root))


def test_template_syntax_error_is_located(tmp_path: Path) -> None:
    root = _workspace(tmp_path, {"brief.md.j2": "line one\nline two\n{% if s.title %}\nunclosed\n"})
    with pytest.raises(TemplateError) as info:
        render(PAUSE, template="brief", fmt="md", settings=load_settings(root))
    message = str(info.value)
    assert re.search(r"brief\.md\.j2:\d+:", message), message
    assert "Traceback" not in message


def test_template_cannot_escape_the_sandbox(tmp_path: Path) -> None:
    root = _workspace(tmp_path, {"brief.md.j2": "{{ ''.__class__.__mro__[1].__subclasses__() }}\n"})
    with pytest.raises(TemplateError):
        render(PAUSE, template="brief", fmt="md", settings=load_settings(root))


# -- command line -----------------------------------------------------------------------


def _cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    code = "import sys; from generator.cli import main; sys.exit(main())"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_cli_render_invalid_scenario_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: 1\nid: Not A Slug\ntitle: Bad\nsummary: x\ndate: 2026-13-45\n", encoding="utf-8"
    )
    out = tmp_path / "out" / "bad.md"
    result = _cli(["render", str(bad), "-f", "md", "-o", str(out)], tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) >= 2, result.stderr  # every problem, not just the first
    assert all(re.match(r".*bad\.yaml:\d+:\d+: error: ", line) for line in errors)
    assert not out.exists() and not out.parent.exists()
    assert not (tmp_path / "output").exists()


def test_cli_render_default_output_path(tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    target = tmp_path / "scenarios" / PAUSE.name
    target.write_bytes(PAUSE.read_bytes())
    result = _cli(
        ["render", "scenarios/coordinated-pause.yaml", "-t", "report", "-f", "md"], tmp_path
    )
    assert result.returncode == 0, result.stderr
    written = tmp_path / "output" / "coordinated-pause" / "report.md"
    assert written.is_file()
    text = written.read_text(encoding="utf-8")
    assert "\n# Coordinated, verifiable pause on frontier AI development\n" in text
    assert "report.md" in result.stdout


# -- paper size (renders PDFs) -------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("paper", "size"), [("A4", (595.3, 841.9)), ("Letter", (612, 792))])
def test_paper_size(paper: str, size: tuple[float, float]) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    scenario = _load(SCENARIOS / "fli-pause-letter-2023.yaml")
    settings = load_settings(ROOT).override(paper=paper)
    data = render_scenario(scenario, PAUSE, settings, "brief", "pdf", revision=REVISION)
    reader = PdfReader(BytesIO(data))
    for page in reader.pages:
        box = page.mediabox
        assert float(box.width) == pytest.approx(size[0], abs=1.5)
        assert float(box.height) == pytest.approx(size[1], abs=1.5)


# -- PDF variants (render PDFs) ------------------------------------------------------------


def _catalog(data: bytes) -> tuple[set[str], bytes]:
    """The PDF catalog's keys and its XMP metadata (decompressed)."""
    from io import BytesIO

    from pypdf import PdfReader

    root = PdfReader(BytesIO(data)).trailer["/Root"].get_object()
    xmp = root["/Metadata"].get_object().get_data() if "/Metadata" in root else b""
    return set(root.keys()), xmp


@pytest.mark.slow
@pytest.mark.parametrize(
    ("variant", "key", "xmp_mark"),
    [
        ("pdf/ua-1", "/StructTreeRoot", b"pdfuaid:part"),
        ("pdf/a-3b", "/OutputIntents", b"pdfaid:part"),
    ],
)
def test_pdf_variants_by_configuration(variant: str, key: str, xmp_mark: bytes) -> None:
    scenario = _load(SCENARIOS / "fli-pause-letter-2023.yaml")
    settings = load_settings(ROOT).override(pdf_variant=variant)
    data = render_scenario(scenario, PAUSE, settings, "brief", "pdf", revision=REVISION)
    keys, xmp = _catalog(data)
    assert key in keys
    assert xmp_mark in xmp
    plain_keys, plain_xmp = _catalog(
        render_scenario(scenario, PAUSE, load_settings(ROOT), "brief", "pdf", REVISION)
    )
    assert key not in plain_keys and xmp_mark not in plain_xmp
    # still reproducible: these variants add no random document ids
    again = render_scenario(scenario, PAUSE, settings, "brief", "pdf", revision=REVISION)
    assert again == data


@pytest.mark.slow
def test_a_warm_process_renders_the_same_bytes_as_a_fresh_one() -> None:
    # Workers reuse one font configuration across documents; that must not change a byte.
    first = render_scenario(_load(PAUSE), PAUSE, load_settings(ROOT), "brief", "pdf", REVISION)
    other = SCENARIOS / "fli-pause-letter-2023.yaml"
    render_scenario(_load(other), other, load_settings(ROOT), "brief", "pdf", REVISION)
    again = render_scenario(_load(PAUSE), PAUSE, load_settings(ROOT), "brief", "pdf", REVISION)
    assert again == first


def test_long_runs_in_text_get_break_opportunities_outside_tags() -> None:
    from generator.rendering.markup import Citations, to_html

    url = "https://example.org/" + "a" * 45
    out = str(to_html(f"see <{url}> and {'b' * 41} and {'c' * 40}", Citations(), inline=True))
    assert f'href="{url}"' in out  # never inside a tag
    assert f">https://example.org/<wbr>{'a' * 20}<wbr>{'a' * 20}<wbr>aaaaa</a>" in out
    assert f"{'b' * 20}<wbr>{'b' * 20}<wbr>b" in out
    assert "c" * 40 in out  # 40 characters and fewer are left alone


def test_stamp_outside_git_shows_version_and_date_only(tmp_path: Path) -> None:
    import shutil

    from generator.pipeline import render_scenario
    from generator.versions import git
    from generator.workspace import load_settings

    outside = tmp_path / "x.yaml"  # tmp_path is not inside a git repository
    shutil.copy(Path(__file__).parent / "cases" / "minimal.yaml", outside)
    assert git.revision(outside) == ""
    assert git.revisions([outside]) == {outside: ""}
    scenario, _ = generator.load(outside)
    settings = load_settings(tmp_path)
    brief = render_scenario(scenario, outside, settings, "brief", "md").decode()
    assert "Scenario minimal · as of 21 November 2026 · **" in brief
    report = render_scenario(scenario, outside, settings, "report", "html").decode()
    assert '<p class="stamp">Scenario minimal · as of 21 November 2026</p>' in report


def test_stamp_inside_git_says_uncommitted_changes(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from generator.versions import git

    def run(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    run("init", "-q")
    path = tmp_path / "x.yaml"
    shutil.copy(Path(__file__).parent / "cases" / "minimal.yaml", path)
    assert git.revision(path) == "uncommitted changes"  # not committed yet
    assert git.revisions([path]) == {path: "uncommitted changes"}
    run("add", "x.yaml")
    run("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x")
    rev = subprocess.run(
        ["git", "log", "-1", "--format=%h"], cwd=tmp_path, capture_output=True, text=True
    ).stdout.strip()
    assert git.revision(path) == f"rev {rev}"
    path.write_text(path.read_text() + "# changed\n")
    assert git.revision(path) == f"rev {rev}, uncommitted changes"
    assert git.revisions([path]) == {path: f"rev {rev}, uncommitted changes"}
