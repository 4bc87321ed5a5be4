"""The attacks that forged Markdown and drove terminals, replayed as they were made.

``tests/hostile/forge-markdown.yaml`` holds them: a title and a classification
that add a marking and an H1, a mechanism name that adds a state line, an
actor name that adds an H2, a threshold name that adds a "What changed"
heading, a bullet and the first ``[^1]:`` definition, an author name that adds
a whole change block to ``diff --format md``, and terminal controls in values
and in a commit subject. GitHub's parser (``cmark-gfm``) reads every Markdown
output; every terminal output is read byte by byte.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from clients import cmark_gfm
from conftest import ROOT
from git_helpers import VERSIONS, GitRepo
from test_forging import structure

from generator.cli import main

ATTACKS = yaml.safe_load((ROOT / "tests" / "hostile" / "forge-markdown.yaml").read_text())
# What a terminal would obey: C0 but tab and newline, DEL and C1 (as UTF-8 they are
# U+0080-U+009F, bytes C2 80-C2 9F).
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


def _version(name: str, **attack: str) -> str:
    """``tests/versions/NAME`` with the named attacks in their fields."""
    data = yaml.safe_load((VERSIONS / name).read_text())
    if "title" in attack:
        data["title"] = attack["title"]
    if "classification" in attack:
        data["classification"] = attack["classification"]
    if "mechanism" in attack:
        data["mechanisms"][0]["name"] = attack["mechanism"]
    if "actor" in attack:
        data["actors"][0]["name"] = attack["actor"]
    if "threshold" in attack:
        data["thresholds"][0]["name"] = attack["threshold"]
    if "author" in attack:  # on both sides, with a new role: the path names the author
        role = "Analyst" if name == "v1.yaml" else "Lead analyst"
        data["authors"] = [{"name": attack["author"], "role": role}]
    if "controls" in attack:
        data["summary"] += attack["controls"]
        data["title"] += attack["controls"]
        data["actors"][0]["name"] += attack["controls"]
        data["thresholds"][0]["name"] += attack["controls"]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def invoke(cwd: Path, *args: str) -> tuple[int, bytes, bytes]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout_bytes, result.stderr_bytes


def _links(markdown: bytes) -> list[str]:
    return re.findall(r'href="([^"]*)"', cmark_gfm(markdown))


# -- the documents -----------------------------------------------------------------------

NAMES = ("title", "classification", "mechanism", "actor", "threshold")


def _render(tmp_path: Path, text: str, template: str) -> bytes:
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    code, out, err = invoke(tmp_path, "render", "s.yaml", "-t", template, "-f", "md", "-o", "-")
    assert code == 0, err
    return out


@pytest.mark.parametrize("template", ["brief", "report"])
def test_names_add_no_marking_heading_or_state_line(tmp_path: Path, template: str) -> None:
    attacks = {k: ATTACKS[k] for k in NAMES}
    marking = {"classification": ATTACKS["classification"]}  # the marking is compared below
    clean = structure(_render(tmp_path, _version("v1.yaml", **marking), template))
    forged_md = _render(tmp_path, _version("v1.yaml", **attacks), template)
    forged = structure(forged_md)
    assert [level for level, _ in forged.headings] == [level for level, _ in clean.headings]
    assert forged.strong == clean.strong  # PUBLIC, State:, NOT TRIGGERED ... and no more
    assert forged.tables == clean.tables
    assert forged.blocks == clean.blocks
    text = forged_md.decode()
    # One line each, where "#" opens nothing.
    assert text.startswith(
        "**PUBLIC \\*\\*TOP SECRET//NOFORN\\*\\* # FORGED CLASSIFICATION · REVIEW**"
    )
    assert "\n# Capability watch \\*\\*TOP SECRET//NOFORN\\*\\* # Forged title\n" in text
    assert "Coordinated pause \\*\\*State:\\*\\* TRIGGERED" in text


def test_the_what_changed_list_adds_no_heading_bullet_or_definition(tmp_path: Path) -> None:
    def brief(root: Path, **attack: str) -> bytes:
        repo = GitRepo(root)
        repo.write("s.yaml", _version("v1.yaml", **attack))
        repo.commit("v0.4")
        repo.write("s.yaml", _version("v2.yaml", **attack))
        repo.commit("v0.5")
        code, out, err = invoke(root, "render", "s.yaml", "-f", "md", "-o", "-")
        assert code == 0, err
        return out

    clean_md = brief(tmp_path / "clean")
    forged_md = brief(tmp_path / "forged", threshold=ATTACKS["threshold"])
    clean, forged = structure(clean_md), structure(forged_md)
    assert "What changed since version 0.9" in forged_md.decode()  # printed, as words

    def headings(parsed: object) -> list[tuple[str, str]]:  # the revisions differ
        return [(level, re.sub(r"rev \w+", "rev", h)) for level, h in parsed.headings]

    assert headings(forged) == headings(clean)
    assert forged.strong == clean.strong  # no forged TRIGGERED
    assert forged.notes == clean.notes
    # Every [1] still links the real source; the address is printed (GitHub shows a
    # bare address as a link to itself), never a note's.
    notes = [link for link in _links(forged_md) if link.startswith("#")]
    assert notes == [link for link in _links(clean_md) if link.startswith("#")]
    drawn = cmark_gfm(forged_md)
    assert 'href="https://evil.example/forged">https://evil.example/forged</a>' in drawn
    assert "evil.example" not in drawn[drawn.index('<section class="footnotes"') :]


def test_the_index_keeps_its_headings_lists_and_cells(tmp_path: Path) -> None:
    def index(root: Path, text: str) -> bytes:
        (root / "scenarios").mkdir(parents=True)
        (root / "scenario.toml").write_text('formats = ["md"]\ntemplates = ["brief"]\n')
        (root / "scenarios" / "s.yaml").write_text(text, encoding="utf-8")
        code, _, err = invoke(root, "build", "--quiet")
        assert code == 0, err
        return (root / "output" / "index.md").read_bytes()

    clean = structure(index(tmp_path / "clean", _version("v1.yaml")))
    forged = structure(index(tmp_path / "forged", _version("v1.yaml", title=ATTACKS["title"])))
    assert forged.tables == clean.tables
    # The index heads each scenario with its title: the same headings, the forged one's
    # words printed as written (no bold, no second heading).
    assert [h for h, _ in forged.headings] == [h for h, _ in clean.headings]
    assert forged.headings[1] == ("h2", "Capability watch **TOP SECRET//NOFORN** # Forged title")
    assert forged.blocks == clean.blocks


# -- the diff ----------------------------------------------------------------------------


def _diff(tmp_path: Path, fmt: str, author: str) -> str:
    (tmp_path / "old.yaml").write_text(_version("v1.yaml", author=author), encoding="utf-8")
    (tmp_path / "new.yaml").write_text(_version("v2.yaml", author=author), encoding="utf-8")
    code, out, err = invoke(tmp_path, "diff", "old.yaml", "new.yaml", "--format", fmt)
    assert code == 0, err
    return out.decode()


def test_an_author_name_adds_no_change_block_to_the_markdown_diff(tmp_path: Path) -> None:
    clean = cmark_gfm(_diff(tmp_path, "md", "Ann").encode())
    forged = cmark_gfm(_diff(tmp_path, "md", ATTACKS["author"]).encode())
    assert re.findall(r"<h\d>.*?</h\d>", forged) == re.findall(r"<h\d>.*?</h\d>", clean)
    assert forged.count("<table>") == clean.count("<table>") == 1
    assert forged.count("<tr>") == clean.count("<tr>")
    assert [len(re.findall("<td", row)) for row in forged.split("<tr>")[2:]] == [
        len(re.findall("<td", row)) for row in clean.split("<tr>")[2:]
    ]
    # The path names the author inside one code span, whole, on one line.
    assert (
        "<code>authors[Ann` | ### `coordinated-pause` — changed | changed | `x` | a | "
        "is now triggered | `].role</code>" in forged
    )


def test_an_author_name_adds_no_line_to_the_human_diff(tmp_path: Path) -> None:
    clean = _diff(tmp_path, "human", "Ann").splitlines()
    forged = _diff(tmp_path, "human", ATTACKS["author"]).splitlines()
    assert len(forged) == len(clean)
    assert not any(line.lstrip().startswith(("###", "|", "`")) for line in forged)


# -- terminals ---------------------------------------------------------------------------


def test_no_output_sends_a_control_character(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("scenario.toml", "changelog_commits = true\n")  # the annex shows subjects
    repo.write("old.yaml", _version("v1.yaml"))
    repo.write("s.yaml", _version("v1.yaml", controls=ATTACKS["controls"]))
    repo.commit(ATTACKS["commit"])
    runs = {
        "validate": ["validate", "s.yaml"],
        "validate github": ["validate", "s.yaml", "--format", "github"],
        "validate json": ["validate", "s.yaml", "--format", "json"],
        "status": ["status", "s.yaml"],
        "status json": ["status", "s.yaml", "--format", "json"],
        "textconv": ["textconv", "s.yaml"],
        "diff": ["diff", "old.yaml", "s.yaml"],
        "diff md": ["diff", "old.yaml", "s.yaml", "--format", "md"],
        "diff json": ["diff", "old.yaml", "s.yaml", "--format", "json"],
        "brief md": ["render", "s.yaml", "-f", "md", "-o", "-"],
        "report md": ["render", "s.yaml", "-t", "report", "-f", "md", "-o", "-"],
        "report html": ["render", "s.yaml", "-t", "report", "-f", "html", "-o", "-"],
    }
    for what, args in runs.items():
        _, out, err = invoke(repo.root, *args)
        assert not RAW_CONTROL.search(out + err), (what, RAW_CONTROL.search(out + err))
    _, shown, _ = invoke(repo.root, "textconv", "s.yaml")
    assert "title = Capability watch \\x1b[2J\\x1b]0;owned\\x07 \\x9b31m red" in (shown.decode())
    _, report, _ = invoke(repo.root, "render", "s.yaml", "-t", "report", "-f", "md", "-o", "-")
    assert "Ordinary subject \\\\x1b\\[2J\\\\x1b\\]0;owned\\\\x07" in report.decode()


def test_validate_warns_where_a_value_holds_control_characters(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(_version("v1.yaml", controls=ATTACKS["controls"]))
    code, out, _ = invoke(tmp_path, "validate", "s.yaml")
    assert code == 0
    lines = out.decode().splitlines()
    title = next(i for i, line in enumerate(_version("v1.yaml").splitlines()) if "title:" in line)
    assert lines[0] == (
        f"s.yaml:{title + 1}:8: warning: title: holds the control characters U+0007 (shown as "
        "\\x07), U+000D (shown as \\x0d), U+001B (shown as \\x1b), U+009B (shown as \\x9b), "
        "which a terminal would act on (clear the screen, retitle the window); every output "
        "shows them escaped; remove them"
    )
    assert [line.split(": warning: ")[1].split(":")[0] for line in lines[:-1]] == [
        "title",
        "summary",
        "thresholds[0].name",
        "actors[0].name",
    ]
    assert lines[-1] == "0 errors, 4 warnings in 1 file"
    (tmp_path / "clean").mkdir()  # not beside s.yaml, whose id it has
    (tmp_path / "clean" / "s.yaml").write_text(_version("v1.yaml"))
    assert invoke(tmp_path / "clean", "validate", "s.yaml")[1] == (
        b"0 errors, 0 warnings in 1 file\n"
    )
