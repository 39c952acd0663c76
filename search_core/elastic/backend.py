"""The Elasticsearch engine behind :class:`search_core.backend.SearchBackend`.

Every method is a coroutine over ``AsyncElasticsearch`` (created lazily, in the event loop that
serves the API, by :class:`~search_core.elastic.cluster.ClusterReader`); the engine holds its
parts, each given the reader: article search (:class:`ElasticArticles`) and places
(:class:`ElasticPlaces`). Bodies come from the pure builders (:mod:`search_core.elastic.queries`),
answers go through the pure parsers (:mod:`search_core.elastic.responses`), and every client
error is translated (:mod:`search_core.elastic.errors`). Searches go to the aliases, so a load
or a rollback takes effect with the next request.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from search_core.backend import CandidateKind, PlaceField
from search_core.documents import Article, Location, Therapist
from search_core.elastic import names, responses
from search_core.elastic.articles import ElasticArticles
from search_core.elastic.cluster import ClusterReader
from search_core.elastic.multi_search import search_many
from search_core.elastic.places import ElasticPlaces
from search_core.elastic.product import ELASTICSEARCH, ClusterProduct
from search_core.elastic.routing import preference
from search_core.elastic.suggest_query import names_body, titles_body
from search_core.elastic.text import query_analyzers
from search_core.elastic.therapist_query import scoring_query, search_body, skip_body
from search_core.errors import SearchError
from search_core.index_docs import article_from_doc, location_from_doc, therapist_from_doc
from search_core.mappings import KINDS, load_mapping
from search_core.online_plan import listing, run_async
from search_core.queries import ArticleQuery, TherapistQuery
from search_core.query_rules import text_warnings
from search_core.results import ArticleHit, CommentHit, SearchPage, TherapistHit
from search_core.settings import Settings
from search_core.tuning import Tuning
from search_core.tuning_checks import check

Body = dict[str, Any]


VERSION_TTL = 2.0
"""Seconds an answer of :meth:`ElasticBackend.version` is reused."""
WALK_PAGE = 1_000
"""Sort values fetched per request when walking to a page beyond the result window."""


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


class ElasticBackend:
    product: ClusterProduct = ELASTICSEARCH
    name = ELASTICSEARCH.name
    versions_see_edits = False

    def __init__(
        self,
        settings: Settings,
        tuning: Tuning | None = None,
        today: Callable[[], dt.date] = utc_today,
    ) -> None:
        """``today``: the clock of the freshness origin (a parameter, so tests can cross a
        midnight)."""
        self.settings = settings
        self.today = today
        self.tuning = tuning or Tuning.load(settings.tuning_file)
        self.prefix = settings.elasticsearch_index_prefix
        self.analyzers = {
            kind: query_analyzers(load_mapping(settings.mappings_dir, kind)) for kind in KINDS
        }
        index_settings = load_mapping(settings.mappings_dir, "therapists").settings
        self.max_window = int(index_settings.get("index", {}).get("max_result_window", 10_000))
        self.cluster = ClusterReader(settings, self.product)
        self.articles = ElasticArticles(self.cluster, self.analyzers["articles"])
        self.places = ElasticPlaces(self.cluster)
        self._versions: dict[str, tuple[float, str | None]] = {}

    # ---------------------------------------------------------------- therapists

    async def search_therapists(
        self,
        q: TherapistQuery,
        unit: str = "mi",
        tuning: Tuning | None = None,
    ) -> SearchPage[TherapistHit]:
        """A cursor made by this engine carries the last hit's sort values: the page starts
        right after that hit (``search_after``). Without them (a page number, or an embedded
        cursor) the page starts at the offset: ``from`` inside the index's result window,
        beyond it by walking the sort order."""
        started = time.perf_counter()
        if tuning is not None:
            check(tuning, self.name, self.settings.mappings_dir)
        if q.online is not None:  # with the online list: one _msearch per round of its plan
            return await run_async(
                listing(q, unit),  # type: ignore[arg-type]
                lambda qs: search_many(self, qs, unit, tuning),
            )
        t = tuning or self.tuning
        analyzers = self.analyzers["therapists"]
        scored = scoring_query(q, t, analyzers) is not None
        warnings = text_warnings(q.text, scored)
        # A cursor's pages are scored from the day its first page was (see search_core.paging).
        today = q.cursor.origin if q.cursor is not None and q.cursor.origin else self.today()
        after = list(q.cursor.after) if q.cursor is not None and q.cursor.after else None
        walked = after is None and q.offset + q.size > self.max_window
        if walked:
            after = await self._walk(search_body(q, t, analyzers, today), q.offset, preference(q))
        body = search_body(q, t, analyzers, today, after)
        if walked and after is None:  # no hits at all: ask for the (empty) first page
            body["from"] = 0
        resp = await self.cluster.search_raw(
            "therapists", body, "search therapists", preference=preference(q)
        )
        took = round((time.perf_counter() - started) * 1000, 2)
        return responses.therapist_page(
            resp,
            q,
            unit,
            scored=scored,
            took_ms=took,
            warnings=warnings,
            engine=self.name,
            origin=today,
        )

    async def _walk(self, body: Body, offset: int, pref: str) -> list[Any] | None:
        """The sort values of the hit just before ``offset`` (None if there are no hits)."""
        after: list[Any] | None = None
        remaining = offset
        while remaining > 0:
            size = min(remaining, WALK_PAGE)
            resp = await self.cluster.search_raw(
                "therapists", skip_body(body, size, after), "walk to a deep page", preference=pref
            )
            found = responses.hits(resp)
            if not found:
                break
            after = list(found[-1]["sort"])
            remaining -= len(found)
            if len(found) < size:
                break
        return after

    async def search_articles(self, q: ArticleQuery) -> SearchPage[ArticleHit]:
        return await self.articles.search_articles(q, self.tuning, self.name)

    # ---------------------------------------------------------------- look-ups

    async def get_therapist(self, therapist_id: str) -> Therapist:
        return therapist_from_doc(await self.cluster.by_term("therapists", "id", therapist_id))

    async def get_article(self, slug: str) -> Article:
        return article_from_doc(await self.cluster.by_term("articles", "slug", slug))

    async def get_location(self, slug: str) -> Location:
        return location_from_doc(await self.cluster.by_term("locations", "slug", slug))

    async def location_records(
        self, kind: str | None = None, slugs: Sequence[str] | None = None
    ) -> list[dict[str, Any]]:
        return await self.places.location_records(kind, slugs)

    # ---------------------------------------------------------------- counts and candidates

    async def place_counts(
        self, field: PlaceField, state: str | None = None, slugs: Sequence[str] | None = None
    ) -> Mapping[str, int]:
        return await self.places.place_counts(field, state, slugs)

    async def reach_km(self, city_slug: str, lat: float, lon: float) -> float:
        return await self.places.reach_km(city_slug, lat, lon)

    async def prefix_candidates(
        self, prefix: str, limits: Mapping[CandidateKind, int]
    ) -> dict[CandidateKind, list[tuple[float, dict[str, Any]]]]:
        kinds = list(limits)
        found = await asyncio.gather(*(self._candidates(k, prefix, limits[k]) for k in kinds))
        return dict(zip(kinds, found, strict=True))

    async def _candidates(
        self, kind: CandidateKind, prefix: str, limit: int
    ) -> list[tuple[float, dict[str, Any]]]:
        if kind == "therapists":
            body, what = names_body(prefix, limit), "suggest therapist names"
        else:
            body, what = titles_body(prefix, limit), "suggest article titles"
        if body is None:
            return []
        return responses.candidates(await self.cluster.search_raw(kind, body, what))

    async def recent_comments(self, size: int) -> list[CommentHit]:
        return await self.articles.recent_comments(size)

    # ---------------------------------------------------------------- health

    async def health(self) -> dict[str, Any]:
        admin = self.cluster.admin()
        indexes: dict[str, Any] = {}
        ok = True
        problems: list[str] = []
        for kind in KINDS:
            try:
                index = await admin.require_serving(kind)
                count = await admin.count(index)
            except SearchError as exc:
                ok = False
                indexes[kind] = None
                problems.append(str(exc))
                continue
            version = names.version_of(self.prefix, kind, index)
            indexes[kind] = {"version": version, "documents": count}
        body: dict[str, Any] = {
            "status": "ok" if ok else "unavailable",
            "engine": self.name,
            "indexes": indexes,
            "tuning": self.tuning.name,
        }
        if problems:
            body["problems"] = problems
        return body

    async def version(self, kind: str) -> str | None:
        """The index the alias of ``kind`` points to (None before the first load). Asked per
        request by caches, so the answer is kept for :data:`VERSION_TTL` seconds: a new load
        or a rollback reaches those caches within that time."""
        now = time.monotonic()
        cached = self._versions.get(kind)
        if cached is not None and now - cached[0] < VERSION_TTL:
            return cached[1]
        serving = await self.cluster.admin().serving(kind)
        found = serving[0] if len(serving) == 1 else None
        self._versions[kind] = (now, found)
        return found

    async def warm(self) -> None:
        return None  # the cluster keeps its own caches

    async def close(self) -> None:
        await self.cluster.close()
