"""The output folder's lock: one build at a time per output folder.

Owns making the output folder (with one clear error when it cannot exist, e.g.
a file of that name) and holding ``OUTPUT/.lock`` for a whole build, so a
second build fails at once with the holder's pid instead of racing the first.
Must not write anything else.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import BuildLockedError, OutputError
from .layout import LOCK


def make_folder(out: Path) -> None:
    """Create the output folder; :class:`OutputError` when a file or missing right is in the way."""
    if out.exists() and not out.is_dir():
        raise OutputError.at(str(out), "the output folder is a file; move it or choose another")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocker = next((p for p in out.parents if p.exists() and not p.is_dir()), None)
        reason = f"{blocker} is a file, not a folder" if blocker else (exc.strerror or str(exc))
        raise OutputError.at(str(out), f"cannot make the output folder: {reason}") from exc


@contextmanager
def held(out: Path) -> Iterator[None]:
    """Hold ``OUTPUT/.lock`` for the build; a second build fails at once with a clear message."""
    try:
        handle = open(out / LOCK, "a+")  # noqa: SIM115 - held for the whole build
    except OSError as exc:
        raise OutputError.at(str(out / LOCK), f"cannot open the lock: {exc.strerror}") from exc
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildLockedError.at(
                str(out / LOCK),
                f"another build is running in this workspace (pid {holder}); wait for it to finish",
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()
