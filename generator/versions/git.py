"""Git access: revisions, objects at a revision, the history of many files in one pass.

Owns: every call to ``git``. Each call is inert in a hostile repository: no
fsmonitor, no filters, no external diff or textconv, no hooks, no pager, no
network (a partial clone cannot fetch), no signature checks, and everything
it prints is NUL-separated, so no byte of a commit subject or a file name can
break the parsing. Old revisions are read from git objects through one
``git cat-file --batch`` process per repository, never by checking anything
out, so the working tree is never touched. A build reads git through one
:class:`Scan`: one ``rev-parse``, one ``log`` over the history of every
scenario file, and the ``cat-file`` process; the dirty state of a file is its
bytes' blob id against the committed one, so ``git status`` (which runs
filters and fsmonitor hooks) is never needed. Reads git, never the clock, so
answers are the same on every run for one checkout. Must not parse scenarios
(see ``sides``).
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GitError

SCENARIO_SUFFIXES = (".yaml", ".yml")
UNCOMMITTED = "uncommitted changes"
SHORT = 7
"""Characters of a commit id a document prints: fixed, so the bytes do not change as the
repository grows (git's own abbreviation lengthens with the number of objects)."""

# Settings that make any read command inert, whatever the repository's config says.
_INERT = (
    "core.fsmonitor=false",
    "core.untrackedCache=false",
    f"core.hooksPath={os.devnull}",
    "core.pager=cat",
    "diff.external=",
    "diff.renames=true",  # renames only: never copies (a copied variant is another scenario)
    "log.showSignature=false",
    "protocol.allow=never",  # a partial clone must not fetch (transports run commands)
    "core.quotePath=false",
)
# Variables of the caller's environment that would change what git runs or prints.
_DROPPED = (
    "GIT_EXTERNAL_DIFF",
    "GIT_PAGER",
    "PAGER",
    "GIT_LITERAL_PATHSPECS",
    "GIT_GLOB_PATHSPECS",
    "GIT_NOGLOB_PATHSPECS",
    "GIT_ICASE_PATHSPECS",
    "GIT_DIFF_OPTS",
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "GIT_ASKPASS",
)
_HEX = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")


def command(args: list[str]) -> list[str]:
    """The argument vector of an inert ``git ARGS``."""
    inert = [part for setting in _INERT for part in ("-c", setting)]
    return ["git", "--no-pager", *inert, *args]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", GIT_NO_REPLACE_OBJECTS="1")
    return env


def _git(args: list[str], cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            command(args),
            cwd=cwd,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
            env=environment(),
        )
    except FileNotFoundError as exc:
        raise GitError("error: git is not installed (needed to read revisions)") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"error: git {args[0]} did not answer within {timeout} s") from exc


def _failed(args: list[str], result: subprocess.CompletedProcess[bytes]) -> GitError:
    """The error for a git call that failed: which call, and the first line git said."""
    said = result.stderr.decode("utf-8", "replace").strip().splitlines()
    reason = said[0].removeprefix("fatal: ").removeprefix("error: ") if said else ""
    return GitError(f"error: git {args[0]} failed (exit {result.returncode}): {reason[:200]}")


def blob_id(data: bytes) -> str:
    """The id git gives these bytes, so a working-tree file can be compared to a blob unread."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class Commit:
    """One commit of a file's history."""

    sha: str
    short: str
    time: int  # committer time, seconds since the epoch
    date: str  # committer date, YYYY-MM-DD
    subject: str
    path: str  # the file's path (from the repository root) in this commit
    blob: str = ""  # the file's blob id in this commit


@dataclass(frozen=True)
class FileFacts:
    """What git says of one file: its history (newest first) and its state on disk."""

    rel: str  # path from the repository root
    commits: tuple[Commit, ...]  # commits that changed it, newest first, renames followed
    committed: str | None  # its blob id at HEAD, ``None`` when HEAD does not have it
    blob: str  # the blob id of the bytes on disk

    @property
    def dirty(self) -> bool:
        return self.committed != self.blob

    @property
    def revision(self) -> str:
        """``rev 3f2a9c1``, with ``, uncommitted changes`` when the file differs from it."""
        if not self.commits or self.committed is None:
            return UNCOMMITTED
        return f"rev {self.commits[0].short}" + (f", {UNCOMMITTED}" if self.dirty else "")

    @property
    def commit_time(self) -> int | None:
        """The time of the file's last commit when the file is committed and unchanged."""
        return self.commits[0].time if self.commits and not self.dirty else None

    @property
    def head(self) -> str:
        """The file's last commit, or an empty string: what its history is keyed by."""
        return self.commits[0].sha if self.commits else ""


