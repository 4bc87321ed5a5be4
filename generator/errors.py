"""Errors a user can cause, and the diagnostics that locate them.

Every user-facing problem is a :class:`Diagnostic` (file, line, column,
severity, code, message). A message echoes the values it is about, each cut to
:data:`ECHO_LIMIT` characters, so a 100,000-character value still gives a line
a person can read. Exceptions derive from :class:`ScenarioError`; the command
line catches that base once and prints it. Anything else is a bug.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Self

from .escaping import show_controls

ECHO_LIMIT = 60
"""The most characters of a value that a message echoes; longer ones end in an ellipsis."""

# What a message echoes: a value in single quotes, or a number (written without quotes).
_ECHO = re.compile(r"'[^'\n]*'|\d+")


def shorten(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` if it has at most ``limit`` characters, else its start and an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cut_echo(match: re.Match[str]) -> str:
    echoed = match.group(0)
    if echoed.startswith("'"):
        return f"'{shorten(echoed[1:-1])}'"
    return shorten(echoed)


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

    def __post_init__(self) -> None:
        # Cut here, where every message passes, rather than at each place that writes one.
        object.__setattr__(self, "message", _ECHO.sub(_cut_echo, self.message))

    def __str__(self) -> str:
        """The line a person reads, with any control character in a value shown as ``\\xNN``
        (``escaping.show_controls``): a value echoed in a message cannot drive a terminal."""
        if not self.line:  # the whole file: it is missing, unreadable or a folder
            line = f"{self.file}: {self.severity}: {self.message}"
        else:
            line = f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"
        return show_controls(line)

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
    """Base of every error caused by input rather than by a bug.

    ``code`` is the diagnostic code of an error of this kind: what ``--format
    json`` reports it as, beside the validator's own codes.
    """

    code = "error"

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = diagnostics or []

    def __str__(self) -> str:
        if self.diagnostics:
            return "\n".join(str(d) for d in self.diagnostics)
        return show_controls(self.message)

    @classmethod
    def at(cls, file: str, message: str, *, code: str | None = None) -> Self:
        """The error about the whole of ``file`` (a scenario, an output): ``FILE: error: ...``."""
        diagnostic = Diagnostic(file, 0, 0, "error", code or cls.code, message)
        return cls(str(diagnostic), [diagnostic])

    def located(self, where: str) -> list[Diagnostic]:
        """This error as diagnostics; one that names no file is placed at ``where``."""
        if self.diagnostics:
            return self.diagnostics
        return [Diagnostic(where, 0, 0, "error", self.code, self.message.removeprefix("error: "))]


class LoadError(ScenarioError):
    """Raised when a file cannot be read or parsed as a scenario YAML document."""

    code = "load"


class ValidationError(ScenarioError):
    """Raised when a scenario has errors (the diagnostics list them all)."""

    code = "invalid"


class ConfigError(ScenarioError):
    """Raised when ``scenario.toml`` is malformed or names an unknown setting."""

    code = "config"


class TemplateError(ScenarioError):
    """Raised when a template is missing or malformed, or fails (an undefined value, say)."""

    code = "template"


class RenderError(ScenarioError):
    """Raised when a document cannot be rendered (PDF engine failure, bad option)."""

    code = "render"


class BuildLockedError(ScenarioError):
    """Raised when another build already holds the workspace's output lock."""

    code = "locked"


class GitError(ScenarioError):
    """Raised outside a git repository, for an unknown revision, or a path missing at one."""

    code = "git"


class OutputError(ScenarioError):
    """Raised when an output cannot be written: a file or an outside link in its way, no right."""

    code = "output"


def _edits(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) that turn ``a`` into ``b``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        previous2, previous = previous, row
    return previous[-1]


def close(word: str, choice: str) -> bool:
    """A likely slip rather than another word: a typo or two, or one word extending the other.

    ``antropic`` is close to ``anthropic`` and ``drafted`` to ``draft``, but
    ``bilateral`` is not close to ``unilateral``: it is a different word.
    """
    short, long = sorted((word, choice), key=len)
    if len(short) >= 4 and long.startswith(short):
        return True
    if word[:1] != choice[:1]:
        return False  # slips rarely hit the first letter; a different prefix is another word
    return _edits(word, choice) <= max(1, len(word) // 4)


def did_you_mean(word: Any, choices: Iterable[str]) -> str:
    """`` — did you mean 'x'?`` for the closest choice that is a likely slip, or an empty string."""
    if not isinstance(word, str) or len(word) > 2 * ECHO_LIMIT:  # no typo is that long
        return ""
    candidates = [c for c in choices if len(c) <= 2 * ECHO_LIMIT]
    matches = difflib.get_close_matches(word, candidates, n=3, cutoff=0.6)
    match = next((m for m in matches if close(word, m)), None)
    return f" — did you mean '{shorten(match)}'?" if match else ""
