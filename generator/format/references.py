"""Reference rules: ids unique per list, every reference and citation names something declared.

Owns: which fields are references, read from the model (each is typed
``Ref(target)``), so a new reference field needs no rule here; citations
``[@id]`` in any text; and the warnings for sources never cited and actors
never referenced. Must not hold rules about meaning (see ``rules``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from ..errors import Diagnostic, did_you_mean
from .checker import Checker, format_path, items
from .loader import Path_, text_position
from .model import Scenario
from .types import Ref
from .vocabulary import CITATION, cited_ids

# What an author meant as a citation: "[@" up to the next "]" on at most a few lines.
_CITATION_LIKE = re.compile(r"\[@[^\[\]]{0,200}\]")


def id_lists() -> tuple[str, ...]:
    """The scenario's lists whose items carry an ``id``, in declaration order."""
    return tuple(
        name
        for name, (_, nested) in model_links(Scenario).items()
        if nested is not None and "id" in nested.model_fields
    )


@cache
def model_links(model: type[BaseModel]) -> dict[str, tuple[str | None, type[BaseModel] | None]]:
    """For each field of ``model``: the list it references (if any) and its nested model (if any).

    Read from the declarations: a reference is a field, or a list item, typed
    ``ref(target)``; unions are searched arm by arm, so a field may be either
    a reference or a mapping with references inside.
    """
    links: dict[str, tuple[str | None, type[BaseModel] | None]] = {}
    for name, field in model.model_fields.items():
        target = next((m.target for m in field.metadata if isinstance(m, Ref)), None)
        nested = None
        for arm in _arms(field.annotation):
            for meta in getattr(arm, "__metadata__", ()):
                if isinstance(meta, Ref):
                    target = meta.target
            if isinstance(arm, type) and issubclass(arm, BaseModel):
                nested = arm
        if target is not None or nested is not None:
            links[name] = (target, nested)
    return links


@cache
def reserved_words(model: type[BaseModel], name: str) -> frozenset[str]:
    """The words a reference field accepts besides an id (``each-party`` for an adjudicator)."""
    return frozenset(a for a in _arms(model.model_fields[name].annotation) if isinstance(a, str))


def _arms(annotation: Any) -> list[Any]:
    """The alternatives a value may take: unions and lists unpacked, a reference's type kept."""
    metadata = getattr(annotation, "__metadata__", None)
    if metadata is not None:
        if any(isinstance(m, Ref) for m in metadata):
            return [annotation]
        return _arms(annotation.__origin__)
    origin = get_origin(annotation)
    if origin is None:
        return [annotation]
    return [arm for arg in get_args(annotation) for arm in _arms(arg) if arm is not type(None)]


@cache
def reference_fields(target: str) -> tuple[str, ...]:
    """Every field that names an item of ``target``, as ``mechanisms.parties``, from the model."""
    found: list[str] = []

    def walk(model: type[BaseModel], prefix: str, seen: tuple[type[BaseModel], ...]) -> None:
        for name, (ref_target, nested) in model_links(model).items():
            if ref_target == target:
                found.append(f"{prefix}{name}")
            if nested is not None and nested not in seen:
                walk(nested, f"{prefix}{name}.", (*seen, nested))

    walk(Scenario, "", (Scenario,))
    return tuple(found)


class ReferenceChecks(Checker):
    """The reference rules, mixed into the validator's checker."""

    def collect_ids(self) -> None:
        for key in id_lists():
            seen: dict[str, Path_] = {}
            for index, item in items(self.data, key):
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
        noun = Ref(target).noun
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
        """Every field typed ``ref(target)`` in the model names a declared item of ``target``."""
        self._walk(Scenario, self.data, ())

    def _walk(self, model: type[BaseModel], data: Any, path: Path_) -> None:
        if not isinstance(data, dict):
            return
        for name, (target, nested) in model_links(model).items():
            value = data.get(name)
            values = enumerate(value) if isinstance(value, list) else [(None, value)]
            for index, item in values:
                at = (*path, name) if index is None else (*path, name, index)
                if target is not None and isinstance(item, str):
                    if item not in reserved_words(model, name):
                        self.ref(at, item, target)
                elif nested is not None:
                    self._walk(nested, item, at)

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
                start = self._find_text(path, match.group(0))
                for ident in cited_ids(match.group(1)):
                    self._check_cited(path, ident, match.group(0), start)
            for match in _CITATION_LIKE.finditer(value):
                if not CITATION.fullmatch(match.group(0)):
                    self._broken_citation(path, match.group(0))

    def _broken_citation(self, path: Path_, text: str) -> None:
        """``[@news-when- ai-builds-itself]`` (an editor's re-wrap split the id): it would
        print as typed, so it is an error, with the citation it most likely meant."""
        joined = re.sub(r"\s+", "", text)
        meant = CITATION.fullmatch(joined)
        hint = f"; did you mean {joined}?" if meant else ""
        if meant:  # the source is cited, only misspelt: one error, not a warning more
            self.cited_sources.update(cited_ids(meant.group(1)))
        shown = " ".join(text.split())
        # Folded or re-wrapped, the text is not in the file as the value holds it: its
        # first line is.
        where = (
            self._find_text(path, text)
            or self._find_text(path, text.split()[0])
            or self.doc.locate(path)
        )
        message = (
            f"{format_path(path)}: '{shown}' is not a citation: an id cannot hold a space or "
            f"a line break (write [@source-id], or [@a; @b] for several){hint}"
        )
        self.out.append(Diagnostic(self.doc.file, *where, "error", "broken-citation", message))

    def _check_cited(
        self, path: Path_, ident: str, citation: str, start: tuple[int, int] | None
    ) -> None:
        """One id of a citation names a source; located at the citation's ``@id``."""
        at = start
        offset = citation.find(f"@{ident}")
        if start is not None and ident and offset > 1 and "\n" not in citation[:offset]:
            at = (start[0], start[1] + offset)  # a later id of [@a; @b]: point at its @
        if not ident:
            where = at or self.doc.locate(path)
            message = f"{format_path(path)}: empty citation '[@]'; write [@source-id]"
            self.out.append(Diagnostic(self.doc.file, *where, "error", "empty-citation", message))
            return
        self.ref(path, ident, "sources", at=at)

    def _find_text(self, path: Path_, needle: str) -> tuple[int, int] | None:
        """Where ``needle`` stands in the file, searching from the value at ``path``."""
        line, col = self.doc.locate(path)
        lines = self.doc.text.split("\n")
        if not 1 <= line <= len(lines):
            return None
        offset = sum(len(x) + 1 for x in lines[: line - 1]) + col - 1
        found = self.doc.text.find(needle, offset)
        return text_position(self.doc.text, found) if found >= 0 else None

    def check_unused(self) -> None:
        for ident, path in self.ids.get("sources", {}).items():
            if ident not in self.cited_sources:
                self.warn(
                    path,
                    "uncited-source",
                    f"{format_path(path[:-1])}: source '{ident}' is never cited",
                )
        for ident, path in self.ids.get("actors", {}).items():
            actor = self.find("actors", ident) or {}
            if ident in self.used_actors or actor.get("role") or actor.get("position"):
                continue  # referenced, or there for context by design
            self.warn(
                path,
                "unused-actor",
                f"{format_path(path[:-1])}: actor '{ident}' is never referenced; name it "
                f"where it takes part (one of the {len(reference_fields('actors'))} fields "
                "that name actors, such as mechanisms.parties, mechanisms.adjudicator, "
                "timeline.actors), or give it a role or position if it is there for context",
            )
