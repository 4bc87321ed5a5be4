"""The documents' "what changed since the last briefing" section, from real git history."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from git_helpers import VERSIONS, GitRepo

from generator.cli import main
from generator.prepared import prepare_file


def render(repo: GitRepo, *args: str) -> str:
    old = Path.cwd()
    os.chdir(repo.root)
    try:
        result = CliRunner().invoke(main, ["render", "s.yaml", "-f", "md", "-o", "out.md", *args])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return (repo.root / "out.md").read_text()


def test_brief_lists_the_highlights_since_the_last_version(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("s.yaml", "v1.yaml")
    repo.commit("v0.4")
    first = repo.git("rev-parse", "HEAD")
    assert render(repo).count("What changed") == 0  # no earlier version: no section
    repo.write("s.yaml", "v2.yaml")
    repo.commit("v0.5")
    text = render(repo)
    section = text[text.index("## What changed") :].split("\n\n")[:2]
    assert section == [
        f"## What changed since version 0.4 (rev {first[:7]})",
        "- Threshold 'Coding benchmark saturated': alert → crossed, caused by the observation "
        "of 2026-03 (97.5 %)\n"
        "- Mechanism 'Coordinated pause' is now triggered (not triggered → triggered): "
        "Coding benchmark saturated on crossing (crossed)\n"
        "- Judgment “Coding benchmarks will stop distinguishing frontier models by 2028.”: "
        "likely 0.75 → very likely 0.92\n"
        "- Forecast 'An AI system trains its successor without human involvement' by 2027: "
        "0.3 → 0.35\n"
        "- New recommendation (medium): “Agree the pause's exit criteria with the lab before "
        "it is triggered.”",
    ]
    baseline = prepare_file(repo.root / "s.yaml").baseline
    assert baseline is not None and (baseline.sha, baseline.version) == (first, "0.4")
    assert "What changed" not in render(repo, "--since", "HEAD")  # the same content


def test_document_date_is_the_commit_time(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("s.yaml", "v1.yaml")
    repo.commit("v0.4")
    assert prepare_file(repo.root / "s.yaml").committed == repo.clock
    (repo.root / "s.yaml").write_text((repo.root / "s.yaml").read_text() + "\n")
    assert prepare_file(repo.root / "s.yaml").committed is None  # dirty: the scenario's date


def _build(repo: GitRepo, *args: str) -> str:
    old = Path.cwd()
    os.chdir(repo.root)
    try:
        result = CliRunner().invoke(main, ["build", "--format", "json", *args])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_build_rerenders_a_document_when_its_baseline_moves_and_only_then(
    tmp_path: Path,
) -> None:
    import json

    repo = GitRepo(tmp_path / "r")
    repo.write("scenario.toml", 'formats = ["md"]\ntemplates = ["brief"]\n')
    repo.write("scenarios/s.yaml", "v1.yaml")
    first = repo.commit("v0.4")
    repo.write("scenarios/s.yaml", "v2.yaml")
    repo.commit("v0.5")
    built = json.loads(_build(repo))
    assert len(built["built"]) == 1
    brief = (repo.root / "output").glob("*/brief.md")
    assert "## What changed since version 0.4" in next(brief).read_text()
    assert len(json.loads(_build(repo))["skipped"]) == 1  # nothing moved
    assert len(json.loads(_build(repo, "--since", first))["skipped"]) == 1  # same baseline
    moved = json.loads(_build(repo, "--since", "HEAD"))  # the baseline moves: rebuilt
    assert len(moved["built"]) == 1
    assert "What changed" not in next((repo.root / "output").glob("*/brief.md")).read_text()


def _report_annex(repo: GitRepo) -> list[str]:
    old = Path.cwd()
    os.chdir(repo.root)
    try:
        result = CliRunner().invoke(
            main, ["render", "s.yaml", "-t", "report", "-f", "md", "-o", "r.md"]
        )
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    annex = (repo.root / "r.md").read_text().split("## Annex C: Changelog", 1)[1]
    return [line for line in annex.split("\n\n", 2)[1].splitlines() if line.startswith("| ")]


def test_the_changelog_annex_lists_the_entries_with_their_revisions_not_commits(
    tmp_path: Path,
) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("s.yaml", "v1.yaml")
    first = repo.commit("Trigger text computed once, no duplicate note marks")
    repo.write("s.yaml", (VERSIONS / "v1.yaml").read_text() + "# a typo fixed\n")
    repo.commit("validate --strict clean")
    repo.write("s.yaml", "v2.yaml")
    second = repo.commit("Second")
    rows = _report_annex(repo)
    day = {first: "3 Feb 2026", second: "5 Feb 2026"}  # GitRepo's clock: a day a commit
    assert rows == [
        "| Version | Date | Revision | What changed and why |",
        f"| v0.4 | 1 Mar 2026 | `{first}`, {day[first]} | First review draft. |",
        f"| v0.5 | 1 Apr 2026 | `{second}`, {day[second]} | New SWE-bench reading; saturation "
        "judgment raised. |",
    ]
    assert "strict" not in (repo.root / "r.md").read_text()  # a developer's note: never


def test_the_changelog_annex_merges_entries_and_commits_when_the_workspace_asks(
    tmp_path: Path,
) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("scenario.toml", "changelog_commits = true\n")
    repo.write("s.yaml", "v1.yaml")
    first = repo.commit("First *draft* [x](javascript:alert(1)) | <b>pipe</b>")
    repo.write("s.yaml", "v2.yaml")
    second = repo.commit("Second")
    commits = [row for row in _report_annex(repo) if "| rev " in row]
    assert [row.split(" | ")[0] for row in commits] == [f"| rev {first}", f"| rev {second}"]
    # A commit subject is printed as written: no emphasis, link, HTML or extra cell forms.
    assert commits[0].endswith(
        "First \\*draft\\* \\[x\\](javascript:alert(1)) \\| \\<b>pipe\\</b> |"
    )


def test_an_unreadable_or_invalid_revision_is_never_the_baseline(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("s.yaml", "v1.yaml")
    repo.commit("v0.4")
    first = repo.git("rev-parse", "HEAD")
    v1 = (repo.root / "s.yaml").read_text()
    v2 = (VERSIONS / "v2.yaml").read_text()
    # Valid YAML, the same id, another version, but not a valid scenario: its statuses
    # cannot be compared, so it must not be the baseline ("nothing moved" would be false).
    repo.write(
        "s.yaml",
        v1.replace('version: "0.4"', 'version: "0.45"').replace("level: warning", "level: severe"),
    )
    repo.commit("an invalid revision")
    (repo.root / "s.yaml").write_bytes(b"\x00\x01\xffbinary upload")
    repo.commit("a binary upload")
    repo.write("s.yaml", f"<<<<<<< HEAD\n{v1}=======\n{v2}>>>>>>> theirs\n")
    repo.commit("conflict markers")
    repo.write("s.yaml", "v2.yaml")
    repo.commit("v0.5")
    text = render(repo)
    section = text[text.index("## What changed") :].split("\n\n")[:2]
    assert section[0] == f"## What changed since version 0.4 (rev {first[:7]})"
    assert section[1].startswith(
        "- Threshold 'Coding benchmark saturated': alert → crossed, caused by the observation"
    )


def test_a_long_history_whose_version_never_changed_is_read_not_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.versions import history

    repo = GitRepo(tmp_path / "r")
    text = (VERSIONS / "v1.yaml").read_text().split("\nchangelog:")[0]
    base = "\n".join(line for line in text.splitlines() if not line.startswith("version:"))
    assert b"version" not in base.encode()  # like the file: no version anywhere
    for n in range(30):
        repo.write("s.yaml", base.replace("Capability watch", f"Capability watch {n}"))
        repo.commit(f"edit {n}")
    parsed = []
    real = history._parsed
    monkeypatch.setattr(history, "_parsed", lambda raw: parsed.append(1) or real(raw))
    assert "What changed" not in render(repo)  # no other version: no section
    assert len(parsed) <= 1  # the current file, not the 30 commits


def test_commits_of_the_same_second_keep_their_order_in_the_changelog_annex(
    tmp_path: Path,
) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("scenario.toml", "changelog_commits = true\n")
    repo.write("s.yaml", "v1.yaml")
    shorts = []
    for n, subject in enumerate(["Third letter c", "First letter a", "Second letter b"]):
        repo.write("s.yaml", (VERSIONS / "v1.yaml").read_text() + f"# edit {n}\n")
        repo.git("add", "-A")
        repo.git("commit", "-q", "-m", subject)  # the clock does not move: one second
        shorts.append(repo.git("rev-parse", "--short", "HEAD"))
    assert sorted(shorts) != shorts  # in hash order they would read otherwise
    rows = [row for row in _report_annex(repo) if row.startswith("| rev ")]
    assert [row.split(" | ")[0] for row in rows] == [f"| rev {s}" for s in shorts]
