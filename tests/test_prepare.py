"""Prepared once: one parse, one analysis and one pass over git per scenario, whatever the
number of documents; keys that a new tag or an unrelated commit leave alone; a "what changed"
that agrees with ``scenario diff``; git read inertly, and a git failure never silent."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from git_helpers import GitRepo

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
REAL_GIT = shutil.which("git")


def run(where: Path, *args: str) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(where)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def counted_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ``git`` first on PATH that logs each call (its arguments, one line) and runs git."""
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "git-calls.log"
    wrapper = folder / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{REAL_GIT}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return log


def calls(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def workspace(repo: GitRepo, names: list[str], toml: str) -> None:
    repo.write("scenario.toml", toml)
    for name in names:
        repo.write(f"scenarios/{name}.yaml", (SCENARIOS / f"{name}.yaml").read_text())


BUNDLED = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))


def bump(path: Path, version: str = "99.0") -> None:
    """A new version of a scenario file (its ``version`` line replaced or added)."""
    lines = path.read_text().splitlines()
    at = next((n for n, line in enumerate(lines) if line.startswith("version:")), None)
    if at is None:
        at = next(n for n, line in enumerate(lines) if line.startswith("id:")) + 1
        lines.insert(at, "")
    lines[at] = f"version: '{version}'"
    path.write_text("\n".join(lines) + "\n")


# --------------------------------------------------------------------------- git, counted


