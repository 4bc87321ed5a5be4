"""Builds under attack or in trouble: hostile manifests, odd output folders, signals.

A manifest may have been edited, shared or damaged: a build must never delete
a file it did not write, and any damage means one warning and a full rebuild.
The hostile manifests are in ``tests/hostile/manifests/``; ``@@VICTIM@@`` and
``@@SHA@@`` in them are replaced by the path and hash of a file the build must
leave alone. Output folders that are files, links out of the folder or
read-only fail only the outputs they block, each with one located line.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_build import PDF, SCENARIOS, TEXT, cli, run_build

from generator.batch import manifest

pytestmark = pytest.mark.slow  # builds whole workspaces (about a second each)

HOSTILE = Path(__file__).parent / "hostile" / "manifests"
EVERYTHING = {f"coordinated-pause/{t}.{f}" for t in ("brief", "report") for f in ("md", "html")}


def workspace(root: Path, toml: str = TEXT) -> Path:
    """A workspace with one example scenario (four text documents: quick to build)."""
    (root / "scenarios").mkdir(parents=True)
    shutil.copy(SCENARIOS / "coordinated-pause.yaml", root / "scenarios")
    (root / "scenario.toml").write_text(toml, encoding="utf-8")
    return root


def shown(value: str) -> str:
    """A value as a message echoes it: quoted, cut to 60 characters with an ellipsis."""
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


# --------------------------------------------------------------------------- hostile manifests


DAMAGE = {
    "parent-escape": "output '../victim' is not a path this build writes",
    "absolute-key": "output {victim} is not a path this build writes",
    "unrelated-file": "output 'notes.txt' is not a path this build writes",
    "backslash-key": r"output 'gone\\..\\..\\victim' is not a path this build writes",
    "dot-segments": "output 'gone/../../victim.md' is not a path this build writes",
    "empty-key": "output '' is not a path this build writes",
    "string-entry": "outputs['a/b.md'] is not an object",
    "numeric-scenario": "outputs['gone/brief.md'].scenario is not a string",
    "boolean-size": "outputs['gone/brief.md'].size is not a whole number",
    "mismatched-format": (
        "outputs['gone/brief.md'] says template 'brief', format 'pdf', unlike its path"
    ),
    "summary-id-escape": (
        "scenarios['scenarios/coordinated-pause.yaml'].summary.id '../../escape' "
        "is not a scenario id"
    ),
    "not-json": "not valid JSON (line 2, column 1)",
    "list-document": "the manifest is not an object",
    "format-newer": "it is of format 5, not 4",
}


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_a_damaged_manifest_is_ignored_with_one_warning_and_everything_rebuilt(
    tmp_path: Path, name: str
) -> None:
    root = workspace(tmp_path / "ws")
    out = root / "output"
    out.mkdir()
    victims = [tmp_path / "victim", tmp_path / "ws" / "victim.md", out / "notes.txt"]
    for victim in victims:
        victim.write_text("not the build's\n", encoding="utf-8")
    text = (HOSTILE / f"{name}.json").read_text(encoding="utf-8")
    digest = hashlib.sha256(b"not the build's\n").hexdigest()
    if name == "summary-id-escape":  # the hash of the real file: a summary the build would trust
        digest = hashlib.sha256(
            (root / "scenarios/coordinated-pause.yaml").read_bytes()
        ).hexdigest()
    text = text.replace("@@VICTIM@@", str(victims[0])).replace("@@SHA@@", digest)
    (out / "manifest.json").write_text(text, encoding="utf-8")

    result = run_build(root)

    reason = DAMAGE[name].format(victim=shown(str(victims[0])))
    assert [str(d) for d in result.diagnostics] == [
        f"{out / 'manifest.json'}: warning: {reason}; ignored; rebuilding everything"
    ]
    assert result.ok and result.removed == []
    assert {Path(t).relative_to(out).as_posix() for t in result.built} == EVERYTHING
    for victim in victims:
        assert victim.read_text(encoding="utf-8") == "not the build's\n"
    assert not (out.parent.parent / "escape").exists()
    # The damaged manifest is replaced by a sound one: the next build is quiet and skips all.
    again = run_build(root)
    assert again.diagnostics == [] and again.built == []
    assert len(again.skipped) == len(EVERYTHING)
    manifest.parse(json.loads((out / "manifest.json").read_bytes()))


def add_stale_entry(out: Path, key: str, data: bytes) -> None:
    """Record ``key`` in the manifest as an output of a scenario file that no longer exists."""
    path = out / "manifest.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    template, fmt = key.split("/")[1].split(".")
    document["outputs"][key] = {
        "scenario": "scenarios/gone.yaml",
        "template": template,
        "format": fmt,
        "key": "0" * 64,
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "revision": "not in git",
        "attachments": {},
    }
    path.write_text(json.dumps(document), encoding="utf-8")


@pytest.mark.parametrize("trap", ["folder-link", "file-link", "edited"])
def test_a_build_removes_only_files_it_wrote_checked_at_deletion_time(
    tmp_path: Path, trap: str
) -> None:
    root = workspace(tmp_path / "ws")
    out = root / "output"
    assert run_build(root).ok
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "brief.md"
    victim.write_bytes(b"someone else's brief\n")
    if trap == "folder-link":  # OUTPUT/gone leads out of the output folder
        (out / "gone").symlink_to(outside, target_is_directory=True)
    elif trap == "file-link":  # OUTPUT/gone/brief.md leads out of it
        (out / "gone").mkdir()
        (out / "gone" / "brief.md").symlink_to(victim)
    else:  # the build wrote it, but someone has changed it since
        (out / "gone").mkdir()
        (out / "gone" / "brief.md").write_bytes(b"edited by hand\n")
    add_stale_entry(out, "gone/brief.md", victim.read_bytes())

    result = run_build(root)

    assert result.ok and result.removed == []
    assert [str(d) for d in result.diagnostics] == [
        f"{out / 'gone' / 'brief.md'}: warning: left in place: "
        "not the file an earlier build wrote there"
    ]
    assert victim.read_bytes() == b"someone else's brief\n"
    assert (out / "gone" / "brief.md").exists()


def test_leftover_cleanup_does_not_follow_links_out_of_the_output_folder(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws")
    out = root / "output"
    out.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    theirs = outside / ".brief.md.abcd1234.tmp"
    theirs.write_text("someone's temporary file", encoding="utf-8")
    (out / "linked").symlink_to(outside, target_is_directory=True)
    ours = out / ".index.md.wxyz5678.tmp"
    ours.write_text("a killed build's leftover", encoding="utf-8")

    assert run_build(root).ok
    assert theirs.exists()
    assert not ours.exists()
    assert os.path.islink(out / "linked")
    shutil.rmtree(outside)


# --------------------------------------------------------------------------- output folders


def two_scenarios(root: Path, toml: str = TEXT) -> Path:
    """A workspace with two example scenarios: one to block, one that must still be built."""
    workspace(root, toml)
    shutil.copy(SCENARIOS / "fli-pause-letter-2023.yaml", root / "scenarios")
    return root


def other_documents() -> set[str]:
    return {f"fli-pause-letter-2023/{t}.{f}" for t in ("brief", "report") for f in ("md", "html")}


@pytest.mark.parametrize("blocker", ["link-out", "file"])
def test_a_blocked_scenario_folder_fails_its_outputs_only(tmp_path: Path, blocker: str) -> None:
    root = two_scenarios(tmp_path / "ws")
    out = root.resolve() / "output"
    out.mkdir()
    outside = tmp_path.resolve() / "outside"
    outside.mkdir()
    folder = out / "coordinated-pause"
    if blocker == "link-out":
        folder.symlink_to(outside, target_is_directory=True)
        reason = (
            f"{folder} leads outside the output folder {out} (to {outside}); "
            "refusing to write through it"
        )
    else:
        folder.write_text("a file where a folder should be\n", encoding="utf-8")
        reason = f"{folder} is a file, not a folder"

    run = cli(root)

    assert run.returncode == 1
    failed = sorted(EVERYTHING)
    assert sorted(run.stderr.splitlines()) == [
        f"{out / rel}: error: cannot write: {reason}" for rel in failed
    ]
    assert run.stdout.startswith("built 4, skipped 0, failed 4, removed 0 in ")
    assert {p.relative_to(out).as_posix() for p in out.glob("*/*.*")} >= other_documents()
    assert list(outside.iterdir()) == []


def test_an_output_folder_that_is_a_file_is_one_clear_error(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws")
    (root / "output").write_text("not a folder\n", encoding="utf-8")
    run = cli(root)
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == (
        f"{root.resolve() / 'output'}: error: the output folder is a file; "
        "move it or choose another\n"
    )


def unprivileged(command: list[str]) -> list[str]:
    """``command`` as a process that honours file permissions: root's are dropped with capsh."""
    if os.geteuid() != 0:
        return command
    if not shutil.which("capsh"):
        pytest.skip(
            "running as root, which ignores permissions, and capsh (libcap2-bin) is missing"
        )
    drop = "--drop=cap_dac_override,cap_dac_read_search,cap_fowner,cap_linux_immutable"
    return ["capsh", drop, "--", "-c", shlex.join(command)]


