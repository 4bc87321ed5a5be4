"""Where ``scenario render`` and ``scenario schema`` put their output.

``-o -`` means standard output, as for every Unix tool (bytes for a PDF), and
``python -m generator`` is the ``scenario`` command. An output path that
cannot be written is one located error line and exit 1, never an internal error.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import generator

EXAMPLE = Path(__file__).parent.parent / "scenarios" / "coordinated-pause.yaml"


def scenario(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """``python -m generator ARGS`` in ``cwd``, output as bytes."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_python_dash_m_generator_is_the_scenario_command(tmp_path: Path) -> None:
    run = scenario(tmp_path, "--version")
    assert (run.returncode, run.stdout, run.stderr) == (0, b"scenario, version 0.1.0\n", b"")
    usage = scenario(tmp_path, "--help")
    assert usage.stdout.startswith(b"Usage: scenario [OPTIONS] COMMAND [ARGS]...")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_render_dash_writes_the_document_to_standard_output(tmp_path: Path, fmt: str) -> None:
    run = scenario(tmp_path, "render", str(EXAMPLE), "-f", fmt, "-o", "-")
    assert run.returncode == 0, run.stderr
    # The Markdown brief links its chart: with nowhere to write it, it keeps the caption.
    note = b"note: 1 attachment not written to standard output; the document gives its text"
    assert run.stderr == (note + b" instead\n" if fmt == "md" else b"")
    assert run.stdout == generator.render(EXAMPLE, fmt=fmt)
    assert list(tmp_path.iterdir()) == []  # no file named "-", no output folder


@pytest.mark.slow
def test_render_dash_writes_a_pdf_as_bytes(tmp_path: Path) -> None:
    import io

    import pypdf

    run = scenario(tmp_path, "render", str(EXAMPLE), "-f", "pdf", "-o", "-")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(b"%PDF-") and run.stdout.rstrip().endswith(b"%%EOF")
    assert "Coordinated" in pypdf.PdfReader(io.BytesIO(run.stdout)).pages[0].extract_text()
    assert list(tmp_path.iterdir()) == []


def test_schema_dash_is_standard_output(tmp_path: Path) -> None:
    plain = scenario(tmp_path, "schema")
    dash = scenario(tmp_path, "schema", "-o", "-")
    assert dash.returncode == 0 and dash.stdout == plain.stdout
    assert json.loads(dash.stdout)["$schema"].startswith("https://json-schema.org/")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["render", "schema"])
def test_an_output_under_a_file_is_one_clear_error(tmp_path: Path, command: str) -> None:
    (tmp_path / "notes").write_text("a file, not a folder\n", encoding="utf-8")
    args = ["render", str(EXAMPLE), "-f", "md"] if command == "render" else ["schema"]
    run = scenario(tmp_path, *args, "-o", "notes/x.md")
    assert run.returncode == 1
    assert run.stdout == b""
    assert run.stderr.decode() == "notes/x.md: error: cannot write: notes is a file, not a folder\n"
    assert (tmp_path / "notes").read_text(encoding="utf-8") == "a file, not a folder\n"
