"""``scenario diff`` and ``scenario textconv`` on real temporary git repositories.

Golden outputs live in ``tests/golden/diff/``; after a deliberate change run

    python tests/test_diff_cli.py

and review ``git diff tests/golden/diff`` before committing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from git_helpers import VERSIONS, GitRepo

from generator.cli import main

GOLDEN = Path(__file__).parent / "golden" / "diff"
FORMATS = {"human": "txt", "md": "md", "json": "json"}


def run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(cwd or VERSIONS)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def golden_output(fmt: str) -> str:
    return run("diff", "v1.yaml", "v2.yaml", "--format", fmt)[1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden_outputs(fmt: str) -> None:
    expected = (GOLDEN / f"v1-v2.{FORMATS[fmt]}").read_text(encoding="utf-8")
    assert golden_output(fmt) == expected


def test_markdown_tables_render_with_githubs_parser() -> None:
    html = subprocess.run(
        ["cmark-gfm", "-e", "table", "-e", "strikethrough"],
        input=golden_output("md"),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert html.count("<table>") == 1
    assert html.count("<tr>") == 11  # the header and ten changes
    assert "<del>will</del> <strong>wants to</strong>" in html


def test_json_shape_is_the_documented_one() -> None:
    (entry,) = json.loads(golden_output("json"))
    assert list(entry) == [
        "id",
        "change",
        "old_path",
        "new_path",
        "changes",
        "consequences",
        "notes",
    ]
    assert entry["consequences"][0] == {
        "kind": "threshold",
        "subject": "swe-bench-saturated",
        "old": "alert",
        "new": "crossed",
        "cause": "the observation of 2026-03 (97.5 %)",
        "text": "Threshold 'Coding benchmark saturated': alert → crossed, caused by the "
        "observation of 2026-03 (97.5 %)",
    }


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    r = GitRepo(tmp_path / "work")
    r.write("scenarios/watch.yaml", "v1.yaml")
    r.write(
        "scenarios/other.yaml",
        (VERSIONS / "v1.yaml").read_text().replace("id: capability-watch", "id: other-watch"),
    )
    r.commit("First draft")
    r.git("tag", "v1")
    return r


def test_exit_code_is_0_without_semantic_change(repo: GitRepo) -> None:
    path = repo.root / "scenarios" / "watch.yaml"
    path.write_text(path.read_text().replace("value: 97, alert: 90", "alert: 90.0, value: 97"))
    assert run("diff", "--exit-code", cwd=repo.root) == (
        0,
        "no semantic change in 2 scenarios\n",  # counted, not listed
        "",
    )


def test_exit_code_is_1_with_a_change_and_stat_is_one_line_each(repo: GitRepo) -> None:
    repo.write("scenarios/watch.yaml", "v2.yaml")
    assert run("diff", "--exit-code", "--stat", cwd=repo.root) == (
        1,
        "scenarios/watch.yaml | changed, 10 changes, 7 consequences\n"
        "1 scenario changed, 1 unchanged\n",
        "",
    )


def test_a_renamed_file_is_moved_not_removed_and_added(repo: GitRepo) -> None:
    repo.git("mv", "scenarios/watch.yaml", "scenarios/capability.yaml")
    repo.commit("Rename")
    code, out, _ = run("diff", "--rev", "v1..HEAD", "--format", "json", cwd=repo.root)
    moved = [d for d in json.loads(out) if d["id"] == "capability-watch"]
    assert code == 0
    assert moved == [
        {
            "id": "capability-watch",
            "change": "moved",
            "old_path": "scenarios/watch.yaml",
            "new_path": "scenarios/capability.yaml",
            "changes": [],
            "consequences": [],
            "notes": [],
        }
    ]


def test_added_and_removed_scenarios(repo: GitRepo) -> None:
    (repo.root / "scenarios" / "other.yaml").unlink()
    repo.write(
        "scenarios/new.yaml",
        (VERSIONS / "v1.yaml").read_text().replace("id: capability-watch", "id: brand-new"),
    )
    code, out, _ = run("diff", "--rev", "v1", "--stat", cwd=repo.root)
    assert code == 0
    assert out.splitlines() == [
        "scenarios/new.yaml   | added, 0 changes, 0 consequences",
        "scenarios/other.yaml | removed, 0 changes, 0 consequences",
        "2 scenarios changed, 1 unchanged",
    ]


def test_from_a_subfolder_paths_are_relative_to_it(repo: GitRepo) -> None:
    repo.write("scenarios/watch.yaml", "v2.yaml")
    repo.commit("v2")
    code, out, err = run(
        "diff", "v1:watch.yaml", "HEAD:watch.yaml", "--stat", cwd=repo.root / "scenarios"
    )
    assert (code, out.splitlines()[0], err) == (
        0,
        "watch.yaml | changed, 10 changes, 7 consequences",
        "",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["diff", "--rev", "v9"], "error: unknown revision 'v9'\n"),
        (["diff", "--rev", "^HEAD"], "error: unknown revision '^HEAD'\n"),  # not "all added"
        (["diff", "--rev", "HEAD..^v1"], "error: unknown revision '^v1'\n"),
        (
            ["diff", "v1:scenarios/gone.yaml", "scenarios/watch.yaml"],
            "error: scenarios/gone.yaml does not exist at v1 ({short})\n",
        ),
        (
            ["diff", "scenarios/watch.yaml", "scenarios/nope.yaml"],
            "scenarios/nope.yaml: error: no such file\n",
        ),
    ],
)
def test_bad_revisions_and_paths_are_one_line_exit_1(
    repo: GitRepo, args: list[str], message: str
) -> None:
    short = repo.git("rev-parse", "--short=7", "v1")
    assert run(*args, cwd=repo.root) == (1, "", message.format(short=short))


def test_outside_a_repository(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("format: 1\n")
    code, _, err = run("diff", "HEAD:s.yaml", "s.yaml", cwd=tmp_path)
    assert (code, err) == (1, f"error: not in a git repository: {tmp_path.resolve()}\n")


def test_empty_rev_is_a_usage_error(repo: GitRepo) -> None:
    code, _, err = run("diff", "--rev", "..", cwd=repo.root)
    assert code == 2 and "--rev needs a revision" in err


def test_shallow_clone_diffs_head_against_the_tree(repo: GitRepo, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    GitRepo.clone_shallow(repo.root, clone)
    (clone / "scenarios" / "watch.yaml").write_bytes((VERSIONS / "v2.yaml").read_bytes())
    code, out, _ = run("diff", "--exit-code", "--stat", cwd=clone)
    assert code == 1 and "changed, 10 changes" in out


def test_colour_only_on_a_terminal_and_never_with_no_color(repo: GitRepo) -> None:
    repo.write("scenarios/watch.yaml", "v2.yaml")
    script = (
        "import pty, os, sys; pid, fd = pty.fork()\n"
        "if pid == 0: os.execvp('scenario', ['scenario', 'diff'])\n"
        "out = b''\n"
        "while True:\n"
        "    try: chunk = os.read(fd, 4096)\n"
        "    except OSError: break\n"
        "    if not chunk: break\n"
        "    out += chunk\n"
        "sys.stdout.write(out.decode())"
    )
    env = {**os.environ}
    env.pop("NO_COLOR", None)
    tty = subprocess.run(
        [sys.executable, "-c", script], cwd=repo.root, env=env, capture_output=True, text=True
    ).stdout
    assert "\x1b[" in tty
    env["NO_COLOR"] = "1"
    plain = subprocess.run(
        [sys.executable, "-c", script], cwd=repo.root, env=env, capture_output=True, text=True
    ).stdout
    assert "\x1b[" not in plain and "[-will-] {+wants to+}" in plain


def test_diff_never_imports_weasyprint(repo: GitRepo) -> None:
    repo.write("scenarios/watch.yaml", "v2.yaml")
    code = (
        "import sys; from generator.cli import main\n"
        "try: main(['diff', '--format', 'json'])\n"
        "except SystemExit: pass\n"
        "assert 'weasyprint' not in sys.modules, 'weasyprint imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=repo.root, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_textconv_is_the_same_for_a_reformatted_file(tmp_path: Path) -> None:
    text = (VERSIONS / "v1.yaml").read_text()
    swapped = text.replace("parties: [lab, government]", "parties: [government, lab]")
    (tmp_path / "b.yaml").write_text(
        swapped.replace("value: 97, alert: 90", "alert: 90, value: 97.0")
    )
    a = run("textconv", str(VERSIONS / "v1.yaml"))[1]
    assert a == run("textconv", str(tmp_path / "b.yaml"))[1]
    assert "thresholds[swe-bench-saturated].condition.value = 97\n" in a


def test_textconv_of_a_broken_file_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("id: [\n")
    code, _, err = run("textconv", "bad.yaml", cwd=tmp_path)
    assert code == 1 and err.startswith("bad.yaml:") and err.count("\n") == 1


if __name__ == "__main__":
    for fmt, suffix in FORMATS.items():
        (GOLDEN / f"v1-v2.{suffix}").write_text(golden_output(fmt), encoding="utf-8")
        print(f"wrote tests/golden/diff/v1-v2.{suffix}")


def test_stat_counts_read_as_english(tmp_path: Path) -> None:
    from generator.versions.show import _count

    assert [_count(n, "change") for n in (0, 1, 2)] == ["0 changes", "1 change", "2 changes"]


# -- files that are not what they seem -----------------------------------------------------


def test_a_copy_that_keeps_an_id_is_the_file_added(repo: GitRepo) -> None:
    copy = (repo.root / "scenarios" / "watch.yaml").read_text().replace("Capability watch", "Copy")
    (repo.root / "scenarios" / "a-copy.yaml").write_text(copy)  # sorts before watch.yaml
    code, out, _ = run("diff", "--stat", cwd=repo.root)
    assert (code, out.splitlines()) == (
        0,
        [
            "scenarios/a-copy.yaml | added, 0 changes, 0 consequences",
            "1 scenario changed, 2 unchanged",
        ],
    )


def test_a_link_out_of_the_repository_or_a_submodule_file_is_skipped_alone(
    repo: GitRepo, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text((VERSIONS / "v2.yaml").read_text())
    (repo.root / "scenarios" / "link.yaml").symlink_to(outside)
    module = GitRepo(tmp_path / "module")
    module.write("s.yaml", (VERSIONS / "v2.yaml").read_text().replace("capability-watch", "sub"))
    module.commit("module")
    repo.git(
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        str(module.root),
        "scenarios/sub",
    )
    repo.commit("a submodule")
    repo.write("scenarios/watch.yaml", "v2.yaml")
    code, out, _ = run("diff", "--exit-code", cwd=repo.root)
    lines = out.splitlines()
    assert code == 1  # the real change is still found
    assert "capability-watch (scenarios/watch.yaml): changed" in lines
    assert "scenarios/link.yaml: skipped: it leads outside the repository" in lines
    assert (
        "scenarios/sub/s.yaml: skipped: it is in the submodule scenarios/sub; diff it there"
        in lines
    )
    assert lines[-1] == "1 scenario changed, 1 unchanged, 2 files skipped"
    code, out, _ = run("diff", "--exit-code", "--format", "json", cwd=repo.root)
    skipped = [d for d in json.loads(out) if d["change"] == "skipped"]
    assert [(d["new_path"], d["id"]) for d in skipped] == [
        ("scenarios/link.yaml", None),
        ("scenarios/sub/s.yaml", None),
    ]


def test_a_bare_repository_compares_two_revisions(repo: GitRepo, tmp_path: Path) -> None:
    repo.write("scenarios/watch.yaml", "v2.yaml")
    repo.commit("v0.5")
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.root), str(bare)], check=True)
    code, out, _ = run("diff", "--rev", "v1..HEAD", "--stat", cwd=bare)
    assert (code, out.splitlines()) == (
        0,
        [
            "scenarios/watch.yaml | changed, 10 changes, 7 consequences",
            "1 scenario changed, 1 unchanged",
        ],
    )
    code, _, err = run("diff", "--rev", "v1", cwd=bare)
    assert (code, err) == (
        1,
        f"error: {bare.resolve()} is a bare repository, with no working tree to compare; "
        "give two revisions: --rev v1..HEAD\n",
    )
