"""A :class:`Lab` runs judged queries on one engine through the SearchBackend protocol only.

The backend is async; the lab drives it from synchronous code (scripts, the CLI, notebooks
with a running loop) on a private event loop in a daemon thread, where the backend's clients
live for the lab's whole life.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import inspect
import threading
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from search_core.article_searching import search_articles
from search_core.backend import SearchBackend
from search_core.engines import make_backend
from search_core.geocode import Geocoder
from search_core.locating import load_geocoder
from search_core.queries import MAX_PAGE_SIZE, MAX_RESULT_WINDOW, ArticleQuery
from search_core.relevance.checks import check
from search_core.relevance.judgments import QuerySpec
from search_core.relevance.querying import Resolved, resolve, therapist_search
from search_core.searching import search_therapists
from search_core.settings import Settings
from search_core.tuning import Tuning

T = TypeVar("T")
CONCURRENCY = 4
"""Queries in flight at once."""


_GEOCODERS: dict[tuple[str, str | None], Geocoder] = {}


class _Loop:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._serve, name="relevance-lab", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        future: concurrent.futures.Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return future.result()

    def close(self) -> None:
        if not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
            self.loop.close()


@dataclass
class Ranking:
    """The top documents one query returned (best first), as the engine ranked them."""

    qid: str
    docs: list[str]
    scores: list[float | None]
    total: int
    text: str | None = None
    """The words searched for (after the place was read out of the text)."""
    place: str | None = None
    warnings: list[str] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    """The hit documents as JSON (filled when asked for, e.g. to export them for grading)."""

    def rank_of(self, doc: str) -> int | None:
        """1-based rank of ``doc``, None when it is not in the list."""
        try:
            return self.docs.index(doc) + 1
        except ValueError:
            return None


Run = dict[str, Ranking]


class Lab:
    """One engine (a :class:`SearchBackend`) and the geocoder that reads places in queries."""

    def __init__(
        self, backend: SearchBackend, geocoder: Geocoder | None = None, *, owns: bool = False
    ) -> None:
        self.backend = backend
        self._geocoder = geocoder
        self._owns = owns
        self._loop = _Loop()
        self._article_backends: dict[str, Any] = {}
        self._geo_ready: Geocoder | None = None

    @classmethod
    def open(cls, settings: Settings, engine: str | None = None) -> Lab:
        """A lab on the engine of ``settings`` (or ``engine``: embedded, elasticsearch or
        opensearch)."""
        if engine is not None and engine != settings.engine:
            settings = settings.model_copy(update={"engine": engine})
        return cls(make_backend(settings), owns=True)

    @property
    def engine(self) -> str:
        return self.backend.name

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns:
            self._loop.run(self.backend.close())
        self._loop.close()

    def call(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine of the backend on the lab's loop."""
        return self._loop.run(coro)

    def geocoder(self) -> Geocoder:
        """Built from the engine's locations index, as the API builds it; shared by the labs
        of a process while that index version serves."""
        if self._geocoder is None:
            key = (self.engine, self.call(self.backend.version("locations")))
            found = _GEOCODERS.get(key)
            if found is None:
                found = self.call(load_geocoder(self.backend))
                _GEOCODERS.clear()
                _GEOCODERS[key] = found
            self._geocoder = found
        return self._geocoder

    async def _geo(self) -> Geocoder:
        """The geocoder for the use case (loaded by :meth:`run` before the searches start)."""
        if self._geo_ready is None:
            raise RuntimeError("the lab's geocoder is loaded before its searches run")
        return self._geo_ready

    def resolve(self, spec: QuerySpec) -> Resolved:
        needs_geo = spec.target == "therapists" and (
            spec.location is not None or spec.place_in_text
        )
        return resolve(spec, self.geocoder() if needs_geo else None)

    # ------------------------------------------------------------------ running

    def run(
        self,
        specs: Sequence[QuerySpec],
        tuning: Tuning,
        depth: int = 10,
        with_sources: bool = False,
    ) -> Run:
        """The top ``depth`` documents of each query under ``tuning``."""
        check(tuning, self.engine)
        if not 1 <= depth <= MAX_RESULT_WINDOW:
            raise ValueError(f"depth must be between 1 and {MAX_RESULT_WINDOW}")
        resolved = [self.resolve(s) for s in specs]
        if any(s.target == "therapists" for s in specs):
            self._geo_ready = self.geocoder()
        rankings = self.call(self._run_all(resolved, tuning, depth, with_sources))
        return {r.qid: r for r in rankings}

    def ranking(
        self, spec: QuerySpec, tuning: Tuning, depth: int = 10, with_sources: bool = False
    ) -> Ranking:
        return self.run([spec], tuning, depth, with_sources)[spec.qid]

    async def _run_all(
        self, resolved: list[Resolved], tuning: Tuning, depth: int, with_sources: bool
    ) -> list[Ranking]:
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(r: Resolved) -> Ranking:
            async with gate:
                return await self._ranking(r, tuning, depth, with_sources)

        return list(await asyncio.gather(*(one(r) for r in resolved)))

    async def _ranking(
        self, r: Resolved, tuning: Tuning, depth: int, with_sources: bool
    ) -> Ranking:
        out = Ranking(
            qid=r.spec.qid,
            docs=[],
            scores=[],
            total=0,
            text=r.text,
            place=r.near.label if r.near is not None else None,
        )
        offset = 0
        while offset < depth:
            size = min(MAX_PAGE_SIZE, depth - offset)
            if r.spec.target == "therapists":
                page: Any = await search_therapists(
                    self.backend, therapist_search(r.spec, offset, size), self._geo, "km", tuning
                )
                docs = [(h.therapist.id, h.score, h.therapist) for h in page.items]
            else:
                page = await self._search_articles(r, offset, size, tuning)
                docs = [(h.article.id, h.score, h.article) for h in page.items]
            out.total = page.total
            out.warnings = list(dict.fromkeys([*out.warnings, *page.warnings]))
            for doc_id, score, source in docs:
                out.docs.append(doc_id)
                out.scores.append(score)
                if with_sources:
                    out.sources[doc_id] = source.model_dump(mode="json")
            offset += size
            if len(docs) < size:
                break
        return out

    async def _search_articles(self, r: Resolved, offset: int, size: int, tuning: Tuning) -> Any:
        """Article search under ``tuning``. The protocol's ``search_articles(q)`` takes no
        tuning (the engine uses the one it was built with), so unless the backend accepts a
        ``tuning`` argument, a copy of the backend carrying this tuning runs the search."""
        q = r.article_query(offset, size)
        method = self.backend.search_articles
        if "tuning" in inspect.signature(method).parameters:

            async def tuned(aq: ArticleQuery) -> Any:
                return await method(aq, tuning=tuning)  # type: ignore[call-arg]

            return await search_articles(tuned, q)
        key = tuning.model_dump_json()
        backend = self._article_backends.get(key)
        if backend is None:
            backend = copy.copy(self.backend)
            backend.tuning = tuning  # type: ignore[attr-defined]  # both engines have it
            self._article_backends = {key: backend}  # keep one: tunings change in a search
        return await search_articles(backend.search_articles, q)
