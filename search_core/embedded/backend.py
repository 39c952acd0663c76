"""The embedded engine behind the :class:`search_core.backend.SearchBackend` protocol.

Tantivy calls are synchronous: the engine's primitives are written once, as plain calls
(:class:`~search_core.embedded.core.EmbeddedCore`), and every one of them reaches the event loop
through :meth:`EmbeddedBackend._run`, which runs it in a worker thread, so the API's event loop
never blocks on a search.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from search_core.backend import CandidateKind, PlaceField
from search_core.documents import Article, Location, Therapist
from search_core.embedded.core import EmbeddedCore, is_count
from search_core.embedded.reader import IndexReader
from search_core.queries import ArticleQuery, TherapistQuery
from search_core.results import ArticleHit, CommentHit, SearchPage, TherapistHit
from search_core.settings import Settings
from search_core.tuning import Tuning

R = TypeVar("R")

__all__ = ["EmbeddedBackend", "is_count"]


class EmbeddedBackend:
    """The async engine: each primitive is the core's, run by :meth:`_run`."""

    name = "embedded"
    versions_see_edits = True

    def __init__(self, settings: Settings, tuning: Tuning | None = None) -> None:
        self.settings = settings
        self.tuning = tuning or Tuning.load(settings.tuning_file)
        """The tuning of article searches (a copy of this engine may carry another: the lab's
        tunings); therapist searches take theirs as an argument."""
        self.core = EmbeddedCore(settings, self.tuning)
        self._limiter: anyio.CapacityLimiter | None = None

    @property
    def reader(self) -> IndexReader:
        return self.core.reader

    async def _run(self, fn: Callable[..., R], *args: Any, queued: bool = True) -> R:
        """``fn(*args)`` in a worker thread: one of the engine's ``SEARCH_ENGINE_THREADS``
        slots, or (``queued=False``: health, which should not wait for the searches ahead of
        it) any worker thread."""
        if not queued:
            return await anyio.to_thread.run_sync(fn, *args)
        if self._limiter is None:  # made on first use: it belongs to the running event loop
            self._limiter = anyio.CapacityLimiter(self.settings.engine_threads)
        return await anyio.to_thread.run_sync(fn, *args, limiter=self._limiter)

    async def search_therapists(
        self, q: TherapistQuery, unit: str = "mi", tuning: Tuning | None = None
    ) -> SearchPage[TherapistHit]:
        return await self._run(self.core.search_therapists, q, unit, tuning)

    async def search_articles(self, q: ArticleQuery) -> SearchPage[ArticleHit]:
        return await self._run(self.core.search_articles, q, self.tuning)

    async def get_therapist(self, therapist_id: str) -> Therapist:
        return await self._run(self.core.get_therapist, therapist_id)

    async def get_article(self, slug: str) -> Article:
        return await self._run(self.core.get_article, slug)

    async def get_location(self, slug: str) -> Location:
        return await self._run(self.core.get_location, slug)

    async def location_records(
        self, kind: str | None = None, slugs: Sequence[str] | None = None
    ) -> Iterable[dict[str, Any]]:
        return await self._run(self.core.location_records, kind, slugs)

    async def place_counts(
        self, field: PlaceField, state: str | None = None, slugs: Sequence[str] | None = None
    ) -> Mapping[str, int]:
        return await self._run(self.core.place_counts, field, state, slugs)

    async def reach_km(self, city_slug: str, lat: float, lon: float) -> float:
        return await self._run(self.core.reach_km, city_slug, lat, lon)

    async def prefix_candidates(
        self, prefix: str, limits: Mapping[CandidateKind, int]
    ) -> dict[CandidateKind, list[tuple[float, dict[str, Any]]]]:
        return await self._run(self.core.prefix_candidates, prefix, dict(limits))

    async def recent_comments(self, size: int) -> list[CommentHit]:
        return await self._run(self.core.recent_comments, size)

    async def health(self) -> dict[str, Any]:
        return await self._run(self.core.health, queued=False)

    async def version(self, kind: str) -> str | None:
        """Two ``stat`` calls, on the event loop (asked per request by caches)."""
        return self.core.version(kind)

    async def warm(self) -> None:
        await self._run(self.core.warm)

    async def close(self) -> None:
        return None
