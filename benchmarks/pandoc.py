"""Benchmark against pandoc with WeasyPrint: the same briefs, one and two at a time.

Records the throughput of both tools in ``common.ROWS``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

from common import BIN, CORPUS, NOTES, SCENARIO, SCRATCH, record, run


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
