"""Chart cost: milliseconds per chart, and the share of a report PDF's time that charts take.

For each bundled scenario with charts: the time to compute every trajectory chart
(median of ``--repeat`` runs), and the report PDF's layout time with its charts and
with the same HTML stripped of them (each the median of ``--repeat`` runs; the last-page
pull-back is off, since a chart may set it off or spare it). The
share is (chart drawing + the extra layout) over the whole report PDF's time; the
target is under 10 %. Also the import time of the charts module in a fresh process.

    python benchmarks/charts.py
    python benchmarks/charts.py --repeat 5 coordinated-pause
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time

from common import EXAMPLES, REPO

sys.path.insert(0, str(REPO))

TARGET = 0.10
_FIGURE = re.compile(r'<figure class="chart">.*?</figure>', re.S)


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="scenario ids (default: every bundled one)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from generator.prepared import prepare_file
    from generator.rendering import pdf as pdf_module
    from generator.rendering.charts.trajectory import charts
    from generator.rendering.renderers import renderer
    from generator.workspace import load_settings

    # The last-page pull-back lays a document out twice when its last page would hold a
    # line or two: a chart can set it off or spare it, which is not the chart's cost.
    pdf_module.LONE_LAST_PAGE = 0.0
    settings = load_settings(REPO)
    pdf = renderer("pdf")
    print(f"{'scenario':<34} {'charts':>6} {'ms/chart':>9} {'pdf s':>7} {'bare s':>7} {'share':>6}")
    worst = 0.0
    for path in sorted(EXAMPLES.glob("*.yaml")):
        if args.ids and path.stem not in args.ids:
            continue
        prepared = prepare_file(path, settings.baseline)
        drawn = charts(prepared.analysis)
        if not drawn:
            continue
        analysis = prepared.analysis
        per_chart = _median(lambda a=analysis: charts(a), args.repeat) / len(drawn)
        html = pdf.text(prepared, settings, "report")
        bare = _FIGURE.sub("", html)
        created, label = prepared.created, prepared.scenario.id

        def lay_out(text: str, label: str = label, created=created) -> None:
            pdf.finish(text, label, created, settings)

        with_charts = _median(lambda t=html: lay_out(t), args.repeat)
        without = _median(lambda t=bare: lay_out(t), args.repeat)
        share = (per_chart * len(drawn) + max(with_charts - without, 0.0)) / with_charts
        worst = max(worst, share)
        print(
            f"{path.stem:<34} {len(drawn):>6} {per_chart * 1000:>9.2f} {with_charts:>7.2f} "
            f"{without:>7.2f} {share:>6.1%}"
        )
    code = "import time; t = time.perf_counter(); import generator.rendering.charts.trajectory; "
    code += "print(time.perf_counter() - t)"
    imported = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    print(f"import of the charts module in a fresh process: {float(imported.stdout):.3f} s")
    print(f"worst share {worst:.1%} (target < {TARGET:.0%})")
    return 0 if worst < TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
