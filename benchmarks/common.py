"""Shared pieces of the benchmarks: paths, the results table, the corpus, the machine, sampling.

Owns what every benchmark module records into and reads from; must not measure anything.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EXAMPLES = REPO / "scenarios"
CORPUS = Path("/tmp/bench-corpus")
SCRATCH = Path("/tmp/bench-scratch")
BIN = Path(sys.executable).parent
SCENARIO = str(BIN / "scenario")


@dataclass
class Row:
    """One line of the results table."""

    name: str
    value: str
    target: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        return {True: "met", False: "NOT met", None: "-"}[self.met]


ROWS: list[Row] = []
NOTES: list[str] = []


def record(
    name: str, value: str, target: str = "", met: bool | None = None, note: str = ""
) -> None:
    row = Row(name, value, target, met, note)
    ROWS.append(row)
    print(f"  {name:<52} {value:>16}  {target:<14} {row.verdict:<8} {note}", flush=True)


def run(cmd: list[str], cwd: Path | None = None, check: bool = True) -> float:
    """Wall time of one command (seconds); raises with its output when it fails and check."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - started
    if check and proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} exited {proc.returncode}\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
        )
    return elapsed


def make_corpus(n: int) -> list[Path]:
    """N scenarios copied round-robin from the examples, each with a unique top-level id."""
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    folder = CORPUS / "scenarios"
    folder.mkdir(parents=True)
    (CORPUS / "scenario.toml").write_text(
        'formats = ["md", "html", "pdf"]\ntemplates = ["brief", "report"]\n',
        encoding="utf-8",
    )
    examples = sorted(EXAMPLES.glob("*.yaml"))
    files = []
    for i in range(n):
        source = examples[i % len(examples)]
        text = source.read_text(encoding="utf-8")
        base = re.search(r"^id:\s*(\S+)\s*$", text, re.M)
        if not base:
            raise RuntimeError(f"{source}: no top-level id: line")
        ident = f"{base[1]}-{i:03d}"
        text = re.sub(r"^id:.*$", f"id: {ident}", text, count=1, flags=re.M)
        target = folder / f"{ident}.yaml"
        target.write_text(text, encoding="utf-8")
        files.append(target)
    return files


def code_state() -> str:
    """A hash of generator/ and templates/ (other people may edit them during a run)."""
    import hashlib

    digest = hashlib.sha256()
    for folder in (REPO / "generator", REPO / "templates"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(REPO)).encode())
                digest.update(path.read_bytes())
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    return f"{head} / {digest.hexdigest()[:12]}"


def load_average() -> str:
    with open("/proc/loadavg", encoding="utf-8") as f:
        return " ".join(f.read().split()[:3])


