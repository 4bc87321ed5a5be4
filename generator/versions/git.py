"""Git access: revisions, objects at a revision, a file's history.

Owns: every call to ``git``. Old revisions are read from git objects through
one ``git cat-file --batch`` process per repository, never by checking
anything out, so the working tree is never touched. Paths given by users are
relative to the current directory, from any subfolder of a repository. Reads
git, never the clock, so answers are the same on every run for one checkout.
Must not parse scenarios (see ``sides``).
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import GitError

SCENARIO_SUFFIXES = (".yaml", ".yml")


def _git(args: list[str], cwd: Path, timeout: int = 60) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except FileNotFoundError as exc:
        raise GitError("error: git is not installed (needed to read revisions)") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"error: git {args[0]} did not answer within {timeout} s") from exc


@dataclass(frozen=True)
class Commit:
    """One commit of a file's history."""

    sha: str
    short: str
    time: int  # committer time, seconds since the epoch
    date: str  # committer date, YYYY-MM-DD
    subject: str
    path: str  # the file's path (from the repository root) in this commit


class Repo:
    """A git repository seen from a directory inside it.

    ``Repo(Path.cwd())`` raises :class:`GitError` outside a repository.
    Blobs are read through one long-lived ``git cat-file --batch`` process.
    """

    def __init__(self, where: Path | None = None) -> None:
        self.cwd = (where or Path.cwd()).resolve()
        start = self.cwd if self.cwd.is_dir() else self.cwd.parent
        found = _git(["rev-parse", "--show-toplevel"], start, timeout=10)
        if found.returncode != 0:
            raise GitError(f"error: not in a git repository: {start}")
        self.root = Path(found.stdout.strip()).resolve()
        self._batch: subprocess.Popen[bytes] | None = None
        self._commits: dict[str, str] = {}

    # names -----------------------------------------------------------------------
    def relpath(self, path: str | Path) -> str:
        """``path`` (relative to the current directory) as a path from the repository root."""
        full = (self.cwd / path).resolve() if not Path(path).is_absolute() else Path(path)
        try:
            rel = full.resolve().relative_to(self.root).as_posix()
        except ValueError:
            raise GitError(f"error: {path} is outside the repository {self.root}") from None
        return "" if rel == "." else rel

    def display(self, rel: str) -> str:
        """A root-relative path as the user would type it from the current directory."""
        full = self.root / rel
        try:
            return full.relative_to(self.cwd).as_posix()
        except ValueError:
            return Path(os.path.relpath(full, self.cwd)).as_posix()

    def commit(self, rev: str) -> str:
        """The full commit id ``rev`` names; :class:`GitError` for an unknown revision."""
        if rev not in self._commits:
            found = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], self.root)
            if found.returncode != 0 or not rev or rev.startswith("-"):
                raise GitError(f"error: unknown revision '{rev}'")
            self._commits[rev] = found.stdout.strip()
        return self._commits[rev]

    def short(self, rev: str) -> str:
        return self.commit(rev)[:7]

    def commit_time(self, rev: str) -> int:
        """Committer time of ``rev`` in seconds since the epoch."""
        out = _git(["show", "-s", "--format=%ct", self.commit(rev)], self.root)
        return int(out.stdout.strip())

    # objects ---------------------------------------------------------------------
    def read(self, rev: str, rel: str) -> bytes | None:
        """The bytes of ``rel`` (from the root) at ``rev``, or ``None`` when it is not there."""
        return self.object(f"{self.commit(rev)}:{rel}")

    def object(self, name: str) -> bytes | None:
        """The bytes of blob ``name`` (an id or ``COMMIT:PATH``), ``None`` if there is none."""
        batch = self._cat_file()
        assert batch.stdin is not None and batch.stdout is not None
        batch.stdin.write(f"{name}\n".encode())
        batch.stdin.flush()
        header = batch.stdout.readline().decode().split()
        if len(header) != 3 or header[1] != "blob":
            return None
        data = batch.stdout.read(int(header[2]) + 1)  # the object and its newline
        return data[:-1]

    def read_spec(self, spec: str) -> tuple[bytes, str, str]:
        """Read ``REV:PATH`` (PATH relative to the current directory).

        Returns the bytes, the revision's short id and the root-relative path;
        :class:`GitError` for an unknown revision or a path missing at it.
        """
        rev, _, path = spec.partition(":")
        rel = self.relpath(path)
        data = self.read(rev, rel)
        if data is None:
            raise GitError(f"error: {path} does not exist at {rev} ({self.short(rev)})")
        return data, self.short(rev), rel

    def files(self, rev: str, rels: list[str]) -> dict[str, str]:
        """Scenario files (``*.yaml``, ``*.yml``) under ``rels`` at ``rev``: path -> blob id."""
        specs = [r or "." for r in rels]
        out = _git(["ls-tree", "-r", "--full-tree", self.commit(rev), "--", *specs], self.root)
        found = {}
        for line in out.stdout.splitlines():
            meta, _, name = line.partition("\t")
            hidden = any(part.startswith(".") for part in name.split("/"))
            if meta.split()[1] == "blob" and name.endswith(SCENARIO_SUFFIXES) and not hidden:
                found[name] = meta.split()[2]
        return found

    def close(self) -> None:
        if self._batch is not None:
            assert self._batch.stdin is not None
            self._batch.stdin.close()
            self._batch.wait(timeout=10)
            self._batch = None

    def __enter__(self) -> Repo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _cat_file(self) -> subprocess.Popen[bytes]:
        if self._batch is None:
            self._batch = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        return self._batch

    # history ---------------------------------------------------------------------
    def history(self, rel: str) -> list[Commit]:
        """Commits that touched ``rel``, newest first, following renames."""
        out = _git(
            [
                "log",
                "--follow",
                "--format=%x1e%H%x1f%h%x1f%ct%x1f%cs%x1f%s",
                "--name-only",
                "--",
                rel,
            ],
            self.root,
        )
        commits = []
        for record in out.stdout.split("\x1e")[1:]:
            head, _, names = record.partition("\n")
            sha, short, time, date, subject = head.split("\x1f", 4)
            name = next((n for n in names.splitlines() if n.strip()), rel)
            commits.append(Commit(sha, short, int(time), date, subject, name))
        return commits

    def tags(self, pattern: str) -> list[str]:
        """Tags matching a glob ``pattern`` that are ancestors of HEAD, newest commit first."""
        out = _git(
            ["tag", "--merged", "HEAD", "--sort=-committerdate", "--list", pattern], self.root
        )
        return [t for t in out.stdout.split() if fnmatch.fnmatchcase(t, pattern)]

    def is_dirty(self, rel: str) -> bool:
        out = _git(["status", "--porcelain", "--", rel], self.root)
        return bool(out.stdout.strip())


