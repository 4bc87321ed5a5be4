"""Run phase of a build: PDFs laid out here, in a local process pool or on a Dask cluster.

Owns the unit of work sent to workers (:func:`render_pdf`: lay out and write
one PDF from the HTML the main process rendered, never raising for a bad
input) and the executors behind one small interface: ``run(items)`` pulls the
build's items as it has room, yields each :class:`Outcome` as it finishes,
and closing that iterator early (a failure with ``--fail-fast``, an
interrupt) stops the work at once: pending jobs are cancelled, running
workers are terminated. Must not plan, prepare scenarios, keep the manifest
or decide what a failure means.
"""

from __future__ import annotations

import hashlib
import os
import select
import signal
import socket
import threading
import time
from collections.abc import Generator, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, ScenarioError
from ..workspace import Settings

TASKS_PER_WORKER = 50
"""PDFs a worker renders before it is replaced, so that memory stays bounded."""
CONNECT_TIMEOUT = 3.0
"""Seconds to wait for a Dask scheduler to answer."""


@dataclass
class Outcome:
    """What became of one output."""

    target: str
    state: str  # "built" | "failed"
    errors: tuple[Diagnostic, ...] = ()  # why it failed
    sha256: str = ""
    size: int = 0
    attachments: dict[str, tuple[str, int]] = field(default_factory=dict)  # path: sha256, size


def failure(target: str, exc: Exception) -> Outcome:
    """The outcome of an output that ``exc`` stopped: its error as diagnostics, located at
    the output when it names no file (a bug is one too: this output fails, the build goes on)."""
    if isinstance(exc, ScenarioError):
        return Outcome(target, "failed", tuple(exc.located(target)))
    message = f"{type(exc).__name__}: {exc}"
    return Outcome(target, "failed", (Diagnostic(target, 0, 0, "error", "internal", message),))


@dataclass(frozen=True)
class PdfJob:
    """One PDF to lay out and write: the HTML the main process rendered, and where it goes.

    Picklable and small: a worker (local or on a Dask cluster) gets what it
    needs of the prepared scenario, never a path to redo everything from.
    """

    target: str  # absolute
    html: str
    label: str  # the scenario id, for an error message
    created: datetime  # the document date
    settings: Settings
    fmt: str = "pdf"  # the output format, whose renderer finishes the job


Item = Outcome | PdfJob
"""What the build's producer yields: a document finished here, or a PDF for the executor."""


