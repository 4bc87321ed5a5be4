"""Charts computed from the data: an indicator's trajectory against its thresholds.

The SVG is the same bytes in any process, says in words what it shows (a changed
observation changes both), survives bad data (one reading, none, equal readings, zero
on what would be a log scale, mixed date precision), is inline in HTML and PDF, and in
Markdown is a link to a file written beside the document, which exists.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from conftest import ROOT

from generator.analysis.analyse import analyse
from generator.format.validation import load_valid
from generator.rendering.charts.trajectory import charts, trajectory

SCENARIOS = ROOT / "scenarios"
SVG = "{http://www.w3.org/2000/svg}"


def _scenario(edit=None, name: str = "coordinated-pause"):
    data = yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8"))
    if edit:
        edit(data)
        data["status"] = "review"  # an edited reading may earn a warning a final file refuses
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        return load_valid(path)


def _indicator(data: dict, ident: str) -> dict:
    return next(i for i in data["indicators"] if i["id"] == ident)


def test_the_text_alternative_says_what_the_chart_shows() -> None:
    chart = charts(analyse(_scenario()))["swe-bench"]
    assert chart.alt == (
        "Best frontier model's SWE-bench score rose from 2 % (Oct 2023) to 93.9 % (2026); "
        "Software engineering benchmark effectively saturated: alert at 90 %, trigger ≥ 97 %; "
        "alert as of 20 Nov 2026."
    )
    root = ElementTree.fromstring(chart.svg)
    assert root.find(f"{SVG}title").text == (
        "Best frontier model's SWE-bench score, against its thresholds"
    )
    assert root.find(f"{SVG}desc").text == chart.alt and root.get("aria-label") == chart.alt
    tips = [t.text for t in root.iter(f"{SVG}title")][1:]
    assert tips[0].startswith("2 % (Oct 2023)")  # each reading, with its source, as a tooltip


def test_an_observation_changes_the_chart_and_its_words() -> None:
    def edit(data):
        _indicator(data, "swe-bench")["observations"][-1]["value"] = 98

    before = charts(analyse(_scenario()))["swe-bench"]
    after = charts(analyse(_scenario(edit)))["swe-bench"]
    assert "to 98 % (2026)" in after.alt and "crossed as of 20 Nov 2026" in after.alt
    assert after.svg != before.svg


def test_bad_data_gives_a_sensible_chart_never_a_failure() -> None:
    cases = {
        "none": lambda ind: ind.update(observations=[]),
        "one": lambda ind: ind.update(observations=ind["observations"][:1]),
        "equal": lambda ind: [o.update(value=50) for o in ind["observations"]],
        "zero": lambda ind: ind["observations"][0].update(value=0),
        "mixed dates": lambda ind: ind.update(
            observations=[
                {"date": 2024, "value": 10},
                {"date": "2025-05", "value": 40},
                {"date": "2025-05-12", "value": 60},
            ]
        ),
    }
    for label, change in cases.items():

        def edit(data, change=change):
            change(_indicator(data, "swe-bench"))

        analysis = analyse(_scenario(edit))
        ind = next(i for i in analysis.scenario.indicators if i.id == "swe-bench")
        chart = trajectory(analysis, ind)
        assert chart is not None, label
        ElementTree.fromstring(chart.svg)  # well-formed
        assert "nan" not in chart.svg and "inf" not in chart.svg, label
    none = _scenario(lambda d: _indicator(d, "swe-bench").update(observations=[]))
    chart = charts(analyse(none))["swe-bench"]
    assert "No readings yet" in chart.svg and "no readings yet" in chart.alt
    equal = _scenario(
        lambda d: [o.update(value=50) for o in _indicator(d, "swe-bench")["observations"]]
    )
    assert "held at 50 % from Oct 2023 to 2026" in charts(analyse(equal))["swe-bench"].alt


def test_a_log_scale_by_the_position_bars_rule(tmp_path: Path) -> None:
    treaty = analyse(load_valid(SCENARIOS / "miri-draft-treaty.yaml"))
    chart = charts(treaty)["model-training-compute"]
    assert "FLOP, log scale" in chart.svg and "10²⁴" in chart.svg

    def zero(data):
        _indicator(data, "model-training-compute")["observations"][0]["value"] = 0

    flat = charts(analyse(_scenario(zero, "miri-draft-treaty")))["model-training-compute"]
    assert "log scale" not in flat.svg  # a log scale cannot show zero: linear instead
    ElementTree.fromstring(flat.svg)


def test_the_svg_is_the_same_bytes_in_any_process() -> None:
    code = (
        "import sys, hashlib\n"
        "from generator.format.validation import load_valid\n"
        "from generator.analysis.analyse import analyse\n"
        "from generator.rendering.charts.trajectory import charts\n"
        "for n in ('coordinated-pause', 'miri-draft-treaty'):\n"
        "    cs = charts(analyse(load_valid(f'scenarios/{n}.yaml')))\n"
        "    for k in sorted(cs): print(k, hashlib.sha256(cs[k].svg.encode()).hexdigest())\n"
    )
    outs = []
    for seed, tz, lang in (("1", "UTC", "C.UTF-8"), ("987", "Asia/Tokyo", "de_DE.UTF-8")):
        env = dict(os.environ, PYTHONHASHSEED=seed, TZ=tz, LC_ALL=lang, LANG=lang)
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        outs.append(done.stdout)
    assert outs[0] == outs[1] and outs[0].count("\n") == 6


def test_markdown_links_each_chart_to_a_file_beside_it_and_html_holds_it_inline(
    tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    target = tmp_path / "out" / "report.md"
    result = CliRunner().invoke(
        main,
        ["render", str(SCENARIOS / "coordinated-pause.yaml"), "-t", "report", "-o", str(target)],
    )
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\((charts/[^)]+)\)", text)
    assert links == [
        "charts/report-indicator-swe-bench.svg",
        "charts/report-indicator-ai-authored-code-share.svg",
        "charts/report-indicator-code-output-multiple.svg",
        "charts/report-indicator-automated-rnd-funding.svg",
        "charts/report-forecast-cumulative.svg",
    ]
    for link in links:
        ElementTree.fromstring((target.parent / link).read_bytes())
    assert "*Figure: Best frontier model's SWE-bench score rose from 2 %" in text
    # To standard output there is nowhere to put the files: the words stay, no link.
    piped = CliRunner().invoke(
        main,
        [
            "render",
            str(SCENARIOS / "coordinated-pause.yaml"),
            "-t",
            "report",
            "-f",
            "md",
            "-o",
            "-",
        ],
    )
    assert piped.exit_code == 0
    assert "](charts/" not in piped.stdout and "*Figure: Best frontier model's" in piped.stdout
    page = (
        CliRunner()
        .invoke(
            main,
            [
                "render",
                str(SCENARIOS / "coordinated-pause.yaml"),
                "-t",
                "report",
                "-f",
                "html",
                "-o",
                "-",
            ],
        )
        .stdout
    )
    assert page.count('<figure class="chart"><svg') == 5 and "charts/" not in page


def test_a_build_writes_each_chart_lists_it_and_removes_it_when_it_goes(tmp_path: Path) -> None:
    import json

    from generator.batch import build
    from generator.workspace import load_settings

    root = tmp_path / "ws"
    (root / "scenarios").mkdir(parents=True)
    (root / "scenario.toml").write_text('formats = ["md"]\ntemplates = ["report"]\n')
    source = root / "scenarios" / "coordinated-pause.yaml"
    data = yaml.safe_load((SCENARIOS / "coordinated-pause.yaml").read_text(encoding="utf-8"))
    source.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert build(settings=load_settings(root)).ok
    charts_dir = root / "output" / "coordinated-pause" / "charts"
    chart = charts_dir / "report-indicator-swe-bench.svg"
    assert chart.is_file()
    manifest = json.loads((root / "output" / "manifest.json").read_text())
    listed = manifest["outputs"]["coordinated-pause/report.md"]["attachments"]
    assert "coordinated-pause/charts/report-indicator-swe-bench.svg" in listed
    # The threshold that read SWE-bench becomes one judged by assessment: no chart, removed.
    saturated = next(t for t in data["thresholds"] if t.get("indicator") == "swe-bench")
    saturated.pop("indicator")
    saturated.pop("condition")
    data["status"] = "review"
    source.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    result = build(settings=load_settings(root))
    assert result.ok, result.diagnostics
    assert not chart.exists() and str(chart) in result.removed
    assert (charts_dir / "report-indicator-ai-authored-code-share.svg").is_file()


def test_the_brief_has_one_chart_of_the_threshold_nearest_to_acting() -> None:
    from conftest import render_file

    md = render_file(SCENARIOS / "miri-draft-treaty.yaml", "brief", "md").decode()
    assert md.count("*Figure: Training compute of named near-frontier models") == 1
    html = render_file(SCENARIOS / "miri-draft-treaty.yaml", "brief", "html").decode()
    assert html.count('<figure class="chart lead">') == 1
    # A scenario without a measured threshold has no chart.
    assert (
        "<figure" not in render_file(SCENARIOS / "seoul-commitments.yaml", "brief", "html").decode()
    )


@pytest.mark.slow
def test_a_brief_pdf_holds_its_chart_only_where_it_fits() -> None:
    from clients import pdftotext
    from conftest import render_file

    from generator.rendering.pdf import BRIEF_PAGES

    miri = pdftotext(render_file(SCENARIOS / "miri-draft-treaty.yaml", "brief", "pdf"))
    assert miri.count("Figure: Training compute of named near-frontier models") == 1
    # coordinated-pause fills four pages already: the chart stays in the report.
    pause = pdftotext(render_file(SCENARIOS / "coordinated-pause.yaml", "brief", "pdf"))
    assert "Figure:" not in pause and pause.count("\f") == BRIEF_PAGES
    # tests/cases/faithful.yaml: the chart would add a third page holding little else.
    faithful = pdftotext(render_file(ROOT / "tests" / "cases" / "faithful.yaml", "brief", "pdf"))
    assert "Figure:" not in faithful and faithful.count("\f") == 2


def test_every_forecast_distribution_on_one_axis_open_bounds_as_arrows() -> None:
    from generator.rendering.charts.forecasts import distributions

    analysis = analyse(load_valid(SCENARIOS / "ai-2027.yaml"))
    chart = distributions(analysis)
    assert chart is not None and chart.name == "forecast-distributions"
    assert chart.alt.startswith(
        "When each event is forecast: Superhuman coder (all-things-considered): "
        "Eli Lifland median 2030 (80 %: 2026–2050); Nikola Jurkovic median 2028"
    )
    root = ElementTree.fromstring(chart.svg)
    dots = root.findall(f"{SVG}circle")
    assert len(dots) == len(analysis.forks.distributions) == 11
    opened = [
        f for f in analysis.forks.distributions if str(f.distribution.high).startswith("after")
    ]
    assert len(root.findall(f"{SVG}path")) == len(opened) == 4
    assert distributions(analyse(load_valid(SCENARIOS / "seoul-commitments.yaml"))) is None


def test_the_report_links_the_forecast_chart_in_markdown(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    target = tmp_path / "report.md"
    done = CliRunner().invoke(
        main, ["render", str(SCENARIOS / "ai-2027.yaml"), "-t", "report", "-o", str(target)]
    )
    assert done.exit_code == 0, done.output
    text = target.read_text(encoding="utf-8")
    forecasts = text.split("\n## Forecasts\n", 1)[1].split("\n## ", 1)[0]
    assert "](charts/report-forecast-distributions.svg)" in forecasts
    assert (tmp_path / "charts" / "report-forecast-distributions.svg").is_file()


def test_cumulative_forecasts_as_lines_by_the_end_of_each_date() -> None:
    from generator.rendering.charts.forecasts import cumulative

    chart = cumulative(analyse(load_valid(SCENARIOS / "coordinated-pause.yaml")))
    assert chart is not None and chart.name == "forecast-cumulative"
    assert chart.alt == (
        "Cumulative probability that each event has happened: A fully autonomous AI system "
        "trains its own successor, with no human involved: 30 % by 2027, 60 % by 2028."
    )
    root = ElementTree.fromstring(chart.svg)
    line = root.find(f"{SVG}polyline")
    (x1, _), (x2, _) = (tuple(map(float, p.split(","))) for p in line.get("points").split())
    # "by 2027" is the end of 2027: a year apart from "by 2028", at the axis's 2028 tick
    ticks = {
        t.text: float(t.get("x")) for t in root.iter(f"{SVG}text") if t.text in ("2028", "2029")
    }
    assert abs(x1 - ticks["2028"]) < 0.2 and abs(x2 - ticks["2029"]) < 0.2
    assert cumulative(analyse(load_valid(SCENARIOS / "ai-2027.yaml"))) is None


def _diagnostics(edit, name: str = "coordinated-pause") -> list[str]:
    import generator

    data = yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8"))
    edit(data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        _, diagnostics = generator.load(path, display="s.yaml")
    return [str(d) for d in diagnostics if d.severity == "error"]


def test_a_judgment_linked_to_a_forecast_is_drawn_on_its_chart() -> None:
    from generator.rendering.charts.forecasts import cumulative

    def link(data):
        data["judgments"][0]["forecast"] = {"id": "autonomous-successor-by", "by": 2027}

    chart = cumulative(analyse(_scenario(link)))
    assert chart is not None
    assert chart.alt.endswith(
        "; a key judgment puts A fully autonomous AI system trains its own successor, with no "
        "human involved at 65 % by 2027."
    )
    rings = [c for c in ElementTree.fromstring(chart.svg).iter(f"{SVG}circle") if c.get("r") == "5"]
    assert len(rings) == 1 and "judgment 65 %" in chart.svg


def test_a_forecast_link_is_checked() -> None:
    def unknown(data):
        data["judgments"][0]["forecast"] = {"id": "no-such-forecast", "by": 2027}

    def no_probability(data):
        data["judgments"][0].pop("probability")
        data["judgments"][0].pop("likelihood")
        data["judgments"][0]["forecast"] = {"id": "autonomous-successor-by", "by": 2027}

    def distribution(data):
        data["judgments"][0]["forecast"] = {"id": "sc-eli-all", "by": 2030}

    assert (
        [e for e in _diagnostics(unknown) if "no-such-forecast" in e]
        == [e for e in _diagnostics(unknown) if e.startswith("s.yaml:")]
        != []
    )
    (message,) = _diagnostics(no_probability)
    assert message.endswith(
        "error: judgments[0].forecast: the judgment needs a probability to be read against "
        "forecast 'autonomous-successor-by'"
    )
    assert re.match(r"s\.yaml:\d+:\d+: ", message)
    message = _diagnostics(distribution, "ai-2027")[-1]  # (its judgment has no probability)
    assert message.endswith(
        "error: judgments[0].forecast.id: forecast 'sc-eli-all' gives a distribution, not "
        "cumulative estimates; a judgment's probability is read only against estimates"
    )
