"""The output layout: where each document goes, and which paths a build may touch.

Owns the one description of what a build puts in its output folder
(``<id>/<template>.<format>``, its attachments in ``<id>/charts/``, the
manifest, the index, the lock and ``write_atomic``'s temporary files) and the
checks that keep every deletion inside that folder, symbolic links included: a
build removes only files of this layout whose real path lies in the real output
folder and whose bytes are still the ones it wrote. Must not decide what to build
or render anything.
"""

from __future__ import annotations

import hashlib
import re
from contextlib import suppress
from pathlib import Path

from ..format.types import SLUG_PATTERN
from ..outputs import REGISTRY
from ..write import is_inside

MANIFEST = "manifest.json"
LOCK = ".lock"
INDEX = ("index.md", "index.html")

DOCUMENT = re.compile(
    rf"(?P<id>{SLUG_PATTERN.strip('^$')})/(?P<template>\w[\w-]*)"
    rf"\.(?P<format>{'|'.join(f.extension for f in REGISTRY.values())})"
)
"""A document's path relative to the output folder."""

ATTACHMENT = re.compile(
    rf"(?P<id>{SLUG_PATTERN.strip('^$')})/charts/(?P<template>\w[\w-]*)-"
    r"(?P<name>[a-z0-9][a-z0-9-]*)\.(?P<extension>[a-z0-9]{1,8})"
)
"""An attachment's path: ``<id>/charts/<template>-<name>.<ext>``. A build removes
nothing but documents and attachments."""

LEFTOVER = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
"""The name ``write_atomic`` gives a temporary file: ``.<target>.<8 random>.tmp``."""


def output_path(root: Path, scenario_id: str, template: str, fmt: str) -> Path:
    """Where a document goes: ``OUTPUT/<scenario id>/<template>.<format>``."""
    return root / scenario_id / f"{template}.{fmt}"


def is_document(key: str) -> bool:
    """Whether ``key`` is a normalised relative POSIX path this layout gives a document
    or an attachment.

    The patterns admit no ``..``, no leading ``/``, no backslash and no empty
    part, so a key names a file directly inside ``OUTPUT/<id>/`` or its
    ``charts/`` folder, or nothing at all.
    """
    return DOCUMENT.fullmatch(key) is not None or ATTACHMENT.fullmatch(key) is not None


def remove_document(out: Path, key: str, sha256: str) -> bool:
    """Delete a document an earlier build wrote; ``False`` (and nothing deleted) if unsafe.

    Checked at deletion time, whatever the manifest said: ``key`` is a document
    path of this layout, its real path lies in the real output folder, it is a
    regular file and it still holds the bytes that build wrote. An absent file
    counts as removed. The scenario folder goes too once it is empty.
    """
    if not is_document(key):
        return False
    path = out / key
    if not path.exists() and not path.is_symlink():
        return True
    if path.is_symlink() or not path.is_file() or not is_inside(out, path):
        return False
    try:
        if hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
            return False
        path.unlink()
    except OSError:
        return False
    for folder in (path.parent, path.parent.parent)[: key.count("/")]:
        if folder.is_symlink():
            break
        with suppress(OSError):
            folder.rmdir()  # only succeeds when empty
    return True


def remove_leftovers(out: Path) -> None:
    """Delete temporary files a killed build left behind (safe: the caller holds the lock).

    Only the output folder and its scenario folders are searched, only names of
    the shape ``write_atomic`` uses, and only regular files whose real path lies
    in the real output folder: a scenario folder that is a link to elsewhere is
    not entered.
    """
    for leftover in [*out.glob(".*.tmp"), *out.glob("*/.*.tmp")]:
        folder = leftover.parent
        if (
            LEFTOVER.fullmatch(leftover.name)
            and not leftover.is_symlink()
            and not folder.is_symlink()
            and leftover.is_file()
            and is_inside(out, leftover)
        ):
            with suppress(OSError):
                leftover.unlink()
