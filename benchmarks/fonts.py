"""PDF speed and size on both of WeasyPrint's font-subsetting paths, and our pipeline's overhead.

Measures, in one warm process:

1. every example scenario's brief and report PDF, rendered with HarfBuzz
   subsetting (Debian's ``libharfbuzz-subset0``) and with the fontTools
   fallback WeasyPrint uses when that library is missing -- the two paths
   alternate round by round, so load from elsewhere hits both alike. The
   fallback is selected the way WeasyPrint itself decides: its module-level
   ``harfbuzz_subset`` handle is set to ``None``.
2. our whole pipeline for one brief PDF (YAML in: load, validate, analyse,
   render, PDF out) against bare ``weasyprint.HTML(string=...).write_pdf()`` on
   the same HTML with the same options (base URL, PDF identifier, one reused
   FontConfiguration), alternating likewise.

Times are the median of the rounds, as CPU seconds of this process (the
machine may be shared; CPU time is what load from elsewhere disturbs least)
and as wall-clock seconds. Prints a Markdown table; ``--write`` replaces the
"Fonts" section of RESULTS.md with it.

Usage: ``python benchmarks/fonts.py [--rounds N] [--write]``
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import weasyprint
import weasyprint.pdf.fonts as wp_fonts
from generator.pdf import html_to_pdf
from generator.validation import load_valid
from weasyprint.text.fonts import FontConfiguration

from generator.rendering import render_scenario, render_text
from generator.workspace import load_settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "scenarios").glob("*.yaml"))
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
HARFBUZZ = wp_fonts.harfbuzz_subset
REVISION = ""  # outside git, as in a fresh checkout of a scenario folder
BEFORE = """\
Before the fonts were shipped pre-subset (commit 62e2656, the upstream Inter OTF and Noto
Serif TTF files), the same machine gave for the coordinated-pause brief 82.1 kB / 0.47 s
with HarfBuzz and 81.9 kB / 3.09 s with fontTools (6.6x), and for its report 134.6 kB /
5.7 s against 134.5 kB / 8.4 s; the issue measured a warm brief at 2.7-4.1 s without the
library against 0.55-0.86 s with it. fontTools' cost was mostly decompiling the fonts'
GPOS and GSUB tables (which WeasyPrint then drops) and interpreting CFF charstrings."""


def timed(func: Callable[[], object]) -> tuple[float, float, object]:
    """CPU and wall seconds of one call, and its result."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = func()
    return time.process_time() - cpu, time.perf_counter() - wall, result


def use_path(path: str) -> None:
    wp_fonts.harfbuzz_subset = HARFBUZZ if path == "harfbuzz" else None


def bench_paths(rounds: int) -> list[str]:
    """Rows of brief/report size and time on each subsetting path."""
    settings = load_settings(ROOT)
    rows = []
    for source in EXAMPLES:
        scenario = load_valid(source)
        for template in ("brief", "report"):
            html = render_text(scenario, settings, template, "pdf", REVISION)
            cpu: dict[str, list[float]] = {"harfbuzz": [], "fonttools": []}
            wall: dict[str, list[float]] = {"harfbuzz": [], "fonttools": []}
            size = {}
            for round_ in range(rounds + 1):  # round 0 warms up
                for path in ("harfbuzz", "fonttools"):
                    use_path(path)
                    c, w, pdf = timed(
                        lambda html=html, scenario=scenario: html_to_pdf(html, scenario, settings)
                    )
                    assert isinstance(pdf, bytes)
                    size[path] = len(pdf)
                    if round_:
                        cpu[path].append(c)
                        wall[path].append(w)
            use_path("harfbuzz")
            hb_c, ft_c = statistics.median(cpu["harfbuzz"]), statistics.median(cpu["fonttools"])
            hb_w, ft_w = statistics.median(wall["harfbuzz"]), statistics.median(wall["fonttools"])
            ratio = min(cpu["fonttools"]) / min(cpu["harfbuzz"])
            rows.append(
                f"| {source.stem} {template} | {size['harfbuzz'] / 1000:.1f} kB "
                f"| {size['fonttools'] / 1000:.1f} kB | {hb_c:.3f} / {hb_w:.3f} s "
                f"| {ft_c:.3f} / {ft_w:.3f} s | {ft_c / hb_c:.2f}x | {ratio:.2f}x |"
            )
            print(rows[-1], flush=True)
    return rows


