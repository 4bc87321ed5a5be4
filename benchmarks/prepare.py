"""Prepare once: the figures of one prepared scenario per build and one pass over git.

Usage::

    python benchmarks/prepare.py [--n 100] [--noop 1000] [--weekly 48] [--history 12000]
                                 [--skip-parallel] [--write]

Measures, each on its own temporary corpus or repository under /tmp/bench-prepare:

1. ``build -j 2`` over ``build -j 1`` on N scenarios, every template and format;
2. ``git`` processes started by one ``render`` and by a build (a counting ``git`` first
   on PATH), and parses and analyses per build (counted in one process);
3. the no-op rebuild of ``--noop`` scenarios (Markdown and HTML, so that the first build
   does not take an hour of PDFs), outside git and committed in a repository, with the
   peak memory of the process;
4. the weekly cycle: ``--weekly`` scenarios in a repository tagged ``briefing-*``; a README
   commit and a new tag, then the documents rebuilt;
5. a scenario with ``--history`` commits whose version never changed: the first build and
   the no-op rebuild (its baseline is cached in the manifest).

Prints a table; with ``--write`` replaces the "Prepare once" section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import BIN, EXAMPLES, HERE, SCENARIO, load_average, machine

WORK = Path("/tmp/bench-prepare")
REAL_GIT = shutil.which("git") or "git"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Analyst",
    "GIT_AUTHOR_EMAIL": "analyst@example.invalid",
    "GIT_COMMITTER_NAME": "Analyst",
    "GIT_COMMITTER_EMAIL": "analyst@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}
ROWS: list[tuple[str, str, str, str]] = []


def record(name: str, value: str, target: str = "", verdict: str = "") -> None:
    ROWS.append((name, value, target, verdict))
    print(f"  {name:<64} {value:>14}  {target:<12} {verdict}", flush=True)


def env(extra_path: Path | None = None) -> dict[str, str]:
    path = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    if extra_path is not None:
        path = f"{extra_path}{os.pathsep}{path}"
    return {**os.environ, **GIT_ENV, "PATH": path}


def git(repo: Path, *args: str) -> str:
    out = subprocess.run(
        [REAL_GIT, *args], cwd=repo, env=env(), capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def scenario(cwd: Path, *args: str, path: Path | None = None) -> tuple[float, str, int]:
    """Wall time, standard output and peak RSS (kB, of this child) of ``scenario ARGS``."""
    started = time.perf_counter()
    proc = subprocess.run(
        [SCENARIO, *args], cwd=cwd, env=env(path), capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"scenario {' '.join(args)}: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, proc.stdout, peak


def corpus(root: Path, n: int, formats: str) -> list[Path]:
    """N scenarios copied round-robin from the examples, each with its own id."""
    if root.exists():
        shutil.rmtree(root)
    folder = root / "scenarios"
    folder.mkdir(parents=True)
    (root / "scenario.toml").write_text(
        f'formats = {formats}\ntemplates = ["brief", "report"]\n', encoding="utf-8"
    )
    examples = sorted(EXAMPLES.glob("*.yaml"))
    files = []
    for i in range(n):
        text = examples[i % len(examples)].read_text(encoding="utf-8")
        base = re.search(r"^id:\s*(\S+)\s*$", text, re.M)
        assert base, examples[i % len(examples)]
        ident = f"{base[1]}-{i:04d}"
        target = folder / f"{ident}.yaml"
        target.write_text(re.sub(r"^id:.*$", f"id: {ident}", text, count=1, flags=re.M))
        files.append(target)
    return files


def bump(path: Path, version: str = "99.0") -> None:
    """A new version of a scenario file (its ``version`` line replaced or added)."""
    lines = path.read_text().splitlines()
    at = next((n for n, line in enumerate(lines) if line.startswith("version:")), None)
    if at is None:
        at = next(n for n, line in enumerate(lines) if line.startswith("id:")) + 1
        lines.insert(at, "")
    lines[at] = f"version: '{version}'"
    path.write_text("\n".join(lines) + "\n")


def counting_git(folder: Path) -> Path:
    """A ``git`` that logs each call to ``folder/calls.log`` and runs the real one."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "calls.log"
    wrapper = folder / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{REAL_GIT}" "$@"\n')
    wrapper.chmod(0o755)
    return log


def count(log: Path) -> int:
    n = len(log.read_text().splitlines()) if log.exists() else 0
    log.unlink(missing_ok=True)
    return n


# --------------------------------------------------------------------------- measures


