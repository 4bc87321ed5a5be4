"""Benchmarks of the scenario tool: start-up, validation, one PDF, full builds, memory, pandoc.

Usage::

    python benchmarks/run.py [--n 100] [--quick] [--skip-pandoc]

Generates a corpus of N scenarios in /tmp/bench-corpus (copies of the examples in
scenarios/ with unique ids), measures each figure against its target, prints a
table and writes benchmarks/RESULTS.md. Never writes into the repository's output/.
"""

from __future__ import annotations

import argparse
import sys
import time

from common import (
    CORPUS,
    NOTES,
    ROWS,
    SCRATCH,
    code_state,
    load_average,
    machine,
    make_corpus,
    write_results,
)
from pandoc import bench_pandoc
from stages import bench_builds, bench_help, bench_one_pdf, bench_validate


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
