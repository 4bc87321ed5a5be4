"""The ``scenario-validate`` hook of ``.pre-commit-hooks.yaml``, run by the real pre-commit.

``pre-commit try-repo`` installs this repository into a fresh environment (about a
minute), so the test is marked slow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from git_helpers import GitRepo

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_hook_reports_located_errors_and_fails(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    repo = GitRepo(tmp_path / "scenarios-repo")
    repo.write("scenarios/ok.yaml", "v1.yaml")
    repo.write("scenarios/bad.yaml", "format: 1\nid: Bad Id\n")
    repo.write("notes.yaml", "not: a scenario\n")  # outside scenarios/: not checked
    repo.git("add", "-A")
    done = subprocess.run(
        [pre_commit, "try-repo", str(ROOT), "scenario-validate", "--all-files"],
        cwd=repo.root,
        env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert "validate scenarios" in done.stdout and "Failed" in done.stdout
    assert (
        "scenarios/bad.yaml:2:5: error: id: 'Bad Id' is not a valid id; use lowercase "
        "letters, digits and hyphens, e.g. 'frontier-lab'" in lines
    )
    assert "4 errors, 0 warnings in 2 files" in lines  # ok.yaml checked, notes.yaml not
    # A commit that adds a copy keeping an existing file's id: pre-commit names only the
    # new file, and the hook still finds the id taken by the file beside it.
    repo.git("rm", "-q", "--cached", "scenarios/bad.yaml")
    (repo.root / "scenarios" / "bad.yaml").unlink()
    repo.commit("ok")
    repo.write("scenarios/copy.yaml", "v1.yaml")
    repo.git("add", "scenarios/copy.yaml")
    done = subprocess.run(
        [pre_commit, "try-repo", str(ROOT), "scenario-validate"],
        cwd=repo.root,
        env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        "scenarios/copy.yaml:3:5: error: id: scenario id 'capability-watch' is already used "
        "by scenarios/ok.yaml" in done.stdout.splitlines()
    ), done.stdout
