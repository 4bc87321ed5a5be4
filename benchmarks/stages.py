"""Benchmarks of the tool itself: start-up, validation, one PDF, builds and their memory.

Each function measures one figure and records it in ``common.ROWS``.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from common import (
    BIN,
    CORPUS,
    EXAMPLES,
    SCENARIO,
    SCRATCH,
    Sampler,
    record,
    run,
)


def bench_help() -> None:
    print("1. start-up", flush=True)
    run([SCENARIO, "--help"])  # warm the page cache
    times = [run([SCENARIO, "--help"]) for _ in range(5)]
    med = statistics.median(times)
    record("scenario --help (median of 5)", f"{med:.3f} s", "< 0.2 s", med < 0.2)


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


def bench_one_pdf() -> dict[str, float]:
    print("3. one brief PDF in a warm process", flush=True)
    import weasyprint

    from generator.format.validation import load
    from generator.prepared import from_model
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
            prepared = from_model(scenario, "")
            html = render_text(prepared, settings, "brief", "pdf")
            html_to_pdf(html, scenario.id, prepared.created, settings)
            return html

        html = ours()  # warm-up
        started = time.perf_counter()
        render_text(from_model(scenario, ""), settings, "brief", "pdf")
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
    record("speed-up -j 2 over -j 1", f"{speedup:.2f}x", ">= 1.85x", speedup >= 1.85)

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
