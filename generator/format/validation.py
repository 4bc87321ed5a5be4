"""Validate stage: every problem in a scenario, located, in one pass.

Owns: the order in which the rules run (schema, references, meaning), the
final-status rule, and the library entry points ``load``, ``load_valid`` and
``validate`` (ids unique across files). The rules themselves live in
``schema_errors``, ``references``, ``rules`` and ``links``. Must not parse YAML
(``loader``) or compute briefing facts (``generator.analysis``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic

from ..errors import Diagnostic, LoadError, ValidationError
from ..workspace import scenario_files
from .fork_rules import ForkChecks
from .instrument_rules import InstrumentChecks
from .links import LinkChecks
from .loader import Document, decode, load_document, parse, read_bytes
from .model import Scenario
from .references import ReferenceChecks
from .rules import RuleChecks
from .schema_errors import schema_diagnostics
from .text_checks import check_text


class _Checker(ReferenceChecks, RuleChecks, LinkChecks, InstrumentChecks, ForkChecks):
    """Runs the reference and semantic rules over one document's raw data."""

    def run(self) -> list[Diagnostic]:
        self.collect_ids()
        self.check_references()
        self.check_citations(self.data, ())
        self.check_indicators()
        self.check_thresholds()
        self.check_forecasts()
        self.check_branches()
        self.check_horizon()
        self.check_source_dates()
        self.check_summary_label()
        self.check_judgments()
        self.check_mechanisms()
        self.check_instruments()
        self.check_forks()
        self.check_cycles()
        self.check_unused()
        return self.out


def check_document(doc: Document) -> tuple[Scenario | None, list[Diagnostic]]:
    """Validate a parsed document: the model (if valid) and every diagnostic, sorted."""
    diagnostics: list[Diagnostic] = []
    model: Scenario | None = None
    try:
        model = Scenario.model_validate(doc.data)
    except pydantic.ValidationError as exc:
        diagnostics.extend(schema_diagnostics(doc, exc))
    diagnostics.extend(_Checker(doc).run())
    diagnostics.extend(check_text(doc))
    if doc.data.get("status") == "final":
        warnings = [d for d in diagnostics if d.severity == "warning"]
        if warnings:
            diagnostics.append(
                doc.diagnostic(
                    ("status",),
                    "final-with-warnings",
                    f"status: a final scenario may have no warnings, and this one has "
                    f"{len(warnings)}; fix them or set status: review",
                )
            )
    diagnostics = sorted(set(diagnostics))
    if any(d.severity == "error" for d in diagnostics):
        model = None
    return model, diagnostics


def load(
    path: str | Path, *, display: str | None = None
) -> tuple[Scenario | None, list[Diagnostic]]:
    """Load and validate one scenario file.

    Returns the typed :class:`~generator.model.Scenario` (``None`` when the file
    has errors) and every diagnostic, errors and warnings, in line order.
    Never raises for bad input.
    """
    try:
        doc = load_document(path, display=display)
    except LoadError as exc:
        return None, exc.diagnostics
    return check_document(doc)


@dataclass
class Loaded:
    """One scenario file read once: its bytes, its parsed data, the model and every diagnostic.

    What a document is made from: the "what changed" comparison reads the same
    data ``scenario diff`` reads, so the two never disagree.
    """

    raw: bytes
    data: dict[str, Any] | None
    model: Scenario | None
    diagnostics: list[Diagnostic]
    id_at: tuple[int, int] = (1, 1)  # where the ``id`` value is, for a duplicate-id error

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def valid(self) -> Scenario:
        """The model, or :class:`ValidationError` with every error of the file."""
        if self.model is None or self.errors:
            raise ValidationError("\n".join(str(d) for d in self.errors), self.errors)
        return self.model


def load_file(path: str | Path, *, display: str | None = None) -> Loaded:
    """Read, parse and validate one scenario file; never raises for bad input."""
    file = display or str(path)
    try:
        raw = read_bytes(path, file)
    except LoadError as exc:
        return Loaded(b"", None, None, exc.diagnostics)
    return load_bytes(raw, file)


