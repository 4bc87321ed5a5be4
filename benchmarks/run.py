"""Benchmarks of the scenario tool: start-up, validation, one PDF, full builds, memory, pandoc.

Usage::

    python benchmarks/run.py [--n 100] [--quick] [--skip-pandoc]

Generates a corpus of N scenarios in /tmp/bench-corpus (copies of the examples in
scenarios/ with unique ids), measures each figure against its target, prints a
table and writes benchmarks/RESULTS.md. Never writes into the repository's output/.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
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


# --------------------------------------------------------------------------- corpus


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


# --------------------------------------------------------------------------- machine


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


# --------------------------------------------------------------------------- 1. --help


def bench_help() -> None:
    print("1. start-up", flush=True)
    run([SCENARIO, "--help"])  # warm the page cache
    times = [run([SCENARIO, "--help"]) for _ in range(5)]
    med = statistics.median(times)
    record("scenario --help (median of 5)", f"{med:.3f} s", "< 0.2 s", med < 0.2)


# --------------------------------------------------------------------------- 2. validate


def bench_validate(n: int) -> None:
    print("2. validation", flush=True)
    started = time.perf_counter()
    from generator.format.validation import validate

    import_s = time.perf_counter() - started
    started = time.perf_counter()
    models, diagnostics = validate([CORPUS / "scenarios"])
    elapsed = time.perf_counter() - started
    errors = [d for d in diagnostics if d.severity == "error"]
    valid = sum(m is not None for m in models.values())
    if errors:
        raise RuntimeError("corpus has errors:\n" + "\n".join(str(d) for d in errors[:10]))
    record(
        f"validate {n} scenarios, in process",
        f"{elapsed:.3f} s",
        "< 2 s" if n == 100 else f"< {2 * n / 100:.2g} s",
        elapsed < 2 * n / 100,
        f"{valid}/{n} valid; {elapsed / n * 1000:.1f} ms each; import {import_s:.2f} s",
    )
    cli = run([SCENARIO, "validate", "scenarios"], cwd=CORPUS)
    record(f"`scenario validate` CLI on {n} scenarios", f"{cli:.3f} s", note="incl. start-up")


# --------------------------------------------------------------------------- 3. one PDF


def bench_one_pdf() -> dict[str, float]:
    print("3. one brief PDF in a warm process", flush=True)
    import weasyprint

    from generator.analysis.analyse import analyse
    from generator.format.validation import load
    from generator.rendering.document import render_text
    from generator.rendering.pdf import html_to_pdf
    from generator.workspace import load_settings

    settings = load_settings(CORPUS)
    builtin_uri = settings.template_dirs[-1].as_uri() + "/"
    per: dict[str, float] = {}
    worst = None
    for source in sorted(EXAMPLES.glob("*.yaml")):
        scenario, _ = load(source)
        assert scenario is not None, source

        def ours(scenario=scenario) -> str:
            analysis = analyse(scenario)
            html = render_text(scenario, settings, "brief", "pdf", "", analysis=analysis)
            html_to_pdf(html, scenario, settings)
            return html

        html = ours()  # warm-up
        started = time.perf_counter()
        render_text(scenario, settings, "brief", "pdf", "", analysis=analyse(scenario))
        text_s = time.perf_counter() - started

        def bare(html=html) -> None:
            weasyprint.HTML(string=html, base_url=builtin_uri).write_pdf()

        def tagged(html=html) -> None:
            weasyprint.HTML(string=html, base_url=builtin_uri).write_pdf(
                pdf_identifier=b"0" * 32, pdf_tags=True
            )

        bare()
        tagged()
        times, bare_t, tagged_t = [], [], []
        for _ in range(5):  # interleaved, so that load from elsewhere hits all three alike
            for func, into in ((ours, times), (bare, bare_t), (tagged, tagged_t)):
                started = time.perf_counter()
                func()
                into.append(time.perf_counter() - started)
        ours_m = statistics.median(times)
        bare_m = statistics.median(bare_t)
        tagged_m = statistics.median(tagged_t)
        per[source.stem] = ours_m
        overhead = (ours_m - bare_m) / bare_m * 100
        record(
            f"brief PDF {source.stem} (median of 5)",
            f"{ours_m:.3f} s",
            "< 0.6 s",
            ours_m < 0.6,
            f"render_text {text_s * 1000:.0f} ms",
        )
        record(
            "  overhead vs weasyprint.HTML().write_pdf()",
            f"{overhead:+.1f} %",
            "<= 10 %",
            overhead <= 10,
            f"WeasyPrint alone {bare_m:.3f} s; with pdf_tags+pdf_identifier {tagged_m:.3f} s "
            f"({(ours_m - tagged_m) / tagged_m * 100:+.1f} % vs that)",
        )
        if worst is None or ours_m > worst:
            worst = ours_m
    return per


# --------------------------------------------------------------------------- 4/5. builds


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


def timed_build(jobs: int, out: Path, sample: bool = False) -> tuple[float, Sampler | None]:
    cmd = [SCENARIO, "build", "-j", str(jobs), "-q", "-o", str(out)]
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=CORPUS, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    sampler = None
    if sample:
        sampler = Sampler(proc.pid)
        sampler.start()
    stdout, stderr = proc.communicate()
    elapsed = time.perf_counter() - started
    if sampler:
        sampler.stop.set()
        sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}\n{stdout}{stderr}")
    return elapsed, sampler


def bench_builds(n: int, files: list[Path]) -> float:
    print(f"4. full builds of {n} scenarios (2 templates x md+html+pdf)", flush=True)
    out1, out2 = SCRATCH / "out-j1", SCRATCH / "out-j2"
    for out in (out1, out2):
        if out.exists():
            shutil.rmtree(out)
    pdfs = 2 * n
    t1, _ = timed_build(1, out1)
    record(
        f"build -j 1, {n} scenarios ({6 * n} outputs)", f"{t1:.1f} s", note=f"{pdfs / t1:.2f} PDF/s"
    )
    t2, sampler = timed_build(2, out2, sample=True)
    record(f"build -j 2, {n} scenarios", f"{t2:.1f} s", note=f"{pdfs / t2:.2f} PDF/s")
    speedup = t1 / t2
    record("speed-up -j 2 over -j 1", f"{speedup:.2f}x", ">= 1.7x", speedup >= 1.7)

    noop = [timed_build(2, out2)[0] for _ in range(3)]
    noop_m = statistics.median(noop)
    record(
        f"no-op rebuild, {n} scenarios (median of 3)",
        f"{noop_m:.3f} s",
        "<= 1 s",
        noop_m <= 1.0 if n >= 100 else None,
        "" if n >= 100 else f"target is for 100 scenarios; {n} here: no verdict",
    )

    victim = files[0]
    original = victim.read_text(encoding="utf-8")
    # a quoted title ends with a quote: put the change inside it
    changed = re.sub(r'^title: "(.*)"$', r'title: "\1 (revised)"', original, count=1, flags=re.M)
    if changed == original:
        changed = re.sub(r"^title: (.*)$", r"title: \1 (revised)", original, count=1, flags=re.M)
    victim.write_text(changed, encoding="utf-8")
    try:
        one, _ = timed_build(2, out2)
    finally:
        victim.write_text(original, encoding="utf-8")
    record("rebuild after one scenario's title changed", f"{one:.2f} s", note="6 outputs, 2 PDFs")
    timed_build(2, out2)  # back in step with the restored file

    if sampler:
        workers = [kb for pid, kb in sampler.peak.items() if sampler.kind.get(pid) == "worker"]
        main = [kb for pid, kb in sampler.peak.items() if sampler.kind.get(pid) == "main"]
        forkserver = [
            kb for pid, kb in sampler.peak.items() if sampler.kind.get(pid) == "forkserver"
        ]
        print("5. memory (-j 2 build)", flush=True)
        if workers:
            peak = max(workers) / 1024
            record(
                "peak RSS per PDF worker (VmHWM, -j 2)",
                f"{peak:.0f} MB",
                "<= 400 MB",
                peak <= 400,
                f"{len(workers)} worker processes seen (max {50} PDFs each); "
                f"median peak {statistics.median(workers) / 1024:.0f} MB",
            )
        else:
            record("peak RSS per PDF worker", "not seen", "<= 400 MB", None, "no worker sampled")
        if main:
            record("peak RSS of the build's main process", f"{max(main) / 1024:.0f} MB")
        if forkserver:
            record("peak RSS of the forkserver", f"{max(forkserver) / 1024:.0f} MB")
    return t2


# --------------------------------------------------------------------------- 6. pandoc


def bench_pandoc(sample: int) -> None:
    print(f"6. pandoc --pdf-engine=weasyprint vs ours, {sample} brief PDFs", flush=True)
    try:
        import pypandoc

        pandoc = pypandoc.get_pandoc_path()
        version = pypandoc.get_pandoc_version()
    except Exception as exc:
        pandoc = shutil.which("pandoc")
        version = "?"
        if not pandoc:
            msg = f"pandoc not available ({type(exc).__name__}: {exc}); comparison skipped"
            NOTES.append(msg)
            record("pandoc comparison", "skipped", "ours >= 3x", None, msg)
            return
    out = SCRATCH / "out-j2"
    briefs = sorted(out.glob("*/brief.md"))[:sample]
    if not briefs:
        record("pandoc comparison", "skipped", "ours >= 3x", None, "no brief.md in the build")
        return
    ids = [b.parent.name for b in briefs]
    dest = SCRATCH / "pandoc"
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)

    # pandoc: one process per document, as a user would run it.
    failures = []
    started = time.perf_counter()
    for brief in briefs:
        try:
            run(
                [
                    pandoc,
                    brief.name,
                    "-o",
                    str(dest / f"{brief.parent.name}.pdf"),
                    "--pdf-engine=weasyprint",
                ],
                cwd=brief.parent,
            )
        except RuntimeError as exc:
            failures.append(str(exc)[:500])
    pandoc_s = time.perf_counter() - started
    if failures:
        NOTES.append("pandoc failures:\n\n```\n" + "\n".join(failures[:3]) + "\n```")
    if len(failures) == len(briefs):
        record("pandoc comparison", "failed", "ours >= 3x", None, "pandoc could not convert")
        return
    pandoc_rate = (len(briefs) - len(failures)) / pandoc_s
    record(
        f"pandoc {version} + weasyprint CLI, {len(briefs)} briefs",
        f"{pandoc_rate:.2f} doc/s",
        note=f"{pandoc_s:.1f} s; a process per document",
    )

    # ours, warm, in one process: load + validate + render brief PDF from the YAML.
    from generator.format.validation import load
    from generator.pipeline import render_scenario
    from generator.workspace import load_settings

    settings = load_settings(CORPUS)
    files = [CORPUS / "scenarios" / f"{i}.yaml" for i in ids]
    first, _ = load(files[0])
    assert first is not None
    render_scenario(first, files[0], settings, "brief", "pdf", revision="not in git")  # warm-up
    started = time.perf_counter()
    for file in files:
        scenario, _ = load(file)
        assert scenario is not None, file
        render_scenario(scenario, file, settings, "brief", "pdf", revision="not in git")
    warm_s = time.perf_counter() - started
    warm_rate = len(files) / warm_s
    ratio = warm_rate / pandoc_rate
    record(
        f"ours, one warm process, same {len(files)} briefs",
        f"{warm_rate:.2f} doc/s",
        "ours >= 3x",
        ratio >= 3,
        f"{ratio:.1f}x pandoc (YAML -> validated -> PDF, 1 core)",
    )

    # ours as a team runs it: `scenario build` of the same briefs with the machine's cores,
    # against pandoc run two documents at a time (the same parallelism, which favours pandoc).
    batch = SCRATCH / "batch-briefs"
    if batch.exists():
        shutil.rmtree(batch)
    (batch / "scenarios").mkdir(parents=True)
    for file in files:
        shutil.copy(file, batch / "scenarios" / file.name)
    (batch / "scenario.toml").write_text('formats = ["pdf"]\ntemplates = ["brief"]\n')
    build_s = run([SCENARIO, "build", "-q", "-j", "2"], cwd=batch)
    build_rate = len(files) / build_s
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    started = time.perf_counter()
    procs: list[subprocess.Popen[bytes]] = []
    for brief in briefs:
        if len(procs) == 2:
            procs.pop(0).wait()
        cmd = [
            pandoc,
            brief.name,
            "-o",
            str(dest / f"{brief.parent.name}.p2.pdf"),
            "--pdf-engine=weasyprint",
        ]
        procs.append(
            subprocess.Popen(
                cmd, cwd=brief.parent, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
    for proc in procs:
        proc.wait()
    produced = sorted(dest.glob("*.p2.pdf"))
    if len(produced) != len(briefs):
        raise RuntimeError(f"pandoc two at a time produced {len(produced)} of {len(briefs)} PDFs")
    pandoc2_rate = len(briefs) / (time.perf_counter() - started)
    record(
        f"pandoc, 2 documents at a time, {len(briefs)} briefs",
        f"{pandoc2_rate:.2f} doc/s",
        note="two processes, like `xargs -P 2`",
    )
    record(
        f"ours, `scenario build -j 2`, same {len(files)} briefs",
        f"{build_rate:.2f} doc/s",
        "ours >= 3x",
        build_rate / pandoc_rate >= 3,
        f"{build_rate / pandoc_rate:.1f}x pandoc one at a time; "
        f"{build_rate / pandoc2_rate:.1f}x pandoc two at a time (incl. start-up, validation)",
    )

    # ours, a process per document, like pandoc.
    started = time.perf_counter()
    for file in files:
        run(
            [
                SCENARIO,
                "render",
                str(file),
                "-t",
                "brief",
                "-f",
                "pdf",
                "-o",
                str(dest / f"{file.stem}.ours.pdf"),
            ],
            cwd=CORPUS,
        )
    cli_s = time.perf_counter() - started
    cli_rate = len(files) / cli_s
    record(
        f"ours, `scenario render` per document, {len(files)} briefs",
        f"{cli_rate:.2f} doc/s",
        note=f"{cli_rate / pandoc_rate:.1f}x pandoc (a cold process per document)",
    )


# --------------------------------------------------------------------------- report


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="scenarios in the corpus (default 100)")
    parser.add_argument("--quick", action="store_true", help="a quick run: N = 10")
    parser.add_argument("--skip-pandoc", action="store_true", help="skip the pandoc comparison")
    parser.add_argument(
        "--pandoc-sample", type=int, default=30, help="briefs converted by pandoc (default 30)"
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print the table only; do not write RESULTS.md"
    )
    args = parser.parse_args()
    n = 10 if args.quick else args.n
    started = time.perf_counter()
    info = machine()
    before = code_state()
    info["Load average at start (1/5/15 min)"] = load_average()
    print("machine: " + "; ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    SCRATCH.mkdir(parents=True, exist_ok=True)
    files = make_corpus(n)
    print(f"corpus: {n} scenarios in {CORPUS / 'scenarios'}", flush=True)
    bench_help()
    bench_validate(n)
    bench_one_pdf()
    bench_builds(n, files)
    if args.skip_pandoc:
        NOTES.append("pandoc comparison skipped (--skip-pandoc)")
    else:
        bench_pandoc(min(args.pandoc_sample, n))
    total = time.perf_counter() - started
    info["Load average at end (1/5/15 min)"] = load_average()
    after = code_state()
    info["Code (git HEAD / hash of generator+templates)"] = (
        before if before == after else f"{before} at start, {after} at end"
    )
    if before != after:
        NOTES.append(
            "generator/ or templates/ changed during the run (others were editing the "
            "project): incremental-build figures may include rebuilds that the change caused."
        )
    if not args.no_write:
        print(f"wrote {write_results(args, n, info, total)}")
    met = sum(r.met is True for r in ROWS)
    missed = [r.name.strip() for r in ROWS if r.met is False]
    print(f"targets met: {met}; not met: {len(missed)} {missed if missed else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
