"""The build manifest: a typed record of what was built from what, checked on every read.

Owns ``OUTPUT/manifest.json``: the documents written (key, hash, size, source
scenario) and the summaries of the valid scenarios, cached by file hash so an
unchanged file is not validated again. The file may have been edited, shared
or damaged, so reading it checks every field's type and every document key
against the output layout; any damage makes the whole manifest count as absent
(one warning, a full rebuild) instead of being trusted. Must not render, write
documents or delete anything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .._version import __version__
from ..errors import Diagnostic
from ..format.types import SLUG_PATTERN
from ..versions.history import Baseline, Changes, since_text
from ..write import write_if_changed
from . import layout

FORMAT = 4
OLDER = (1, 2, 3)  # formats of earlier versions: read as empty, silently
"""Formats of manifests earlier versions wrote: read as empty, without a warning."""
_HEX64 = re.compile(r"[0-9a-f]{64}")
_SLUG = re.compile(SLUG_PATTERN)


class Damaged(ValueError):
    """Raised while reading a manifest that is not one this tool wrote; says what is wrong."""


@dataclass(frozen=True)
class Summary:
    """What a build needs to know of a valid scenario, cached by the file's hash."""

    id: str
    title: str
    status: str
    date: str
    version: str
    counts: dict[str, int]
    instruments: str = ""  # the brief's at-a-glance line on instruments ("Triggered: …")

    @classmethod
    def of(cls, model: Any, analysis: Any) -> Summary:
        """The summary of a validated model, from the analysis already made of it."""
        from ..analysis.glance import glance

        counts = analysis.status_counts
        said = [f.text for f in glance(analysis) if f.kind == "instruments"]
        version = model.version or ""
        return cls(model.id, model.title, model.status, model.date, version, counts, *said)

    @property
    def summary_line(self) -> str:
        """``1 crossed · 2 alert · 1 not assessed``."""
        from ..analysis.analyse import format_counts

        return format_counts(self.counts)

    def as_dict(self) -> dict[str, Any]:
        return {**vars(self), "counts": dict(self.counts)}


@dataclass(frozen=True)
class Output:
    """One document a build wrote: ``OUTPUT/<key>``."""

    scenario: str
    template: str
    format: str
    key: str
    sha256: str
    size: int
    revision: str
    attachments: dict[str, dict[str, Any]] = field(default_factory=dict)  # key: sha256, size


@dataclass(frozen=True)
class News:
    """What changed since the baseline, in one line: what the index (a pack's cover) says of
    a scenario. ``line`` is the documents' first highlight (a threshold's move before any
    other change), empty when the content is the baseline's."""

    since: str  # "version 0.4 (rev 3f2a9c1)"
    line: str
    more: int  # how many more changes the report lists

    @classmethod
    def of(cls, changes: Changes | None, baseline: Baseline) -> News:
        if changes is None:
            return cls(since_text(baseline), "", 0)
        return cls(changes.since, changes.highlights[0], max(len(changes.all) - 1, 0))

    def as_dict(self) -> dict[str, Any]:
        return {"since": self.since, "line": self.line, "more": self.more}


@dataclass(frozen=True)
class GitCache:
    """A scenario's baseline as last found, the hash of everything it depended on, and what
    changed since it (``None`` until a build has worked it out)."""

    query: str
    baseline: Baseline | None
    news: News | None = None

    def as_dict(self) -> dict[str, Any]:
        baseline = self.baseline.as_dict() if self.baseline else None
        news = self.news.as_dict() if self.news else None
        return {"query": self.query, "baseline": baseline, "news": news}


@dataclass(frozen=True)
class Cached:
    """A scenario file found valid by tool version ``tool`` when its bytes hashed to ``sha256``.

    ``git`` keeps its baseline, so that a history that cannot have changed is
    not read again.
    """

    sha256: str
    tool: str
    summary: Summary
    git: GitCache | None = None


