"""In-process latency: the workload's requests as direct calls of the engine and its use cases.

Our engine: each request becomes what the API route would hand to the use case or to
:class:`~search_core.embedded.backend.EmbeddedBackend` (a typed query, the place resolved by
the offline geocoder, as the route does), run on this thread: the engine's primitives are
answered inline (:class:`InlineBackend`, no worker-thread hand-off) and the use cases
(city pages, typeahead) run on this thread's event loop (plus the geocoder look-up, which the
route does per request too). The PostgreSQL peer offers
the same callables (:class:`benchmarks.pg_peer.PgPeer`), each one SQL round trip.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Protocol, TypeVar

from benchmarks.workload import Request, warm_up
from search_core import browsing
from search_core.browsing import city_page
from search_core.embedded.backend import EmbeddedBackend, is_count
from search_core.embedded.online_memo import is_online_hits
from search_core.geocode import MAX_SUGGESTIONS, Geocoder
from search_core.locating import PlaceRequest
from search_core.online_plan import listing, run_sync
from search_core.queries import (
    DEFAULT_RADIUS_MI,
    FACETS,
    FLAGS,
    ArticleQuery,
    GeoFilter,
    SuggestQuery,
    TherapistFilters,
    TherapistQuery,
)
from search_core.results import SearchPage, TherapistHit
from search_core.searching import TherapistSearch, search_therapists
from search_core.settings import Settings
from search_core.suggesting import corrector_for
from search_core.typeahead import suggestions
from search_core.units import KM_PER_MILE

T = TypeVar("T")

PLACES_PER_SUGGESTION = 3  # as search_core.suggesting


class Engine(Protocol):
    name: str

    def call(self, req: Request) -> Any: ...


def filters_of(req: Request) -> TherapistFilters:
    values: dict[str, Any] = {f: req.all(f) for f in FACETS if req.all(f)}
    for flag in FLAGS:
        if (v := req.get(flag)) is not None:
            values[flag] = v == "true"
    if (fee := req.get("max_fee")) is not None:
        values["max_fee"] = int(fee)
    if (state := req.get("licensed_in")) is not None:
        values["licensed_in"] = state
    return TherapistFilters(**values)


class InlineBackend(EmbeddedBackend):
    """The embedded engine with its primitives answered in the calling thread."""

    async def _run(self, fn: Callable[..., T], *args: Any, queued: bool = True) -> T:
        return fn(*args)


class _Inline:
    """The backend's therapist search as the use case awaits it, but answered in the calling
    thread (no worker-thread hand-off), so the timing is the use case's own work. A query with
    the online list is run through its plan here, as the backend runs it, so that the plain
    searches inside the one engine call are counted too."""

    name = "embedded"

    def __init__(self, backend: EmbeddedBackend) -> None:
        self.backend = backend
        self.calls = 0
        """Engine calls so far (the use case's awaits of ``search_therapists``)."""
        self.searches = 0
        """Plain searches inside those calls (the online list's plan runs several)."""
        self.counts = 0
        """Those of them that the engine remembers per version once seen (the online list's
        counts and first hits)."""

    async def search_therapists(
        self, q: TherapistQuery, unit: str = "mi", tuning: Any = None
    ) -> SearchPage[TherapistHit]:
        self.calls += 1
        return run_sync(listing(q, unit), lambda plain: self._plain(plain, unit, tuning))  # type: ignore[arg-type]

    def _plain(self, q: TherapistQuery, unit: str, tuning: Any) -> SearchPage[TherapistHit]:
        self.searches += 1
        self.counts += (is_count(q) or is_online_hits(q)) and tuning is None
        return self.backend.core.search_therapists(q, unit, tuning)


def _drive(coro: Coroutine[Any, Any, T]) -> T:
    """Run a use case's coroutine to its end on this thread's event loop (kept from one call
    to the next). The engine's calls are answered inline (:class:`_Inline`); what the use case
    itself hands to a worker thread (reading a long text, or a place the geocoder does not
    know) goes there, as in the server."""
    try:
        loop = asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
    return loop.run_until_complete(coro)


class OurEngine:
    """The embedded engine, called the way the API routes call it. ``search_box``: therapist
    searches go through the search box's use case (:mod:`search_core.searching`: the text
    understood, online therapists in the state, relaxation), as the routes call it now."""

    name = "embedded (Tantivy)"

    def __init__(self, data_dir: str, search_box: bool = False, online: bool = True) -> None:
        self.backend = InlineBackend(Settings(data_dir=data_dir))
        self.geocoder = Geocoder.from_locations(self.backend.core.location_records())
        self.search_box = search_box
        self.online = online
        if search_box:
            corrector_for(self.geocoder)  # built at start-up, as the app does
        self._inline = _Inline(self.backend)

    async def _geo(self) -> Geocoder:
        return self.geocoder

    def box(self, req: Request, near_me: bool) -> Any:
        radius = req.get("radius")
        lat = req.get("lat")
        place = PlaceRequest(
            lat=float(lat) if lat is not None else None,
            lon=float(req.get("lon") or 0) if lat is not None else None,
            zip=req.get("zip"),
            city=req.get("city"),
            radius=float(radius) if radius is not None else None,
        )
        search = TherapistSearch(
            text=req.get("q"),
            filters=filters_of(req),
            place=place,
            sort="distance" if near_me else "relevance",
            highlight=not near_me or bool(req.get("q")),
            online_in_state=self.online,
        )
        return _drive(search_therapists(self._inline, search, self._geo))  # type: ignore[arg-type]

    def near(self, req: Request) -> GeoFilter | None:
        radius_km = float(req.get("radius") or DEFAULT_RADIUS_MI) * KM_PER_MILE
        if (lat := req.get("lat")) is not None:
            return GeoFilter(lat=float(lat), lon=float(req.get("lon") or 0), radius_km=radius_km)
        if (z := req.get("zip")) is not None:
            place = self.geocoder.zip(z)
        elif (c := req.get("city")) is not None:
            place = self.geocoder.resolve(c)
        else:
            return None
        return GeoFilter(lat=place.lat, lon=place.lon, radius_km=radius_km, label=place.label)

    @property
    def engine_calls(self) -> tuple[int, int, int]:
        """Engine calls so far through the search box's use case, the plain searches inside
        them, and how many of those the engine remembers per version (the online list's:
        :func:`~search_core.embedded.backend.is_count`,
        :func:`~search_core.embedded.online_memo.is_online_hits`)."""
        return self._inline.calls, self._inline.searches, self._inline.counts

    def call(self, req: Request) -> Any:
        b = self.backend
        core = b.core
        if req.category in ("full_search", "near_me") and self.search_box:
            return self.box(req, req.category == "near_me")
        if req.category in ("full_search", "near_me"):
            near_me = req.category == "near_me"
            q = TherapistQuery(
                text=req.get("q"),
                filters=filters_of(req),
                near=self.near(req),
                sort="distance" if near_me else "relevance",
                facets=True,
                highlight=not near_me or bool(req.get("q")),
            )
            return core.search_therapists(q, "mi")
        if req.category == "browse_states":
            return _drive(browsing.states(b))
        if req.category == "browse_cities":
            return _drive(browsing.cities(b, req.path.split("/")[3]))
        if req.category == "browse_city":
            return _drive(city_page(b, req.path.rsplit("/", 1)[1]))
        if req.category == "articles":
            q_art = ArticleQuery(text=req.get("q"), field=req.get("field") or "all")  # type: ignore[arg-type]
            return core.search_articles(q_art, b.tuning)
        if req.category == "typeahead":
            prefix = req.get("q") or ""
            sq = SuggestQuery(prefix=prefix)
            places = self.geocoder.suggest(
                prefix, limit=min(MAX_SUGGESTIONS, sq.size * PLACES_PER_SUGGESTION)
            )
            return _drive(suggestions(b, sq, places))
        raise ValueError(f"unknown category {req.category}")


def timed(
    call: Callable[[Request], Any],
    requests: Sequence[Request],
    budget_s: float,
    min_n: int,
    max_n: int,
    warmup: int = 0,
    warmup_s: float = 0.0,
) -> list[float]:
    """Milliseconds per call, walking ``requests`` in order (round and round) until ``max_n``
    samples or ``budget_s`` seconds have passed with at least ``min_n`` samples; first a
    warm-up (:func:`~benchmarks.workload.warm_up`: each distinct request once, at least
    ``warmup`` of them, within ``warmup_s`` seconds beyond those)."""
    warm_up(call, requests, min(warmup, len(requests)), warmup_s)
    out: list[float] = []
    deadline = time.perf_counter() + budget_s
    i = 0
    while len(out) < max_n and (len(out) < min_n or time.perf_counter() < deadline):
        req = requests[i % len(requests)]
        t0 = time.perf_counter()
        call(req)
        out.append((time.perf_counter() - t0) * 1000)
        i += 1
    return out
