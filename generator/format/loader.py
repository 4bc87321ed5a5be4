"""Load stage: read one YAML file safely and remember where every value came from.

Owns: reading and decoding the file, its size limit, turning YAML errors into
located diagnostics, and the :class:`Document` with the position map that lets
later stages point at ``file:line:col`` (values are built in ``events``).
Must not know anything about the scenario format: that is the model's and the
validator's job.

Scalars follow the YAML 1.2 core schema, so ``NO``, ``on`` and ``yes`` stay
strings. Numbers keep the text the author wrote (:class:`RawInt`,
:class:`RawFloat`), so a field typed as text can give back ``1.10`` rather
than ``1.1``. Dates are never resolved: ``2026-11-21`` is a string.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Diagnostic
from .events import MAX_DEPTH, MAX_NODES, Path_, RawFloat, RawInt, build_values, fail

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "Document",
    "RawFloat",
    "RawInt",
    "decode",
    "load_document",
    "parse",
    "raw_text",
    "text_position",
]

MAX_BYTES = 2 * 1024 * 1024
"""Largest scenario file accepted (2 MiB; real scenarios are under 100 KiB)."""


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
        raise fail(
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
        raise fail(
            file,
            line,
            col,
            "encoding",
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
        ) from exc


def load_document(path: str | Path, *, display: str | None = None) -> Document:
    """Read and parse one YAML file into a :class:`Document`.

    Raises :class:`LoadError` with one located diagnostic for anything that
    stops the file from being read: a missing file, a folder, FIFO or device,
    size, encoding, syntax, duplicate keys, aliases, depth, or a non-mapping
    top level.
    """
    file = display or str(path)
    return parse(decode(read_bytes(path, file), file), file)


def read_bytes(path: str | Path, file: str) -> bytes:
    """The bytes of a scenario file, or :class:`LoadError` (located at ``file``) for a
    missing file, a folder, FIFO or device, an unreadable or too large file."""
    try:
        mode = os.stat(path).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):  # a FIFO or device: never wait on it
            raise fail(file, 0, 0, "not-a-file", "not a regular file")
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError as exc:
        raise fail(file, 0, 0, "not-found", "no such file") from exc
    except IsADirectoryError as exc:
        raise fail(file, 0, 0, "not-a-file", "is a directory, not a YAML file") from exc
    except OSError as exc:
        raise fail(file, 0, 0, "unreadable", f"cannot read file: {exc.strerror}") from exc
    if len(raw) > MAX_BYTES:
        raise fail(
            file,
            1,
            1,
            "too-large",
            f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB; "
            "split it into several scenarios",
        )
    return raw


def parse(text: str, file: str = "<string>") -> Document:
    """Parse YAML text into a :class:`Document` (see :func:`load_document`)."""
    doc = Document(file, None, text=text)
    try:
        build_values(text, doc)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if "maximum nesting depth" in problem:  # libyaml's own limit, met before ours
            raise fail(
                file, line, col, "too-deep", f"values are nested more than {MAX_DEPTH} levels deep"
            ) from exc
        if exc.context and exc.problem:
            problem = f"{problem} ({exc.context})"
        raise fail(file, line, col, "yaml-syntax", f"invalid YAML: {problem}") from exc
    except yaml.reader.ReaderError as exc:  # a control character; carries an offset, no mark
        line, col = text_position(text, exc.position)
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise fail(
            file,
            line,
            col,
            "control-character",
            f"control character U+{ord(char):04X} is not allowed in YAML; delete it",
        ) from exc
    except yaml.YAMLError as exc:
        raise fail(file, 1, 1, "yaml-syntax", f"invalid YAML: {exc}") from exc
    if doc.data is None:
        raise fail(file, 1, 1, "empty-file", "file is empty; a scenario is a YAML mapping")
    if not isinstance(doc.data, dict):
        kind = "list" if isinstance(doc.data, list) else "single value"
        line, col = doc.positions.get((), (1, 1))
        raise fail(
            file,
            line,
            col,
            "not-a-mapping",
            f"a scenario file must be a mapping of keys to values, not a {kind}",
        )
    return doc
