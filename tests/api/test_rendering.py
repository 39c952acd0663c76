"""Search pages are serialised once by pydantic (``search_api.rendering``): the body is what
the route's ``response_model`` describes, and the route's headers are kept."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from search_api.routes.browse import CityPage, PlaceList
from search_core.results import ArticlePage, SuggestPage, TherapistPage


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("/therapists/search?q=anxiety&zip=97214&radius=25", TherapistPage),
        ("/therapists/near?city=portland-or&facets=false", TherapistPage),
        ("/articles/search?q=sleep", ArticlePage),
        ("/suggest?q=port", SuggestPage),
        ("/browse/cities/portland-or", CityPage),
        ("/browse/states", PlaceList),
        ("/browse/states/OR/cities", PlaceList),
    ],
)
def test_bodies_match_their_response_model(
    client: TestClient, path: str, model: type[BaseModel]
) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.headers.get_list("content-length") == [str(len(r.content))]
    body = r.json()
    parsed = model.model_validate(body)
    assert json.loads(parsed.model_dump_json()) == body, "nothing lost or renamed on the way"
    schema = client.get("/openapi.json").json()
    route = path.split("?")[0].replace("portland-or", "{city_slug}").replace("/OR/", "/{state}/")
    ref = schema["paths"][route]["get"]["responses"]["200"]["content"]["application/json"]
    assert set(body) == set(
        schema["components"]["schemas"][ref["schema"]["$ref"].rsplit("/", 1)[1]]["properties"]
    )
