"""What a user can grow stays within bounds: limits at ``validate``, no recursion after it.

A path of branches may fork at most ``MAX_BRANCH_DEPTH`` levels deep: one
located error past it, and at the limit every command and document works (they
crashed with ``RecursionError`` at 200 levels before). Thousands of flat
branches, thresholds and timeline events are drawn by walks that are linear in
them: ``benchmarks/scale.py`` measures the growth; these tests hold the
behaviour at sizes that used to crash or stall.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT

from generator.cli import main
from generator.format.fork_rules import MAX_BRANCH_DEPTH


def _forked(depth: int, flat: int = 0) -> dict[str, Any]:
    """ai-2027 with its two endings at the end of a chain of ``depth`` - 1 branches."""
    data = yaml.safe_load((ROOT / "scenarios" / "ai-2027.yaml").read_text(encoding="utf-8"))
    chain = [{"id": f"b{i}", "name": f"Branch {i}", "from": "2027-10"} for i in range(depth - 1)]
    for i, branch in enumerate(chain[1:], 1):
        branch["parent"] = f"b{i - 1}"
    for ending in data["branches"]:
        if chain:
            ending["parent"] = chain[-1]["id"]
    extra = [{"id": f"f{i}", "name": f"Flat {i}", "from": "2027-10"} for i in range(flat)]
    data["branches"] = chain + data["branches"] + extra
    return data


def run(cwd: Path, *args: str) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("depth", [MAX_BRANCH_DEPTH + 1, 200, 1000])
def test_a_path_forked_too_deep_is_one_located_error(tmp_path: Path, depth: int) -> None:
    path = _write(tmp_path, _forked(depth))
    # The first branch in the file past the limit: an ending, or the chain's ninth.
    first = "race" if depth == MAX_BRANCH_DEPTH + 1 else f"b{MAX_BRANCH_DEPTH}"
    parent = f"parent: b{MAX_BRANCH_DEPTH - 1}"
    line, text = next(
        (n, t) for n, t in enumerate(path.read_text().splitlines(), 1) if t.strip() == parent
    )
    column = text.index(parent) + len("parent: ") + 1
    code, out, _ = run(tmp_path, "validate", "s.yaml")
    assert (code, out.splitlines()) == (
        1,
        [
            f"s.yaml:{line}:{column}: error: branches[{MAX_BRANCH_DEPTH}].parent: branch "
            f"'{first}' is nested {MAX_BRANCH_DEPTH + 1} levels deep; a path may fork at most "
            f"{MAX_BRANCH_DEPTH} levels deep",
            "1 error, 0 warnings in 1 file",
        ],
    )
    for command in (["status", "s.yaml"], ["render", "s.yaml", "-o", "b.md"]):
        code, _, err = run(tmp_path, *command)
        assert code == 1, err
        assert "branch-depth" not in err and "internal error" not in err
        assert f"is nested {MAX_BRANCH_DEPTH + 1} levels deep" in err


def test_a_path_forked_as_deep_as_allowed_renders_everywhere(tmp_path: Path) -> None:
    _write(tmp_path, _forked(MAX_BRANCH_DEPTH))
    assert run(tmp_path, "validate", "s.yaml")[:2] == (0, "0 errors, 0 warnings in 1 file\n")
    assert run(tmp_path, "status", "s.yaml")[0] == 0
    for template in ("brief", "report"):
        code, _, err = run(tmp_path, "render", "s.yaml", "-t", template, "-o", f"{template}.md")
        assert code == 0, err
    brief = (tmp_path / "brief.md").read_text()
    assert "Branch 6" in brief and "Slowdown ending" in brief


def test_thousands_of_flat_branches_validate_and_render(tmp_path: Path) -> None:
    _write(tmp_path, _forked(1, flat=3000))
    assert run(tmp_path, "validate", "s.yaml")[0] == 0
    code, _, err = run(tmp_path, "render", "s.yaml", "-t", "report", "-o", "r.md")
    assert code == 0, err
    assert "Flat 2999" in (tmp_path / "r.md").read_text()
