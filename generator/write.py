"""Write stage: atomic file writes, and the one clear message when a write is impossible.

Owns: putting bytes on disk so that a reader (or a build killed at any moment)
only ever sees the old complete file or the new complete file, and refusing to
write through a folder that is a file or a link out of the output folder. The
one exception to the rename: a target that is not a regular file (a device, a
FIFO, ``/dev/stdout``) is opened and written, never replaced; a symbolic link is
written through to the file it names. Any
failure becomes an :class:`~generator.errors.OutputError` located at the path.
Must not decide what to write or where.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import OutputError, ScenarioError

if TYPE_CHECKING:
    from .rendering.renderers import Rendered


def write_atomic(path: Path, data: bytes, *, inside: Path | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file, fsync and rename.

    With ``inside``, the folder of ``path`` must lie in that folder once every
    symbolic link is resolved. Raises :class:`OutputError` when the file cannot
    be written (a file where a folder should be, a link that leaves ``inside``,
    no permission, a full disk).
    """
    try:
        kind = os.stat(path).st_mode  # follows a link: what the bytes would land in
    except OSError:
        kind = None  # absent (or a dangling link): a new regular file
    if kind is not None and stat.S_ISDIR(kind):
        raise OutputError.at(str(path), "cannot write: a folder of that name is in the way")
    if kind is not None and not stat.S_ISREG(kind):
        if inside is not None:  # planted in the output folder: neither replace it nor wait on it
            raise OutputError.at(
                str(path), "cannot write: it is not a regular file (a device or a FIFO)"
            )
        _write_stream(path, data)  # a device, a FIFO, /dev/stdout: written, never replaced
        return
    if path.is_symlink():  # write through the link to the file it names, never replace it
        target = Path(os.path.realpath(path))
        if inside is not None and not is_inside(inside, target):
            raise OutputError.at(
                str(path),
                f"cannot write: it is a link to {target}, outside the output folder "
                f"{inside}; refusing to write through it",
            )
        path = target
    folder = path.parent
    if inside is not None and folder != inside and not is_inside(inside, folder):
        # Name the first folder on the way that leaves (a linked scenario folder), not the
        # charts folder inside it.
        way = [f for f in [folder, *folder.parents] if f != inside and f.is_relative_to(inside)]
        culprit = next((f for f in reversed(way) if not is_inside(inside, f)), folder)
        raise OutputError.at(
            str(path),
            f"cannot write: {culprit} leads outside the output folder "
            f"{inside} (to {culprit.resolve()}); refusing to write through it",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError.at(str(path), f"cannot write: {_reason(folder, exc)}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise OutputError.at(str(path), f"cannot write: {_reason(folder, exc)}") from exc
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _write_stream(path: Path, data: bytes) -> None:
    """Write to what ``path`` opens (a device, a FIFO): in place, nothing renamed over it."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise OutputError.at(str(path), f"cannot write: {_reason(path.parent, exc)}") from exc
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise OutputError.at(str(path), f"cannot write: {_reason(path.parent, exc)}") from exc
    finally:
        os.close(fd)


def write_document(
    path: Path, rendered: Rendered, template: str, *, inside: Path | None = None
) -> dict[Path, tuple[str, int]]:
    """Write a document and its attachments (``charts/<template>-<name>.<ext>`` beside it);
    the sha256 and size of each file written, attachments first, the document last."""
    written = {}
    for attachment in rendered.attachments:
        target = path.parent / attachment.path(template)
        try:
            write_atomic(target, attachment.data, inside=inside)
        except ScenarioError as exc:  # the document is its files: it fails, where it is
            first = exc.diagnostics[0] if exc.diagnostics else None
            if first is None:
                raise
            raise type(exc).at(str(path), first.message, code=first.code) from exc
        written[target] = (hashlib.sha256(attachment.data).hexdigest(), len(attachment.data))
    data = rendered.linked(template)
    write_atomic(path, data, inside=inside)
    written[path] = (hashlib.sha256(data).hexdigest(), len(data))
    return written


def write_if_changed(path: Path, data: bytes, *, inside: Path | None = None) -> bool:
    """Write ``data`` unless ``path`` already holds exactly it; whether it wrote."""
    with contextlib.suppress(OSError):
        if path.is_file() and path.read_bytes() == data:
            return False
    write_atomic(path, data, inside=inside)
    return True


def _reason(folder: Path, exc: OSError) -> str:
    """What stopped a write into ``folder``, in words: the file in the way, else the system's."""
    for ancestor in [*reversed(folder.parents), folder]:
        with contextlib.suppress(OSError):
            if ancestor.exists() and not ancestor.is_dir():
                return f"{ancestor} is a file, not a folder"
    if isinstance(exc, IsADirectoryError):
        return "a folder of that name is in the way"
    reason = exc.strerror or str(exc)
    return reason[:1].lower() + reason[1:]


def is_inside(folder: Path, path: Path) -> bool:
    """Whether ``path``, every symbolic link resolved, lies strictly inside ``folder``."""
    try:
        real, top = path.resolve(), folder.resolve()
    except (OSError, RuntimeError):  # a link loop or an unreadable folder: not provably inside
        return False
    return real != top and real.is_relative_to(top)
