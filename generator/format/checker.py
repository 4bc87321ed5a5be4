"""What every validation rule works with: one document's raw data and the diagnostics found.

Owns: :class:`Checker` (the document, the ids declared in it, error and
warning collection) and the defensive accessors over raw parsed data, so that a
file with schema errors still gets its other problems reported. Must not hold
a rule itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..errors import Diagnostic
from .loader import Document, Path_


def format_path(path: Path_) -> str:
    """``indicators[0].observations[2].value`` from a key path."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the top level"


def items(data: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, mapping) for each mapping in the list ``data[key]``."""
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def strings(value: Any) -> list[Any]:
    """The items of a list (or a lone value), for reference checks."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def number_of(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:  # an integer too large for a float: the schema reports it
        return None


class Checker:
    """One document's raw data, the ids it declares, and the diagnostics found so far."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        self.out: list[Diagnostic] = []
        self._by_id: dict[str, dict[Any, dict[str, Any]]] = {}
        self.ids: dict[str, dict[str, Path_]] = {}
        self.cited_sources: set[str] = set()
        self.used_actors: set[str] = set()

    def error(self, path: Path_, code: str, message: str, *, at_key: bool = False) -> None:
        self.out.append(self.doc.diagnostic(path, code, message, at_key=at_key))

    def warn(self, path: Path_, code: str, message: str) -> None:
        self.out.append(self.doc.diagnostic(path, code, message, severity="warning"))

    def find(self, key: str, ident: Any) -> dict[str, Any] | None:
        """The first raw item of the list ``key`` whose id is ``ident``.

        The list is indexed on first use, so a check that looks up every item of a
        long list stays linear (the raw data does not change while it is checked).
        """
        if key not in self._by_id:
            index: dict[Any, dict[str, Any]] = {}
            for _, item in items(self.data, key):
                if isinstance(item.get("id"), str | int | float | bool):
                    index.setdefault(item["id"], item)
            self._by_id[key] = index
        try:
            return self._by_id[key].get(ident)
        except TypeError:  # an unhashable value cannot be an id of the index
            return None
