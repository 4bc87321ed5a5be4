"""The ``scenario`` command: exit codes, output formats, and no traceback for bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import __version__
from generator.cli import main
from generator.format.model import json_schema

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "from generator.cli import main; main()"]
KNOWN_CRASHES: dict[str, str] = {}


@pytest.fixture
def scenario(monkeypatch):
    """Run ``scenario ARGS...`` in tests/cases; give back (exit code, stdout, stderr)."""
    monkeypatch.chdir(CASES)

    def run(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(main, list(args))
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr

    return run


# --------------------------------------------------------------------------- exit codes


def test_a_valid_file_exits_0(scenario):
    assert scenario("validate", "minimal.yaml") == (0, "0 errors, 0 warnings in 1 file\n", "")


def test_an_invalid_file_exits_1_and_lists_every_problem_in_line_order(scenario):
    assert scenario("validate", "three-mistakes.yaml") == (
        1,
        "three-mistakes.yaml:5:38: error: summary: unknown source 'nope' "
        "(no sources are declared)\n"
        "three-mistakes.yaml:7:9: error: status: 'drafted' is not one of draft, review, final, "
        "superseded — did you mean 'draft'?\n"
        "three-mistakes.yaml:9:3: error: branches: probabilities add up to 1.3, more than 1\n"
        "3 errors, 0 warnings in 1 file\n",
        "",
    )


def test_files_are_reported_in_order_and_counted(scenario):
    code, out, _ = scenario("validate", "uncited-source.yaml", "minimal.yaml", "bad-slug.yaml")
    assert code == 1
    assert out.splitlines() == [
        "bad-slug.yaml:3:5: error: id: 'Coordinated_Pause' is not a valid id; use lowercase "
        "letters, digits and hyphens, e.g. 'frontier-lab'",
        "uncited-source.yaml:8:9: warning: sources[0]: source 'news' is never cited",
        "1 error, 1 warning in 3 files",
    ]


def test_warnings_alone_exit_0(scenario):
    assert scenario("validate", "uncited-source.yaml") == (
        0,
        "uncited-source.yaml:8:9: warning: sources[0]: source 'news' is never cited\n"
        "0 errors, 1 warning in 1 file\n",
        "",
    )


def test_strict_fails_on_warnings_and_still_calls_them_warnings(scenario):
    assert scenario("validate", "--strict", "uncited-source.yaml") == (
        1,
        "uncited-source.yaml:8:9: warning: sources[0]: source 'news' is never cited\n"
        "0 errors, 1 warning in 1 file; warnings fail under --strict\n",
        "",
    )


def test_strict_json_reports_warnings_with_their_own_severity(scenario):
    code, out, _ = scenario("validate", "--strict", "--format", "json", "uncited-source.yaml")
    assert code == 1
    assert [(d["severity"], d["code"]) for d in json.loads(out)] == [("warning", "uncited-source")]


def test_without_strict_warnings_pass_and_the_line_says_nothing_of_strictness(scenario):
    assert scenario("validate", "uncited-source.yaml") == (
        0,
        "uncited-source.yaml:8:9: warning: sources[0]: source 'news' is never cited\n"
        "0 errors, 1 warning in 1 file\n",
        "",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "--bogus", "minimal.yaml"], "Error: No such option '--bogus'."),
        (
            ["validate", "--format", "xml", "minimal.yaml"],
            "Error: Invalid value for '--format': 'xml' is not one of 'human', 'json', 'github'.",
        ),
        (["frobnicate"], "Error: No such command 'frobnicate'."),
    ],
    ids=["unknown-option", "bad-format", "unknown-command"],
)
def test_a_usage_error_exits_2(scenario, args, message):
    code, out, err = scenario(*args)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == message


def test_no_path_and_no_scenarios_folder_is_a_usage_error(scenario, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, out, err = scenario("validate")
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == f"Error: no PATH given and no scenarios/ folder in {tmp_path}"


@pytest.mark.parametrize("command", ["validate", "build", "diff"])
def test_every_command_finds_the_workspace_scenarios_from_a_subfolder(
    scenario, monkeypatch, tmp_path, command
):
    # One rule for all: the scenarios/ folder of the root that holds scenario.toml.
    (tmp_path / "scenario.toml").write_text('formats = ["md"]\ntemplates = ["brief"]\n')
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "scenarios" / "a.yaml").write_text(
        (ROOT / "scenarios" / "coordinated-pause.yaml").read_text()
    )
    monkeypatch.chdir(tmp_path / "docs")
    if command == "diff":
        git = ["git", "-c", "user.name=a", "-c", "user.email=a@example.invalid"]
        subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
        subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)
        subprocess.run([*git, "commit", "-qm", "x"], cwd=tmp_path, check=True)
    code, out, err = scenario(command)
    assert code == 0, err
    assert "no scenarios/ folder" not in err
    if command == "build":
        assert out.startswith("built 1,") and (tmp_path / "output" / "coordinated-pause").is_dir()


def test_a_folder_without_yaml_files_is_a_usage_error(scenario, tmp_path):
    code, out, err = scenario("validate", str(tmp_path))
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == f"Error: no *.yaml or *.yml files in {tmp_path}"


def test_without_a_path_the_scenarios_folder_is_validated(scenario, monkeypatch, tmp_path):
    (tmp_path / "scenarios").mkdir()
    shutil.copy(CASES / "minimal.yaml", tmp_path / "scenarios" / "minimal.yaml")
    shutil.copy(CASES / "bad-date.yaml", tmp_path / "scenarios" / "bad-date.yaml")
    monkeypatch.chdir(tmp_path)
    assert scenario("validate") == (
        1,
        "scenarios/bad-date.yaml:6:7: error: date: '2026-13' is not a real date "
        "(month must be in 1..12)\n"
        "1 error, 0 warnings in 2 files\n",
        "",
    )


def test_a_missing_file_is_reported_not_a_crash(scenario):
    assert scenario("validate", "nope.yaml") == (
        1,
        "nope.yaml: error: no such file\n1 error, 0 warnings in 1 file\n",
        "",
    )


# --------------------------------------------------------------------------- formats


def test_json_format_is_a_list_of_located_diagnostics(scenario):
    code, out, err = scenario("validate", "--format", "json", "final-with-warnings.yaml")
    assert (code, err) == (1, "")
    assert json.loads(out) == [
        {
            "file": "final-with-warnings.yaml",
            "line": 7,
            "column": 9,
            "severity": "error",
            "code": "final-with-warnings",
            "message": "status: a final scenario may have no warnings, and this one has 1; "
            "fix them or set status: review",
        },
        {
            "file": "final-with-warnings.yaml",
            "line": 9,
            "column": 9,
            "severity": "warning",
            "code": "uncited-source",
            "message": "sources[0]: source 'news' is never cited",
        },
    ]


def test_json_format_of_a_valid_file_is_an_empty_list(scenario):
    code, out, _ = scenario("validate", "--format", "json", "minimal.yaml")
    assert (code, json.loads(out)) == (0, [])


def test_github_format_prints_workflow_annotations(scenario):
    code, out, _ = scenario("validate", "--format", "github", "final-with-warnings.yaml")
    assert code == 1
    assert out.splitlines() == [
        "::error file=final-with-warnings.yaml,line=7,col=9,title=final-with-warnings::"
        "status: a final scenario may have no warnings, and this one has 1; "
        "fix them or set status: review",
        "::warning file=final-with-warnings.yaml,line=9,col=9,title=uncited-source::"
        "sources[0]: source 'news' is never cited",
    ]


def test_github_format_leaves_out_the_line_of_a_whole_file_problem(scenario):
    code, out, _ = scenario("validate", "--format", "github", "nope.yaml")
    assert (code, out) == (1, "::error file=nope.yaml,title=not-found::no such file\n")


def test_github_format_with_strict_fails_but_annotates_warnings_as_warnings(scenario):
    code, out, _ = scenario("validate", "--strict", "--format", "github", "uncited-source.yaml")
    assert (code, out) == (
        1,
        "::warning file=uncited-source.yaml,line=8,col=9,title=uncited-source::"
        "sources[0]: source 'news' is never cited\n",
    )


# --------------------------------------------------------------------------- no traceback


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(p.stem, marks=pytest.mark.xfail(strict=True, reason=KNOWN_CRASHES[p.stem]))
        if p.stem in KNOWN_CRASHES
        else p.stem
        for p in sorted(CASES.glob("*.yaml"))
    ],
)
def test_no_input_gives_a_traceback_or_an_internal_error(scenario, case):
    code, out, err = scenario("validate", f"{case}.yaml")
    assert code in (0, 1)
    assert "Traceback" not in out + err
    assert "internal error" not in out + err
    assert out.endswith(" in 1 file\n")


@pytest.mark.parametrize(
    ("args", "code", "out"),
    [
        (["validate", "minimal.yaml"], 0, "0 errors, 0 warnings in 1 file\n"),
        (
            ["validate", "binary-file.yaml"],
            1,
            "binary-file.yaml:5:22: error: this is a binary file, not a YAML text file "
            "(found a NUL byte)\n1 error, 0 warnings in 1 file\n",
        ),
        (["validate", "--format", "yaml", "minimal.yaml"], 2, ""),
    ],
    ids=["valid", "invalid", "usage-error"],
)
def test_the_real_command_in_a_subprocess(args, code, out):
    result = subprocess.run(
        [*CLI, *args], cwd=CASES, capture_output=True, text=True, encoding="utf-8", check=False
    )
    assert (result.returncode, result.stdout) == (code, out)
    assert "Traceback" not in result.stderr
    if code != 2:
        assert result.stderr == ""


def test_validate_never_imports_weasyprint():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from generator.cli import main\n"
        "CliRunner().invoke(main, ['validate', 'minimal.yaml'])\n"
        "CliRunner().invoke(main, ['--help'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('weasyprint')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=CASES, capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"


# --------------------------------------------------------------------------- other commands


def test_schema_prints_the_json_schema(scenario):
    code, out, err = scenario("schema")
    assert (code, err) == (0, "")
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema == json_schema()


def test_schema_can_write_a_file(scenario, tmp_path):
    target = tmp_path / "scenario.schema.json"
    assert scenario("schema", "-o", str(target)) == (0, "", "")
    assert json.loads(target.read_text(encoding="utf-8")) == json_schema()


def test_version(scenario):
    assert scenario("--version") == (0, f"scenario, version {__version__}\n", "")


def test_help_imports_neither_pydantic_nor_weasyprint():
    # `scenario --help` must stay instant: the heavy libraries load only in the commands.
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from generator.cli import main\n"
        "CliRunner().invoke(main, ['--help'])\n"
        "heavy = ('pydantic', 'weasyprint', 'jinja2', 'nh3', 'markdown')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=CASES, capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"


def test_the_library_api_names_are_functions():
    import generator
    import generator.batch.plan
    import generator.format.validation
    import generator.rendering.document

    for name in ("load", "validate", "render", "build"):
        assert callable(getattr(generator, name)), name
