"""Git revisions of scenario files, for the documents' stamp and the build's cache key.

Owns: the only calls to ``git`` that ask which commit last touched a file and
whether it has changed since. Reads git, never the clock, so the answer is the
same on every run for the same checkout.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

UNCOMMITTED = "uncommitted changes"


def revision(path: Path) -> str:
    """``rev 3f2a9c1`` for the last commit of ``path``, with ``, uncommitted changes`` if modified.

    ``uncommitted changes`` alone for a file a repository does not track yet, and
    the empty string outside a repository (or without git): the document then
    shows only the scenario's version and date. Reads git, never the clock, so
    it is the same on every run for the same checkout.
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
        if rev.returncode != 0:  # not in a repository, or one without commits yet
            inside = subprocess.run(
                ["git", "rev-parse", "--is-inside-work-tree"],
                cwd=folder,
                capture_output=True,
                timeout=10,
                check=False,
            )
            return UNCOMMITTED if inside.returncode == 0 else ""
        if not rev.stdout.strip():
            return UNCOMMITTED
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", path.name],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    mark = f", {UNCOMMITTED}" if dirty.stdout.strip() else ""
    return f"rev {rev.stdout.strip()}{mark}"


def revisions(files: list[Path]) -> dict[Path, str]:
    """What :func:`revision` says, for each file, in two git calls for the whole batch."""
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
        return dict.fromkeys(files, "")
    if root.returncode != 0:
        return dict.fromkeys(files, "")
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
            out[f] = UNCOMMITTED
        else:
            out[f] = f"rev {last[rel]}{f', {UNCOMMITTED}' if rel in dirty else ''}"
    return out
