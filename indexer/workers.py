"""The worker processes of a full load: a pool (or none, for small files) and an in-order map
over it that keeps at most two jobs per worker in flight.

The pool is a :class:`~concurrent.futures.ProcessPoolExecutor`, not ``multiprocessing.Pool``:
a job's result is a batch of encoded documents (megabytes), and while one is still in the
result pipe, ``Pool``'s worker-maintenance thread wakes again and again (the pipe is one of
the things it waits on), which cost about a tenth of a core for a whole build. The executor's
one thread reads the results itself. A worker that dies (killed, out of memory) fails the
jobs in flight with :class:`~concurrent.futures.process.BrokenProcessPool` instead of leaving
them waiting forever."""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def bounded(
    pool: Executor | None, job: Callable[[T], R], items: Iterable[T], workers: int
) -> Iterator[R]:
    """``map(job, items)`` in order, in the pool's processes when there is one, with at most
    two items per worker in flight: when this process consumes slower than the workers
    produce, they wait instead of piling results up in memory."""
    if pool is None:
        yield from map(job, items)
        return
    in_flight: collections.deque[Future[R]] = collections.deque()
    try:
        for item in items:
            in_flight.append(pool.submit(job, item))
            if len(in_flight) >= 2 * workers:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()
    finally:
        for left in in_flight:  # given up (an error, an interruption): not worth doing
            left.cancel()


def _ignore_interrupts() -> None:
    """Ctrl-C reaches the whole process group: the command decides what stops (its builds are
    discarded and the pool shut down), not each worker in the middle of a job."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _ready() -> None:
    """A job that does nothing (see :func:`worker_pool`)."""


@contextlib.contextmanager
def worker_pool(workers: int, fork: bool = False) -> Iterator[Executor | None]:
    """``workers`` processes (none for 0). By default each is forked from a fork server, a
    fresh interpreter: safe whatever threads this process runs, but every worker then imports
    the loader (a third of a second) before its first job. With ``fork``, when this process
    runs no other Python thread, the workers are forked from it and start at once with what it
    has imported; for a caller that also knows no engine thread exists yet (the ``index``
    command, before its first build): a fork copies only the thread that calls it, so every
    worker is forked here, before this returns, not at a later first job."""
    if workers <= 0:
        yield None
        return
    ctx = multiprocessing.get_context(start_method(fork))
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_ignore_interrupts)
    try:
        pool.submit(_ready).result()  # forks every worker now (the executor's first job does)
        yield pool
    finally:  # after an error or an interruption, jobs not started are dropped
        pool.shutdown(wait=True, cancel_futures=True)


def start_method(fork: bool) -> str:
    """How :func:`worker_pool` starts its processes (see there)."""
    if sys.platform == "win32":
        return "spawn"
    if fork and sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "forkserver"
