"""One side of a diff: a scenario as read from a file, a git object or a model.

Owns: turning bytes (from disk or from git) into the parsed data, the
validated model when there is one, and the diagnostics when there is not.
This is the only module of the package that imports the format stage, so a
move of the loader or the validator changes one import block here.
Must not compare anything (see ``diff``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, LoadError
from ..format.loader import MAX_BYTES, Document, decode, parse, raw_text
from ..format.model import Scenario
from ..format.validation import check_document

__all__ = ["Scenario", "Side", "from_bytes", "from_file", "from_model", "raw_text", "validated"]


@dataclass
class Side:
    """A scenario at one revision (``rev`` is ``None`` for the working tree or a model)."""

    label: str  # how the user names it: ``scenarios/a.yaml`` or ``v1:scenarios/a.yaml``
    path: str | None  # display path of the file, ``None`` for a model
    rev: str | None = None  # short commit id
    data: dict[str, Any] | None = None  # parsed YAML; ``None`` when it could not be read
    scenario: Scenario | None = None  # the validated model; ``None`` when it has errors
    diagnostics: list[Diagnostic] = field(default_factory=list)
    blob: str | None = None  # git blob id, when known (equal blobs are equal sides)
    document: Document | None = field(default=None, repr=False)  # kept until validated

    @property
    def ident(self) -> str | None:
        """The scenario's ``id``, the identity a diff matches scenarios by."""
        if self.scenario is not None:
            return self.scenario.id
        value = (self.data or {}).get("id")
        return value if isinstance(value, str) else None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def from_bytes(
    raw: bytes,
    label: str,
    path: str | None,
    rev: str | None = None,
    *,
    validate: bool = True,
    blob: str | None = None,
) -> Side:
    """Parse (and unless told not to, validate) a scenario's bytes; never raises for bad input."""
    side = Side(label, path, rev, blob=blob)
    try:
        if len(raw) > MAX_BYTES:
            raise LoadError(f"{label}: error: file is larger than {MAX_BYTES // 2**20} MiB")
        doc = parse(decode(raw, label), label)
    except LoadError as exc:
        side.diagnostics = exc.diagnostics or [
            Diagnostic(label, 0, 0, "error", "load", exc.message)
        ]
        return side
    side.data = doc.data if isinstance(doc.data, dict) else None
    side.document = doc
    return validated(side) if validate else side


def validated(side: Side) -> Side:
    """``side`` with its model and diagnostics (validation is done once, when first needed)."""
    if side.document is not None:
        if side.data is not None:
            side.scenario, side.diagnostics = check_document(side.document)
        side.document = None
    return side


def from_file(path: str | Path, label: str | None = None) -> Side:
    """A scenario file in the working tree."""
    path = Path(path)
    label = label or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Side(label, label, diagnostics=[_missing(label, "no such file")])
    except IsADirectoryError:
        return Side(label, label, diagnostics=[_missing(label, "is a directory")])
    except OSError as exc:
        return Side(label, label, diagnostics=[_missing(label, f"cannot read: {exc.strerror}")])
    return from_bytes(raw, label, label)


def from_model(scenario: Scenario, label: str | None = None) -> Side:
    """A scenario already loaded and validated."""
    data = scenario.model_dump(mode="python", exclude_none=True)
    return Side(label or scenario.id, None, data=data, scenario=scenario)


def _missing(label: str, message: str) -> Diagnostic:
    return Diagnostic(label, 0, 0, "error", "not-found", message)
