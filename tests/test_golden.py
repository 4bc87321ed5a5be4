"""Golden documents: every example scenario x (brief, report) x (md, html), byte for byte.

A failure here means the output changed. If the change is intended (a template
or analysis change), regenerate and review the goldens:

    python tests/regen_golden.py
    git diff tests/golden
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from regen_golden import GOLDEN, cases, render_case

import generator

CASES = list(cases())
HINT = "output differs from the golden file; if intended, run `python tests/regen_golden.py`"


def _excerpt(expected: str, actual: str, name: str, limit: int = 60) -> str:
    diff = list(
        difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), f"golden/{name}", "rendered", lineterm=""
        )
    )
    more = f"\n... ({len(diff) - limit} more diff lines)" if len(diff) > limit else ""
    return "\n".join(diff[:limit]) + more


@pytest.mark.parametrize(
    ("path", "template", "fmt"), CASES, ids=[f"{p.stem}-{t}-{f}" for p, t, f in CASES]
)
def test_matches_golden(path: Path, template: str, fmt: str) -> None:
    target, data = render_case(path, template, fmt)
    assert target.is_file(), f"no golden file {target.name}; run `python tests/regen_golden.py`"
    expected = target.read_bytes()
    if data != expected:
        pytest.fail(
            f"{target.name}: {HINT}\n"
            + _excerpt(
                expected.decode("utf-8", "replace"), data.decode("utf-8", "replace"), target.name
            ),
            pytrace=False,
        )


def test_no_stale_or_missing_goldens() -> None:
    ids = {p: generator.load(p)[0].id for p in {p for p, _, _ in CASES}}
    assert len(ids) >= 8  # every bundled example, so the goldens are not vacuous
    expected = {f"{ids[p]}.{t}.{f}" for p, t, f in CASES}
    present = {p.name for p in GOLDEN.iterdir() if p.suffix in (".md", ".html")}
    assert present == expected, "stale or missing goldens; run `python tests/regen_golden.py`"