class Repo:
    """A git repository seen from a directory inside it.

    ``Repo(Path.cwd())`` raises :class:`GitError` outside a repository.
    Objects are read through one long-lived ``git cat-file --batch`` process.
    """

    def __init__(self, where: Path | None = None) -> None:
        self.cwd = (where or Path.cwd()).resolve()
        start = self.cwd if self.cwd.is_dir() else self.cwd.parent
        # The root and HEAD in one call; in a repository without commits git prints the
        # root, then "HEAD" back, and fails.
        found = _git(["rev-parse", "--show-toplevel", "HEAD"], start, timeout=10)
        lines = found.stdout.split(b"\n")
        self.bare = False
        if not lines[0] or (found.returncode != 0 and lines[1:2] != [b"HEAD"]):
            # A bare repository (a server's, a mirror) has revisions but no working tree:
            # its paths are read from its root, and only revisions can be compared.
            found = _git(
                ["rev-parse", "--is-bare-repository", "--absolute-git-dir", "HEAD"],
                start,
                timeout=10,
            )
            lines = found.stdout.split(b"\n")
            if lines[0] != b"true" or len(lines) < 2:
                raise GitError(f"error: not in a git repository: {start}")
            self.bare = True
            lines = lines[1:]
        self.root = Path(os.fsdecode(lines[0])).resolve()
        self._batch: subprocess.Popen[bytes] | None = None
        self._commits: dict[str, str] = {}
        head = lines[1].decode("ascii", "replace") if len(lines) > 1 else ""
        if found.returncode == 0 and _HEX.fullmatch(head):
            self._commits["HEAD"] = head
        self._tags: list[tuple[str, str]] | None = None

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
            found = None
            if rev and not rev.startswith("-") and not set(rev) & {"\n", "\r", "\0"}:
                found = self._header(f"{rev}^{{commit}}")
            if found is None or found[1] != "commit":
                raise GitError(f"error: unknown revision '{rev}'")
            self._commits[rev] = found[0]
        return self._commits[rev]

    def head(self) -> str | None:
        """The commit HEAD names, ``None`` in a repository without commits."""
        try:
            return self.commit("HEAD")
        except GitError:
            return None

    def short(self, rev: str) -> str:
        return self.commit(rev)[:SHORT]

    # objects ---------------------------------------------------------------------
    def read(self, rev: str, rel: str) -> bytes | None:
        """The bytes of ``rel`` (from the root) at ``rev``, or ``None`` when it is not there."""
        return self.object(f"{self.commit(rev)}:{rel}")

    def object(self, name: str) -> bytes | None:
        """The bytes of blob ``name`` (an id or ``COMMIT:PATH``), ``None`` if there is none."""
        found = self._request(name)
        return found[2] if found is not None and found[1] == "blob" else None

    def _header(self, name: str) -> tuple[str, str] | None:
        """``(object id, type)`` of ``name``, or ``None`` when git has no such object."""
        found = self._request(name)
        return (found[0], found[1]) if found else None

    def _request(self, name: str) -> tuple[str, str, bytes] | None:
        """``(object id, type, bytes)`` of ``name``, or ``None`` when git has no such object."""
        if set(name) & {"\n", "\r", "\0"}:
            return None
        batch = self._cat_file()
        assert batch.stdin is not None and batch.stdout is not None
        try:
            batch.stdin.write(f"{name}\n".encode())
            batch.stdin.flush()
            header = batch.stdout.readline().decode("utf-8", "replace").split()
        except OSError as exc:
            raise GitError(f"error: git cat-file stopped answering: {exc}") from exc
        if not header:
            raise GitError("error: git cat-file stopped answering")
        if len(header) != 3 or not header[2].isdigit():
            return None  # "<name> missing" or "<name> ambiguous"
        data = batch.stdout.read(int(header[2]) + 1)  # the object and its newline
        return header[0], header[1], data[:-1]

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
        specs = [f":(literal){r}" if r else "." for r in rels]
        args = ["ls-tree", "-r", "-z", "--full-tree", self.commit(rev), "--", *specs]
        out = _git(args, self.root)
        if out.returncode != 0:
            raise _failed(args, out)
        found = {}
        for record in out.stdout.split(b"\0"):
            meta, _, raw_name = record.partition(b"\t")
            name = os.fsdecode(raw_name)
            parts = meta.split()
            hidden = any(part.startswith(".") for part in name.split("/"))
            scenario = name.endswith(SCENARIO_SUFFIXES) and not hidden
            link = parts[:1] == [b"120000"]  # a symlink's blob is its target's name
            if len(parts) == 3 and parts[1] == b"blob" and scenario and not link:
                found[name] = parts[2].decode()
        return found

    def tags(self, pattern: str) -> list[tuple[str, str]]:
        """Tags matching the glob ``pattern`` that HEAD contains: ``(name, commit)``, newest first.

        Newest by creation (an annotated tag's date, a lightweight tag's commit
        date), then by name, last first (``briefing-10`` before ``briefing-9``
        made in the same second), so the order is the same on every run. One
        ``for-each-ref`` for every pattern asked of this repository.
        """
        if self._tags is None:
            args = [
                "for-each-ref",
                "--merged=HEAD",
                "--format=%(refname)%00%(objectname)%00%(*objectname)%00%(creatordate:unix)",
                "refs/tags/",
            ]
            out = _git(args, self.root)
            if out.returncode != 0:
                if self.head() is None:
                    return []  # no commits yet: no tags in HEAD
                raise _failed(args, out)
            tags = []
            for line in out.stdout.decode("utf-8", "replace").split("\n"):
                fields = line.split("\0")
                if len(fields) != 4 or not fields[0].startswith("refs/tags/"):
                    continue
                name, obj, peeled, when = fields
                made = int(when) if when.isdigit() else 0
                tags.append((made, _natural(name[len("refs/tags/") :]), name[10:], peeled or obj))
            tags.sort(reverse=True)
            self._tags = [(name, sha) for _, _, name, sha in tags]
        return [(name, sha) for name, sha in self._tags if fnmatch.fnmatchcase(name, pattern)]

    def history(self, rel: str) -> list[Commit]:
        """Commits that changed ``rel`` (from the root), newest first, renames followed."""
        return list(self.scan({rel: ""})[rel].commits)

    def scan(self, files: dict[str, str]) -> dict[str, FileFacts]:
        """The history and state of several files in one ``git log``.

        ``files`` maps each root-relative path to the blob id of its bytes on
        disk. Histories follow renames (never copies) among the repository's
        ``*.yaml``/``*.yml`` files along the first-parent line of HEAD, so the
        newest commit of a file holds its blob at HEAD exactly.
        """
        commits: dict[str, list[Commit]] = {rel: [] for rel in files}
        committed: dict[str, str | None] = dict.fromkeys(files)
        if files and self.head() is not None:
            self._walk(commits, committed)
        return {
            rel: FileFacts(rel, tuple(commits[rel]), committed[rel], blob)
            for rel, blob in files.items()
        }

    def _walk(self, commits: dict[str, list[Commit]], committed: dict[str, str | None]) -> None:
        args = [
            "log",
            "-z",
            "--raw",
            "--no-abbrev",
            "-M",
            "--first-parent",
            "--diff-merges=first-parent",
            "--no-ext-diff",
            "--no-textconv",
            "--format=%x00%H%x00%ct%x00%cs%x00%s",
            "HEAD",
            "--",
            *(f":(glob)**/*{suffix}" for suffix in SCENARIO_SUFFIXES),
        ]
        out = _git(args, self.root, timeout=600)
        if out.returncode != 0:
            raise _failed(args, out)
        # The current files each name stands for, in the tree after the commit being read.
        tracking: dict[str, list[str]] = {}
        for rel in commits:
            tracking.setdefault(rel, []).append(rel)
        for head, entries in _records(out.stdout):
            if not tracking:
                break
            ended: set[str] = set()
            earlier: dict[str, list[str]] = {}
            for status, blob, src, dst in entries:
                owners = tracking.get(dst)
                if not owners:
                    continue
                ended.add(dst)
                if status == "D":  # deleted here: HEAD does not have this file
                    continue
                for rel in owners:
                    if not commits[rel]:
                        committed[rel] = blob
                    commits[rel].append(Commit(*head, path=dst, blob=blob))
                if status == "R":  # before this commit the file had another name
                    earlier.setdefault(src, []).extend(owners)
                elif status not in ("M", "T"):  # added (or anything else): its history ends
                    continue
                else:
                    ended.discard(dst)
            tracking = {name: o for name, o in tracking.items() if name not in ended}
            for name, owners in earlier.items():
                tracking[name] = tracking.get(name, []) + owners

    def close(self) -> None:
        if self._batch is not None:
            batch, self._batch = self._batch, None
            try:
                for stream in (batch.stdin, batch.stdout):
                    if stream is not None:
                        stream.close()
                batch.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                batch.kill()
                batch.wait()

    def __enter__(self) -> Repo:
        return self

    def __exit__(self, *exc: Any) -> None:  # (``object`` here is the method of that name)
        self.close()

    def _cat_file(self) -> subprocess.Popen[bytes]:
        if self._batch is None:
            try:
                self._batch = subprocess.Popen(
                    command(["cat-file", "--batch"]),
                    cwd=self.root,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    env=environment(),
                )
            except FileNotFoundError as exc:
                raise GitError("error: git is not installed (needed to read revisions)") from exc
        return self._batch


