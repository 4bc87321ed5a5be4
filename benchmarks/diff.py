"""Benchmark of ``scenario diff`` (not a timed test): run ``python benchmarks/diff.py``.

Targets (issue 12): one scenario between two commits in at most 0.3 s including
start-up; ``--rev A..B`` over 100 scenarios in at most 2 s. Builds a temporary
repository with N copies of ``tests/versions/v1.yaml`` (each its own id), then a
second commit with every copy at ``v2.yaml``, and times the real command.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
V1 = (ROOT / "tests" / "versions" / "v1.yaml").read_text()
V2 = (ROOT / "tests" / "versions" / "v2.yaml").read_text()
N = int(sys.argv[1]) if len(sys.argv) > 1 else 100
SCENARIO = str(Path(sys.executable).with_name("scenario"))


def git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "b",
        "GIT_AUTHOR_EMAIL": "b@x.invalid",
        "GIT_COMMITTER_NAME": "b",
        "GIT_COMMITTER_EMAIL": "b@x.invalid",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def best_of(runs: int, args: list[str], cwd: Path) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([SCENARIO, *args], cwd=cwd, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        git(repo, "init", "-q")
        (repo / "scenarios").mkdir()
        for i in range(N):
            text = V1.replace("id: capability-watch", f"id: watch-{i}")
            (repo / "scenarios" / f"s{i}.yaml").write_text(text)
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "v0.4")
        for i in range(N):
            text = V2.replace("id: capability-watch", f"id: watch-{i}")
            (repo / "scenarios" / f"s{i}.yaml").write_text(text)
        git(repo, "commit", "-qam", "v0.5")
        one = best_of(5, ["diff", "HEAD~1:scenarios/s0.yaml", "HEAD:scenarios/s0.yaml"], repo)
        many = best_of(3, ["diff", "--rev", "HEAD~1..HEAD", "--stat"], repo)
        print(f"one scenario between two commits: {one:.2f} s (target 0.3 s)")
        print(f"--rev A..B over {N} scenarios:    {many:.2f} s (target 2 s)")


if __name__ == "__main__":
    main()
