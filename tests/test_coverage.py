"""Characters no font can draw: a warning at render time; CJK drawn when a font has it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import generator
from generator import coverage
from generator.workspace import builtin_templates

ROOT = Path(__file__).resolve().parents[1]
CJK = ROOT / "tests" / "hostile" / "cjk.yaml"
FONTS = builtin_templates() / "fonts"
SCENARIO = Path(sys.executable).with_name("scenario")


@pytest.fixture
def scenario():
    loaded, _ = generator.load(CJK)
    assert loaded is not None
    return loaded


def test_fields_are_named_by_their_key_path(scenario) -> None:
    found = dict(coverage.texts(scenario))
    assert found["actors[cas].name"] == "中国科学院"
    assert found["title"] == "中国科学院 and the pause"


def test_characters_count_as_shipped_only_when_every_shipped_font_has_them() -> None:
    covered = coverage.shipped(FONTS)
    for char in "AéŁșΩжЖ–—“”…×€№":
        assert ord(char) in covered, char
    # Inter has these but Noto Serif does not: serif text takes them from a system font
    assert not {ord(c) for c in "→≤≥−"} & covered
    assert ord("中") not in covered


def test_a_machine_without_cjk_fonts_gets_a_warning_naming_the_package(
    scenario, monkeypatch
) -> None:
    monkeypatch.setattr(coverage, "system_covers", lambda char: False)
    messages = [str(w) for w in coverage.font_warnings(scenario, "x.yaml", FONTS)]
    hint = "; a CJK font would draw them, e.g. Debian's fonts-noto-cjk"
    assert messages == [
        "x.yaml: warning: title: no installed font can draw U+4E2D 中, U+56FD 国, U+79D1 科, "
        f"U+5B66 学, U+9662 院: the PDF shows empty boxes{hint}",
        "x.yaml: warning: summary: no installed font can draw U+F0041 \U000f0041: the PDF shows "
        "empty boxes",
        "x.yaml: warning: actors[cas].name: no installed font can draw U+4E2D 中, U+56FD 国, "
        f"U+79D1 科, U+5B66 学, U+9662 院: the PDF shows empty boxes{hint}",
    ]


def test_controls_and_spaces_need_no_glyph(monkeypatch) -> None:
    monkeypatch.setattr(coverage, "system_covers", lambda char: False)
    assert coverage.missing("a\u200b\u2066b\u2069 \u00a0c\n", FONTS) == []


@pytest.mark.skipif(not shutil.which("fc-list"), reason="fc-list (Debian fontconfig) missing")
def test_render_prints_the_warning_on_stderr(tmp_path: Path) -> None:
    out = tmp_path / "brief.pdf"
    result = subprocess.run(
        [str(SCENARIO), "render", "tests/hostile/cjk.yaml", "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # no font anywhere has this private-use character
    assert (
        "tests/hostile/cjk.yaml: warning: summary: no installed font can draw U+F0041 "
        "\U000f0041: the PDF shows empty boxes\n" in result.stderr
    )


def _has_cjk_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


@pytest.mark.slow
@pytest.mark.skipif(
    not (_has_cjk_font() and shutil.which("pdffonts")),
    reason="needs a CJK font (Debian fonts-noto-cjk; .ci/run installs it) and pdffonts",
)
def test_cjk_text_is_drawn_when_a_cjk_font_is_installed(tmp_path: Path, scenario) -> None:
    from generator.pipeline import render_scenario
    from generator.workspace import load_settings

    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(render_scenario(scenario, CJK, load_settings(ROOT), "brief", "pdf", "x"))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert "CJK" in fonts.stdout
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    assert "中国科学院" in text.stdout
    assert not [w for w in coverage.font_warnings(scenario, "x", FONTS) if "中" in w.message]


@pytest.mark.skipif(not shutil.which("fc-list"), reason="fc-list (Debian fontconfig) missing")
def test_build_prints_the_warning_and_still_builds(tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    shutil.copy(CJK, tmp_path / "scenarios" / "cjk.yaml")
    (tmp_path / "scenario.toml").write_text('formats = ["md"]\n', encoding="utf-8")
    result = subprocess.run(
        [str(SCENARIO), "build"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    line = (
        f"{tmp_path / 'scenarios' / 'cjk.yaml'}: warning: summary: no installed font can draw "
        "U+F0041 \U000f0041: the PDF shows empty boxes"
    )
    assert line in result.stderr.splitlines()
    assert (tmp_path / "output" / "hostile-cjk" / "brief.md").is_file()