def bench_overhead(rounds: int) -> list[str]:
    """Rows of our pipeline against bare WeasyPrint for each example's brief."""
    settings = load_settings(ROOT)
    base_url = settings.template_dirs[-1].as_uri() + "/"
    font_config = FontConfiguration()
    rows = []
    for source in EXAMPLES:

        def ours(source: Path = source) -> bytes:
            return render_scenario(load_valid(source), source, settings, "brief", "pdf", REVISION)

        html = render_text(load_valid(source), settings, "brief", "pdf", REVISION)
        identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")

        def bare(html: str = html, identifier: bytes = identifier) -> bytes:
            document = weasyprint.HTML(string=html, base_url=base_url)
            return document.write_pdf(font_config=font_config, pdf_identifier=identifier)

        cpu: dict[str, list[float]] = {"ours": [], "bare": []}
        for round_ in range(rounds + 1):
            for name, func in (("ours", ours), ("bare", bare)):
                c, _, _ = timed(func)
                if round_:
                    cpu[name].append(c)
        ours_c, bare_c = statistics.median(cpu["ours"]), statistics.median(cpu["bare"])
        best = min(cpu["ours"]) / min(cpu["bare"])
        rows.append(
            f"| {source.stem} brief | {ours_c:.3f} s | {bare_c:.3f} s | {ours_c / bare_c:.3f}x "
            f"| {best:.3f}x |"
        )
        print(rows[-1], flush=True)
    return rows


def section(paths: list[str], overhead: list[str], rounds: int) -> str:
    return "\n".join(
        [
            "## Fonts: both subsetting paths, and pipeline overhead",
            "",
            f"Produced by `benchmarks/fonts.py --rounds {rounds}` on {time.ctime()} "
            f"(WeasyPrint {weasyprint.__version__}); medians of {rounds} alternating rounds "
            "after a warm-up, in one warm process.",
            "",
            "The ratios are given of the medians and of the fastest rounds (the least "
            "disturbed by other work on a shared machine). Target: fontTools within 1.3x of "
            "HarfBuzz, PDF at most 1.5x larger.",
            "",
            "| Document | PDF, HarfBuzz | PDF, fontTools | time, HarfBuzz (CPU / wall) "
            "| time, fontTools (CPU / wall) | fontTools / HarfBuzz (medians) | (fastest) |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *paths,
            "",
            BEFORE,
            "",
            "Our pipeline for one brief PDF (YAML in: load, validate, analyse, render, PDF out) "
            "against bare `weasyprint.HTML(string=html).write_pdf()` on the same HTML with the "
            "same options (base URL, `pdf_identifier`, one reused `FontConfiguration`), CPU "
            "seconds, on this machine's default subsetting path:",
            "",
            "| Document | ours | bare WeasyPrint | ours / bare, medians (target <= 1.05x) "
            "| (fastest) |",
            "|---|---:|---:|---:|---:|",
            *overhead,
            "",
        ]
    )


def write(text: str) -> None:
    """Replace (or append) the Fonts section of RESULTS.md, keeping everything else."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    head, marker, rest = current.partition("## Fonts: ")
    tail = rest.partition("\n## ")[2] if marker else ""
    RESULTS.write_text(
        head.rstrip("\n") + "\n\n" + text + (f"\n## {tail}" if tail else ""), encoding="utf-8"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args()
    if HARFBUZZ is None:
        print("libharfbuzz-subset0 is not installed: only the fontTools path can be measured")
        return 2
    paths = bench_paths(args.rounds)
    overhead = bench_overhead(args.rounds)
    text = section(paths, overhead, args.rounds)
    if args.write:
        write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
