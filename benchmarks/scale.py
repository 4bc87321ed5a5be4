"""Growth benchmark (not a timed test): run ``python benchmarks/scale.py [--base N]``.

Each dimension a user can grow — observations, thresholds, branches, timeline
events, commits of one file — is grown to 1x, 4x and 16x of ``--base``
(default 250) in a copy of ``scenarios/ai-2027.yaml``, and the real commands run
on it in a fresh process each: ``validate``, ``status``, ``render`` of the brief
and the report as Markdown, and ``diff`` of the file against a copy with every
grown item reworded. For each it prints wall time and peak RSS (the process's
own ``VmHWM``), and the growth exponent from 4x to 16x: ``log(t16/t4) /
log 4`` is 1 for linear work and 2 for quadratic; ``n log n`` shows as about
1.1. Start-up (about 0.3 s) is in every figure, so small sizes read flatter.

The target (issue 21): no exponent above about 1.2 where a user can grow the
file, and no cliff inside the 2 MiB file-size limit.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "scenarios" / "ai-2027.yaml"
SCENARIO = str(Path(sys.executable).with_name("scenario"))
GIT_ENV = {
    "GIT_AUTHOR_NAME": "b",
    "GIT_AUTHOR_EMAIL": "b@x.invalid",
    "GIT_COMMITTER_NAME": "b",
    "GIT_COMMITTER_EMAIL": "b@x.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _base() -> dict[str, Any]:
    return yaml.safe_load(BASE.read_text(encoding="utf-8"))


def observations(n: int, word: str = "") -> dict[str, Any]:
    data = _base()
    indicator = data["indicators"][0]
    indicator["observations"] = [
        {
            "date": f"{1900 + i // 12:04d}-{i % 12 + 1:02d}",
            "value": float(i),
            "note": f"reading {i}{word}",
        }
        for i in range(n)
    ]
    return data


def thresholds(n: int, word: str = "") -> dict[str, Any]:
    data = _base()
    data["thresholds"] += [
        {
            "id": f"t{i}",
            "name": f"Threshold {i}{word}",
            "level": ("watch", "warning", "critical")[i % 3],
            "description": f"What crossing threshold {i} means{word}.",
            "assessments": [{"date": "2026-01", "status": ("alert", "crossed")[i % 2]}],
        }
        for i in range(n)
    ]
    return data


def branches(n: int, word: str = "") -> dict[str, Any]:
    data = _base()
    data["branches"] += [
        {"id": f"b{i}", "name": f"Branch {i}{word}", "from": "2027-10", "condition": f"if {i}"}
        for i in range(n)
    ]
    return data


def timeline(n: int, word: str = "") -> dict[str, Any]:
    data = _base()
    data["timeline"] += [
        {
            "date": f"{2030 + i // 12}-{i % 12 + 1:02d}",
            "event": f"Event {i}: a lab reports progress on task {i}{word}.",
        }
        for i in range(n)
    ]
    return data


GROW: dict[str, Callable[..., dict[str, Any]]] = {
    "observations": observations,
    "thresholds": thresholds,
    "branches": branches,
    "timeline events": timeline,
}


def measure(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one command in a fresh process.

    The peak is the process's own ``VmHWM``, polled from /proc: ``ru_maxrss`` would
    count the pages of this benchmark that the child had before its exec.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(
        [SCENARIO, *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    status = Path(f"/proc/{proc.pid}/status")
    while proc.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    error = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"scenario {' '.join(args)} failed ({proc.returncode}): {error}")
    return seconds, peak / 1024


def write(path: Path, data: dict[str, Any]) -> int:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")
    return len(text.encode())


def git(repo: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, capture_output=True, check=True
    )
    return out.stdout.decode()


def commits(work: Path, n: int) -> Path:
    """A repository where one file has ``n`` commits and its version never changes."""
    repo = work / f"commits-{n}"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    data = _base()
    path = repo / "s.yaml"
    # fast-import writes the n commits in one process
    lines = []
    for i in range(n):
        data["summary"] = f"Revision {i} of the summary."
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode()
        lines.append(f"commit refs/heads/main\ncommitter b <b@x.invalid> {1_700_000_000 + i} +0000")
        lines.append(f"data {len(f'r{i}')}\nr{i}")  # each commit continues the branch
        lines.append(f"M 100644 inline s.yaml\ndata {len(text)}")
        lines.append(text.decode() + "\n")
    subprocess.run(
        ["git", "fast-import", "--quiet"],
        cwd=repo,
        input="\n".join(lines).encode(),
        env={**os.environ, **GIT_ENV},
        check=True,
    )
    git(repo, "checkout", "-q", "-f", "main")
    assert path.exists()
    return repo


def exponent(small: float, large: float) -> str:
    return f"{math.log(large / small) / math.log(4):.2f}" if small > 0 and large > 0 else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=int, default=250, help="items at 1x (default 250)")
    parser.add_argument("--only", help="one dimension, e.g. thresholds")
    options = parser.parse_args()
    sizes = [options.base, 4 * options.base, 16 * options.base]
    commands = {
        "validate": ["validate", "a/s.yaml"],
        "status": ["status", "a/s.yaml"],
        "brief md": ["render", "a/s.yaml", "-o", "brief.md"],
        "report md": ["render", "a/s.yaml", "-t", "report", "-o", "report.md"],
        "diff": ["diff", "a/s.yaml", "b/t.yaml"],  # apart: one id twice in a folder is an error
    }
    print(f"base {options.base}; time s / peak RSS MB; exponent of time from 4x to 16x")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "a").mkdir()
        (work / "b").mkdir()
        for name, grow in GROW.items():
            if options.only and options.only != name:
                continue
            results: dict[str, list[tuple[float, float]]] = {c: [] for c in commands}
            sized = []
            for n in sizes:
                size = write(work / "a" / "s.yaml", grow(n))
                write(work / "b" / "t.yaml", grow(n, " (reworded)"))
                sized.append(f"{n} ({size / 1024:.0f} KB)")
                for command, args in commands.items():
                    results[command].append(measure(args, work))
            print(f"\n{name}: {', '.join(sized)}")
            for command, figures in results.items():
                cells = "  ".join(f"{t:6.2f} s {m:5.0f} MB" for t, m in figures)
                print(f"  {command:<10} {cells}  exponent {exponent(figures[1][0], figures[2][0])}")
        if not options.only or options.only == "commits":
            print("\ncommits of one file, version unchanged (render md, then a no-op build)")
            figures = []
            for n in sizes:
                repo = commits(work, n)
                (repo / "scenario.toml").write_text('formats = ["md"]\ntemplates = ["brief"]\n')
                render = measure(["render", "s.yaml", "-o", "brief.md"], repo)
                measure(["build", "-q", "s.yaml"], repo)
                noop = measure(["build", "-q", "s.yaml"], repo)
                figures.append((render, noop))
                print(
                    f"  {n:>6} commits: render {render[0]:6.2f} s {render[1]:5.0f} MB, "
                    f"no-op build {noop[0]:6.2f} s {noop[1]:5.0f} MB"
                )
            print(f"  exponent render {exponent(figures[1][0][0], figures[2][0][0])}")


if __name__ == "__main__":
    main()
