"""The real programs that read our outputs, for the tests that run them.

``cmark_gfm()`` is GitHub's Markdown parser (Debian ``cmark-gfm``),
``vnu()`` the W3C Nu HTML checker (``vnu-jar`` from the npm registry, run with
Java) and ``pdftotext()`` poppler's text extraction. On a developer's machine a
missing tool skips the test that needs it, with the reason; under CI (the
``CI`` variable set, as every CI service does) a missing tool fails it, so the
checks cannot be skipped silently there.

``VNU_JAR`` names the checker's jar when it is not where ``npm install -g
vnu-jar`` puts it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

INSTALL = {
    "cmark-gfm": "apt-get install cmark-gfm",
    "pdftotext": "apt-get install poppler-utils",
    "vnu": "npm install -g vnu-jar, with Java (apt-get install default-jre-headless)",
}


def missing(tool: str, why: str) -> None:
    """Skip on a developer's machine, fail under CI: ``tool`` is not available."""
    message = f"{tool} not available ({why}); install it: {INSTALL[tool]}"
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{message} (CI is set, so this check may not be skipped)")
    pytest.skip(message)


@lru_cache(maxsize=1)
def _vnu_jar() -> Path | None:
    named = os.environ.get("VNU_JAR")
    if named:
        return Path(named) if Path(named).is_file() else None
    candidates = []
    if npm := shutil.which("npm"):
        root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, timeout=60)
        candidates.append(Path(root.stdout.strip()))
    if script := shutil.which("vnu"):  # npm's link to vnu-jar.js, beside build/dist/vnu.jar
        candidates.append(Path(script).resolve().parent.parent)
    for folder in candidates:
        jar = folder / "vnu-jar" / "build" / "dist" / "vnu.jar"
        if jar.is_file():
            return jar
        if (folder / "build" / "dist" / "vnu.jar").is_file():
            return folder / "build" / "dist" / "vnu.jar"
    return None


def cmark_gfm(markdown: bytes) -> str:
    """The HTML that GitHub's parser makes of ``markdown``, GitHub's extensions on.

    ``--unsafe`` keeps raw HTML and every link as written, as a viewer that does
    not sanitise would: what the tests see is what our output itself lets through.
    """
    program = shutil.which("cmark-gfm")
    if program is None:
        missing("cmark-gfm", "not on PATH")
    extensions = [
        arg for x in ("table", "autolink", "strikethrough", "footnotes") for arg in ("-e", x)
    ]
    result = subprocess.run(
        [program, "--unsafe", *extensions],
        input=markdown,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode("utf-8")


def pdftotext(pdf: bytes) -> str:
    """The text of a PDF in reading order, as poppler's ``pdftotext`` extracts it."""
    program = shutil.which("pdftotext")
    if program is None:
        missing("pdftotext", "not on PATH")
    result = subprocess.run([program, "-", "-"], input=pdf, capture_output=True, timeout=60)
    return result.stdout.decode("utf-8")


def vnu(paths: list[Path]) -> list[str]:
    """Every error the Nu HTML checker finds in ``paths``, as ``name:line: message``."""
    java = shutil.which("java")
    if java is None:
        missing("vnu", "no java on PATH")
    jar = _vnu_jar()
    if jar is None:
        missing("vnu", "no vnu.jar in VNU_JAR or under `npm root -g`")
    result = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # The checker writes its report to stderr and exits 1 when it finds errors.
    report = json.loads(result.stderr)
    return [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']}"
        f" [{m.get('extract', '').strip()[:80]}]"
        for m in report["messages"]
        if m.get("type") in ("error", "non-document-error")
    ]
