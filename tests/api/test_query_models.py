"""The therapist searches read their query string at once (``search_api.query_models``): the
same values, the same errors and the same answers as FastAPI's own reading of the query model,
and the same OpenAPI document."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, FastAPI, Query
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel
from starlette.datastructures import QueryParams

from search_api.app import create_app
from search_api.query_models import QueryReader
from search_api.routes import therapists
from search_api.routes.therapists import NearParams, SearchParams
from search_core.settings import Settings

QUERIES = [
    "",
    "q=anxiety&zip=97214&radius=25",
    "q=anxiety&q=depression",  # a single field given twice: the last value
    "insurance=aetna&insurance=cigna&issues=anxiety",
    "insurance=",  # a list with an empty value
    "q=&city=Portland%2C+OR",
    "lat=45.5&lon=-122.6&sort=distance&unit=km&radius=10",
    "page=2&size=5&facets=false&highlight=no",
    "sort=best",  # not one of the choices
    "size=51&page=0",  # two out of range
    "radius=-1&lat=abc",
    "lat=91&lon=181",
    "max_fee=abc",
    "licensed_in=or",
    "accepting_new=maybe",
    "unknown=1&other=2&other=3",  # not parameters: ignored
    "q=" + "x" * 201,
    "gender=female&gender=male&gender=female",
    "cursor=abc&online_in_state=false&understand=0",
    "tuning=default",
]


def _fastapi_reading() -> TestClient:
    """FastAPI reading the same models field by field (the documented declaration)."""
    app = FastAPI()

    @app.get("/search")
    async def search(p: Annotated[SearchParams, Query()]) -> dict[str, Any]:
        return p.model_dump(mode="json")

    @app.get("/near")
    async def near(p: Annotated[NearParams, Query()]) -> dict[str, Any]:
        return p.model_dump(mode="json")

    return TestClient(app)


@pytest.mark.parametrize("model", [SearchParams, NearParams])
@pytest.mark.parametrize("query", QUERIES)
def test_reads_what_fastapi_reads(model: type[BaseModel], query: str) -> None:
    path = "/search" if model is SearchParams else "/near"
    expected = _fastapi_reading().get(f"{path}?{query}")
    reader = QueryReader(model)
    try:
        got = reader.read(QueryParams(query))
    except RequestValidationError as exc:
        assert expected.status_code == 422, expected.text
        # what FastAPI's default handler answers: the errors as JSON
        assert TestClient(_raising(exc)).get("/").json() == expected.json()
        return
    assert expected.status_code == 200, expected.text
    assert got.model_dump(mode="json") == expected.json()


def _raising(exc: RequestValidationError) -> FastAPI:
    app = FastAPI()

    @app.get("/")
    async def fail() -> None:
        raise exc

    return app


@pytest.fixture
def ours(small_index: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(small_index)) as c:
        yield c


def test_the_twins_are_not_documented(ours: TestClient) -> None:
    schema = ours.get("/openapi.json").json()
    for path in ("/therapists/search", "/therapists/near"):
        op = schema["paths"][path]["get"]
        documented = [p["name"] for p in op["parameters"] if p["in"] == "query"]
        model = SearchParams if path.endswith("search") else NearParams
        assert documented == list(model.model_fields)
        assert op["operationId"] == f"{path.rsplit('/', 1)[1]}_therapists_{path[12:]}_get"
    names = {op.get("operationId", "") for p in schema["paths"].values() for op in p.values()}
    assert not any("read_at_once" in n for n in names)


@pytest.fixture
def documented_only(small_index: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The app as it was: the therapist routes answered by FastAPI's own reading."""
    plain = APIRouter(prefix=therapists.router.prefix, tags=list(therapists.router.tags))
    plain.routes = [
        r
        for r in therapists.router.routes
        if not (isinstance(r, APIRoute) and r.name.endswith("_read_at_once"))
    ]
    monkeypatch.setattr(therapists, "router", plain)
    with TestClient(create_app(small_index)) as c:
        yield c


TOOK = re.compile(rb'"took_ms":[0-9.e-]+')

REQUESTS = [
    "/therapists/search?q=anxiety&zip=97214&radius=25",
    "/therapists/search?q=female+therapist+for+anxiety+near+97214",
    "/therapists/search?insurance=aetna&insurance=cigna&page=2&size=5",
    "/therapists/search?q=cbt&city=Portland%2C+OR&sort=distance&highlight=false",
    "/therapists/search?q=grief&q=trauma&facets=false",
    "/therapists/search?size=0&issues=anxiety",
    "/therapists/search?size=99&sort=best",
    "/therapists/search?lat=100",
    "/therapists/near?zip=97214",
    "/therapists/near?city=portland-or&facets=false&q=couples",
    "/therapists/near?lat=45.52&lon=-122.68&radius=5&unit=km",
    "/therapists/near?q=anxiety",  # no place
    "/therapists/near?zip=97214&radius=0",
]


def test_answers_are_the_same_bytes(ours: TestClient, documented_only: TestClient) -> None:
    for url in REQUESTS:
        a, b = ours.get(url), documented_only.get(url)
        assert a.status_code == b.status_code, url
        assert TOOK.sub(b"", a.content) == TOOK.sub(b"", b.content), url
        assert _same_but_length(a, b), url
    assert ours.get("/openapi.json").content == documented_only.get("/openapi.json").content


def _same_but_length(a: Any, b: Any) -> bool:
    """Headers equal but for the length of a body whose ``took_ms`` has more digits."""
    strip = {"content-length"}
    return {k: v for k, v in a.headers.items() if k not in strip} == {
        k: v for k, v in b.headers.items() if k not in strip
    }