@dataclass
class Manifest:
    """Documents by their path relative to the output folder; scenario summaries by file."""

    outputs: dict[str, Output]
    scenarios: dict[str, Cached]
    index: str = ""  # the key of the index files last written (see batch.index)

    def as_json(self) -> bytes:
        """The manifest as JSON, one line per output and per scenario (readable, and written
        by the C encoder: a thousand scenarios take milliseconds, not half a second)."""

        def table(rows: dict[str, dict[str, Any]]) -> str:
            lines = [
                f"    {json.dumps(k)}: {json.dumps(v, sort_keys=True)}" for k, v in rows.items()
            ]
            return "{\n" + ",\n".join(sorted(lines)) + "\n  }" if lines else "{}"

        outputs = {key: dict(vars(entry)) for key, entry in self.outputs.items()}
        scenarios = {
            path: {
                "sha256": entry.sha256,
                "tool": entry.tool,
                "summary": entry.summary.as_dict(),
                "git": entry.git.as_dict() if entry.git else None,
            }
            for path, entry in self.scenarios.items()
        }
        return (
            f'{{\n  "format": {FORMAT},\n  "index": {json.dumps(self.index)},\n'
            f'  "outputs": {table(outputs)},\n  "scenarios": {table(scenarios)},\n'
            f'  "tool": {json.dumps(__version__)}\n}}\n'
        ).encode()


def read(out: Path) -> tuple[Manifest, Diagnostic | None]:
    """The last build's manifest, or an empty one and a warning when it is damaged.

    An absent manifest is simply empty (a first build): no warning.
    """
    path = out / layout.MANIFEST
    empty = Manifest({}, {})
    if not path.exists() and not path.is_symlink():
        return empty, None
    try:
        return parse(json.loads(path.read_bytes())), None
    except (OSError, ValueError) as exc:  # Damaged, JSONDecodeError, UnicodeDecodeError
        reason = exc.args[0] if isinstance(exc, Damaged) else _read_error(exc)
        message = f"{reason}; ignored; rebuilding everything"
        return empty, Diagnostic(str(path), 0, 0, "warning", "manifest", message)


def save(out: Path, manifest: Manifest) -> None:
    """Write the manifest (only when its bytes change, so an unchanged build touches nothing)."""
    write_if_changed(out / layout.MANIFEST, manifest.as_json(), inside=out)


def parse(data: object) -> Manifest:
    """A :class:`Manifest` from decoded JSON; raises :class:`Damaged` at the first fault."""
    index = data.pop("index", "") if isinstance(data, dict) else ""
    top = _object(
        data, "the manifest", {"format": int, "tool": str, "outputs": dict, "scenarios": dict}
    )
    if top["format"] in OLDER:
        return Manifest({}, {})  # written by an earlier version: rebuilt, nothing is wrong
    if top["format"] != FORMAT:
        raise Damaged(f"it is of format {_show(top['format'])}, not {FORMAT}")
    outputs = {key: _output(key, entry) for key, entry in top["outputs"].items()}
    scenarios = {
        _path(path, "scenario path"): _cached(path, e) for path, e in top["scenarios"].items()
    }
    if not isinstance(index, str) or (index and not _HEX64.fullmatch(index)):
        raise Damaged("the manifest's index key is malformed")
    return Manifest(outputs, scenarios, index)


