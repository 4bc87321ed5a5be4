"""Where ``-o`` and ``build`` write: a regular file is replaced atomically; a device, a
FIFO or a link is written into, never replaced; what is planted in an output folder
is refused with one located line.

The attacks are made here, on disk, because they are not scenario files: the
fixtures of ``tests/hostile/`` are the scenarios they render.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "seoul-commitments.yaml"
CLI = [sys.executable, "-c", "from generator.cli import main; main()"]


def _run(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture
def work(tmp_path: Path) -> Path:
    shutil.copy(SCENARIO, tmp_path / SCENARIO.name)
    (tmp_path / "scenario.toml").write_text('formats = ["md"]\n')
    return tmp_path


def _markdown(work: Path) -> str:
    done = _run("render", SCENARIO.name, "-f", "md", "-o", "-", cwd=work)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_fifo_gets_the_document_and_stays_a_fifo(work: Path) -> None:
    fifo = work / "pipe.md"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:  # blocks until the writer opens it
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    done = _run("render", SCENARIO.name, "-o", str(fifo), cwd=work)
    reader.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert received == [_markdown(work).encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_dev_null_stays_a_device(work: Path) -> None:
    done = _run("render", SCENARIO.name, "-f", "md", "-o", "/dev/null", cwd=work)
    assert (done.returncode, done.stderr) == (0, "")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    assert Path("/dev/null").read_bytes() == b""


def test_dev_stdout_is_written_in_place(work: Path) -> None:
    done = _run("render", SCENARIO.name, "-f", "md", "-o", "/dev/stdout", cwd=work)
    assert done.returncode == 0, done.stderr
    assert done.stdout == _markdown(work) + "wrote /dev/stdout\n"


def test_a_symlink_is_written_through_and_kept(work: Path) -> None:
    (work / "real.md").write_text("old\n")
    (work / "link.md").symlink_to("real.md")
    done = _run("render", SCENARIO.name, "-o", "link.md", cwd=work)
    assert (done.returncode, done.stderr) == (0, "")
    assert os.readlink(work / "link.md") == "real.md"
    assert (work / "real.md").read_text() == _markdown(work)


def test_a_dangling_symlink_is_written_through(work: Path) -> None:
    (work / "link.md").symlink_to("made.md")
    done = _run("render", SCENARIO.name, "-o", "link.md", cwd=work)
    assert done.returncode == 0, done.stderr
    assert (work / "link.md").is_symlink()
    assert (work / "made.md").read_text() == _markdown(work)


def test_a_folder_in_the_way_is_one_located_line(work: Path) -> None:
    (work / "out" / "seoul-commitments" / "brief.md").mkdir(parents=True)
    done = _build(work)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if "brief.md" in line]
    assert lines == [
        f"{work / 'out' / 'seoul-commitments' / 'brief.md'}: error: cannot write: "
        "a folder of that name is in the way"
    ]


def test_the_format_follows_the_file_name_unless_told(work: Path) -> None:
    done = _run("render", SCENARIO.name, "-o", "brief.md", cwd=work)
    assert done.returncode == 0, done.stderr
    assert (work / "brief.md").read_text() == _markdown(work)
    done = _run("render", SCENARIO.name, "-f", "pdf", "-o", "brief.md", cwd=work)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "brief.md: error: cannot write: -f pdf makes a pdf document but the file name "
        "ends in .md; drop -f or name the file *.pdf\n"
    )
    done = _run("render", SCENARIO.name, "-f", "md", "-o", "brief.txt", cwd=work)
    assert done.returncode == 0, done.stderr
    assert (work / "brief.txt").read_text() == _markdown(work)


def _build(work: Path) -> subprocess.CompletedProcess[str]:
    return _run("build", SCENARIO.name, "-o", "out", "--force", cwd=work, timeout=60)


def test_a_fifo_planted_in_the_output_folder_is_refused_without_waiting(work: Path) -> None:
    assert _build(work).returncode == 0
    planted = work / "out" / "seoul-commitments" / "brief.md"
    planted.unlink()
    os.mkfifo(planted)
    done = _build(work)  # no reader: waiting on the FIFO would hang until the timeout
    assert done.returncode == 1
    assert f"{planted}: error: cannot write: it is not a regular file (a device or a FIFO)\n" in (
        done.stderr
    )
    assert stat.S_ISFIFO(os.lstat(planted).st_mode)
    assert (work / "out" / "seoul-commitments" / "report.md").is_file()  # the rest is built


def test_a_link_planted_in_the_output_folder_is_not_followed_out(work: Path) -> None:
    assert _build(work).returncode == 0
    outside = work / "outside.md"
    outside.write_text("keep\n")
    planted = work / "out" / "seoul-commitments" / "brief.md"
    planted.unlink()
    planted.symlink_to(outside)
    done = _build(work)
    assert done.returncode == 1
    assert (
        f"{planted}: error: cannot write: it is a link to {outside}, outside the output "
        f"folder {work / 'out'}; refusing to write through it\n"
    ) in done.stderr
    assert outside.read_text() == "keep\n"
    assert planted.is_symlink()
