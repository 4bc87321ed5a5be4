"""Validate stage: every problem in a scenario, located, in one pass.

Owns: turning schema errors into located diagnostics with hints, the
cross-reference rules and the semantic rules of the format. The semantic rules
read the raw parsed data defensively, so a file with schema errors still gets
its reference and consistency problems reported in the same run. Must not
parse YAML (``loader``) or compute briefing facts (``analyse``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, get_args, get_origin

import pydantic

from ..errors import Diagnostic, LoadError, ValidationError, did_you_mean
from ..workspace import scenario_files
from .loader import Document, Path_, load_document, raw_text, text_position
from .model import (
    SLUG_PATTERN,
    Scenario,
    date_bounds,
    is_date,
)
from .vocabulary import (
    CITATION,
    DEFAULT_SCALE,
    LIKELIHOOD_SCALES,
    OPERATORS,
    alert_on_safe_side,
    out_of_range,
    rising,
)

_ID_LISTS = (
    "sources",
    "indicators",
    "thresholds",
    "actors",
    "mechanisms",
    "forecasts",
    "branches",
    "recommendations",
    "judgments",
)


# --------------------------------------------------------------------------- helpers


def format_path(path: Path_) -> str:
    """``indicators[0].observations[2].value`` from a key path."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the top level"


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, int | float):
        return f"the number {getattr(value, 'raw', value)}"
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def _model_at(path: Path_) -> type[pydantic.BaseModel] | None:
    """The model class that describes the mapping at ``path`` (list indices skipped)."""
    model: Any = Scenario
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if isinstance(model, type) else None
        if field is None:
            return None
        model = _unwrap(field.annotation)
    return model if isinstance(model, type) and issubclass(model, pydantic.BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is None:
            return annotation
        args = [a for a in get_args(annotation) if a is not type(None)]
        if origin is list or len(args) == 1:
            annotation = args[0]
            continue
        return annotation


def _item_name(path: Path_) -> str:
    model = _model_at(path)
    return model.__name__.lower() if model else "mapping"


# --------------------------------------------------------------------------- schema


def _schema_diagnostics(doc: Document, exc: pydantic.ValidationError) -> list[Diagnostic]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        where = format_path(loc)
        value = err.get("input")
        ctx = err.get("ctx") or {}
        at_key = False
        if kind == "missing":
            parent, name = loc[:-1], loc[-1]
            diag = doc.diagnostic(
                parent, "missing-key", f"{format_path(parent)}: missing required key '{name}'"
            )
            out.append(diag)
            continue
        if kind == "extra_forbidden":
            model = _model_at(loc[:-1])
            known = list(model.model_fields) if model else []
            hint = did_you_mean(loc[-1], known) or (
                f" (allowed: {', '.join(known)})" if known else ""
            )
            message = f"{format_path(loc[:-1])}: unknown key '{loc[-1]}'{hint}"
            code, at_key = "unknown-key", True
        elif kind == "literal_error":
            choices = re.findall(r"'([^']*)'", ctx.get("expected", ""))
            if loc == ("format",) and str(value).strip() == "1":
                message = "format: write the number 1, not the text '1'"
            elif loc == ("format",):
                shown = getattr(value, "raw", value)
                message = f"format: unsupported format version {shown}; this tool reads format 1"
            else:
                hint = did_you_mean(value, choices)
                message = (
                    f"{where}: {_describe(value)} is not one of "
                    f"{', '.join(choices) or ctx.get('expected')}{hint}"
                )
            code = "invalid-choice"
        elif kind == "string_pattern_mismatch":
            code = "invalid-format"
            if ctx.get("pattern") == SLUG_PATTERN:
                message = (
                    f"{where}: {_describe(value)} is not a valid id; use lowercase "
                    "letters, digits and hyphens, e.g. 'frontier-lab'"
                )
            else:
                message = (
                    f"{where}: {_describe(value)} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"
                )
        elif kind in ("string_type", "str_type"):
            code, message = "wrong-type", f"{where}: expected text, got {_describe(value)}"
        elif kind in ("float_type", "float_parsing", "int_type", "int_parsing"):
            code, message = "wrong-type", f"{where}: expected a number, got {_describe(value)}"
        elif kind == "finite_number":
            code, message = "wrong-type", f"{where}: expected a finite number"
        elif kind == "list_type":
            code = "wrong-type"
            message = (
                f"{where}: expected a list (items on lines starting '- '), got {_describe(value)}"
            )
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            code = "wrong-type"
            message = f"{where}: expected a mapping of keys to values, got {_describe(value)}"
        elif kind in ("greater_than_equal", "less_than_equal"):
            code = "out-of-range"
            field = loc[-1] if loc else ""
            if field in ("p", "probability"):
                message = f"{where}: probability {_describe(value)[11:]} is not between 0 and 1"
            else:
                bound = ctx.get("ge", ctx.get("le"))
                op = ">=" if kind == "greater_than_equal" else "<="
                message = f"{where}: must be {op} {bound}, got {_describe(value)}"
        elif kind == "too_short":
            code, message = "empty-list", f"{where}: needs at least {ctx.get('min_length', 1)} item"
        elif kind == "value_error":
            code = "invalid-value"
            message = f"{where}: {ctx.get('error', err['msg'])}"
        else:  # any other pydantic error keeps its own wording
            code, message = kind.replace("_", "-"), f"{where}: {err['msg']}"
        out.append(doc.diagnostic(loc, code, message, at_key=at_key))
    return out


# --------------------------------------------------------------------------- raw access


def _items(data: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, mapping) for each mapping in the list ``data[key]``."""
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _strings(value: Any) -> list[Any]:
    """The items of a list (or a lone value), for reference checks."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:  # an integer too large for a float: the schema reports it
        return None


def _slug_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


class _Checker:
    """Runs the reference and semantic rules over one document's raw data."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        self.out: list[Diagnostic] = []
        self.ids: dict[str, dict[str, Path_]] = {}
        self.cited_sources: set[str] = set()
        self.used_actors: set[str] = set()

    def error(self, path: Path_, code: str, message: str, *, at_key: bool = False) -> None:
        self.out.append(self.doc.diagnostic(path, code, message, at_key=at_key))

    def warn(self, path: Path_, code: str, message: str) -> None:
        self.out.append(self.doc.diagnostic(path, code, message, severity="warning"))

    def run(self) -> list[Diagnostic]:
        self.collect_ids()
        self.check_references()
        self.check_citations(self.data, ())
        self.check_indicators()
        self.check_thresholds()
        self.check_forecasts()
        self.check_branches()
        self.check_horizon()
        self.check_judgments()
        self.check_mechanisms()
        self.check_unused()
        return self.out

    # ids -------------------------------------------------------------------
    def collect_ids(self) -> None:
        for key in _ID_LISTS:
            seen: dict[str, Path_] = {}
            for index, item in _items(self.data, key):
                ident = item.get("id")
                if not isinstance(ident, str):
                    continue
                path = (key, index, "id")
                if ident in seen:
                    first = self.doc.locate(seen[ident])[0]
                    self.error(
                        path,
                        "duplicate-id",
                        f"{format_path(path)}: duplicate id '{ident}' in {key} "
                        f"(first used at line {first})",
                    )
                else:
                    seen[ident] = path
            self.ids[key] = seen

    def ref(self, path: Path_, value: Any, target: str, at: tuple[int, int] | None = None) -> None:
        """Check that ``value`` is the id of an item in the ``target`` list."""
        if not isinstance(value, str):
            return
        if target == "sources":
            self.cited_sources.add(value)
        elif target == "actors":
            self.used_actors.add(value)
        known = self.ids.get(target, {})
        if value in known:
            return
        noun = {
            "sources": "source",
            "indicators": "indicator",
            "thresholds": "threshold",
            "actors": "actor",
            "branches": "branch",
        }[target]
        hint = did_you_mean(value, known) or (
            f" (no {target} are declared)" if not known else f" (declare it under {target})"
        )
        message = f"{format_path(path)}: unknown {noun} '{value}'{hint}"
        if at is not None:
            self.out.append(Diagnostic(self.doc.file, *at, "error", f"unknown-{noun}", message))
        else:
            self.error(path, f"unknown-{noun}", message)

    def refs(self, path: Path_, value: Any, target: str) -> None:
        if isinstance(value, list):
            for index, item in enumerate(value):
                self.ref((*path, index), item, target)
        else:
            self.ref(path, value, target)

    def check_references(self) -> None:
        for i, ind in _items(self.data, "indicators"):
            for j, obs in _items(ind, "observations"):
                self.ref(
                    ("indicators", i, "observations", j, "source"), obs.get("source"), "sources"
                )
        for i, item in _items(self.data, "forecasts"):
            self.ref(("forecasts", i, "source"), item.get("source"), "sources")
            self.ref(("forecasts", i, "threshold"), item.get("threshold"), "thresholds")
        for i, item in _items(self.data, "timeline"):
            self.ref(("timeline", i, "source"), item.get("source"), "sources")
            self.refs(("timeline", i, "actors"), item.get("actors"), "actors")
            self.ref(("timeline", i, "branch"), item.get("branch"), "branches")
        for i, item in _items(self.data, "judgments"):
            self.refs(("judgments", i, "sources"), item.get("sources"), "sources")
        for i, item in _items(self.data, "thresholds"):
            self.ref(("thresholds", i, "indicator"), item.get("indicator"), "indicators")
        for i, item in _items(self.data, "mechanisms"):
            base = ("mechanisms", i)
            self.refs((*base, "triggered_by"), item.get("triggered_by"), "thresholds")
            self.ref((*base, "convener"), item.get("convener"), "actors")
            self.refs((*base, "parties"), item.get("parties"), "actors")
            self.ref((*base, "adjudicator"), item.get("adjudicator"), "actors")
            for j, ver in _items(item, "verification"):
                self.ref((*base, "verification", j, "by"), ver.get("by"), "actors")
        for i, item in _items(self.data, "recommendations"):
            self.refs(("recommendations", i, "actors"), item.get("actors"), "actors")

    def check_citations(self, value: Any, path: Path_) -> None:
        """Every ``[@id]`` in any text names a declared source."""
        if isinstance(value, dict):
            for key, item in value.items():
                self.check_citations(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.check_citations(item, (*path, index))
        elif isinstance(value, str):
            for match in CITATION.finditer(value):
                ident = match.group(1)
                if not ident:
                    at = self._find_text(path, match.group(0)) or self.doc.locate(path)
                    message = f"{format_path(path)}: empty citation '[@]'; write [@source-id]"
                    self.out.append(
                        Diagnostic(self.doc.file, *at, "error", "empty-citation", message)
                    )
                    continue
                self.ref(path, ident, "sources", at=self._find_text(path, match.group(0)))

    def _find_text(self, path: Path_, needle: str) -> tuple[int, int] | None:
        """Where ``needle`` stands in the file, searching from the value at ``path``."""
        line, col = self.doc.locate(path)
        lines = self.doc.text.split("\n")
        if not 1 <= line <= len(lines):
            return None
        offset = sum(len(x) + 1 for x in lines[: line - 1]) + col - 1
        found = self.doc.text.find(needle, offset)
        return text_position(self.doc.text, found) if found >= 0 else None

    # semantic rules -----------------------------------------------------------
    def check_indicators(self) -> None:
        for i, ind in _items(self.data, "indicators"):
            previous: tuple[str, Path_] | None = None
            for j, obs in _items(ind, "observations"):
                path = ("indicators", i, "observations", j)
                date = raw_text(obs.get("date"))
                if is_date(date):
                    if previous is not None:
                        prev_date = previous[0]
                        if date == prev_date:
                            self.error(
                                (*path, "date"),
                                "duplicate-observation",
                                f"{format_path(path)}: a second observation dated "
                                f"{date}; keep one reading per date",
                            )
                        elif date_bounds(date)[0] < date_bounds(prev_date)[0]:
                            self.error(
                                (*path, "date"),
                                "observation-order",
                                f"{format_path(path)}: observations must be in date "
                                f"order, but {date} comes after {prev_date}",
                            )
                    previous = (date, path)
                value = _number(obs.get("value"))
                problem = out_of_range(str(ind.get("unit")), value) if value is not None else None
                if problem:
                    self.error(
                        (*path, "value"), "percent-range", f"{format_path(path)}.value: {problem}"
                    )
                if obs.get("source") is None:
                    self.warn(
                        path,
                        "unsourced-observation",
                        f"{format_path(path)}: observation has no source",
                    )

    def check_thresholds(self) -> None:
        for i, item in _items(self.data, "thresholds"):
            path = ("thresholds", i)
            condition = item.get("condition")
            if item.get("indicator") is not None and condition is None:
                self.error(
                    path,
                    "missing-condition",
                    f"{format_path(path)}: a threshold with an indicator needs a "
                    "condition, e.g. condition: {op: '>=', value: 90, alert: 80}",
                )
            if condition is not None and item.get("indicator") is None:
                self.error(
                    (*path, "condition"),
                    "condition-without-indicator",
                    f"{format_path(path)}: a condition needs an indicator to test",
                )
            if not isinstance(condition, dict):
                continue
            op, value, alert = (
                condition.get("op"),
                _number(condition.get("value")),
                _number(condition.get("alert")),
            )
            if value is None or alert is None or op not in OPERATORS:
                continue
            if not alert_on_safe_side(op, value, alert):
                side = "below" if rising(op) else "above"
                self.error(
                    (*path, "condition", "alert"),
                    "alert-side",
                    f"{format_path(path)}.condition.alert: the early warning {alert:g} "
                    f"must lie {side} the trigger value {value:g} for op '{op}'",
                )
            indicator = self._find("indicators", item.get("indicator"))
            if indicator:
                for name, number in (("value", value), ("alert", alert)):
                    problem = out_of_range(str(indicator.get("unit")), number)
                    if problem:
                        self.error(
                            (*path, "condition", name),
                            "percent-range",
                            f"{format_path(path)}.condition.{name}: {problem}",
                        )

    def _find(self, key: str, ident: Any) -> dict[str, Any] | None:
        for _, item in _items(self.data, key):
            if item.get("id") == ident:
                return item
        return None

    def check_forecasts(self) -> None:
        for i, item in _items(self.data, "forecasts"):
            previous: tuple[str, float | None] | None = None
            for j, est in _items(item, "estimates"):
                path = ("forecasts", i, "estimates", j)
                by, p = est.get("by"), _number(est.get("p"))
                by = getattr(by, "raw", by)
                if not is_date(by):
                    continue
                if previous is not None:
                    if date_bounds(by)[0] <= date_bounds(previous[0])[0]:
                        self.error(
                            (*path, "by"),
                            "forecast-order",
                            f"{format_path(path)}.by: dates must strictly increase, "
                            f"but {by} follows {previous[0]}",
                        )
                    elif p is not None and previous[1] is not None and p < previous[1]:
                        self.error(
                            (*path, "p"),
                            "forecast-decreasing",
                            f"{format_path(path)}.p: cumulative probability falls from "
                            f"{previous[1]:g} to {p:g}; by a later date it can only "
                            "stay or rise",
                        )
                previous = (by, p)

    def check_branches(self) -> None:
        total = 0.0
        for _, item in _items(self.data, "branches"):
            p = _number(item.get("probability"))
            total += p if p is not None and 0 <= p <= 1 else 0
        if total > 1 + 1e-9:
            self.error(
                ("branches",),
                "branch-sum",
                f"branches: probabilities add up to {total:g}, more than 1",
            )

    def check_horizon(self) -> None:
        horizon = self.data.get("horizon")
        if not isinstance(horizon, dict):
            return
        start, end = (getattr(horizon.get(k), "raw", horizon.get(k)) for k in ("start", "end"))
        if not (is_date(start) and is_date(end)):
            return
        first, last = date_bounds(start)[0], date_bounds(end)[1]
        if first > last:
            self.error(
                ("horizon", "end"),
                "horizon-order",
                f"horizon: end {end} comes before start {start}",
            )
            return

        def inside(path: Path_, value: Any, what: str) -> None:
            value = getattr(value, "raw", value)
            if is_date(value) and not first <= date_bounds(value)[0] <= last:
                self.warn(
                    path,
                    "outside-horizon",
                    f"{format_path(path)}: {what} dated {value} lies outside the "
                    f"horizon {start}–{end}",
                )

        for i, ind in _items(self.data, "indicators"):
            for j, obs in _items(ind, "observations"):
                path = ("indicators", i, "observations", j, "date")
                inside(path, obs.get("date"), "observation")
        for i, item in _items(self.data, "timeline"):
            inside(("timeline", i, "date"), item.get("date"), "event")
        for i, item in _items(self.data, "forecasts"):
            for j, est in _items(item, "estimates"):
                inside(("forecasts", i, "estimates", j, "by"), est.get("by"), "estimate")

    def check_judgments(self) -> None:
        scale_name = self.data.get("likelihood_scale", DEFAULT_SCALE)
        scale = LIKELIHOOD_SCALES.get(scale_name) if isinstance(scale_name, str) else None
        for i, item in _items(self.data, "judgments"):
            path = ("judgments", i)
            term, p = item.get("likelihood"), _number(item.get("probability"))
            if scale is not None and isinstance(term, str):
                if term not in scale:
                    other = [
                        n for n, s in LIKELIHOOD_SCALES.items() if term in s and n != scale_name
                    ]
                    hint = did_you_mean(term, scale) or (
                        f" (it belongs to the {other[0]} scale; set likelihood_scale: {other[0]})"
                        if other
                        else f" (terms: {', '.join(scale)})"
                    )
                    self.error(
                        (*path, "likelihood"),
                        "unknown-likelihood",
                        f"{format_path(path)}.likelihood: '{term}' is not a term of the "
                        f"{scale_name} scale{hint}",
                    )
                elif p is not None and 0 <= p <= 1:
                    low, high = scale[term]
                    if not low - 1e-9 <= p <= high + 1e-9:
                        self.error(
                            (*path, "probability"),
                            "likelihood-mismatch",
                            f"{format_path(path)}.probability: {p:g} disagrees with "
                            f"'{term}', which means {low:.0%}–{high:.0%} on the "
                            f"{scale_name} scale",
                        )
            if not item.get("sources"):
                self.warn(
                    path, "unsourced-judgment", f"{format_path(path)}: judgment has no source"
                )

    def check_mechanisms(self) -> None:
        for i, item in _items(self.data, "mechanisms"):
            path = ("mechanisms", i)
            parties = [p for p in _strings(item.get("parties")) if isinstance(p, str)]
            if item.get("kind") in ("multilateral", "treaty") and len(set(parties)) < 2:
                self.error(
                    path,
                    "too-few-parties",
                    f"{format_path(path)}: a {item.get('kind')} mechanism needs at least "
                    f"two parties (has {len(set(parties))})",
                )
            adjudicator = item.get("adjudicator")
            if isinstance(adjudicator, str) and adjudicator in parties:
                self.warn(
                    (*path, "adjudicator"),
                    "self-adjudication",
                    f"{format_path(path)}.adjudicator: '{adjudicator}' is also a party, "
                    "so it would judge its own compliance",
                )
            if not item.get("verification"):
                self.warn(
                    path,
                    "no-verification",
                    f"{format_path(path)}: mechanism has no verification methods",
                )
            if not item.get("exit_criteria"):
                self.warn(
                    path, "no-exit-criteria", f"{format_path(path)}: mechanism has no exit criteria"
                )

    def check_unused(self) -> None:
        for ident, path in self.ids.get("sources", {}).items():
            if ident not in self.cited_sources:
                self.warn(
                    path,
                    "uncited-source",
                    f"{format_path(path[:-1])}: source '{ident}' is never cited",
                )
        for ident, path in self.ids.get("actors", {}).items():
            if ident not in self.used_actors:
                self.warn(
                    path,
                    "unused-actor",
                    f"{format_path(path[:-1])}: actor '{ident}' is never referenced",
                )


# --------------------------------------------------------------------------- API


def check_document(doc: Document) -> tuple[Scenario | None, list[Diagnostic]]:
    """Validate a parsed document: the model (if valid) and every diagnostic, sorted."""
    diagnostics: list[Diagnostic] = []
    model: Scenario | None = None
    try:
        model = Scenario.model_validate(doc.data)
    except pydantic.ValidationError as exc:
        diagnostics.extend(_schema_diagnostics(doc, exc))
    diagnostics.extend(_Checker(doc).run())
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
                diags.append(
                    doc.diagnostic(
                        ("id",),
                        "duplicate-scenario-id",
                        f"id: scenario id '{ident}' is already used by {other}",
                    )
                )
                model = None
            else:
                first_file[ident] = (path, doc)
        models[path] = model
        diagnostics.extend(diags)
    return models, diagnostics
