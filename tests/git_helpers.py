"""A real temporary git repository for the versioning tests (no mocks: git itself runs)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

VERSIONS = Path(__file__).parent / "versions"

ENV = {
    "GIT_AUTHOR_NAME": "Analyst",
    "GIT_AUTHOR_EMAIL": "analyst@example.invalid",
    "GIT_COMMITTER_NAME": "Analyst",
    "GIT_COMMITTER_EMAIL": "analyst@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


class GitRepo:
    """A repository in a temporary folder; commits get fixed, increasing dates."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.clock = 1_770_000_000
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        env = {**os.environ, **ENV}
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{self.clock} +0000"
        out = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return out.stdout.strip()

    def write(self, rel: str, source: str | Path) -> Path:
        """Copy ``tests/versions/SOURCE`` (or write text) to ``rel``."""
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, Path) or source.endswith(".yaml"):
            shutil.copyfile(VERSIONS / source, target)
        else:
            target.write_text(source, encoding="utf-8")
        return target

    def commit(self, message: str) -> str:
        self.clock += 86_400
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "--short", "HEAD")

    @staticmethod
    def clone_shallow(source: Path, target: Path) -> None:
        """``git clone --depth 1 file://SOURCE TARGET``: the one-commit checkout CI makes."""
        subprocess.run(
            ["git", "clone", "-q", "--depth", "1", f"file://{source}", str(target)],
            capture_output=True,
            check=True,
        )
