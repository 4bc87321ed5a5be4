"""The built wheel ships everything the package needs, and renders every format installed.

An editable install reads the source tree, so a module or template left out of
the package data would only show on a user's machine. This test builds the
wheel, compares its files with the source tree, installs it (not editable)
into a folder of its own and renders every template in every format from
there, outside the source tree.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator.outputs import FORMATS
from generator.workspace import TEMPLATES

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def _source_files() -> set[str]:
    """What the package is made of, as paths inside the wheel."""
    code = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "generator").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    templates = {
        "generator/templates/" + p.relative_to(ROOT / "templates").as_posix()
        for p in (ROOT / "templates").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    return code | templates


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    (found,) = out.glob("*.whl")
    return found


def test_the_wheel_holds_every_module_and_template(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = {n for n in archive.namelist() if not n.split("/")[0].endswith(".dist-info")}
    assert _source_files() - names == set()


def test_the_installed_wheel_renders_every_template_in_every_format(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
         "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    scenario = ROOT / "scenarios" / "coordinated-pause.yaml"
    script = (
        "import sys, generator\n"
        f"assert generator.__file__.startswith({str(site)!r}), generator.__file__\n"
        "from generator.cli import main\n"
        "main()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    for template in TEMPLATES:
        for fmt in FORMATS:
            target = elsewhere / f"{template}.{fmt}"
            run = subprocess.run(
                [sys.executable, "-c", script, "render", str(scenario), "-t", template,
                 "-f", fmt, "-o", str(target)],
                cwd=elsewhere,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )  # fmt: skip
            assert run.returncode == 0, run.stderr
            assert target.stat().st_size > 1000
    assert (elsewhere / "brief.pdf").read_bytes().startswith(b"%PDF-")
    # The report's charts: inline in HTML, files beside the Markdown (rendering.charts ships).
    assert '<figure class="chart"><svg' in (elsewhere / "report.html").read_text()
    assert (
        (elsewhere / "charts" / "report-indicator-swe-bench.svg").read_bytes().startswith(b"<svg")
    )
