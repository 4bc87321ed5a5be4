"""Stopping a build: SIGINT and SIGTERM become one exception the build can clean up after.

Owns the signal handlers a build installs in its main thread while it runs
(the previous ones come back afterwards) and :class:`Interrupted`, which the
build fills with what it kept before passing it on. Must not stop workers or
save anything itself: the run and write phases do that as the exception
passes through them.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """Raised in the build's main thread when SIGINT or SIGTERM asks it to stop.

    A ``BaseException``, like ``KeyboardInterrupt``, so that no handler meant
    for a failed render swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.kept: tuple[int, int] | None = None  # (built, unchanged), once the build saved them
        self.output = ""

    @property
    def exit_code(self) -> int:
        """128 + the signal number: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum

    def __str__(self) -> str:
        name = signal.Signals(self.signum).name
        if self.kept is None:
            return f"interrupted by {name} before any output was rendered; nothing changed"
        built, unchanged = self.kept
        return (
            f"interrupted by {name}: kept {built} finished and {unchanged} unchanged outputs "
            f"in {self.output}; the next build renders the rest"
        )


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGINT and SIGTERM into :class:`Interrupted` (main thread only; once per build)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        for other in SIGNALS:  # one stop at a time: let the build finish stopping
            signal.signal(other, signal.SIG_IGN)
        raise Interrupted(signum)

    previous = {signum: signal.signal(signum, stop) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
