"""The Elasticsearch engine behind :class:`search_core.backend.SearchBackend`.

Every method is a coroutine over ``AsyncElasticsearch`` (created lazily, in the event loop that
serves the API). Bodies come from the pure builders (:mod:`search_core.elastic.queries`),
answers go through the pure parsers (:mod:`search_core.elastic.responses`), and every client
error is translated (:mod:`search_core.elastic.errors`). Searches go to the aliases, so a load
or a rollback takes effect with the next request.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import anyio.to_thread

from search_core.documents import Article, Location, Therapist
from search_core.elastic import names, responses
from search_core.elastic.articles_methods import ArticlesMethods
from search_core.elastic.browse_methods import BrowseMethods
from search_core.elastic.errors import require_complete
from search_core.elastic.lookup_query import by_term_body, scan_body
from search_core.elastic.multi_search import search_many
from search_core.elastic.product import ELASTICSEARCH, ClusterProduct, body_of
from search_core.elastic.routing import preference
from search_core.elastic.suggest_methods import SuggestMethods
from search_core.elastic.text import query_analyzers
from search_core.elastic.therapist_query import scoring_query, search_body, skip_body
from search_core.elastic.versions import VersionAdmin
from search_core.errors import NotFound, SearchError
from search_core.geocode import Geocoder
from search_core.index_docs import article_from_doc, location_from_doc, therapist_from_doc
from search_core.mappings import KINDS, load_mapping
from search_core.online_listing import listing, run_async
from search_core.queries import TherapistQuery
from search_core.results import SearchPage, TherapistHit
from search_core.settings import Settings
from search_core.shaping.text import text_warnings
from search_core.tuning import Tuning
from search_core.tuning_checks import check

Body = dict[str, Any]


VERSION_TTL = 2.0
"""Seconds an answer of :meth:`ElasticBackend.version` is reused."""
WALK_PAGE = 1_000
"""Sort values fetched per request when walking to a page beyond the result window."""


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


class ElasticBackend(ArticlesMethods, BrowseMethods, SuggestMethods):
    product: ClusterProduct = ELASTICSEARCH
    name = ELASTICSEARCH.name

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
        self._client: Any = None
        self._versions: dict[str, tuple[float, str | None]] = {}

    # ---------------------------------------------------------------- plumbing

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = self.product.make_client(self.settings)
        return self._client

    def alias(self, kind: str) -> str:
        return names.alias_name(self.prefix, kind)

    def admin(self) -> VersionAdmin:
        return VersionAdmin(self.client, self.prefix, self.product)

    async def search_raw(
        self,
        kind: str,
        body: Body,
        what: str,
        index: str | None = None,
        preference: str | None = None,
    ) -> Body:
        """One ``_search`` on the alias of ``kind`` (or on ``index``); a partial answer (failed
        shards, timed out) raises instead (:func:`~search_core.elastic.errors.require_complete`)."""
        extra: dict[str, Any] = {"preference": preference} if preference else {}
        with self.product.translated(what):
            resp = await self.client.search(index=index or self.alias(kind), body=body, **extra)
        result = body_of(resp)
        require_complete(result, what)
        return result

    async def _by_term(self, kind: str, field: str, value: str) -> dict[str, Any]:
        resp = await self.search_raw(kind, by_term_body(field, value), f"find a {kind[:-1]}")
        found = responses.sources(resp)
        if not found:
            raise NotFound(f"no {kind[:-1]} with {field} {value!r}")
        return found[0]

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
        resp = await self.search_raw(
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
            resp = await self.search_raw(
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

    async def get_therapist(self, therapist_id: str) -> Therapist:
        return therapist_from_doc(await self._by_term("therapists", "id", therapist_id))

    # ---------------------------------------------------------------- details

    async def get_article(self, slug: str) -> Article:
        return article_from_doc(await self._by_term("articles", "slug", slug))

    async def get_location(self, slug: str) -> Location:
        return location_from_doc(await self._by_term("locations", "slug", slug))

    async def build_geocoder(self) -> Geocoder:
        records = await self._location_records()
        return await anyio.to_thread.run_sync(Geocoder.from_locations, records)

    async def _location_records(self) -> list[dict[str, Any]]:
        """Every stored location, page by page in id order (``search_after``) over the one
        index the alias points to now, so a load finishing meanwhile cannot mix two versions.
        Reads until a page comes back empty, never stopping at a short page (a short page can
        be a partial one: every page is checked whole by :meth:`search_raw`)."""
        index = await self.admin().require_serving("locations")
        out: list[dict[str, Any]] = []
        after: list[Any] | None = None
        while True:
            resp = await self.search_raw(
                "locations", scan_body(after), "read the locations", index=index
            )
            found = responses.hits(resp)
            if not found:
                return out
            out += [dict(h["_source"]) for h in found]
            after = list(found[-1]["sort"])

    # ---------------------------------------------------------------- health

    async def health(self) -> dict[str, Any]:
        admin = self.admin()
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
        serving = await self.admin().serving(kind)
        found = serving[0] if len(serving) == 1 else None
        self._versions[kind] = (now, found)
        return found

    async def warm(self) -> None:
        return None  # the cluster keeps its own caches

    async def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.close()
