"""Errors a user can cause, and the diagnostics that locate them.

Every user-facing problem is a :class:`Diagnostic` (file, line, column,
severity, code, message). Exceptions derive from :class:`ScenarioError`; the
command line catches that base once and prints it. Anything else is a bug.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One located problem in one file.

    Lines and columns are 1-based; 0 means "the whole file".
    """

    file: str
    line: int
    column: int
    severity: str  # "error" | "warning"
    code: str
    message: str

    def __str__(self) -> str:
        if not self.line:  # the whole file: it is missing, unreadable or a folder
            return f"{self.file}: {self.severity}: {self.message}"
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


class ScenarioError(Exception):
    """Base of every error caused by input rather than by a bug."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = diagnostics or []

    def __str__(self) -> str:
        if self.diagnostics:
            return "\n".join(str(d) for d in self.diagnostics)
        return self.message


class LoadError(ScenarioError):
    """Raised when a file cannot be read or parsed as a scenario YAML document."""


class ValidationError(ScenarioError):
    """Raised when a scenario has errors (the diagnostics list them all)."""


class ConfigError(ScenarioError):
    """Raised when ``scenario.toml`` is malformed or names an unknown setting."""


class TemplateError(ScenarioError):
    """Raised when a template is missing, malformed or reads an undefined value."""


class RenderError(ScenarioError):
    """Raised when a document cannot be rendered (PDF engine failure, bad option)."""


class BuildLockedError(ScenarioError):
    """Raised when another build already holds the workspace's output lock."""


class GitError(ScenarioError):
    """Raised outside a git repository, for an unknown revision, or a path missing at one."""


class OutputError(ScenarioError):
    """Raised when an output cannot be written: a file or an outside link in its way, no right."""


def did_you_mean(word: Any, choices: Iterable[str]) -> str:
    """`` — did you mean 'x'?`` for the closest choice, or an empty string."""
    if not isinstance(word, str):
        return ""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" — did you mean '{match[0]}'?" if match else ""
