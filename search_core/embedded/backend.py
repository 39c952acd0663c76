"""The embedded engine behind the :class:`search_core.backend.SearchBackend` protocol.

Tantivy calls are synchronous; every public method here is ``async`` and runs its work in a
worker thread, so the API's event loop never blocks on a search.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from search_core.documents import Article, Location, Therapist
from search_core.embedded.articles_methods import EmbeddedArticles
from search_core.embedded.browse_methods import EmbeddedBrowse
from search_core.embedded.online_memo import is_online_hits, remembered
from search_core.embedded.reader import IndexReader
from search_core.embedded.store import VersionStore
from search_core.embedded.suggest_methods import EmbeddedSuggest
from search_core.embedded.therapist_search import EmbeddedTherapistSearch
from search_core.errors import BackendUnavailable, NotFound
from search_core.geocode import Geocoder, Place
from search_core.index_docs import article_from_doc, location_from_doc, therapist_from_doc
from search_core.mappings import KINDS
from search_core.online_listing import listing, run_sync
from search_core.queries import ArticleQuery, SuggestQuery, TherapistQuery
from search_core.results import (
    ArticleHit,
    CommentHit,
    PlaceCount,
    SearchPage,
    Suggestion,
    TherapistHit,
)
from search_core.settings import Settings
from search_core.tuning import Tuning
from search_core.tuning_checks import check

R = TypeVar("R")


MAX_COUNTS = 512
"""Count answers remembered per version (then the memo starts again)."""


def is_count(q: TherapistQuery) -> bool:
    """A search that only counts (the online list's two per search): at most one hit, most
    recent first (no scores, no date-dependent ranking), no highlighting. Its answer only
    changes with the index, so it is remembered per version (:attr:`OpenIndex.counts`)."""
    return (
        q.sort == "recent"
        and q.offset == 0
        and q.size <= 1
        and not q.highlight
        and q.cursor is None
    )


class EmbeddedBackend:
    """The engine: therapist search here; article search, browsing and typeahead are parts
    it holds (:class:`EmbeddedArticles`, :class:`EmbeddedBrowse`, :class:`EmbeddedSuggest`),
    each given what it needs. The ``*_sync`` methods do the work; the async ones run them in a
    worker thread."""

    name = "embedded"

    def __init__(self, settings: Settings, tuning: Tuning | None = None) -> None:
        self.settings = settings
        self.tuning = tuning or Tuning.load(settings.tuning_file)
        self.reader = IndexReader(settings)
        self._limiter: anyio.CapacityLimiter | None = None
        self._versions: dict[str, tuple[int | None, str]] = {}  # kind -> (pointer stamp, answer)
        self.articles = EmbeddedArticles(self.reader)
        self.browsing = EmbeddedBrowse(
            self.reader,
            lambda q, unit: self.search_therapists_sync(q, unit),
            self.get_location_sync,
        )
        self.suggesting = EmbeddedSuggest(self.reader, self.browsing.city_counts_sync)

    async def _run(self, fn: Callable[..., R], *args: Any) -> R:
        if self._limiter is None:  # made on first use: it belongs to the running event loop
            self._limiter = anyio.CapacityLimiter(self.settings.engine_threads)
        return await anyio.to_thread.run_sync(fn, *args, limiter=self._limiter)

    # ---------------------------------------------------------------- sync implementations

    def search_therapists_sync(
        self, q: TherapistQuery, unit: str = "mi", tuning: Tuning | None = None
    ) -> SearchPage[TherapistHit]:
        if q.online is not None:  # with the online list: all its searches in this one call
            return run_sync(
                listing(q, unit),  # type: ignore[arg-type]
                lambda plain: self.search_therapists_sync(plain, unit, tuning),
            )
        opened = self.reader.get("therapists")
        if tuning is not None:
            check(tuning, self.name, self.settings.mappings_dir)
            return EmbeddedTherapistSearch(opened, tuning).search(q, unit)
        if is_online_hits(q):
            ts = EmbeddedTherapistSearch(opened, self.tuning)
            return remembered(opened, self.tuning, q, unit, lambda: ts.search(q, unit))
        if not is_count(q):
            return EmbeddedTherapistSearch(opened, self.tuning).search(q, unit)
        # A count (the online list asks two per search): remembered for this version and this
        # tuning (the lab swaps it). The models are frozen; their lists and dicts are copied,
        # so that no caller changes the remembered answer.
        key = (q.model_dump_json(), unit)
        cached = opened.counts.get(key)
        if cached is not None and cached[0] is self.tuning:
            page: SearchPage[TherapistHit] = cached[1]
        else:
            page = EmbeddedTherapistSearch(opened, self.tuning).search(q, unit)
            if len(opened.counts) >= MAX_COUNTS:
                opened.counts.clear()
            opened.counts[key] = (self.tuning, page)
        return page.model_copy(
            update={
                "items": list(page.items),
                "facets": {k: list(v) for k, v in page.facets.items()},
                "warnings": list(page.warnings),
            }
        )

    def _by_term(self, kind: str, field: str, value: str) -> dict[str, Any]:
        import tantivy

        opened = self.reader.get(kind)
        searcher = opened.searcher()
        query = tantivy.Query.term_query(opened.schema.schema, field, value)
        hits = searcher.search(query, limit=1).hits
        if not hits:
            raise NotFound(f"no {kind[:-1]} with {field} {value!r}")
        return opened.source(searcher, hits[0][1])

    def get_therapist_sync(self, therapist_id: str) -> Therapist:
        return therapist_from_doc(self._by_term("therapists", "id", therapist_id))

    def get_article_sync(self, slug: str) -> Article:
        return article_from_doc(self._by_term("articles", "slug", slug))

    def get_location_sync(self, slug: str) -> Location:
        return location_from_doc(self._by_term("locations", "slug", slug))

    def search_articles_sync(self, q: ArticleQuery) -> SearchPage[ArticleHit]:
        return self.articles.search_articles_sync(q, self.tuning)

    def recent_comments_sync(self, size: int) -> list[CommentHit]:
        return self.articles.recent_comments_sync(size)

    def browse_states_sync(self) -> Sequence[PlaceCount]:
        return self.browsing.browse_states_sync()

    def browse_cities_sync(self, state: str) -> Sequence[PlaceCount]:
        return self.browsing.browse_cities_sync(state)

    def browse_city_sync(
        self,
        city_slug: str,
        radius_km: float | None = None,
        unit: str = "mi",
        offset: int = 0,
        size: int = 10,
    ) -> tuple[Location, SearchPage[TherapistHit]]:
        return self.browsing.browse_city_sync(city_slug, radius_km, unit, offset, size)

    def city_counts_sync(self) -> Mapping[str, int]:
        return self.browsing.city_counts_sync()

    def suggest_sync(
        self, q: SuggestQuery, places: Sequence[Place] | None = None
    ) -> list[Suggestion]:
        return self.suggesting.suggest_sync(q, places)

    def build_geocoder_sync(self) -> Geocoder:
        return Geocoder.from_locations(self.reader.sources("locations"))

    def health_sync(self) -> dict[str, Any]:
        indexes: dict[str, Any] = {}
        ok = True
        for kind in KINDS:
            current = VersionStore(self.settings.index_dir, kind).current()
            if current is None:
                ok = False
                indexes[kind] = None
                continue
            try:
                count = self.reader.count(kind)
            except BackendUnavailable:
                ok = False
                count = None
            indexes[kind] = {"version": current.version, "documents": count}
        return {
            "status": "ok" if ok else "unavailable",
            "engine": self.name,
            "indexes": indexes,
            "tuning": self.tuning.name,
        }

    # ---------------------------------------------------------------- async API

    async def search_therapists(
        self, q: TherapistQuery, unit: str = "mi", tuning: Tuning | None = None
    ) -> SearchPage[TherapistHit]:
        return await self._run(self.search_therapists_sync, q, unit, tuning)

    async def get_therapist(self, therapist_id: str) -> Therapist:
        return await self._run(self.get_therapist_sync, therapist_id)

    async def get_article(self, slug: str) -> Article:
        return await self._run(self.get_article_sync, slug)

    async def get_location(self, slug: str) -> Location:
        return await self._run(self.get_location_sync, slug)

    async def search_articles(self, q: ArticleQuery) -> SearchPage[ArticleHit]:
        return await self._run(self.search_articles_sync, q)

    async def recent_comments(self, size: int) -> list[CommentHit]:
        return await self._run(self.recent_comments_sync, size)

    async def browse_states(self) -> Sequence[PlaceCount]:
        return await self._run(self.browse_states_sync)

    async def browse_cities(self, state: str) -> Sequence[PlaceCount]:
        return await self._run(self.browse_cities_sync, state)

    async def browse_city(
        self,
        city_slug: str,
        radius_km: float | None = None,
        unit: str = "mi",
        offset: int = 0,
        size: int = 10,
    ) -> tuple[Location, SearchPage[TherapistHit]]:
        return await self._run(self.browse_city_sync, city_slug, radius_km, unit, offset, size)

    async def city_counts(self) -> Mapping[str, int]:
        return await self._run(self.city_counts_sync)

    async def suggest(
        self, q: SuggestQuery, places: Sequence[Place] | None = None
    ) -> list[Suggestion]:
        return await self._run(self.suggest_sync, q, places)

    async def build_geocoder(self) -> Geocoder:
        # Not in the engine's slots (``SEARCH_ENGINE_THREADS``): after a new locations
        # version this runs while the server answers, and searches would wait for it.
        return await anyio.to_thread.run_sync(self.build_geocoder_sync)

    async def health(self) -> dict[str, Any]:
        # Not in the searches' queue (``engine_threads``): health reads version pointers and
        # document counts, and a probe should not wait for the searches ahead of it.
        return await anyio.to_thread.run_sync(self.health_sync)

    async def version(self, kind: str) -> str | None:
        """Asked per request (typeahead, location searches): a ``stat`` of the version
        pointer, which is read again only when it moved. (The pointer is read after its stamp,
        so an answer is never older than the stamp it is kept under.)"""
        store = VersionStore(self.settings.index_dir, kind)
        stamp = store.pointer_stamp()
        cached = self._versions.get(kind)
        if cached is None or cached[0] != stamp:
            cached = (stamp, f"{store.current_version()}@{stamp}")
            self._versions[kind] = cached
        return cached[1]

    def warm_sync(self) -> None:
        """Read the therapists' per-hit columns (seconds at a million therapists) now rather
        than in the first location search."""
        opened = self.reader.get("therapists")
        if opened.columns is not None:
            opened.columns.get(opened.index)

    async def warm(self) -> None:
        await self._run(self.warm_sync)

    async def close(self) -> None:
        return None
