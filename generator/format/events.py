"""YAML events to plain values: scalars resolved as YAML 1.2, budgets kept, positions noted.

Owns: the iterative builder over libyaml's event stream (no recursion), the
YAML 1.2 core-schema scalar resolution that keeps the author's spelling of
numbers (:class:`RawInt`, :class:`RawFloat`), and the depth, size, alias and
tag rules. Must not read files or decode bytes (``loader``) or know the
scenario format.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import Diagnostic, LoadError

if TYPE_CHECKING:  # pragma: no cover
    from .loader import Document

try:  # libyaml's C parser is an order of magnitude faster; fall back to pure Python.
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences accepted (the format needs 5)."""
MAX_NODES = 100_000
"""Most values a file may hold once aliases are expanded ("billion laughs" guard)."""

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_STR_TAG = "tag:yaml.org,2002:str"

Path_ = tuple[str | int, ...]


class RawInt(int):
    """An integer that remembers how the author wrote it."""

    raw: str


class RawFloat(float):
    """A float that remembers how the author wrote it (``1.10`` stays ``1.10``)."""

    raw: str


def fail(file: str, line: int, col: int, code: str, message: str) -> LoadError:
    diag = Diagnostic(file, line, col, "error", code, message)
    return LoadError(str(diag), [diag])


def _resolve_plain(text: str) -> Any:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        try:
            value: Any = RawInt(text)
        except ValueError:  # beyond Python's int-from-text digit limit: keep the text
            return text
    elif _FLOAT.match(text):
        value = RawFloat(text)
    else:
        return text
    value.raw = text
    return value


def _size(value: Any) -> int:
    """Number of nodes in a built value (used to charge alias expansions)."""
    if isinstance(value, dict):
        return 1 + sum(_size(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_size(v) for v in value)
    return 1


class _Frame:
    __slots__ = ("anchor", "key", "key_mark", "nodes_at_start", "path", "value")

    def __init__(self, value: Any, path: Path_, anchor: str | None, nodes: int) -> None:
        self.value = value
        self.path = path
        self.anchor = anchor
        self.key: str | None = None
        self.key_mark: tuple[int, int] | None = None
        self.nodes_at_start = nodes


def build_values(text: str, doc: Document) -> None:
    """Build plain Python values from the parser's event stream, without recursion."""
    builder = _Builder(doc)
    for event in yaml.parse(text, Loader=_Loader):
        builder.feed(event)


class _Builder:
    """Turns parser events into values, positions and budgets, one event at a time."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.file = doc.file
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.nodes = 0
        self.documents = 0

    def feed(self, event: yaml.Event) -> None:
        start = event.start_mark
        mark = (start.line + 1, start.column + 1)
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise fail(
                    self.file,
                    *mark,
                    "multiple-documents",
                    "a scenario file holds one YAML document; remove the second '---'",
                )
        elif isinstance(
            event,
            yaml.ScalarEvent | yaml.AliasEvent | yaml.MappingStartEvent | yaml.SequenceStartEvent,
        ):
            self.count(
                1, mark, "too-many-nodes", f"file holds more than {MAX_NODES} values; split it up"
            )
            key_position = self.expecting_key()
            if key_position and not isinstance(event, yaml.ScalarEvent):
                raise fail(
                    self.file,
                    *mark,
                    "complex-key",
                    "a key must be plain text, not a list, mapping or alias",
                )
            if isinstance(event, yaml.ScalarEvent):
                self.scalar(event, mark, key_position)
            elif isinstance(event, yaml.AliasEvent):
                self.alias(event, mark)
            else:
                self.start(event, mark)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            frame = self.stack.pop()
            if frame.anchor is not None:
                self.open_anchors.discard(frame.anchor)
                self.anchors[frame.anchor] = (frame.value, _size(frame.value))
            self.attach(frame.value)

    def count(self, size: int, mark: tuple[int, int], code: str, message: str) -> None:
        self.nodes += size
        if self.nodes > MAX_NODES:
            raise fail(self.file, *mark, code, message)

    def child_path(self) -> Path_:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.value, dict):
            return (*top.path, top.key)  # type: ignore[arg-type]
        return (*top.path, len(top.value))

    def expecting_key(self) -> bool:
        return (
            bool(self.stack)
            and isinstance(self.stack[-1].value, dict)
            and self.stack[-1].key is None
        )

    def attach(self, value: Any) -> None:
        if not self.stack:
            self.doc.data = value
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
            return
        key = top.key
        assert key is not None
        top.value[key] = value
        top.key = None

    def check_tag(self, tag: str | None, mark: tuple[int, int]) -> None:
        if tag not in (None, "!", _STR_TAG, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            raise fail(
                self.file,
                *mark,
                "yaml-tag",
                f"YAML tags such as '{tag}' are not supported; write the plain value",
            )

    def scalar(self, event: yaml.ScalarEvent, mark: tuple[int, int], key_position: bool) -> None:
        self.check_tag(event.tag, mark)
        if event.anchor is not None and key_position:
            raise fail(self.file, *mark, "anchored-key", "anchors on keys are not supported")
        if key_position:
            top = self.stack[-1]
            key = event.value
            if key in top.value:
                first = self.doc.key_positions.get((*top.path, key), (0, 0))
                raise fail(
                    self.file,
                    *mark,
                    "duplicate-key",
                    f"duplicate key '{key}' (first defined at line {first[0]})",
                )
            top.key = key
            top.key_mark = mark
            self.doc.key_positions[(*top.path, key)] = mark
            return
        if not event.style and event.tag is None and event.implicit[0]:
            value = _resolve_plain(event.value)
        else:
            value = event.value
        self.doc.positions[self.child_path()] = mark
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        self.attach(value)

    def alias(self, event: yaml.AliasEvent, mark: tuple[int, int]) -> None:
        name = event.anchor
        if name in self.open_anchors:
            raise fail(
                self.file,
                *mark,
                "recursive-alias",
                f"alias '*{name}' refers to a value that contains it",
            )
        if name not in self.anchors:
            raise fail(
                self.file,
                *mark,
                "unknown-alias",
                f"alias '*{name}' refers to no anchor '&{name}' above it",
            )
        value, size = self.anchors[name]
        self.count(
            size,
            mark,
            "alias-budget",
            f"aliases expand to more than {MAX_NODES} values "
            "(a 'billion laughs' file?); write the values out",
        )
        self.doc.positions[self.child_path()] = mark
        self.attach(value)

    def start(self, event: yaml.NodeEvent, mark: tuple[int, int]) -> None:
        """A mapping or a sequence starts."""
        self.check_tag(event.tag, mark)
        if len(self.stack) >= MAX_DEPTH:
            raise fail(
                self.file, *mark, "too-deep", f"values are nested more than {MAX_DEPTH} levels deep"
            )
        path = self.child_path()
        self.doc.positions[path] = mark
        container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
        self.stack.append(_Frame(container, path, event.anchor, self.nodes))
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
