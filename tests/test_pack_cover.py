"""The index as a weekly pack's cover: the pack's date and how many scenarios changed, and
per scenario its thresholds, the instruments that apply or are triggered, and what changed
since its baseline in one line (a threshold's move first) — from the same computed facts as
the documents, in Markdown and HTML, and kept across a build that renders nothing."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from clients import cmark_gfm
from git_helpers import GitRepo

from generator.cli import main

TOML = 'formats = ["md"]\ntemplates = ["brief"]\n'


def _build(repo: GitRepo, *args: str) -> dict:
    from click.testing import CliRunner

    old = Path.cwd()
    os.chdir(repo.root)
    try:
        result = CliRunner().invoke(main, ["build", "--format", "json", *args])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _pack(tmp_path: Path) -> GitRepo:
    """Two scenarios: one whose threshold moved since v0.4, one with a single version."""
    repo = GitRepo(tmp_path / "r")
    repo.write("scenario.toml", TOML)
    repo.write("scenarios/s.yaml", "v1.yaml")
    still = (repo.root / "scenarios/s.yaml").read_text().replace("id: ", "id: still-", 1)
    repo.write("scenarios/still.yaml", still)
    repo.commit("v0.4")
    repo.write("scenarios/s.yaml", "v2.yaml")
    repo.commit("v0.5")
    return repo


def _entry(index: str, title_start: str) -> str:
    return next(e for e in index.split("\n## ")[1:] if e.startswith(title_start))


def test_the_index_is_the_cover_of_the_pack(tmp_path: Path) -> None:
    repo = _pack(tmp_path)
    _build(repo)
    index = (repo.root / "output" / "index.md").read_text()
    head = index.split("\n## ", 1)[0]
    assert head.endswith(
        "**As of 1 April 2026** · 2 scenarios · 1 changed since their baselines"
        " · 1 without a baseline\n"
    )
    ids = re.findall(r"^`([a-z0-9-]+)` ·", index, re.M)
    assert len(ids) == 2 and ids[0].startswith("still-") is False
    moved = index.split("\n## ")[1]
    assert "- **What changed** since version 0.4 (rev " in moved
    assert (
        ": Threshold 'Coding benchmark saturated': alert → crossed, caused by the observation "
        "of 2026-03 (97.5 %) (and 6 more in the report)" in moved
    )
    assert "- **Instruments:** Triggered: Coordinated pause." in moved
    still = index.split("\n## ")[2]
    assert "- **What changed:** no baseline to compare with" in still  # one version only
    # GitHub draws it as a list per scenario, its heading and links intact.
    html = cmark_gfm(index.encode())
    assert html.count("<h2>") == 2 and html.count("<li><strong>What changed") == 2
    page = (repo.root / "output" / "index.html").read_text()
    assert "1 changed since their baselines" in page
    assert "Since version 0.4 (rev " in page and "alert → crossed" in page


def test_the_cover_keeps_its_lines_when_nothing_is_rendered(tmp_path: Path) -> None:
    repo = _pack(tmp_path)
    _build(repo)
    out = repo.root / "output"
    first = (out / "index.md").read_bytes()
    assert len(_build(repo)["skipped"]) == 2  # nothing rendered, nothing parsed
    assert (out / "index.md").read_bytes() == first
    # A manifest that does not know what changed (an earlier build's): worked out again
    # from git, though every document is up to date.
    manifest = json.loads((out / "manifest.json").read_text())
    for entry in manifest["scenarios"].values():
        if entry["git"]:
            entry["git"]["news"] = None
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert len(_build(repo)["skipped"]) == 2
    assert (out / "index.md").read_bytes() == first


def test_an_observation_moves_the_cover_line(tmp_path: Path) -> None:
    repo = _pack(tmp_path)
    path = repo.root / "scenarios/s.yaml"
    path.write_text(path.read_text().replace("value: 97.5", "value: 95"))
    _build(repo)
    moved = (repo.root / "output" / "index.md").read_text().split("\n## ")[1]
    assert "Threshold 'Coding benchmark saturated': alert → crossed" not in moved
    assert "1 changed since their baselines" in (repo.root / "output" / "index.md").read_text()


@pytest.mark.slow
def test_the_html_cover_is_valid_for_the_w3c_checker(tmp_path: Path) -> None:
    from clients import vnu

    repo = _pack(tmp_path)
    _build(repo)
    assert vnu([repo.root / "output" / "index.html"]) == []
