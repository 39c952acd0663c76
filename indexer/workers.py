"""The worker processes of a full load: a pool (or none, for small files) and an in-order map
over it that keeps at most two jobs per worker in flight."""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import AsyncResult, Pool
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def bounded(
    pool: Pool | None, job: Callable[[T], R], items: Iterable[T], workers: int
) -> Iterator[R]:
    """``map(job, items)`` in order, in the pool's processes when there is one, with at most
    two items per worker in flight: when this process consumes slower than the workers
    produce, they wait instead of piling results up in memory."""
    if pool is None:
        yield from map(job, items)
        return
    in_flight: collections.deque[AsyncResult[R]] = collections.deque()
    for item in items:
        in_flight.append(pool.apply_async(job, (item,)))
        if len(in_flight) >= 2 * workers:
            yield in_flight.popleft().get()
    while in_flight:
        yield in_flight.popleft().get()


@contextlib.contextmanager
def worker_pool(workers: int, fork: bool = False) -> Iterator[Pool | None]:
    """``workers`` processes (none for 0). By default each is forked from a fork server, a
    fresh interpreter: safe whatever threads this process runs, but every worker then imports
    the loader (a third of a second) before its first job. With ``fork``, when this process
    runs no other Python thread, the workers are forked from it and start at once with what it
    has imported; for a caller that also knows no engine thread exists yet (the ``index``
    command, before its first build): a fork copies only the thread that calls it."""
    if workers <= 0:
        yield None
        return
    ctx = multiprocessing.get_context(start_method(fork))
    with ctx.Pool(workers) as pool:
        yield pool


def start_method(fork: bool) -> str:
    """How :func:`worker_pool` starts its processes (see there)."""
    if sys.platform == "win32":
        return "spawn"
    if fork and sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "forkserver"