def _output(key: str, data: object) -> Output:
    found = layout.DOCUMENT.fullmatch(key)
    if not found:
        raise Damaged(f"output {_show(key)} is not a path this build writes")
    where = f"outputs[{_show(key)}]"
    entry = Output(**_object(data, where, {f.name: f.type for f in fields(Output)}))
    if (entry.template, entry.format) != (found["template"], found["format"]):
        raise Damaged(
            f"{where} says template {_show(entry.template)}, format {_show(entry.format)}, "
            "unlike its path"
        )
    if not _HEX64.fullmatch(entry.key) or not _HEX64.fullmatch(entry.sha256) or entry.size < 0:
        raise Damaged(f"{where} has a malformed key, sha256 or size")
    _path(entry.scenario, f"{where}.scenario")
    for name, facts in entry.attachments.items():
        # "<id>/charts/<template>-<name>.<ext>": template and name may both hold hyphens,
        # so the document's own prefix decides, not the pattern's groups.
        own = f"{found['id']}/charts/{entry.template}-"
        if not layout.ATTACHMENT.fullmatch(name) or not name.startswith(own):
            raise Damaged(f"{where}.attachments has {_show(name)}, not one of its files")
        facts = _object(facts, f"{where}.attachments[{_show(name)}]", {"sha256": str, "size": int})
        if not _HEX64.fullmatch(facts["sha256"]) or facts["size"] < 0:
            raise Damaged(f"{where}.attachments[{_show(name)}] has a malformed sha256 or size")
    return entry


def _cached(path: str, data: object) -> Cached:
    where = f"scenarios[{_show(path)}]"
    entry = _object(data, where, {"sha256": str, "tool": str, "summary": dict, "git": object})
    kinds = {f.name: f.type for f in fields(Summary)}
    summary = Summary(**_object(entry["summary"], f"{where}.summary", kinds))
    if not _SLUG.match(summary.id):
        raise Damaged(f"{where}.summary.id {_show(summary.id)} is not a scenario id")
    if not all(type(n) is int and type(k) is str for k, n in summary.counts.items()):
        raise Damaged(f"{where}.summary.counts is not a table of whole numbers")
    if not _HEX64.fullmatch(entry["sha256"]):
        raise Damaged(f"{where}.sha256 is malformed")
    return Cached(entry["sha256"], entry["tool"], summary, _git_cache(entry["git"], where))


def _git_cache(data: object, where: str) -> GitCache | None:
    if data is None:
        return None
    entry = _object(data, f"{where}.git", {"query": str, "baseline": object, "news": object})
    baseline = Baseline.from_dict(entry["baseline"]) if entry["baseline"] is not None else None
    if entry["baseline"] is not None and baseline is None:
        raise Damaged(f"{where}.git.baseline is malformed")
    if not _HEX64.fullmatch(entry["query"]):
        raise Damaged(f"{where}.git.query is malformed")
    news = None
    if entry["news"] is not None:
        said = _object(entry["news"], f"{where}.git.news", {"since": str, "line": str, "more": int})
        news = News(said["since"], said["line"], said["more"])
    return GitCache(entry["query"], baseline, news)


_KINDS = {
    "str": str,
    "int": int,
    "dict[str, int]": dict,
    "dict[str, dict[str, Any]]": dict,
    str: str,
    int: int,
    dict: dict,
}
_ANY = object
_NAMES = {str: "a string", int: "a whole number", dict: "an object"}


def _object(data: object, where: str, spec: dict[str, Any]) -> dict[str, Any]:
    """``data`` as a dict with exactly the keys of ``spec``, each of exactly its type."""
    if not isinstance(data, dict):
        raise Damaged(f"{where} is not an object")
    if set(data) != set(spec):
        odd = sorted(set(data) ^ set(spec))[0]
        raise Damaged(f"{where} {'lacks' if odd in spec else 'has an unknown field'} {_show(odd)}")
    for name, declared in spec.items():
        if declared is _ANY:
            continue  # checked by the caller
        kind = _KINDS[declared]
        if type(data[name]) is not kind:  # exact: a bool is no number, a list no object
            raise Damaged(f"{where}.{name} is not {_NAMES[kind]}")
    return data


def _path(value: str, where: str) -> str:
    if not value or "\x00" in value or len(value) > 4096:
        raise Damaged(f"{where} {_show(value)} is not a file path")
    return value


def _show(value: object, limit: int = 60) -> str:
    """A value for a message: quoted, and cut short with an ellipsis when long."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _read_error(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON (line {exc.lineno}, column {exc.colno})"
    if isinstance(exc, UnicodeDecodeError):
        return "not valid UTF-8"
    return f"cannot be read: {getattr(exc, 'strerror', None) or exc}"