def test_an_unwritable_output_fails_alone_and_the_summary_names_it(tmp_path: Path) -> None:
    root = two_scenarios(tmp_path / "ws")
    out = root.resolve() / "output"
    blocked = out / "coordinated-pause"
    blocked.mkdir(parents=True)
    blocked.chmod(0o555)  # read-only: nothing can be created in it
    try:
        run = subprocess.run(
            unprivileged([sys.executable, "-m", "generator", "build"]),
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        blocked.chmod(0o755)
    assert run.returncode == 1, run.stderr
    assert sorted(run.stderr.splitlines()) == [
        f"{out / rel}: error: cannot write: permission denied" for rel in sorted(EVERYTHING)
    ]
    assert run.stdout.startswith("built 4, skipped 0, failed 4, removed 0 in ")
    assert {p.relative_to(out).as_posix() for p in out.glob("*/*.*")} == other_documents()
    written = json.loads((out / "manifest.json").read_bytes())["outputs"]
    assert set(written) == other_documents()


# --------------------------------------------------------------------------- Dask scheduler


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("tcp://127.0.0.1:{port}", "connection refused"),
        ("127.0.0.1:{port}", "connection refused"),
        ("garbage:::://", "unknown address scheme 'garbage:::'"),
        ("tcp://127.0.0.1:port", "not an address Dask understands (e.g. tcp://host:8786)"),
    ],
)
@pytest.mark.parametrize("formats", ['["pdf"]', '["md"]'])  # checked whatever the formats
def test_an_unreachable_dask_scheduler_is_said_plainly_and_quickly(
    tmp_path: Path, address: str, reason: str, formats: str
) -> None:
    pytest.importorskip("dask.distributed")
    root = workspace(tmp_path / "ws", f'formats = {formats}\ntemplates = ["brief"]\n')
    scheduler = address.format(port=closed_port())
    started = time.monotonic()
    run = cli(root, "--executor", "dask", "--scheduler", scheduler, timeout=60)
    assert time.monotonic() - started < 15
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == f"cannot reach the Dask scheduler at {scheduler}: {reason}\n"
    assert list((root / "output").glob("*/*")) == []


