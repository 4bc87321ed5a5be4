"""Load stage: read one YAML file safely and remember where every value came from.

Owns: decoding, YAML parsing (libyaml's C parser when present), scalar
resolution, duplicate keys, alias/depth/size budgets, and the position map
that lets later stages point at ``file:line:col``. Must not know anything about
the scenario format: that is the model's and the validator's job.

Scalars follow the YAML 1.2 core schema, so ``NO``, ``on`` and ``yes`` stay
strings. Numbers keep the text the author wrote (:class:`RawInt`,
:class:`RawFloat`), so a field typed as text can give back ``1.10`` rather
than ``1.1``. Dates are never resolved: ``2026-11-21`` is a string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Diagnostic, LoadError

try:  # libyaml's C parser is an order of magnitude faster; fall back to pure Python.
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_BYTES = 2 * 1024 * 1024
"""Largest scenario file accepted (2 MiB; real scenarios are under 100 KiB)."""
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


def raw_text(value: Any) -> Any:
    """Give back the author's text for a number, the value itself otherwise."""
    return getattr(value, "raw", value)


@dataclass
class Document:
    """A parsed YAML file: its data and the line/column of every node and key."""

    file: str
    data: Any
    text: str = ""
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_) -> tuple[int, int]:
        """Line and column of the value at ``path``, or of its nearest located ancestor."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def locate_key(self, path: Path_) -> tuple[int, int]:
        """Line and column of the key that introduces ``path`` (falls back to the value)."""
        return self.key_positions.get(tuple(path)) or self.locate(path)

    def diagnostic(
        self, path: Path_, code: str, message: str, *, severity: str = "error", at_key: bool = False
    ) -> Diagnostic:
        line, col = self.locate_key(path) if at_key else self.locate(path)
        return Diagnostic(self.file, line, col, severity, code, message)


def _fail(file: str, line: int, col: int, code: str, message: str) -> LoadError:
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


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    """Line and column (in characters, as editors count) of a byte offset."""
    start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, len(raw[start:offset].decode("utf-8", "replace")) + 1


def text_position(text: str, offset: int) -> tuple[int, int]:
    """Line and column of a character offset in ``text``."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def decode(raw: bytes, file: str) -> str:
    """Decode file bytes as UTF-8, refusing binary data with a located error."""
    if b"\x00" in raw:
        nul = raw.index(b"\x00")
        line, col = _byte_position(raw, nul)
        raise _fail(
            file,
            line,
            col,
            "binary-file",
            "this is a binary file, not a YAML text file (found a NUL byte)",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(raw, exc.start)
        raise _fail(
            file,
            line,
            col,
            "encoding",
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
        ) from exc


def load_document(path: str | Path, *, display: str | None = None) -> Document:
    """Read and parse one YAML file into a :class:`Document`.

    Raises :class:`LoadError` with one located diagnostic for anything that
    stops the file from being read: a missing file, size, encoding, syntax,
    duplicate keys, aliases, depth, or a non-mapping top level.
    """
    file = display or str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError as exc:
        raise _fail(file, 0, 0, "not-found", "no such file") from exc
    except IsADirectoryError as exc:
        raise _fail(file, 0, 0, "not-a-file", "is a directory, not a YAML file") from exc
    except OSError as exc:
        raise _fail(file, 0, 0, "unreadable", f"cannot read file: {exc.strerror}") from exc
    if len(raw) > MAX_BYTES:
        raise _fail(
            file,
            1,
            1,
            "too-large",
            f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB; "
            "split it into several scenarios",
        )
    return parse(decode(raw, file), file)


def parse(text: str, file: str = "<string>") -> Document:
    """Parse YAML text into a :class:`Document` (see :func:`load_document`)."""
    doc = Document(file, None, text=text)
    try:
        _build(text, doc)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if "maximum nesting depth" in problem:  # libyaml's own limit, met before ours
            raise _fail(
                file, line, col, "too-deep", f"values are nested more than {MAX_DEPTH} levels deep"
            ) from exc
        if exc.context and exc.problem:
            problem = f"{problem} ({exc.context})"
        raise _fail(file, line, col, "yaml-syntax", f"invalid YAML: {problem}") from exc
    except yaml.reader.ReaderError as exc:  # a control character; carries an offset, no mark
        line, col = text_position(text, exc.position)
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise _fail(
            file,
            line,
            col,
            "control-character",
            f"control character U+{ord(char):04X} is not allowed in YAML; delete it",
        ) from exc
    except yaml.YAMLError as exc:
        raise _fail(file, 1, 1, "yaml-syntax", f"invalid YAML: {exc}") from exc
    if doc.data is None:
        raise _fail(file, 1, 1, "empty-file", "file is empty; a scenario is a YAML mapping")
    if not isinstance(doc.data, dict):
        kind = "list" if isinstance(doc.data, list) else "single value"
        line, col = doc.positions.get((), (1, 1))
        raise _fail(
            file,
            line,
            col,
            "not-a-mapping",
            f"a scenario file must be a mapping of keys to values, not a {kind}",
        )
    return doc


class _Frame:
    __slots__ = ("anchor", "key", "key_mark", "nodes_at_start", "path", "value")

    def __init__(self, value: Any, path: Path_, anchor: str | None, nodes: int) -> None:
        self.value = value
        self.path = path
        self.anchor = anchor
        self.key: str | None = None
        self.key_mark: tuple[int, int] | None = None
        self.nodes_at_start = nodes


def _build(text: str, doc: Document) -> None:
    """Build plain Python values from the parser's event stream, without recursion."""
    file = doc.file
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    open_anchors: set[str] = set()
    nodes = 0
    documents = 0

    def child_path() -> Path_:
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top.value, dict):
            return (*top.path, top.key)  # type: ignore[arg-type]
        return (*top.path, len(top.value))

    def expecting_key() -> bool:
        return bool(stack) and isinstance(stack[-1].value, dict) and stack[-1].key is None

    def attach(value: Any, mark: tuple[int, int]) -> None:
        if not stack:
            doc.data = value
            return
        top = stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
            return
        key = top.key
        assert key is not None
        top.value[key] = value
        top.key = None

    def check_tag(tag: str | None, mark: tuple[int, int]) -> None:
        if tag not in (None, "!", _STR_TAG, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            raise _fail(
                file,
                *mark,
                "yaml-tag",
                f"YAML tags such as '{tag}' are not supported; write the plain value",
            )

    for event in yaml.parse(text, Loader=_Loader):
        start = event.start_mark
        mark = (start.line + 1, start.column + 1)
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _fail(
                    file,
                    *mark,
                    "multiple-documents",
                    "a scenario file holds one YAML document; remove the second '---'",
                )
            continue
        if isinstance(
            event,
            yaml.ScalarEvent | yaml.AliasEvent | yaml.MappingStartEvent | yaml.SequenceStartEvent,
        ):
            nodes += 1
            if nodes > MAX_NODES:
                raise _fail(
                    file,
                    *mark,
                    "too-many-nodes",
                    f"file holds more than {MAX_NODES} values; split it up",
                )
            key_position = expecting_key()
            if key_position and not isinstance(event, yaml.ScalarEvent):
                raise _fail(
                    file,
                    *mark,
                    "complex-key",
                    "a key must be plain text, not a list, mapping or alias",
                )
            if isinstance(event, yaml.ScalarEvent):
                check_tag(event.tag, mark)
                if event.anchor is not None and key_position:
                    raise _fail(file, *mark, "anchored-key", "anchors on keys are not supported")
                if key_position:
                    top = stack[-1]
                    key = event.value
                    if key in top.value:
                        first = doc.key_positions.get((*top.path, key), (0, 0))
                        raise _fail(
                            file,
                            *mark,
                            "duplicate-key",
                            f"duplicate key '{key}' (first defined at line {first[0]})",
                        )
                    top.key = key
                    top.key_mark = mark
                    doc.key_positions[(*top.path, key)] = mark
                    continue
                if not event.style and event.tag is None and event.implicit[0]:
                    value = _resolve_plain(event.value)
                else:
                    value = event.value
                doc.positions[child_path()] = mark
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
                attach(value, mark)
                continue
            if isinstance(event, yaml.AliasEvent):
                name = event.anchor
                if name in open_anchors:
                    raise _fail(
                        file,
                        *mark,
                        "recursive-alias",
                        f"alias '*{name}' refers to a value that contains it",
                    )
                if name not in anchors:
                    raise _fail(
                        file,
                        *mark,
                        "unknown-alias",
                        f"alias '*{name}' refers to no anchor '&{name}' above it",
                    )
                value, size = anchors[name]
                nodes += size
                if nodes > MAX_NODES:
                    raise _fail(
                        file,
                        *mark,
                        "alias-budget",
                        f"aliases expand to more than {MAX_NODES} values "
                        "(a 'billion laughs' file?); write the values out",
                    )
                doc.positions[child_path()] = mark
                attach(value, mark)
                continue
            # A mapping or a sequence starts.
            check_tag(event.tag, mark)
            if len(stack) >= MAX_DEPTH:
                raise _fail(
                    file, *mark, "too-deep", f"values are nested more than {MAX_DEPTH} levels deep"
                )
            path = child_path()
            doc.positions[path] = mark
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            stack.append(_Frame(container, path, event.anchor, nodes))
            if event.anchor is not None:
                open_anchors.add(event.anchor)
            continue
        if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            frame = stack.pop()
            if frame.anchor is not None:
                open_anchors.discard(frame.anchor)
                anchors[frame.anchor] = (frame.value, _size(frame.value))
            attach(frame.value, mark)
