"""Git revisions of scenario files, for the documents' stamp and the build's cache key.

Owns: the only calls to ``git`` that ask which commit last touched a file and
whether it has changed since. Reads git, never the clock, so the answer is the
same on every run for the same checkout.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def revision(path: Path) -> str:
    """``rev 3f2a9c1`` for the last commit of ``path``, ``+dirty`` when it has changed since.

    ``not in git`` outside a repository or for an untracked file. Reads git,
    never the clock, so it is the same on every run for the same checkout.
    """
    folder = path.resolve().parent
    try:
        rev = subprocess.run(
            ["git", "log", "-1", "--format=%h", "--", path.name],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if rev.returncode != 0 or not rev.stdout.strip():
            return "not in git"
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", path.name],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "not in git"
    mark = "+dirty" if dirty.stdout.strip() else ""
    return f"rev {rev.stdout.strip()}{mark}"


def revisions(files: list[Path]) -> dict[Path, str]:
    """``rev abc1234[+dirty]`` for each file, in two git calls for the whole batch."""
    if not files:
        return {}
    top = files[0].resolve().parent
    try:
        root = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=top,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return dict.fromkeys(files, "not in git")
    if root.returncode != 0:
        return dict.fromkeys(files, "not in git")
    repo = Path(root.stdout.strip())
    rels = {}
    for f in files:
        try:
            rels[f] = f.resolve().relative_to(repo).as_posix()
        except ValueError:
            rels[f] = None
    if any(r is None for r in rels.values()):  # files in another repository
        return {f: revision(f) for f in files}
    log = subprocess.run(
        ["git", "log", "--format=@%h", "--name-only", "--", *rels.values()],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    status = subprocess.run(
        ["git", "status", "--porcelain", "--no-renames", "--", *rels.values()],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    last: dict[str, str] = {}
    commit = ""
    for line in log.stdout.splitlines():
        if line.startswith("@"):
            commit = line[1:]
        elif line and line not in last:
            last[line] = commit
    dirty = {line[3:].strip().strip('"') for line in status.stdout.splitlines()}
    out = {}
    for f, rel in rels.items():
        if rel not in last:
            out[f] = "not in git"
        else:
            out[f] = f"rev {last[rel]}{'+dirty' if rel in dirty else ''}"
    return out