class _Impostor:
    """A listener on 127.0.0.1 that accepts and then never answers, or answers in HTTP."""

    def __init__(self, http: bool) -> None:
        import threading

        self.http = http
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.open: list[socket.socket] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        deadline = time.monotonic() + 60  # bounded, whatever happens to the test
        while not self.stop.is_set() and time.monotonic() < deadline:
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.open.append(conn)
            if self.http:
                conn.settimeout(1)
                with __import__("contextlib").suppress(OSError):
                    conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        for conn in self.open:
            conn.close()
        self.server.close()


@pytest.mark.parametrize(
    ("http", "message"),
    [
        (
            False,
            "no answer from the Dask scheduler at tcp://127.0.0.1:{port} within 3 s; "
            "is a Dask scheduler listening there?",
        ),
        (
            True,
            "tcp://127.0.0.1:{port} is not a Dask scheduler: what listens there does not "
            "answer in Dask's protocol",
        ),
    ],
)
def test_a_listener_that_is_not_dask_is_said_plainly_within_seconds(
    tmp_path: Path, http: bool, message: str
) -> None:
    pytest.importorskip("dask.distributed")
    root = workspace(tmp_path / "ws", 'formats = ["pdf"]\ntemplates = ["brief"]\n')
    impostor = _Impostor(http)
    try:
        started = time.monotonic()
        scheduler = f"tcp://127.0.0.1:{impostor.port}"
        run = cli(root, "--executor", "dask", "--scheduler", scheduler, timeout=60)
        assert time.monotonic() - started < 20
    finally:
        impostor.close()
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == message.format(port=impostor.port) + "\n"
    assert list((root / "output").glob("*/*")) == []