def _records(
    out: bytes,
) -> list[tuple[tuple[str, str, int, str, str], list[tuple[str, str, str, str]]]]:
    """Parse ``git log -z --raw --format=%x00%H%x00%ct%x00%cs%x00%s``.

    Each commit: its (sha, short, time, date, subject) and its raw entries
    ``(status letter, new blob, source path, destination path)``.
    """
    tokens = out.split(b"\0")
    records = []
    i = 0
    n = len(tokens)
    while i < n:
        if (
            tokens[i].strip(b"\n") != b""
            or i + 4 >= n
            or not _HEX.fullmatch(tokens[i + 1].decode("ascii", "replace"))
        ):
            i += 1
            continue
        sha, time, date = (tokens[i + k].decode("utf-8", "replace") for k in range(1, 4))
        subject = tokens[i + 4].decode("utf-8", "replace")
        short = sha[:SHORT]
        i += 5
        entries = []
        while i < n and tokens[i].lstrip(b"\n").startswith(b":"):
            meta = tokens[i].lstrip(b"\n").decode("ascii", "replace").split()
            status = meta[-1][:1] if meta else ""
            blob = meta[3] if len(meta) >= 5 else ""
            if status in ("R", "C") and i + 2 < n:
                src, dst = os.fsdecode(tokens[i + 1]), os.fsdecode(tokens[i + 2])
                i += 3
            else:
                src = dst = os.fsdecode(tokens[i + 1]) if i + 1 < n else ""
                i += 2
            entries.append((status, blob, src, dst))
        records.append(((sha, short, int(time) if time.isdigit() else 0, date, subject), entries))
    return records