def render_pdf(job: PdfJob) -> Outcome:
    """Lay out and write one PDF; never raises for a bad input (runs in workers and on Dask)."""
    from ..rendering.renderers import renderer
    from ..write import write_atomic

    try:
        data = renderer(job.fmt).finish(job.html, job.label, job.created, job.settings).data
        write_atomic(Path(job.target), data, inside=job.settings.output)
        return Outcome(job.target, "built", sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    except Exception as exc:  # a bad input, an engine failure or a bug: this output fails
        return failure(job.target, exc)


class Executor:
    """Lays out PDFs somewhere. Use as a context manager.

    ``run(items)`` pulls items from the build's producer as it has room for
    them: a finished :class:`Outcome` is passed on at once, a :class:`PdfJob`
    is queued. It yields every outcome as it finishes. At most ``window``
    jobs wait at a time, so the producer (parsing, analysing, rendering text
    in the main process) runs while the workers lay out PDFs, and memory stays
    bounded however many documents there are.
    """

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release what the executor holds (a cluster connection)."""

    def run(self, items: Iterator[Item]) -> Generator[Outcome, None, None]:
        raise NotImplementedError


class Serial(Executor):
    """In this process, one after another: everything with ``-j 1``."""

    def run(self, items: Iterator[Item]) -> Generator[Outcome, None, None]:
        for item in items:
            yield item if isinstance(item, Outcome) else render_pdf(item)


class LocalPool(Executor):
    """Worker processes on this machine, recycled every ``TASKS_PER_WORKER`` PDFs each."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.window = 2 * workers

    def run(self, items: Iterator[Item]) -> Generator[Outcome, None, None]:
        import multiprocessing

        # Workers are recycled by starting a fresh pool for every `workers x TASKS_PER_WORKER`
        # PDFs, not with `max_tasks_per_child`: on Python 3.11-3.15 that option deadlocks once
        # a worker reaches its limit while tasks are queued (CPython gh-115634).
        context = multiprocessing.get_context("forkserver")
        chunk = self.workers * TASKS_PER_WORKER
        pool: ProcessPoolExecutor | None = None
        submitted = 0
        pending: dict[Future[Outcome], PdfJob] = {}
        try:
            for item in items:
                if isinstance(item, Outcome):
                    yield item
                    continue
                if pool is not None and submitted >= chunk:  # recycle: drain, then a new pool
                    while pending:
                        yield from _finished(pending, FIRST_COMPLETED)
                    pool.shutdown(wait=True)
                    pool = None
                if pool is None:
                    pool = ProcessPoolExecutor(
                        self.workers,
                        mp_context=context,
                        initializer=_warm_worker,
                        initargs=(os.getpid(),),
                    )
                    submitted = 0
                pending[pool.submit(render_pdf, item)] = item
                submitted += 1
                while len(pending) >= self.window:
                    yield from _finished(pending, FIRST_COMPLETED)
            while pending:
                yield from _finished(pending, FIRST_COMPLETED)
        except BaseException:  # closed early, interrupted or failed: stop the workers now
            if pool is not None:
                _terminate(pool)
                pool = None
            raise
        finally:
            if pool is not None:
                pool.shutdown(wait=True)


class Dask(Executor):
    """The workers of a Dask cluster (they must see the output folder at the same path)."""

    def __init__(self, scheduler: str) -> None:
        try:
            from dask.distributed import Client
        except ImportError as exc:
            raise ScenarioError(
                "the dask executor needs the optional extra: pip install 'scenario-briefings[dask]'"
            ) from exc
        try:
            _reachable(scheduler)
            _handshake(scheduler)
            self.client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT}s")
        except NotDask as exc:
            raise ScenarioError(str(exc)) from None
        except (OSError, ValueError, TypeError) as exc:
            reason = (getattr(exc, "strerror", None) or str(exc) or type(exc).__name__).strip()
            raise ScenarioError(
                f"cannot reach the Dask scheduler at {scheduler}: {reason[:1].lower()}{reason[1:]}"
            ) from exc
        threads = sum(self.client.nthreads().values()) or 1
        self.window = 2 * threads

    def close(self) -> None:
        self.client.close()

    def run(self, items: Iterator[Item]) -> Generator[Outcome, None, None]:
        from dask.distributed import wait

        pending: list[Any] = []
        try:
            for item in items:
                if isinstance(item, Outcome):
                    yield item
                    continue
                pending.append(self.client.submit(render_pdf, item, pure=False))
                while len(pending) >= self.window:
                    done = wait(pending, return_when="FIRST_COMPLETED").done
                    pending = [f for f in pending if f not in done]
                    yield from (f.result() for f in sorted(done, key=lambda f: f.key))
            for future in pending:
                yield future.result()
        except BaseException:  # closed early or interrupted: drop the rest
            self.client.cancel(pending)
            raise