def find_repo(where: Path | None = None) -> Repo | None:
    """The repository containing ``where``, or ``None`` outside git."""
    try:
        return Repo(where)
    except GitError:
        return None


UNCOMMITTED = "uncommitted changes"


def revision(path: Path) -> str:
    """``rev 3f2a9c1`` for the last commit of ``path``, with ``, uncommitted changes`` if modified.

    ``uncommitted changes`` alone for a file the repository does not track yet,
    and the empty string outside a repository (or without git): the document
    then shows only the scenario's version and date. Reads git, never the
    clock, so it is the same on every run for the same checkout.
    """
    return revisions([path])[path]


def revisions(files: list[Path]) -> dict[Path, str]:
    """What :func:`revision` says, for each file, in two git calls for the whole batch."""
    if not files:
        return {}
    repo = find_repo(files[0].resolve().parent)
    if repo is None:
        return dict.fromkeys(files, "")
    rels: dict[Path, str] = {}
    for f in files:
        try:
            rels[f] = f.resolve().relative_to(repo.root).as_posix()
        except ValueError:  # a file in another repository
            return {f: revision(f) for f in files} if len(files) > 1 else {f: ""}
    log = _git(["log", "--format=@%h", "--name-only", "--", *rels.values()], repo.root)
    status = _git(["status", "--porcelain", "--no-renames", "--", *rels.values()], repo.root)
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
