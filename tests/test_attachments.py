"""A document is a set of files: attachments beside it, in the manifest, removed when stale.

No output format makes attachments yet (charts will), so these tests register a
text renderer that adds one: a small SVG named ``trend``, linked from the end of
the document.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.batch import build
from generator.cli import main
from generator.rendering import renderers
from generator.rendering.renderers import Attachment, Rendered, TextRenderer
from generator.workspace import load_settings

ROOT = Path(__file__).resolve().parents[1]
PAUSE = ROOT / "scenarios" / "seoul-commitments.yaml"  # no chart of its own: only the test's
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n'


class Charted(TextRenderer):
    """A text renderer whose Markdown ends with a link to one chart."""

    with_chart = True

    def finish(self, text: str, label: str, created: datetime, settings) -> Rendered:
        rendered = super().finish(text, label, created, settings)
        if not (self.with_chart and self.format.name == "md"):
            return rendered
        chart = Attachment("trend", "svg", SVG, "![Trend]({path})", "[Trend: rising]")
        return Rendered(
            rendered.data + f"\n{chart.mark}\n".encode(), (*rendered.attachments, chart)
        )


@pytest.fixture
def charted(monkeypatch):
    monkeypatch.setitem(renderers.RENDERERS, "text", Charted)
    monkeypatch.setattr(Charted, "with_chart", True)
    return Charted


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    (tmp_path / "scenarios").mkdir()
    shutil.copy(PAUSE, tmp_path / "scenarios" / PAUSE.name)
    (tmp_path / "scenario.toml").write_text(
        'formats = ["md", "html"]\ntemplates = ["brief"]\n', encoding="utf-8"
    )
    return tmp_path


def test_a_build_writes_the_attachment_beside_its_document_and_lists_it(charted, ws):
    result = build(settings=load_settings(ws))
    out = ws / "output"
    assert not result.failed
    chart = out / "seoul-commitments" / "charts" / "brief-trend.svg"
    assert chart.read_bytes() == SVG
    brief = (out / "seoul-commitments" / "brief.md").read_text(encoding="utf-8")
    assert brief.endswith("\n![Trend](charts/brief-trend.svg)\n")
    assert "\u2063" not in brief
    entry = json.loads((out / "manifest.json").read_bytes())["outputs"][
        "seoul-commitments/brief.md"
    ]
    assert entry["attachments"] == {
        "seoul-commitments/charts/brief-trend.svg": {
            "sha256": hashlib.sha256(SVG).hexdigest(),
            "size": len(SVG),
        }
    }
    assert entry["sha256"] == hashlib.sha256(brief.encode()).hexdigest()
    # the HTML has no attachment: nothing else in charts/
    assert sorted(p.name for p in chart.parent.iterdir()) == ["brief-trend.svg"]


def test_a_missing_attachment_rebuilds_its_document_only(charted, ws):
    settings = load_settings(ws)
    build(settings=settings)
    again = build(settings=settings)
    assert again.built == [] and len(again.skipped) == 2
    (ws / "output" / "seoul-commitments" / "charts" / "brief-trend.svg").unlink()
    third = build(settings=settings)
    assert third.built == [str(ws / "output" / "seoul-commitments" / "brief.md")]
    assert (ws / "output" / "seoul-commitments" / "charts" / "brief-trend.svg").is_file()


def test_an_attachment_no_longer_made_is_removed_with_its_folder(charted, ws):
    settings = load_settings(ws)
    build(settings=settings)
    charted.with_chart = False
    result = build(settings=settings, force=True)
    charts = ws / "output" / "seoul-commitments" / "charts"
    assert result.removed == [str(charts / "brief-trend.svg")]
    assert not charts.exists()
    assert (ws / "output" / "seoul-commitments" / "brief.md").is_file()


def test_an_attachment_someone_edited_is_left_in_place_with_a_warning(charted, ws):
    settings = load_settings(ws)
    build(settings=settings)
    chart = ws / "output" / "seoul-commitments" / "charts" / "brief-trend.svg"
    chart.write_bytes(b"<svg>mine</svg>")
    (ws / "scenarios" / PAUSE.name).unlink()  # the scenario is gone: its outputs go
    result = build(settings=settings)
    assert chart.read_bytes() == b"<svg>mine</svg>"
    assert [(d.file, d.message) for d in result.diagnostics] == [
        (str(chart), "left in place: not the file an earlier build wrote there")
    ]
    assert not (ws / "output" / "seoul-commitments" / "brief.md").exists()


def test_render_to_a_file_writes_the_attachment_beside_it(charted, tmp_path):
    target = tmp_path / "briefs" / "pause.md"
    run = CliRunner().invoke(
        main, ["render", str(PAUSE), "-t", "brief", "-f", "md", "-o", str(target)]
    )
    assert run.exit_code == 0, run.output
    assert (tmp_path / "briefs" / "charts" / "brief-trend.svg").read_bytes() == SVG
    assert target.read_text(encoding="utf-8").endswith("![Trend](charts/brief-trend.svg)\n")


def test_render_to_standard_output_gives_the_text_instead_and_says_so(charted):
    run = CliRunner().invoke(main, ["render", str(PAUSE), "-t", "brief", "-f", "md", "-o", "-"])
    assert run.exit_code == 0, run.output
    assert run.stdout.endswith("\n[Trend: rising]\n")
    assert run.stderr == (
        "note: 1 attachment not written to standard output; the document gives its text instead\n"
    )