def bench_parallel(n: int) -> None:
    root = WORK / "parallel"
    corpus(root, n, '["md", "html", "pdf"]')
    print(f"1. build of {n} scenarios x 2 templates x md+html+pdf ({6 * n} documents)")
    times = {}
    for jobs in (1, 2):
        out = root / f"out-j{jobs}"
        times[jobs], _, _ = scenario(root, "build", "-j", str(jobs), "-q", "-o", str(out))
        record(f"build -j {jobs}, {n} scenarios", f"{times[jobs]:.1f} s")
    ratio = times[1] / times[2]
    record("-j 2 over -j 1", f"{ratio:.2f}x", ">= 1.85x", "met" if ratio >= 1.85 else "NOT met")


def bench_counts() -> None:
    print("2. git processes, parses and analyses")
    root = WORK / "counts"
    files = corpus(root, 8, '["md", "html"]')
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Scenarios")
    for path in files[:3]:  # three with an earlier version: their baselines are read
        bump(path)
    git(root, "commit", "-q", "-a", "-m", "Revised")
    log = counting_git(WORK / "bin")
    scenario(root, "render", str(files[0]), "-f", "md", "-o", str(root / "one.md"), path=log.parent)
    record("git processes, one render -f md (with a baseline)", str(count(log)), "<= 5")
    scenario(
        root, "render", str(files[0]), "-f", "pdf", "-o", str(root / "one.pdf"), path=log.parent
    )
    record("git processes, one render -f pdf", str(count(log)), "<= 5")
    scenario(root, "build", "-q", path=log.parent)
    record("git processes, build of 8 scenarios x 4 documents", str(count(log)), "<= 3 + 2 x 8")
    scenario(root, "build", "-q", path=log.parent)
    record("git processes, the same build again (no-op)", str(count(log)), "<= 3 + 2 x 8")

    code = (
        "import sys, shutil\n"
        "from pathlib import Path\n"
        "from generator.analysis import analyse as a\n"
        "from generator.format import validation as v\n"
        "from generator.batch import build\n"
        "from generator.workspace import load_settings\n"
        "n = {'parse': 0, 'analyse': 0}\n"
        "p, f = v.parse, a.analyse\n"
        "v.parse = lambda *x, **k: (n.__setitem__('parse', n['parse'] + 1), p(*x, **k))[1]\n"
        "a.analyse = lambda *x, **k: (n.__setitem__('analyse', n['analyse'] + 1), f(*x, **k))[1]\n"
        "root = Path(sys.argv[1])\n"
        "shutil.rmtree(root / 'output', ignore_errors=True)\n"
        "r = build(settings=load_settings(root), jobs=1)\n"
        "print(len(r.built), n['parse'], n['analyse'])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(root)],
        env=env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    record(
        f"parses / analyses for {out[0]} documents of 8 scenarios (3 with a baseline)",
        f"{out[1]} / {out[2]}",
        "8 / 8 + 3",
        "met" if (out[1], out[2]) == ("8", "11") else "NOT met",
    )


def bench_noop(n: int) -> None:
    print(f"3. no-op rebuild of {n} scenarios (md + html: {4 * n} documents)")
    root = WORK / "noop"
    corpus(root, n, '["md", "html"]')
    first, _, _ = scenario(root, "build", "-q")
    record(f"first build, {n} scenarios, outside git", f"{first:.1f} s")
    runs = [scenario(root, "build", "-q") for _ in range(3)]
    best = min(t for t, _, _ in runs)
    peak = _peak(root)
    record(
        f"no-op rebuild, {n} scenarios, outside git (best of 3)",
        f"{best:.2f} s",
        "<= 1 s",
        "met" if best <= 1 else "NOT met",
    )
    record(
        "  peak RSS of that process",
        f"{peak / 1024:.0f} MB",
        "< 150 MB",
        "met" if peak < 150 * 1024 else "NOT met",
    )
    git(root, "init", "-q", "-b", "main")
    (root / ".gitignore").write_text("output/\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Scenarios")
    scenario(root, "build", "-q")  # the revisions moved into the documents: rebuilt once
    runs = [scenario(root, "build", "-q") for _ in range(3)]
    best = min(t for t, _, _ in runs)
    record(
        f"no-op rebuild, {n} scenarios, committed in git (best of 3)",
        f"{best:.2f} s",
        "<= 1 s",
        "met" if best <= 1 else "NOT met",
    )
    record("  peak RSS of that process", f"{_peak(root) / 1024:.0f} MB", "< 150 MB")


def _peak(root: Path) -> int:
    """Peak RSS (kB) of one no-op build, measured alone with /usr/bin/time-like rusage."""
    code = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, SCENARIO, "build", "-q"],
        cwd=root,
        env=env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip())