def machine() -> dict[str, str]:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "unknown"
    with open("/proc/meminfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    try:
        from importlib.metadata import version

        weasy = version("weasyprint")
    except Exception:
        weasy = "not installed"
    os_name = platform.platform()
    try:
        with open("/etc/os-release", encoding="utf-8") as f:
            found = re.search(r'^PRETTY_NAME="?([^"\n]*)', f.read(), re.M)
            if found:
                os_name = f"{found[1]} ({platform.release()})"
    except OSError:
        pass
    date = subprocess.run(["date"], capture_output=True, text=True, check=False).stdout.strip()
    return {
        "CPU": cpu,
        "Cores": str(os.cpu_count()),
        "Memory": mem,
        "OS": os_name,
        "Python": platform.python_version(),
        "WeasyPrint": weasy,
        "Date": date,
    }


class Sampler(threading.Thread):
    """Polls /proc every 0.2 s for the descendants of one process; records peak memory.

    Each descendant is classified by its place in the tree: the forkserver (a
    child whose command line mentions forkserver), the workers it forks, and
    anything else (the resource tracker). VmHWM (peak resident set) is kept per pid.
    """

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.stop = threading.Event()
        self.peak: dict[int, int] = {}  # pid -> max(VmHWM, VmRSS) in kB
        self.kind: dict[int, str] = {}

    @staticmethod
    def _status(pid: int) -> tuple[int, int] | None:
        try:
            with open(f"/proc/{pid}/status", encoding="utf-8") as f:
                text = f.read()
        except OSError:
            return None
        ppid = re.search(r"^PPid:\s+(\d+)", text, re.M)
        hwm = re.search(r"^VmHWM:\s+(\d+)", text, re.M)
        rss = re.search(r"^VmRSS:\s+(\d+)", text, re.M)
        if not ppid:
            return None
        return int(ppid[1]), max(int(hwm[1]) if hwm else 0, int(rss[1]) if rss else 0)

    @staticmethod
    def _cmdline(pid: int) -> str:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                return f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            return ""

    def sample(self) -> None:
        info: dict[int, tuple[int, int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                got = self._status(int(entry))
                if got:
                    info[int(entry)] = got
        for pid, (_ppid, kb) in info.items():
            depth, cur = 0, pid
            while cur in info and cur != self.root and depth < 10:
                cur = info[cur][0]
                depth += 1
            if cur != self.root:
                continue
            if pid not in self.kind:
                cmd = self._cmdline(pid)
                if depth == 0:
                    self.kind[pid] = "main"
                elif "resource_tracker" in cmd:
                    self.kind[pid] = "tracker"
                elif depth == 1 and "forkserver" in cmd:
                    self.kind[pid] = "forkserver"
                elif "forkserver" in cmd or "multiprocessing" in cmd:
                    self.kind[pid] = "worker"
                else:
                    self.kind[pid] = "other"
            self.peak[pid] = max(self.peak.get(pid, 0), kb)

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(0.2)


def write_results(args: argparse.Namespace, n: int, info: dict[str, str], total: float) -> Path:
    command = "python benchmarks/run.py " + " ".join(
        a
        for a in (
            f"--n {args.n}" if not args.quick else "--quick",
            "--skip-pandoc" if args.skip_pandoc else "",
        )
        if a
    )
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `benchmarks/run.py` on {info['Date']} "
        f"(N = {n} scenarios; whole run {total / 60:.1f} min).",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in info.items()],
        "",
        "## Figures",
        "",
        "| Measure | Result | Target | Verdict | Notes |",
        "|---|---:|---|---|---|",
        *[f"| {r.name.strip()} | {r.value} | {r.target} | {r.verdict} | {r.note} |" for r in ROWS],
        "",
        "## How it was measured",
        "",
        f"- Corpus: {n} scenarios copied round-robin from the 3 files in `scenarios/`, each "
        "with a unique top-level `id:` (e.g. `coordinated-pause-000`), in "
        "`/tmp/bench-corpus/scenarios/`, with a `scenario.toml` (formats md, html, pdf; "
        "templates brief, report). The corpus is not in git, so revisions are `not in git`.",
        "- `--help`: `scenario --help` as a subprocess, median of 5 after one warm-up run.",
        "- Validation: `generator.format.validation.validate()` on the corpus folder, in process "
        "(import time excluded, shown in the notes); the CLI figure includes start-up.",
        "- One PDF: `render_text` + `html_to_pdf` for the brief of each example, median of 5 "
        "after one warm-up. Overhead is against `weasyprint.HTML(string=html, "
        "base_url=<builtin templates>/).write_pdf()` on the same HTML; the notes also give "
        "WeasyPrint with the options we pass (`pdf_tags=True`, `pdf_identifier`), which "
        "separates the cost of tagging from the cost of our own code.",
        "- Builds: `scenario build -j J -q -o DIR` from `/tmp/bench-corpus`, a fresh DIR for "
        "-j 1 and -j 2. No-op: the same command again on the -j 2 output (median of 3). One "
        "change: the title of one scenario edited, then rebuilt with -j 2 (the file is "
        "restored afterwards).",
        "- Memory: during the -j 2 build, /proc is polled every 0.2 s for the descendants of "
        "the build process; the figure is the largest VmHWM (peak RSS) of a worker (a process "
        "forked by the forkserver).",
        "- pandoc: `pandoc brief.md -o x.pdf --pdf-engine=weasyprint` (the pandoc binary of "
        "`pypandoc-binary`, WeasyPrint's CLI from the venv on PATH) on the first briefs of the "
        "build, one process per document, against ours on the same scenarios: in one warm "
        "process (load + validate + render the brief PDF from the YAML), and `scenario render` "
        "as a process per document. All sequential, one core.",
        "",
    ]
    if NOTES:
        lines += ["## Notes", "", *[f"- {note}" for note in NOTES], ""]
    lines += ["## Reproduce", "", "```sh", f"/tmp/venv/bin/{command}", "```", ""]
    target = HERE / "RESULTS.md"
    target.write_text("\n".join(lines), encoding="utf-8")
    return target
