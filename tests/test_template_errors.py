"""A template's failure is one located error: the template line, the scenario, the field.

Whatever a template raises (Jinja's own errors, or a ``TypeError`` from a
workspace template) is reported at the template file and line, naming the
scenario being rendered; a value whose form the template did not expect is
also located in the scenario. The index template's errors read like the
documents', and a build reports each error once, in the diagnostics' one
shape, however many outputs it failed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import render
from generator.cli import main
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

MINIMAL = """\
format: 1
id: {ident}
title: Scenario {ident}
summary: The smallest valid scenario.
date: 2026-11-21
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


# --------------------------------------------------------------------------- the build


def _build(root: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["build", "-j", "1", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_broken_index_template_fails_the_index_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _workspace(
        tmp_path,
        {"brief.md.j2": "# {{ s.title }}\n", "index.md.j2": "# Index\n\n{{ rows.nope }}\n"},
        'formats = ["md"]\ntemplates = ["brief"]\n',
    )
    (root / "scenarios").mkdir()
    (root / "scenarios" / "a.yaml").write_text(MINIMAL.format(ident="a"))
    code, out, err = _build(root, monkeypatch=monkeypatch)
    assert code == 1
    assert err == (
        f"{root / 'templates' / 'index.md.j2'}:3:1: error: template reads an undefined value: "
        "'list object' has no attribute 'nope' (rendering the index)\n"
    )
    assert out.startswith("built 1, skipped 0, failed 1, removed 0 in ")
    assert (root / "output" / "a" / "brief.md").read_text() == "# Scenario a\n"
    assert (root / "output" / "index.html").is_file()
    assert not (root / "output" / "index.md").exists()
    code, out, err = _build(root, monkeypatch=monkeypatch)  # tried again, not taken as done
    assert code == 1 and out.startswith("built 0, skipped 1, failed 1, removed 0 in ")


def test_one_broken_template_is_printed_once_for_every_output_it_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _workspace(
        tmp_path,
        {"brief.html.j2": "<h1>{{ s.title }}</h1>\n{% if %}\n"},
        'formats = ["html", "pdf"]\ntemplates = ["brief"]\n',
    )
    (root / "scenarios").mkdir()
    for ident in ("a", "b"):
        (root / "scenarios" / f"{ident}.yaml").write_text(MINIMAL.format(ident=ident))
    code, out, err = _build(root, monkeypatch=monkeypatch)
    assert code == 1
    assert err == (
        f"{root / 'templates' / 'brief.html.j2'}:2:1: error: template syntax: "
        "Expected an expression, got 'end of statement block'\n"
    )
    assert out.startswith("built 0, skipped 0, failed 4, removed 0 in ")


def test_build_reports_every_error_in_the_diagnostics_shape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _workspace(
        tmp_path,
        {"brief.md.j2": "# {{ s.title }}\n{{ s.no_such_field }}\n"},
        'formats = ["md"]\ntemplates = ["brief"]\n',
    )
    (root / "scenarios").mkdir()
    bad_date = MINIMAL.format(ident="bad").replace("2026-11-21", "2026-13-01")
    (root / "scenarios" / "bad.yaml").write_text(bad_date)
    (root / "scenarios" / "good.yaml").write_text(MINIMAL.format(ident="good"))
    code, out, err = _build(root, "--format", "json", monkeypatch=monkeypatch)
    assert (code, err) == (1, "")
    report = json.loads(out)
    del report["seconds"]
    good, bad = root / "scenarios" / "good.yaml", root / "scenarios" / "bad.yaml"
    assert report == {
        "built": [],
        "skipped": [],
        "failed": [str(bad), str(root / "output" / "good" / "brief.md")],
        "removed": [],
        "diagnostics": [
            {
                "file": str(bad),
                "line": 5,
                "column": 7,
                "severity": "error",
                "code": "invalid-value",
                "message": "date: '2026-13-01' is not a real date (month must be in 1..12)",
            },
            {
                "file": str(root / "templates" / "brief.md.j2"),
                "line": 2,
                "column": 1,
                "severity": "error",
                "code": "template",
                "message": "template reads an undefined value: "
                "'generator.format.model.Scenario object' has no attribute 'no_such_field' "
                f"(rendering {good})",
            },
        ],
    }


def test_a_build_that_cannot_start_reports_in_the_same_shape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from git_helpers import GitRepo

    repo = GitRepo(tmp_path / "r")
    repo.write("scenario.toml", 'formats = ["md"]\ntemplates = ["brief"]\n')
    repo.write("templates/brief.md.j2", "# {{ s.title }}\n")
    repo.write("scenarios/a.yaml", MINIMAL.format(ident="a"))
    repo.commit("First")
    code, out, err = _build(
        repo.root, "--since", "nope", "--format", "json", monkeypatch=monkeypatch
    )
    assert (code, err) == (1, "")
    diagnostic = {"file": "--since", "line": 0, "column": 0, "severity": "error", "code": "git"}
    assert json.loads(out)["diagnostics"] == [{**diagnostic, "message": "unknown revision 'nope'"}]
    code, out, err = _build(repo.root, "--since", "nope", monkeypatch=monkeypatch)
    assert (code, out, err) == (1, "", "--since: error: unknown revision 'nope'\n")