def test_a_dask_worker_started_in_another_folder_builds_with_relative_paths(
    tmp_path: Path,
) -> None:
    pytest.importorskip("dask.distributed")
    root = workspace(tmp_path / "ws", 'formats = ["pdf"]\ntemplates = ["brief"]\n')
    port = closed_port()
    bin_dir = Path(sys.executable).parent
    scheduler = subprocess.Popen(
        [
            str(bin_dir / "dask"),
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-dashboard",
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    worker = subprocess.Popen(
        [
            str(bin_dir / "dask"),
            "worker",
            f"tcp://127.0.0.1:{port}",
            "--nthreads",
            "1",
            "--no-dashboard",
        ],
        cwd=elsewhere,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        address = f"tcp://127.0.0.1:{port}"
        from dask.distributed import Client

        deadline = time.monotonic() + 60
        while True:  # the worker registers: bounded in time
            assert time.monotonic() < deadline, "the worker did not join in time"
            try:
                with Client(address, timeout="2s") as client:
                    if client.nthreads():
                        break
            except OSError:
                pass
            time.sleep(0.5)
        run = cli(
            root,
            "scenarios/coordinated-pause.yaml",
            "-o",
            "out",
            "--executor",
            "dask",
            "--scheduler",
            address,
            timeout=120,
        )
    finally:
        for proc in (worker, scheduler):
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in (worker, scheduler):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("built 1, skipped 0, failed 0")
    assert (root / "out" / "coordinated-pause" / "brief.pdf").read_bytes().startswith(b"%PDF-")


# --------------------------------------------------------------------------- stopping a build


def many_pdfs(root: Path, copies: int = 2) -> list[str]:
    """A PDF workspace with ``copies`` of each example scenario (unique ids); their outputs."""
    (root / "scenarios").mkdir(parents=True)
    (root / "scenario.toml").write_text(PDF, encoding="utf-8")
    finals = []
    for copy in range(copies):
        for path in sorted(SCENARIOS.glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            sid = re.search(r"^id: (\S+)$", text, re.M)[1]  # type: ignore[index]
            text = re.sub(r"^id: \S+$", f"id: {sid}-{copy}", text, count=1, flags=re.M)
            (root / "scenarios" / f"{sid}-{copy}.yaml").write_text(text, encoding="utf-8")
            finals.append(f"{sid}-{copy}/brief.pdf")
    return finals


def group_gone(pgid: int, within: float = 15.0) -> bool:
    """Whether every process of the group (the build, the forkserver, workers) has ended."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_the_build_and_keeps_what_it_finished(tmp_path: Path, signum: int) -> None:
    root = tmp_path / "ws"
    finals = many_pdfs(root)
    out = root / "output"
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "-j", "2"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not list(out.glob("*/brief.pdf")):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no output appeared in time"
            time.sleep(0.02)
        proc.send_signal(signum)  # the build's main process only, as `kill` would
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)

    name = signal.Signals(signum).name
    assert proc.returncode == 128 + signum, stderr
    assert stdout == ""
    found = re.fullmatch(
        rf"interrupted by {name}: kept (\d+) finished and 0 unchanged outputs in "
        rf"{re.escape(str(out.resolve()))}; the next build renders the rest\n",
        stderr,
    )
    assert found, stderr  # one line: no traceback, no "leaked semaphore" warning
    assert group_gone(proc.pid), "a worker outlived the build"
    kept = int(found[1])
    written = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    assert len(written) == kept < len(finals)
    for key, entry in written.items():  # consistent: every entry is that complete file
        data = (out / key).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (entry["sha256"], entry["size"])

    again = cli(root, "-j", "2", "--format", "json")
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert len(summary["skipped"]) == kept
    assert len(summary["built"]) == len(finals) - kept


# --------------------------------------------------------------------------- a file rewritten


def test_a_file_rewritten_during_the_build_is_never_recorded_under_its_new_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.format import validation

    root = workspace(tmp_path / "ws", 'formats = ["md"]\ntemplates = ["brief"]\n')
    path = root / "scenarios" / "coordinated-pause.yaml"
    assert run_build(root).ok
    (root / "output" / "coordinated-pause" / "brief.md").unlink()  # to render, from cache
    original = validation.load_file
    edited = path.read_text().replace("title: ", "title: Rewritten ", 1)

    def rewritten_first(file: Path, *args: object, **kwargs: object) -> object:
        path.write_text(edited)  # another process saves the file after the plan read it
        return original(file, *args, **kwargs)

    monkeypatch.setattr(validation, "load_file", rewritten_first)
    result = run_build(root)
    assert not result.ok
    assert [str(d) for d in result.diagnostics] == [
        f"{path}: error: the file changed during the build; run the build again"
    ]
    monkeypatch.setattr(validation, "load_file", original)
    again = run_build(root)  # the next build sees the new bytes and renders them
    assert again.ok and len(again.built) == 1
    assert "Rewritten" in (root / "output" / "coordinated-pause" / "brief.md").read_text()


def test_a_build_killed_with_sigkill_leaves_no_process_behind(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    many_pdfs(root)
    out = root / "output"
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "-j", "2"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not list(out.glob("*/brief.pdf")):  # the workers are busy
            assert proc.poll() is None
            assert time.monotonic() < deadline, "no output appeared in time"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)  # the main process only: no handler can run
        proc.wait(timeout=30)
        # Workers, the forkserver and the resource tracker end with it, within seconds.
        assert group_gone(proc.pid, within=10), "a process of the build outlived it"
    finally:
        with __import__("contextlib").suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
