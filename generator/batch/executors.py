"""Run phase of a build: render tasks here, in a local process pool or on a Dask cluster.

Owns the unit of work (:func:`render_task`: load, render and write one
output, never raising for a bad input) and the executors behind one small
interface: ``run(tasks)`` yields each :class:`Outcome` as it finishes, and
closing that iterator early (a failure with ``--fail-fast``, an interrupt)
stops the work at once: pending tasks are cancelled, running workers are
terminated. Must not plan, keep the manifest or decide what a failure means.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ScenarioError
from .plan import Task

TASKS_PER_WORKER = 50
"""PDFs a worker renders before it is replaced, so that memory stays bounded."""
CONNECT_TIMEOUT = 3.0
"""Seconds to wait for a Dask scheduler to answer."""


@dataclass
class Outcome:
    """What became of one output."""

    target: str
    state: str  # "built" | "failed"
    message: str = ""
    sha256: str = ""
    size: int = 0


def render_task(task: Task) -> Outcome:
    """Render and write one output; never raises for a bad input (runs in workers and on Dask)."""
    from ..pipeline import write

    try:
        data = write(
            Path(task.scenario_file),
            Path(task.target),
            task.settings,
            task.template,
            task.fmt,
            revision=task.revision,
            since=task.since,
            inside=task.settings.output,
        )
        return Outcome(
            task.target, "built", sha256=hashlib.sha256(data).hexdigest(), size=len(data)
        )
    except ScenarioError as exc:
        return Outcome(task.target, "failed", str(exc))
    except Exception as exc:  # a bug or an engine failure: this output fails, the build goes on
        return Outcome(task.target, "failed", f"{task.target}: error: {type(exc).__name__}: {exc}")


class Executor:
    """Renders tasks somewhere. Use as a context manager; ``run`` yields outcomes as they finish."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release what the executor holds (a cluster connection)."""

    def run(self, tasks: Sequence[Task]) -> Iterator[Outcome]:
        raise NotImplementedError


class Serial(Executor):
    """In this process, one task after another: Markdown, HTML, and PDFs with ``-j 1``."""

    def run(self, tasks: Sequence[Task]) -> Iterator[Outcome]:
        for task in tasks:
            yield render_task(task)


class LocalPool(Executor):
    """Worker processes on this machine, recycled every ``TASKS_PER_WORKER`` tasks each."""

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def run(self, tasks: Sequence[Task]) -> Iterator[Outcome]:
        import multiprocessing

        # Workers are recycled by starting a fresh pool for every `workers x TASKS_PER_WORKER`
        # PDFs, not with `max_tasks_per_child`: on Python 3.11-3.15 that option deadlocks once
        # a worker reaches its limit while tasks are queued (CPython gh-115634).
        context = multiprocessing.get_context("forkserver")
        chunk = self.workers * TASKS_PER_WORKER
        for start in range(0, len(tasks), chunk):
            pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_warm_worker)
            try:
                futures = {pool.submit(render_task, t): t for t in tasks[start : start + chunk]}
                for future in as_completed(futures):
                    yield _result(future, futures[future])
            except BaseException:  # closed early, interrupted or failed: stop the workers now
                _terminate(pool)
                raise
            pool.shutdown(wait=True)


class Dask(Executor):
    """The workers of a Dask cluster (they must see the workspace at the same paths)."""

    def __init__(self, scheduler: str) -> None:
        try:
            from dask.distributed import Client
        except ImportError as exc:
            raise ScenarioError(
                "the dask executor needs the optional extra: pip install 'scenario-briefings[dask]'"
            ) from exc
        try:
            _reachable(scheduler)
            self.client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT}s")
        except (OSError, ValueError, TypeError) as exc:
            reason = (getattr(exc, "strerror", None) or str(exc) or type(exc).__name__).strip()
            raise ScenarioError(
                f"cannot reach the Dask scheduler at {scheduler}: {reason[:1].lower()}{reason[1:]}"
            ) from exc

    def close(self) -> None:
        self.client.close()

    def run(self, tasks: Sequence[Task]) -> Iterator[Outcome]:
        from dask.distributed import as_completed as dask_completed

        futures = self.client.map(render_task, list(tasks), pure=False)
        try:
            for future in dask_completed(futures):
                yield future.result()
        except BaseException:  # closed early or interrupted: drop the rest
            self.client.cancel(futures)
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


def _warm_worker() -> None:
    """Leave interrupts to the build's main process; lay out one page so the first PDF is fast."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import weasyprint

    weasyprint.HTML(string="<p>warm</p>").write_pdf()


def _result(future: Future[Outcome], task: Task) -> Outcome:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        return Outcome(task.target, "failed", f"{task.target}: error: worker died: {exc}")


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
