"""Settings: ``scenario.toml`` read through its one typed declaration, every mistake located."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ConfigError
from generator.outputs import FORMATS, PAPERS
from generator.workspace import FileSettings, load_settings


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('paper = "A5"', "setting 'paper': choose from A4, Letter"),
        ('formats = ["md", "docx"]', "setting 'formats': choose from md, html, pdf"),
        ('pdf_variant = "pdf/x"', "setting 'pdf_variant': choose from pdf/ua-1, pdf/a-3b"),
        ("jobs = 0", "setting 'jobs' must be at least 1"),
        ('jobs = "2"', "setting 'jobs' has the wrong type"),
        ("organisation = 3", "setting 'organisation' has the wrong type"),
        ('papr = "A4"', "unknown setting 'papr' — did you mean 'paper'?"),
    ],
)
def test_a_bad_setting_is_a_located_error(tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "scenario.toml").write_text(f"# settings\n\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert str(caught.value) == f"{tmp_path / 'scenario.toml'}:3:1: error: {message}"


def test_settings_apply_over_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "scenario.toml").write_text(
        'output = "out"\nformats = ["md"]\npaper = "Letter"\njobs = 2\n', encoding="utf-8"
    )
    settings = load_settings(tmp_path)
    assert settings.output == (tmp_path / "out").resolve()
    assert settings.formats == ("md",)
    assert settings.paper == "Letter"
    assert settings.jobs == 2
    assert settings.classification == "PUBLIC"  # untouched default
    assert settings.override(paper="A4", jobs=None).paper == "A4"


def test_without_a_file_the_defaults_hold(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings.config_file is None
    assert settings.formats == FORMATS
    assert settings.output == tmp_path.resolve() / "output"


def test_the_choices_come_from_the_declaration() -> None:
    assert FORMATS == ("md", "html", "pdf")
    assert PAPERS == ("A4", "Letter")
    assert set(FileSettings.model_fields) >= {"output", "formats", "paper", "jobs"}
