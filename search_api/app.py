"""The FastAPI application: ``create_app(settings=None)`` builds everything, nothing happens at
import time, so tests and the CLI build their own."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from search_api import docs, errors, pages
from search_api.deps import Services
from search_api.hosts import HostPolicy, TrustedHosts
from search_api.routes import (
    articles,
    avatars,
    browse,
    health,
    suggest,
    therapists,
    vocabularies,
)
from search_api.security import SecurityHeaders
from search_core.engines import make_backend
from search_core.errors import SearchError
from search_core.settings import Settings
from search_core.suggesting import corrector_for

DESCRIPTION = """
Search a directory of therapists: full text with clinical synonyms, filters with disjunctive
facet counts, "near me" by coordinates, ZIP code or city, location browsing, articles, and
typeahead.

**Errors.** Every error answers with a JSON body
`{"error": code, "message": sentence, "details": [{"field", "message", "suggestions"}]}`, one
status per kind: 422 `invalid_parameters` for a missing, malformed or out-of-range parameter or
parameters that contradict each other, 404 `not_found` for an unknown id, slug, ZIP code or city
(`details` names the parameter and, for a misspelt city, `suggestions`), 403 `analyst_only`,
503 `engine_unavailable` when the engine has no index or is down, 504 `engine_timeout`.

**Places.** A bare city name shared by several cities (`city=Springfield`) searches the most
populous one and lists the others in `location.alternatives` ("Springfield, MA", ...): pass one
as `city` to search there.

**Limits.** `q` at most 200 characters; `size` at most 50; `page × size` at most 1,000 (the
result window; follow `next_cursor` to go deeper); `radius` at most 500 km (310 mi); at most 20
values per filter.
"""


def _trim_heap() -> None:
    """Return the C heap's free memory to the system (glibc's ``malloc_trim``; elsewhere
    nothing)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        backend = make_backend(settings)
        services = Services(settings, backend)
        app.state.services = services
        with contextlib.suppress(SearchError):  # no index yet: /health says so
            # the search box's dictionaries (understanding, typeahead typos): built once here,
            # not in the first person's request
            corrector_for(await services.geocoder())
            await backend.warm()
        # What start-up made lives as long as the server: keep it out of the collector's
        # full passes (one took about 70 ms, a pause some request would wait through), and
        # give back what start-up only borrowed (reading a million therapists' columns
        # leaves about 100 MB that the C allocator would otherwise keep).
        gc.collect()
        gc.freeze()
        _trim_heap()
        try:
            yield
        finally:
            await backend.close()

    app = FastAPI(
        title="Therapist directory search",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc are served from the install, not a CDN: docs.py
        redoc_url=None,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
            max_age=600,
        )
    errors.install(app)
    hosts = HostPolicy(settings)
    app.state.hosts = hosts
    app.add_middleware(TrustedHosts, policy=hosts)
    app.add_middleware(SecurityHeaders)  # outermost: CORS answers and 500s get the headers too
    for module in (therapists, avatars, browse, articles, suggest, vocabularies, health):
        app.include_router(module.router)
    docs.install(app)
    pages.install(app)
    return app