def load_bytes(raw: bytes, file: str) -> Loaded:
    """Parse and validate a scenario's bytes (named ``file`` in diagnostics)."""
    try:
        doc = parse(decode(raw, file), file)
    except LoadError as exc:
        return Loaded(raw, None, None, exc.diagnostics)
    model, diagnostics = check_document(doc)
    return Loaded(raw, doc.data, model, diagnostics, doc.locate(("id",)))


def duplicate_id(file: str, at: tuple[int, int], ident: str, first: str | Path) -> Diagnostic:
    """The error for a file whose scenario id another file (``first``) already has."""
    message = f"id: scenario id '{ident}' is already used by {first}"
    return Diagnostic(file, at[0], at[1], "error", "duplicate-scenario-id", message)


def load_valid(path: str | Path) -> Scenario:
    """Load one scenario file that must be valid: the model, or :class:`ValidationError`.

    The error carries every error diagnostic of the file (warnings do not fail).
    """
    model, diagnostics = load(path)
    errors = [d for d in diagnostics if d.severity == "error"]
    if model is None or errors:
        raise ValidationError("\n".join(str(d) for d in errors), errors)
    return model


def validate(paths: Iterable[str | Path]) -> tuple[dict[Path, Scenario | None], list[Diagnostic]]:
    """Validate every scenario file named by ``paths`` (directories recursively).

    Returns the model of each file (``None`` when it has errors) and all
    diagnostics across files, including scenario ids used by two files.
    """
    models: dict[Path, Scenario | None] = {}
    diagnostics: list[Diagnostic] = []
    first_file: dict[str, tuple[Path, Document]] = {}
    for path in scenario_files(paths):
        try:
            doc = load_document(path)
        except LoadError as exc:
            models[path] = None
            diagnostics.extend(exc.diagnostics)
            continue
        model, diags = check_document(doc)
        ident = doc.data.get("id")
        if isinstance(ident, str):
            if ident in first_file:
                other = first_file[ident][0]
                diags.append(duplicate_id(doc.file, doc.locate(("id",)), ident, other))
                model = None
            else:
                first_file[ident] = (path, doc)
        models[path] = model
        diagnostics.extend(diags)
    diagnostics += _ids_taken_beside(paths, models, first_file)
    return models, diagnostics


def _ids_taken_beside(
    paths: Iterable[str | Path],
    models: dict[Path, Scenario | None],
    first_file: dict[str, tuple[Path, Document]],
) -> list[Diagnostic]:
    """A file named alone (as pre-commit names the files of a commit) whose id a scenario
    file beside it already has: the same error as when the whole folder is validated.

    Each other file of the named file's folder (recursively) is read for its top-level
    ``id:`` only, so the check costs a read per file, not a validation.
    """
    named = [Path(p) for p in paths if not Path(p).is_dir()]
    out: list[Diagnostic] = []
    seen: dict[Path, str | None] = {}
    listed: dict[Path, list[Path]] = {}  # pre-commit names many files of one folder
    for path in named:
        ident = next((i for i, (p, _) in first_file.items() if p == path), None)
        if ident is None:
            continue
        if path.parent not in listed:
            listed[path.parent] = scenario_files([path.parent])
        for other in listed[path.parent]:
            if other in models or other.resolve() == path.resolve():
                continue
            if other not in seen:
                seen[other] = _top_id(other)
            if seen[other] == ident:
                doc = first_file[ident][1]
                out.append(duplicate_id(doc.file, doc.locate(("id",)), ident, other))
                models[path] = None
                break
    return out


_TOP_ID = re.compile(
    rb"^id[ \t]*:[ \t]*(['\"]?)([A-Za-z0-9][A-Za-z0-9._-]*)\1[ \t]*(?:#.*)?$", re.M
)


def _top_id(path: Path) -> str | None:
    """The id of a scenario file by its one top-level ``id:`` line, without parsing it."""
    try:
        raw = read_bytes(path, str(path))  # never waits on a FIFO
    except LoadError:
        return None
    found = _TOP_ID.findall(raw)
    return found[0][1].decode() if len(found) == 1 else None
