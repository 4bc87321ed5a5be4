"""Regenerate the golden documents in ``tests/golden/`` after a deliberate change.

    python tests/regen_golden.py

Renders every example scenario (``scenarios/*.yaml``) x template (brief,
report) x format (md, html) to ``tests/golden/<id>.<template>.<format>``, with
a fixed revision in the version stamp so that the goldens do not change with
each commit, and deletes goldens that no longer correspond to a scenario.
``tests/test_golden.py`` renders the same way and compares byte for byte.
Review the diff (``git diff tests/golden``) before committing it.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
SCENARIOS = ROOT / "scenarios"
TEMPLATES = ("brief", "report")
FORMATS = ("md", "html")
REVISION = "rev golden"
STYLE = re.compile(rb"<style>.*?</style>", re.S)
"""The inlined stylesheet, left out of the golden HTML so a CSS edit changes no golden file."""

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def cases() -> Iterator[tuple[Path, str, str]]:
    """Every (scenario file, template, format) that has a golden document."""
    for path in sorted(SCENARIOS.glob("*.yaml")):
        for template in TEMPLATES:
            for fmt in FORMATS:
                yield path, template, fmt


def render_case(path: Path, template: str, fmt: str) -> tuple[Path, bytes]:
    """Render one case as the goldens are rendered: ``(golden file, bytes)``."""
    import generator
    from generator.pipeline import render_scenario
    from generator.workspace import load_settings

    scenario, diagnostics = generator.load(path)
    errors = [str(d) for d in diagnostics if d.severity == "error"]
    if scenario is None or errors:
        raise SystemExit(f"{path}: invalid scenario:\n" + "\n".join(errors))
    # Rendered from a copy outside any repository, so that the documents do not depend on
    # this checkout's git history (the changelog annex lists the file's commits).
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        data = render_scenario(scenario, copy, load_settings(ROOT), template, fmt, REVISION)
    if fmt == "html":  # the stylesheet is tested on its own (tests/test_css.py)
        data = STYLE.sub(b"<style>/* templates/briefing.css */</style>", data)
    return GOLDEN / f"{scenario.id}.{template}.{fmt}", data


def main() -> int:
    GOLDEN.mkdir(exist_ok=True)
    wanted = set()
    changed = 0
    for path, template, fmt in cases():
        target, data = render_case(path, template, fmt)
        wanted.add(target)
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
            changed += 1
            print(f"updated {target.relative_to(ROOT)}")
    for stale in sorted(set(GOLDEN.iterdir()) - wanted):
        if stale.suffix in (".md", ".html") and stale.name != "README.md":
            stale.unlink()
            print(f"removed {stale.relative_to(ROOT)}")
    print(f"{len(wanted)} golden files, {changed} updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