def bench_weekly(n: int) -> None:
    print(f"4. the weekly cycle: {n} scenarios x 6 documents, tags briefing-*")
    root = WORK / "weekly"
    files = corpus(root, n, '["md", "html", "pdf"]')
    with (root / "scenario.toml").open("a") as toml:
        toml.write('baseline = "briefing-*"\n')
    (root / ".gitignore").write_text("output/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Week 1")
    git(root, "tag", "briefing-1")
    for path in files[: n // 4]:  # a quarter revised during the week
        bump(path)
    git(root, "commit", "-q", "-a", "-m", "Revisions")
    first, out, _ = scenario(root, "build", "-q", "--format", "json")
    record(f"first build, {6 * n} documents", f"{first:.1f} s")
    git(root, "tag", "briefing-2")
    took, out, _ = scenario(root, "build", "--format", "json")
    built = len(json.loads(out)["built"])
    record(
        f"this week's tag: documents rebuilt (the {n // 4} revised lose their section)",
        str(built),
        f"{6 * (n // 4)}",
        "met" if built == 6 * (n // 4) else "NOT met",
    )
    (root / "README.md").write_text("Notes.\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "README")
    git(root, "tag", "briefing-3")
    took, out, _ = scenario(root, "build", "--format", "json")
    built = len(json.loads(out)["built"])
    record(
        "next week: a README commit and a new tag: documents rebuilt",
        str(built),
        "0",
        "met" if built == 0 else "NOT met",
    )
    record("  that build's time", f"{took:.2f} s")


def bench_history(commits: int) -> None:
    print(f"5. one scenario with {commits} commits whose version never changed")
    root = WORK / "history"
    if root.exists():
        shutil.rmtree(root)
    (root / "scenarios").mkdir(parents=True)
    (root / "scenario.toml").write_text('formats = ["md"]\ntemplates = ["brief"]\n')
    source = (EXAMPLES / "coordinated-pause.yaml").read_bytes()
    git(root, "init", "-q", "-b", "main")
    stream = []
    for i in range(commits):  # git fast-import: thousands of commits in seconds
        data = source + f"# note {i}\n".encode()
        message = f"Note {i}".encode()
        stream.append(
            b"commit refs/heads/main\n"
            + f"committer Analyst <analyst@example.invalid> {1_700_000_000 + i} +0000\n".encode()
            + b"data %d\n%s\n" % (len(message), message)
            + b"M 100644 inline scenarios/coordinated-pause.yaml\n"
            + b"data %d\n%s\n" % (len(data), data)
        )
    subprocess.run(
        [REAL_GIT, "fast-import", "--quiet"],
        cwd=root,
        input=b"".join(stream),
        env=env(),
        check=True,
    )
    git(root, "checkout", "-q", "-f", "main")
    git(root, "add", "scenario.toml")
    git(root, "commit", "-q", "-m", "settings")
    first, _, _ = scenario(root, "build", "-q")
    record("first build (the history is read to find a baseline)", f"{first:.2f} s")
    runs = [scenario(root, "build", "-q")[0] for _ in range(3)]
    record("no-op rebuild (the baseline comes from the manifest; best of 3)", f"{min(runs):.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--noop", type=int, default=1000)
    parser.add_argument("--weekly", type=int, default=48)
    parser.add_argument("--history", type=int, default=12000)
    parser.add_argument("--skip-parallel", action="store_true")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    info = machine()
    start_load = load_average()
    print("machine: " + "; ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    if not args.skip_parallel:
        bench_parallel(args.n)
    bench_counts()
    bench_noop(args.noop)
    bench_weekly(args.weekly)
    bench_history(args.history)
    end_load = load_average()
    if args.write:
        _write(info, args, start_load, end_load)
    return 0


def _write(info: dict[str, str], args: argparse.Namespace, start: str, end: str) -> None:
    lines = [
        "## Prepare once",
        "",
        f"`python benchmarks/prepare.py --n {args.n} --noop {args.noop} --weekly {args.weekly} "
        f"--history {args.history}`; load average {start} at start, {end} at end.",
        "",
        "| Measure | Value | Target | |",
        "|---|---|---|---|",
        *(f"| {n.strip()} | {v} | {t} | {m} |" for n, v, t, m in ROWS),
        "",
    ]
    results = HERE / "RESULTS.md"
    text = results.read_text(encoding="utf-8")
    section = "\n".join(lines)
    if "## Prepare once" in text:
        head, _, rest = text.partition("## Prepare once")
        tail = rest.split("\n## ", 1)
        text = head + section + ("\n## " + tail[1] if len(tail) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    results.write_text(text, encoding="utf-8")
    print(f"wrote {results}")


if __name__ == "__main__":
    sys.exit(main())
