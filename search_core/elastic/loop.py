"""A private event loop in a daemon thread, so synchronous code (the writer, the CLI) can drive
the async client: ``run(coro)`` blocks until the coroutine is done; ``submit(coro)`` returns a
future at once (the bulk loader keeps a couple of requests in flight that way).

The client must be created and used inside this loop, never in another one.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class LoopThread:
    def __init__(self, name: str = "elasticsearch-writer") -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        if self._loop.is_closed() or not self._thread.is_alive():
            coro.close()
            raise RuntimeError("the writer's event loop is closed")
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.submit(coro).result()

    def close(self) -> None:
        """Stop the loop and wait for its thread (pending work is cancelled)."""
        if self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        if not self._thread.is_alive():
            self._loop.close()
