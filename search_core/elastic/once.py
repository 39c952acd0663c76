"""Retrying calls that are not idempotent, knowing what a repeated answer means.

The client's own retries (:func:`search_core.elastic.client.make_client`) resend a request
that timed out or lost its connection. For a search that is harmless; for ``PUT /<index>`` it
is not: the first request may have created the index before the answer was lost, and the
resent one then fails with ``resource_already_exists_exception``; a resent delete answers 404
("was not there") for a document the first request deleted.

Those calls go through a client without retries and through :func:`once`: on a timeout or a
lost connection (the request may or may not have been applied) it sends the call again, and
when the cluster refuses an attempt, ``settle`` decides from the refusal whether an earlier
request did the work (return) or not (raise). Every refusal goes to ``settle``, the first one
too: the HTTP library may have resent the request itself (aiohttp resends a PUT or a DELETE
once when the connection drops, as HTTP allows for methods it calls idempotent), so even the
first answer seen can be the answer to a resend. Each ``settle`` is therefore written to be
right whichever attempt it sees (the names are fresh and the kind's write lock is held).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from search_core.elastic.client import RETRY_BACKOFF_BASE, RETRY_BACKOFF_CAP

T = TypeVar("T")


def status_of(exc: BaseException) -> int | None:
    """The HTTP status of a client's error answer (None for a failure without an answer)."""
    meta = getattr(exc, "meta", None)
    status = getattr(meta, "status", None)
    if status is None:
        status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def error_type(exc: BaseException) -> str | None:
    """``resource_already_exists_exception``, ``version_conflict_engine_exception``..."""
    body: Any = getattr(exc, "body", None) or getattr(exc, "info", None)
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        kind = body["error"].get("type")
        return str(kind) if kind else None
    return None


def backoff(attempt: int) -> float:
    """Seconds before the next attempt: full jitter, as the client's own retries."""
    return random.uniform(0, min(RETRY_BACKOFF_CAP, RETRY_BACKOFF_BASE * 2**attempt))


async def once(
    call: Callable[[], Awaitable[T]],
    settle: Callable[[BaseException], Awaitable[T]] | None,
    attempts: int,
    unsure: tuple[type[BaseException], ...],
) -> T:
    """``call()``, sent again (at most ``attempts`` more times, with back-off) while the
    outcome is unknown (``unsure``: the client's timeout and connection errors, see
    :attr:`~search_core.elastic.product.ClusterProduct.unsure`); a refusal (an error answer)
    goes to ``settle`` (see the module's note)."""
    for attempt in range(attempts + 1):
        try:
            return await call()
        except unsure:
            if attempt >= attempts:
                raise
        except Exception as exc:
            if settle is not None and status_of(exc) is not None:
                return await settle(exc)
            raise
        await asyncio.sleep(backoff(attempt))
    raise AssertionError("unreachable")  # pragma: no cover
