"""Printing diagnostics for people and for machines (human, JSON, GitHub annotations).

Owns the three output formats of diagnostics and the closing count. Must not
decide what is an error: it prints what the validator found.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from .errors import Diagnostic

FORMATS = ("human", "json", "github")


def strictly(diagnostics: Iterable[Diagnostic], strict: bool) -> list[Diagnostic]:
    """With ``strict``, every warning becomes an error."""
    if not strict:
        return list(diagnostics)
    return [
        Diagnostic(d.file, d.line, d.column, "error", d.code, d.message)
        if d.severity == "warning"
        else d
        for d in diagnostics
    ]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary_line(diagnostics: list[Diagnostic], files: int) -> str:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(files, 'file')}"


def _github_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_diagnostics(diagnostics: list[Diagnostic], fmt: str, files: int) -> str:
    """All diagnostics in one of :data:`FORMATS`, sorted by file, line and column."""
    ordered = sorted(diagnostics)
    if fmt == "json":
        return json.dumps([d.as_dict() for d in ordered], indent=2, ensure_ascii=False)
    if fmt == "github":
        lines = []
        for d in ordered:
            level = "error" if d.severity == "error" else "warning"
            props = f"file={_github_escape(d.file, prop=True)}"
            if d.line:
                props += f",line={d.line},col={d.column}"
            props += f",title={_github_escape(d.code, prop=True)}"
            lines.append(f"::{level} {props}::{_github_escape(d.message)}")
        return "\n".join(lines)
    lines = [str(d) for d in ordered]
    lines.append(summary_line(ordered, files))
    return "\n".join(lines)
