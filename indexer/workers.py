"""The worker processes of a full load: a pool (or none, for small files) and an in-order map
over it that keeps at most two jobs per worker in flight."""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import sys
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
def worker_pool(workers: int) -> Iterator[Pool | None]:
    if workers <= 0:
        yield None
        return
    ctx = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
    with ctx.Pool(workers) as pool:
        yield pool
