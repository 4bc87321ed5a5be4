"""Printing diagnostics for people and for machines (human, JSON, GitHub annotations).

Owns the three output formats of diagnostics, the closing count, and what
``--strict`` does: it fails the run on warnings, which are still printed as
warnings. Must not decide what is an error: it prints what the validator found.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import Diagnostic
from .escaping import json_text, show_controls

FORMATS = ("human", "json", "github")


def fails(diagnostics: Iterable[Diagnostic], strict: bool) -> bool:
    """Whether a run fails: on any error, or with ``strict`` on any warning too.

    Strictness decides the exit code only; a warning is still printed and
    reported as a warning, so a reader can tell it from a real error.
    """
    return any(d.severity == "error" or strict for d in diagnostics)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary_line(diagnostics: list[Diagnostic], files: int, strict: bool = False) -> str:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    line = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(files, 'file')}"
    if strict and warnings:
        line += "; warnings fail under --strict"
    return line


def _github_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return show_controls(text)


def format_diagnostics(
    diagnostics: list[Diagnostic], fmt: str, files: int, strict: bool = False
) -> str:
    """All diagnostics in one of :data:`FORMATS`, sorted by file, line and column."""
    ordered = sorted(diagnostics)
    if fmt == "json":
        return json_text([d.as_dict() for d in ordered], indent=2)
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
    lines.append(summary_line(ordered, files, strict))
    return "\n".join(lines)
