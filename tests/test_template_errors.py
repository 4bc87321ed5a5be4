"""A template's failure is one located error: the template line, the scenario, the field.

Whatever a template raises (Jinja's own errors, or a ``TypeError`` from a
workspace template) is reported at the template file and line, naming the
scenario being rendered; a value whose form the template did not expect is
also located in the scenario.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import render
from generator.errors import TemplateError
from generator.workspace import load_settings

TREATY = """\
format: 1
id: pact
title: A pact
summary: Two parties agree.
date: 2026-01-01
actors:
  - {id: alpha, name: Alpha, kind: government}
  - {id: beta, name: Beta, kind: government}
mechanisms:
  - id: pact
    name: The pact
    kind: treaty
    parties: [alpha, beta]
    entry_into_force: 1 January 2026
"""


def _workspace(root: Path, templates: dict[str, str], toml: str = "") -> Path:
    (root / "templates").mkdir(parents=True)
    for name, text in templates.items():
        (root / "templates" / name).write_text(text)
    (root / "scenario.toml").write_text(toml)
    return root


def _error(root: Path, template: str, scenario: str = TREATY) -> str:
    """The message of rendering ``scenario`` with ``template`` as the workspace's brief."""
    _workspace(root, {"brief.md.j2": template})
    path = root / "s.yaml"
    path.write_text(scenario)
    with pytest.raises(TemplateError) as info:
        render(path, template="brief", fmt="md", settings=load_settings(root))
    return str(info.value)


def test_a_value_of_another_form_names_its_field_and_line(tmp_path: Path) -> None:
    template = (
        "# {{ s.title }}\n{% for m in s.mechanisms %}\n"
        "{{ m.entry_into_force.ratifications }}\n{% endfor %}\n"
    )
    message = _error(tmp_path, template)
    path, brief = tmp_path / "s.yaml", tmp_path / "templates" / "brief.md.j2"
    assert message == (
        f"{brief}:3:1: error: template reads an undefined value: 'str object' has no "
        f"attribute 'ratifications' (rendering {path}, reading "
        f"mechanisms[pact].entry_into_force at {path}:14:23)"
    )


def test_a_missing_attribute_of_an_item_names_the_scenario_only(tmp_path: Path) -> None:
    message = _error(tmp_path, "{% for m in s.mechanisms %}\n{{ m.nothing_here }}\n{% endfor %}\n")
    assert message == (
        f"{tmp_path / 'templates' / 'brief.md.j2'}:2:1: error: template reads an undefined "
        "value: 'generator.format.mechanisms.Mechanism object' has no attribute "
        f"'nothing_here' (rendering {tmp_path / 's.yaml'})"
    )


def test_a_type_error_in_a_workspace_template_is_located(tmp_path: Path) -> None:
    message = _error(tmp_path, "# {{ s.title }}\n\n{{ s.date | long_date(3) }}\n")
    assert message == (
        f"{tmp_path / 'templates' / 'brief.md.j2'}:3:1: error: template failed: TypeError: "
        "long_date() takes 1 positional argument but 2 were given "
        f"(rendering {tmp_path / 's.yaml'})"
    )


def test_an_unsafe_operation_is_located(tmp_path: Path) -> None:
    message = _error(tmp_path, "x\n{{ ''.__class__ }}\n")
    assert message == (
        f"{tmp_path / 'templates' / 'brief.md.j2'}:2:1: error: template tried an unsafe "
        "operation: access to attribute '__class__' of 'str' object is unsafe. "
        f"(rendering {tmp_path / 's.yaml'})"
    )


def test_a_syntax_error_and_a_missing_include_name_the_template_line_only(tmp_path: Path) -> None:
    brief = tmp_path / "a" / "templates" / "brief.md.j2"
    assert _error(tmp_path / "a", "x\n{% if %}\n") == (
        f"{brief}:2:1: error: template syntax: Expected an expression, got 'end of statement block'"
    )
    dirs = f"{tmp_path / 'b' / 'templates'}, {load_settings(tmp_path).template_dirs[-1]}"
    assert _error(tmp_path / "b", 'x\n{% include "gone.md.j2" %}\n') == (
        f"{tmp_path / 'b' / 'templates' / 'brief.md.j2'}:2:1: error: template not found: "
        f"gone.md.j2 (looked in {dirs})"
    )


def test_a_missing_template_is_named(tmp_path: Path) -> None:
    root = _workspace(tmp_path, {})
    path = root / "s.yaml"
    path.write_text(TREATY)
    with pytest.raises(TemplateError) as info:
        render(path, template="memo", fmt="md", settings=load_settings(root))
    builtin = load_settings(root).template_dirs[-1]
    assert str(info.value) == (
        f"memo.md.j2: error: template not found (looked in {root / 'templates'}, {builtin})"
    )


def test_a_failure_outside_any_template_is_a_bug_and_stays_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.rendering.document import Document

    def broken(self: Document) -> dict[str, object]:
        raise RuntimeError("a bug")

    monkeypatch.setattr(Document, "context", broken)
    root = _workspace(tmp_path, {"brief.md.j2": "# {{ s.title }}\n"})
    path = root / "s.yaml"
    path.write_text(TREATY)
    with pytest.raises(RuntimeError, match="a bug"):
        render(path, template="brief", fmt="md", settings=load_settings(root))