def choose(executor: str, jobs: int | None, scheduler: str | None, count: int) -> Executor:
    """The executor for ``count`` PDFs: Dask, a local pool, or this process for one worker."""
    if executor == "dask":
        if not scheduler:
            raise ScenarioError("--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
        return Dask(scheduler)
    workers = max(1, min(jobs or os.cpu_count() or 1, count))
    return Serial() if workers == 1 else LocalPool(workers)


# --------------------------------------------------------------------------- helpers


def _warm_worker(build: int) -> None:
    """Leave interrupts to the build's main process (pid ``build``) and end with it, however
    it ends; lay out one page so the first PDF is fast."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with, args=(build,), daemon=True, name="end-with").start()
    import weasyprint

    weasyprint.HTML(string="<p>warm</p>").write_pdf()


def _end_with(build: int) -> None:
    """Exit this worker when process ``build`` has ended, even by ``kill -9``.

    Each worker holds the forkserver's and the resource tracker's pipes open, so
    once the workers are gone those two end by themselves and nothing of the build
    is left. A pidfd (Linux 5.3+) wakes at once; elsewhere the pid is polled.
    """
    try:
        fd = os.pidfd_open(build)
    except (AttributeError, OSError):  # no pidfd here, or the build is gone already
        fd = None
    if fd is not None:
        select.select([fd], [], [])  # readable when the process has ended
    else:
        while True:
            try:
                os.kill(build, 0)
            except ProcessLookupError:
                break
            except PermissionError:  # another user's pid now: the build has ended
                break
            time.sleep(0.5)
    os._exit(1)


def _finished(pending: dict[Future[Outcome], PdfJob], when: str) -> Generator[Outcome, None, None]:
    """Wait for ``when`` (one or all of ``pending``), remove those done, and give their outcomes."""
    done, _ = wait(list(pending), return_when=when)
    for future in sorted(done, key=lambda f: pending[f].target):
        job = pending.pop(future)
        try:
            yield future.result()
        except BrokenProcessPool as exc:
            died = Diagnostic(job.target, 0, 0, "error", "render", f"worker died: {exc}")
            yield Outcome(job.target, "failed", (died,))


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the running workers (their files stay temporary)."""
    processes: dict[Any, Any] = (
        getattr(pool, "_processes", None) or {}
    )  # 3.14 has terminate_workers
    running = list(processes.values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in running:
        with suppress(OSError, ValueError):
            process.terminate()
    for process in running:
        with suppress(OSError, ValueError, AssertionError):
            process.join(timeout=5)
    pool.shutdown(wait=True)


class NotDask(Exception):
    """What listens at the scheduler's address does not answer as a Dask scheduler."""


def _handshake(scheduler: str, timeout: float = CONNECT_TIMEOUT) -> None:
    """Ask the scheduler who it is, within ``timeout`` seconds, before Dask's client does.

    A listener that accepts and never answers would hang the client, and one that
    answers in another protocol (HTTP) makes Dask's reader allocate what the reply's
    first bytes claim (a MemoryError). Both raise :class:`NotDask`, said plainly.
    """
    import asyncio

    from distributed.comm import connect

    async def identity() -> object:
        comm = await connect(scheduler, timeout=timeout)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    async def bounded() -> object:
        return await asyncio.wait_for(identity(), timeout)

    silent = NotDask(
        f"no answer from the Dask scheduler at {scheduler} within {timeout:g} s; "
        "is a Dask scheduler listening there?"
    )
    try:
        reply = asyncio.run(bounded())
    except TimeoutError:
        raise silent from None
    except (MemoryError, ValueError, TypeError, KeyError, EOFError):  # another protocol
        reply = None
    except OSError as exc:  # closed on us mid-handshake, or Dask's own connect timeout
        if "Timed out" in str(exc):
            raise silent from None
        reply = None
    if not isinstance(reply, dict) or reply.get("type") != "Scheduler":
        raise NotDask(
            f"{scheduler} is not a Dask scheduler: what listens there does not answer "
            "in Dask's protocol"
        )


def _reachable(scheduler: str) -> None:
    """Fail fast on a malformed address or a closed TCP port, before Dask retries for long.

    Raises ``ValueError`` for an address Dask cannot parse and ``OSError`` when
    nothing listens at a ``tcp://`` or ``tls://`` address.
    """
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    scheme, location = parse_address(scheduler)
    try:
        get_backend(scheme)
    except ValueError:
        raise ValueError(f"unknown address scheme '{scheme}'") from None
    if scheme in ("tcp", "tls"):
        try:
            host, port = parse_host_port(location)
        except ValueError:
            raise ValueError("not an address Dask understands (e.g. tcp://host:8786)") from None
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
            pass
