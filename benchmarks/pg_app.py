"""The peer's HTTP front: the workload's routes on :class:`benchmarks.pg_peer.PgPeer`.

A thin FastAPI app, the way one would put PostgreSQL search behind HTTP: sync routes run in
FastAPI's thread pool, one PostgreSQL connection per thread, the JSON that PostgreSQL builds is
sent back as it comes (no response models). Served by uvicorn, one process, like ours:

    BENCH_PG_CONNINFO='host=/tmp/... port=5432 user=postgres dbname=postgres' \\
        uvicorn benchmarks.pg_app:create_app --factory --host 127.0.0.1 --port 8001
"""

from __future__ import annotations

import os
import threading

import orjson
from fastapi import FastAPI
from fastapi import Request as HttpRequest
from fastapi.responses import Response

from benchmarks.pg_peer import PgPeer
from benchmarks.workload import Request


def create_app() -> FastAPI:
    conninfo = os.environ["BENCH_PG_CONNINFO"]
    local = threading.local()
    app = FastAPI(title="PostgreSQL peer")

    def peer() -> PgPeer:
        got: PgPeer | None = getattr(local, "peer", None)
        if got is None:
            got = local.peer = PgPeer(conninfo)
        return got

    def answer(category: str, http: HttpRequest) -> Response:
        req = Request(category, http.url.path, tuple(http.query_params.multi_items()))
        return Response(orjson.dumps(peer().call(req)), media_type="application/json")

    @app.get("/therapists/search")
    def search(request: HttpRequest) -> Response:
        return answer("full_search", request)

    @app.get("/therapists/near")
    def near(request: HttpRequest) -> Response:
        return answer("near_me", request)

    @app.get("/browse/states")
    def states(request: HttpRequest) -> Response:
        return answer("browse_states", request)

    @app.get("/browse/states/{state}/cities")
    def cities(state: str, request: HttpRequest) -> Response:
        return answer("browse_cities", request)

    @app.get("/browse/cities/{slug}")
    def city(slug: str, request: HttpRequest) -> Response:
        return answer("browse_city", request)

    @app.get("/articles/search")
    def articles(request: HttpRequest) -> Response:
        return answer("articles", request)

    @app.get("/suggest")
    def suggest(request: HttpRequest) -> Response:
        return answer("typeahead", request)

    @app.get("/health")
    def health() -> dict[str, str]:
        peer().conn.execute("SELECT 1")
        return {"status": "ok"}

    return app