def _natural(name: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key in which ``briefing-10`` comes after ``briefing-9``."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", name)
    )


def find_repo(where: Path | None = None) -> Repo | None:
    """The repository containing ``where``, or ``None`` outside git (or without git)."""
    try:
        return Repo(where)
    except GitError:
        return None


@dataclass
class Scan:
    """Git facts of a set of files, read in one pass: the repository, and each file's facts.

    ``repo`` is ``None`` outside git, and ``facts`` is then empty. ``error``
    holds a git failure: every document of these files then fails with it.
    """

    repo: Repo | None
    facts: dict[Path, FileFacts] = field(default_factory=dict)
    error: str | None = None

    def close(self) -> None:
        if self.repo is not None:
            self.repo.close()

    def __enter__(self) -> Scan:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def revision(self, path: Path) -> str:
        facts = self.facts.get(path)
        return facts.revision if facts is not None else ""


def scan(files: dict[Path, bytes | str]) -> Scan:
    """One pass over git for ``files`` (each path with its bytes, or their blob id).

    Files outside the first file's repository are seen as outside git.
    """
    if not files:
        return Scan(None)
    first = next(iter(files)).resolve()
    repo = find_repo(first.parent)
    if repo is None:
        return Scan(None)
    rels: dict[Path, str] = {}
    for path in files:
        try:
            rels[path] = path.resolve().relative_to(repo.root).as_posix()
        except ValueError:  # a file in another repository: seen as outside git
            continue
    blobs = {
        rels[p]: data if isinstance(data, str) else blob_id(data)
        for p, data in files.items()
        if p in rels
    }
    try:
        found = repo.scan(blobs)
    except GitError as exc:
        return Scan(repo, {}, exc.message)
    return Scan(repo, {path: found[rel] for path, rel in rels.items()})


def revision(path: Path) -> str:
    """``rev 3f2a9c1`` for the last commit of ``path``, with ``, uncommitted changes`` if modified.

    ``uncommitted changes`` alone for a file the repository does not have at
    HEAD, and the empty string outside a repository (or without git): the
    document then shows only the scenario's version and date.
    """
    return revisions([path])[path]


def revisions(files: list[Path]) -> dict[Path, str]:
    """What :func:`revision` says, for each file, from one pass over git."""
    data: dict[Path, bytes | str] = {}
    for f in files:
        try:
            data[f] = f.read_bytes()
        except OSError:
            data[f] = ""
    with scan(data) as found:
        if found.error:
            raise GitError(found.error)
        return {f: found.revision(f) for f in files}
