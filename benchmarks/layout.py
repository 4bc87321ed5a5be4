"""Layout cost: WeasyPrint's seconds per PDF page, for each bundled brief and report.

The templates are drawn once per document (not timed); only the HTML-to-PDF step is
timed, median of ``--repeat`` runs, in this process. The figure that matters is the
report's time per page over its brief's: a layout the engine does in one pass keeps it
near 1 (the target is at most 1.25 for the coordinated-pause scenario).

    python benchmarks/layout.py                     # every bundled scenario, 3 runs each
    python benchmarks/layout.py --repeat 5 coordinated-pause

Run it on a checkout before and after a change to the CSS: it prints one table.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from common import EXAMPLES, REPO

sys.path.insert(0, str(REPO))

TARGET = 1.25


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="scenario ids (default: every bundled one)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per document (median)")
    args = parser.parse_args()

    from generator.prepared import prepare_file
    from generator.rendering.renderers import renderer
    from generator.workspace import load_settings

    settings = load_settings(REPO)
    pdf = renderer("pdf")
    paths = sorted(EXAMPLES.glob("*.yaml"))
    if args.ids:
        paths = [p for p in paths if p.stem in args.ids]
    print(f"{'scenario':<34} {'brief s/page':>13} {'report s/page':>14} {'ratio':>6}")
    worst = 0.0
    for path in paths:
        prepared = prepare_file(path, settings.baseline)
        per_page = {}
        for template in ("brief", "report"):
            html = pdf.text(prepared, settings, template)
            times, pages = [], 0
            for _ in range(args.repeat):
                started = time.perf_counter()
                data = pdf.finish(html, prepared.scenario.id, prepared.created, settings).data
                times.append(time.perf_counter() - started)
                pages = _count_pages(data)
            per_page[template] = (statistics.median(times) / pages, pages)
        ratio = per_page["report"][0] / per_page["brief"][0]
        worst = max(worst, ratio) if path.stem == "coordinated-pause" else worst
        (b, bp), (r, rp) = per_page["brief"], per_page["report"]
        print(f"{path.stem:<34} {b:>8.3f} ({bp:>2}) {r:>9.3f} ({rp:>2}) {ratio:>6.2f}")
    if worst:
        verdict = "met" if worst <= TARGET else "NOT met"
        print(f"coordinated-pause report/brief per page: {worst:.2f} (<= {TARGET}: {verdict})")
    return 0


def _count_pages(data: bytes) -> int:
    run = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
    for line in run.stdout.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise RuntimeError("pdfinfo gave no page count")


if __name__ == "__main__":
    raise SystemExit(main())