def test_one_render_starts_git_three_times(tmp_path: Path, counted_git: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("s.yaml", "v1.yaml")
    repo.commit("v0.4")
    repo.write("s.yaml", "v2.yaml")
    repo.commit("v0.5")
    counted_git.unlink(missing_ok=True)
    code, _, err = run(repo.root, "render", "s.yaml", "-f", "md", "-o", "out.md")
    assert code == 0, err
    assert "## What changed since version 0.4" in (repo.root / "out.md").read_text()
    assert len(calls(counted_git)) <= 3, calls(counted_git)
    assert not any(" status " in c for c in calls(counted_git))


def test_a_build_starts_git_a_fixed_number_of_times(tmp_path: Path, counted_git: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    workspace(repo, BUNDLED, 'formats = ["md", "html"]\ntemplates = ["brief", "report"]\n')
    repo.commit("Scenarios")
    for name in BUNDLED[:3]:  # three of them get a baseline, so their history is read
        bump(repo.root / "scenarios" / f"{name}.yaml")
    repo.commit("Revised")
    counted_git.unlink(missing_ok=True)
    code, out, err = run(repo.root, "build", "--format", "json")
    assert code == 0, err + out
    assert len(json.loads(out)["built"]) == len(BUNDLED) * 4
    assert len(calls(counted_git)) <= 3, calls(counted_git)  # not 2 x 32 documents
    counted_git.unlink()
    code, out, err = run(repo.root, "build", "--format", "json")
    assert len(json.loads(out)["skipped"]) == len(BUNDLED) * 4
    assert len(calls(counted_git)) <= 2, calls(counted_git)  # no blob is read: cached


def test_a_build_parses_and_analyses_each_scenario_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.analysis import analyse as analysis_module
    from generator.batch import build
    from generator.format import validation
    from generator.workspace import load_settings

    counts = {"parse": 0, "analyse": 0}
    real_parse, real_analyse = validation.parse, analysis_module.analyse

    def parse(*args: object, **kwargs: object) -> object:
        counts["parse"] += 1
        return real_parse(*args, **kwargs)

    def analyse(*args: object, **kwargs: object) -> object:
        counts["analyse"] += 1
        return real_analyse(*args, **kwargs)

    monkeypatch.setattr(validation, "parse", parse)
    monkeypatch.setattr(analysis_module, "analyse", analyse)
    root = tmp_path / "ws"
    (root / "scenarios").mkdir(parents=True)
    (root / "scenario.toml").write_text('formats = ["md", "html"]\n')
    for name in BUNDLED[:4]:
        shutil.copy(SCENARIOS / f"{name}.yaml", root / "scenarios")
    result = build(settings=load_settings(root))
    assert len(result.built) == 4 * 2 * 2 and result.ok
    assert counts == {"parse": 4, "analyse": 4}
    counts.update(parse=0, analyse=0)
    again = build(settings=load_settings(root))
    assert len(again.skipped) == 16 and counts == {"parse": 0, "analyse": 0}


# --------------------------------------------------------------------------- keys


def test_a_new_tag_and_an_unrelated_commit_rebuild_nothing(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    workspace(repo, BUNDLED[:3], 'formats = ["md"]\nbaseline = "briefing-*"\n')
    repo.commit("Scenarios")
    repo.git("tag", "briefing-1")
    bump(repo.root / "scenarios" / f"{BUNDLED[0]}.yaml")
    repo.commit("Revised")
    code, out, err = run(repo.root, "build", "--format", "json")
    assert code == 0, err
    assert len(json.loads(out)["built"]) == 6
    brief = repo.root / "output" / BUNDLED[0] / "brief.md"
    assert "## What changed since" in brief.read_text()
    # This week's briefing is tagged: only the revised scenario's section goes, so only
    # its documents are rebuilt (the others' baseline bytes are the same as last week's).
    repo.git("tag", "briefing-2")
    code, out, err = run(repo.root, "build", "--format", "json")
    built = json.loads(out)["built"]
    assert sorted(Path(b).parent.name for b in built) == [BUNDLED[0]] * 2
    assert "What changed" not in brief.read_text()
    # Next week: a README commit and a new tag. No baseline's bytes moved: nothing rebuilt.
    repo.write("README.md", "Notes for the team.\n")
    repo.commit("README")
    repo.git("tag", "briefing-3")
    code, out, err = run(repo.root, "build", "--format", "json")
    assert (json.loads(out)["built"], len(json.loads(out)["skipped"])) == ([], 6)


def test_the_baseline_of_a_long_history_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.batch import build
    from generator.versions.history import Baselines
    from generator.workspace import load_settings

    repo = GitRepo(tmp_path / "r")
    workspace(repo, ["coordinated-pause"], 'formats = ["md"]\ntemplates = ["brief"]\n')
    repo.commit("First")
    path = repo.root / "scenarios" / "coordinated-pause.yaml"
    for n in range(5):  # commits that never change the version
        path.write_text(path.read_text() + f"# note {n}\n")
        repo.commit(f"Note {n}")
    found: list[object] = []
    real = Baselines.find

    def find(self: Baselines, *args: object) -> object:
        found.append(args)
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Baselines, "find", find)
    settings = load_settings(repo.root)
    assert build(settings=settings).ok and len(found) == 1
    assert len(build(settings=settings).skipped) == 1 and len(found) == 1  # from the manifest
    repo.write("README.md", "x\n")
    repo.commit("Unrelated")
    assert len(build(settings=settings).skipped) == 1 and len(found) == 1


# --------------------------------------------------------------------------- what changed


def _section(text: str) -> list[str] | None:
    """The bullets of the "What changed" section of a Markdown document, or ``None``."""
    if "## What changed since" not in text:
        return None
    body = text.split("## What changed since", 1)[1].split("\n## ", 1)[0]
    return [line[2:] for line in body.splitlines() if line.startswith("- ")]


def _diff(repo: GitRepo, rev: str, rel: str) -> dict[str, object]:
    code, out, err = run(repo.root, "diff", rel, "--rev", rev, "--format", "json")
    assert code == 0, err
    (one,) = json.loads(out)
    return one


@pytest.mark.slow
@pytest.mark.parametrize("name", BUNDLED)
def test_what_changed_agrees_with_scenario_diff(tmp_path: Path, name: str) -> None:
    repo = GitRepo(tmp_path / "r")
    rel = f"{name}.yaml"
    repo.write(rel, (SCENARIOS / rel).read_text())
    repo.commit("First")
    # Unedited: the section is absent with --since HEAD, and diff says the same.
    code, out, err = run(
        repo.root, "render", rel, "-t", "report", "-f", "md", "-o", "-", "--since", "HEAD"
    )
    assert code == 0, err
    assert _section(out) is None
    assert _diff(repo, "HEAD", rel)["change"] == "unchanged"
    assert "Pydantic" not in err and "UserWarning" not in err
    # A new version with an edit: the report lists what diff finds, in diff's order.
    bump(repo.root / rel)
    repo.commit("Revised")
    code, out, err = run(repo.root, "render", rel, "-t", "report", "-f", "md", "-o", "-")
    assert code == 0, err
    found = _diff(repo, "HEAD~1..HEAD", rel)
    texts = [c["text"] for c in found["consequences"]]
    changes = len(found["changes"])
    edits = (
        f"{changes} edit{'s' if changes != 1 else ''} to the text; "
        "no status, judgment or forecast moved"
    )
    assert _section(out) == (texts or [edits])
    assert "Pydantic" not in err and "UserWarning" not in err


def test_a_copied_variant_has_no_section(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("scenarios/s.yaml", "v1.yaml")
    repo.commit("v0.4")
    repo.write("scenarios/s.yaml", "v2.yaml")
    repo.commit("v0.5")
    # A variant: the same file under a new name and a new id, the original kept.
    variant = (repo.root / "scenarios/s.yaml").read_text()
    ident = next(line for line in variant.splitlines() if line.startswith("id:"))
    (repo.root / "scenarios/s-g7.yaml").write_text(variant.replace(ident, "id: s-g7", 1))
    repo.commit("G7 variant")
    code, out, err = run(repo.root, "render", "scenarios/s-g7.yaml", "-f", "md", "-o", "-")
    assert code == 0, err
    assert _section(out) is None
    assert _diff(repo, "HEAD~1..HEAD", "scenarios/s-g7.yaml")["change"] == "added"
    # Moved and given a new id in one commit: git calls it a rename; it is another scenario.
    repo.git("mv", "scenarios/s.yaml", "scenarios/t.yaml")
    text = (repo.root / "scenarios/t.yaml").read_text()
    (repo.root / "scenarios/t.yaml").write_text(text.replace(ident, "id: t-new", 1))
    repo.commit("Another scenario")
    code, out, err = run(repo.root, "render", "scenarios/t.yaml", "-f", "md", "-o", "-")
    assert code == 0, err
    assert _section(out) is None
    # Moved with its id kept: the same scenario, and its baseline is followed.
    repo.git("mv", "scenarios/s-g7.yaml", "scenarios/g7.yaml")
    repo.commit("Rename")
    text = (repo.root / "scenarios/g7.yaml").read_text()
    version = next(line for line in text.splitlines() if line.startswith("version:"))
    (repo.root / "scenarios/g7.yaml").write_text(text.replace(version, "version: '2.0'", 1))
    code, out, err = run(repo.root, "render", "scenarios/g7.yaml", "-f", "md", "-o", "-")
    assert code == 0, err
    assert "## What changed since version 0.5" in out


def test_a_failing_git_fails_the_document_with_a_located_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = GitRepo(tmp_path / "r")
    workspace(repo, ["coordinated-pause"], 'formats = ["md"]\ntemplates = ["brief"]\n')
    repo.commit("First")
    folder = tmp_path / "bin"
    folder.mkdir()
    wrapper = folder / "git"
    wrapper.write_text(
        f'#!/bin/sh\ncase "$*" in *" log "*) echo "fatal: bad object" >&2; exit 128;; esac\n'
        f'exec "{REAL_GIT}" "$@"\n'
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    rel = "scenarios/coordinated-pause.yaml"
    code, out, err = run(repo.root, "render", rel, "-f", "md", "-o", "out.md")
    assert code == 1
    assert err.strip() == (
        f"{rel}: error: reading its history: git log failed (exit 128): bad object"
    )
    assert not (repo.root / "out.md").exists()
    code, out, err = run(repo.root, "build", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["built"] == [] and len(report["failed"]) == 1
    assert report["diagnostics"] == [
        {
            "file": str(repo.root / rel),
            "line": 0,
            "column": 0,
            "severity": "error",
            "code": "git",
            "message": "reading its history: git log failed (exit 128): bad object",
        }
    ]
    monkeypatch.undo()
    code, out, err = run(repo.root, "build", "--format", "json")  # not recorded: built now
    assert code == 0 and len(json.loads(out)["built"]) == 1


def test_no_pydantic_warning_reaches_the_terminal(tmp_path: Path) -> None:
    from generator.prepared import prepare_file

    repo = GitRepo(tmp_path / "r")
    repo.write("s.yaml", "v1.yaml")
    repo.commit("v0.4")
    repo.write("s.yaml", "v2.yaml")
    repo.commit("v0.5")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        prepared = prepare_file(repo.root / "s.yaml")
    assert prepared.changes is not None
    assert [str(w.message) for w in caught] == []


# --------------------------------------------------------------------------- inert git


@pytest.fixture
def hostile_repo(tmp_path: Path) -> tuple[GitRepo, Path]:
    """A repository whose config, attributes and hooks would each write to a marker file
    if git ran them: fsmonitor, clean/smudge/process filters, textconv, an external
    diff, a pager, signature checks, and every hook (``core.hooksPath`` and .git/hooks)."""
    repo = GitRepo(tmp_path / "r")
    workspace(repo, ["coordinated-pause"], 'formats = ["md", "html"]\n')
    repo.commit("First")
    path = repo.root / "scenarios" / "coordinated-pause.yaml"
    bump(path, "99.0")
    repo.commit("Second")
    marker = tmp_path / "ran"
    hook = f"sh -c 'echo $0 >> {marker}'"
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name in ("pre-commit", "post-checkout", "post-index-change", "reference-transaction"):
        for folder in (hooks, repo.root / ".git" / "hooks"):
            (folder / name).write_text(f"#!/bin/sh\necho hook {name} >> {marker}\n")
            (folder / name).chmod(0o755)
    for key, value in [
        ("core.fsmonitor", f"{hook} fsmonitor"),
        ("core.hooksPath", str(hooks)),
        ("filter.evil.clean", f"{hook} clean"),
        ("filter.evil.smudge", f"{hook} smudge"),
        ("filter.evil.process", f"{hook} process"),
        ("filter.evil.required", "true"),
        ("diff.evil.textconv", f"{hook} textconv"),
        ("diff.external", f"{hook} external"),
        ("core.pager", f"{hook} pager"),
        ("pager.log", f"{hook} pager-log"),
        ("log.showSignature", "true"),
        ("gpg.program", f"{hook} gpg"),
        ("core.sshCommand", f"{hook} ssh"),
        ("core.askPass", f"{hook} askpass"),
    ]:
        repo.git("config", key, value)
    repo.write(".gitattributes", "*.yaml filter=evil diff=evil\n")
    path.write_text(path.read_text() + "# edited\n")  # a dirty file: status would run filters
    return repo, marker


HOSTILE_COMMANDS = {
    "validate": ["validate"],
    "status": ["status", "scenarios/coordinated-pause.yaml"],
    "render": ["render", "scenarios/coordinated-pause.yaml", "-f", "md", "-o", "-"],
    "report": ["render", "scenarios/coordinated-pause.yaml", "-t", "report", "-o", "r.md"],
    "since": ["render", "scenarios/coordinated-pause.yaml", "--since", "HEAD~1", "-o", "b.md"],
    "build": ["build", "-q"],
    "diff rev": ["diff", "--rev", "HEAD~1"],
    "diff range": ["diff", "--rev", "HEAD~1..HEAD", "--stat"],
    "diff tree": ["diff", "scenarios"],
    "textconv": ["textconv", "scenarios/coordinated-pause.yaml"],
}


def test_the_hostile_repository_would_run_its_commands_under_plain_git(
    hostile_repo: tuple[GitRepo, Path],
) -> None:
    repo, marker = hostile_repo  # the control: the same git calls, without our settings
    subprocess.run(["git", "status"], cwd=repo.root, capture_output=True, check=False)
    subprocess.run(["git", "diff"], cwd=repo.root, capture_output=True, check=False)
    ran = marker.read_text().split()
    assert {"fsmonitor", "process"} <= set(ran), ran  # filter.process wins over clean


@pytest.mark.parametrize("command", HOSTILE_COMMANDS)
def test_a_hostile_repository_runs_nothing(hostile_repo: tuple[GitRepo, Path], command: str):
    repo, marker = hostile_repo
    code, out, err = run(repo.root, *HOSTILE_COMMANDS[command])
    assert code in (0, 1) and "internal error" not in err, err
    assert not marker.exists(), marker.read_text()
    if command == "render":
        assert code == 0 and "uncommitted changes" in out


def test_a_manifest_of_the_earlier_format_is_rebuilt_without_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "scenarios").mkdir(parents=True)
    (root / "scenario.toml").write_text('formats = ["md"]\ntemplates = ["brief"]\n')
    shutil.copy(SCENARIOS / "coordinated-pause.yaml", root / "scenarios")
    (root / "output").mkdir()
    (root / "output" / "manifest.json").write_text(
        '{"format": 1, "tool": "0.1.0", "outputs": {}, "scenarios": {}}'
    )
    code, out, err = run(root, "build")
    assert code == 0
    assert err == "" and out.startswith("built 1, skipped 0, failed 0")


def test_settings_that_shape_documents_are_in_their_keys_and_the_others_are_not(
    tmp_path: Path,
) -> None:
    root = tmp_path / "ws"
    (root / "scenarios").mkdir(parents=True)
    shutil.copy(SCENARIOS / "coordinated-pause.yaml", root / "scenarios")
    toml = root / "scenario.toml"
    toml.write_text('formats = ["md"]\ntemplates = ["brief"]\n')
    assert run(root, "build")[0] == 0
    toml.write_text('formats = ["md"]\ntemplates = ["brief"]\njobs = 1\nbaseline = "b-*"\n')
    _, out, _ = run(root, "build")
    assert out.startswith("built 0, skipped 1")  # how and from what: not what it says
    toml.write_text('formats = ["md"]\ntemplates = ["brief"]\norganisation = "Test Office"\n')
    _, out, _ = run(root, "build")
    assert out.startswith("built 1, skipped 0")
    assert "Test Office" in (root / "output" / "coordinated-pause" / "brief.md").read_text()


def test_an_undefined_value_in_a_template_names_its_file_line_and_the_scenario(
    tmp_path: Path,
) -> None:
    root = tmp_path / "ws"
    (root / "templates").mkdir(parents=True)
    shutil.copy(SCENARIOS / "coordinated-pause.yaml", root)
    override = root / "templates" / "brief.md.j2"
    override.write_text(
        "# {{ s.title }}\n{% for m in s.mechanisms %}\n{{ m.nothing_here }}\n{% endfor %}\n"
    )
    code, out, err = run(root, "render", "coordinated-pause.yaml", "-f", "md", "-o", "-")
    assert (code, out) == (1, "")
    assert err.strip() == (
        f"{override}:3:1: error: template reads an undefined value: "
        "'generator.format.mechanisms.Mechanism object' has no attribute 'nothing_here' "
        "(rendering coordinated-pause.yaml)"
    )


def test_any_commit_subject_is_read_and_one_bad_file_fails_alone(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    toml = 'formats = ["md"]\nchangelog_commits = true\n'  # the annex shows subjects
    workspace(repo, ["coordinated-pause", "eu-ai-act-gpai"], toml)
    repo.commit("First")
    path = repo.root / "scenarios" / "coordinated-pause.yaml"
    bump(path, "99.0")
    # git's own separators and controls in a subject: the history is read NUL-separated.
    repo.commit("sub\x1eject \x1f unit \x1d group\x1c file \x07 bell")
    code, out, err = run(
        repo.root,
        "render",
        "scenarios/coordinated-pause.yaml",
        "-t",
        "report",
        "-o",
        "-",
        "-f",
        "md",
    )
    assert code == 0, err
    assert "sub\\\\x1eject \\\\x1f unit \\\\x1d group\\\\x1c file \\\\x07 bell" in out
    (repo.root / "scenarios" / "broken.yaml").write_bytes(b"format: 1\nid: [unclosed\n")
    code, out, err = run(repo.root, "build")
    assert code == 1
    assert out.startswith("built 4, skipped 0, failed 1")  # both scenarios' documents
    assert "scenarios/broken.yaml:" in err and "internal error" not in err


def test_a_committed_file_with_a_non_ascii_name_is_clean(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("scenarios/café.yaml", (SCENARIOS / "coordinated-pause.yaml").read_text())
    repo.commit("First")
    code, out, err = run(repo.root, "render", "scenarios/café.yaml", "-f", "md", "-o", "-")
    assert code == 0, err
    assert "uncommitted changes" not in out
    assert f"rev {repo.git('rev-parse', '--short', 'HEAD')}" in out
