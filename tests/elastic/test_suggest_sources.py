"""Typeahead on the Elasticsearch engine without a cluster: the use case asks the engine for
names, titles and city counts, which the engine asks the cluster for (each body checked against
Elastic's spec and equal to what the golden-tested builders give), answered by spec-checked
fakes, and merges insurance plans and languages with the other sources the way it does on the
embedded engine (issue 25, part 5)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from search_core.elastic.backend import ElasticBackend
from search_core.elastic.browse_query import AGG
from search_core.elastic.suggest_query import names_body, titles_body
from search_core.embedded.backend import EmbeddedBackend
from search_core.geocode import Geocoder
from search_core.queries import SuggestQuery
from search_core.results import Suggestion
from search_core.settings import Settings
from search_core.typeahead import suggestions
from tests.elastic.fakes import checked, hit, search_response, terms
from tests.es_spec import ElasticSpec

SEARCH = ("post", "/{index}/_search")
INDEX = "therapist-search-therapists-v20250601t120000-000001"


class FakeCluster:
    """The cluster the engine reads through, knowing one therapist, Ana Bluestone, and one
    article; every city asked about has two therapists."""

    def __init__(self, spec: ElasticSpec) -> None:
        self.spec = spec
        self.bodies: list[tuple[str, dict[str, Any]]] = []

    async def search_raw(
        self,
        kind: str,
        body: dict[str, Any],
        what: str,
        index: str | None = None,
        preference: str | None = None,
    ) -> dict[str, Any]:
        self.spec.validate_request(*SEARCH, body)
        self.bodies.append((kind, body))
        if "aggregations" in body:
            slugs = body["aggregations"][AGG]["terms"]["include"]
            agg = {AGG: terms({s: 2 for s in slugs})}
            return checked(self.spec, *SEARCH, search_response([], aggregations=agg))
        if kind == "therapists":
            doc = {"id": "t1", "name": "Ana Bluestone", "credentials": ["LCSW"]}
            return checked(self.spec, *SEARCH, search_response([hit(INDEX, doc, 3.0)]))
        article = {"slug": "blue-monday", "title": "Blue Monday"}
        return checked(self.spec, *SEARCH, search_response([hit(INDEX, article, 2.0)]))


@pytest.fixture(scope="module")
def geocoder(small_index: Settings) -> Geocoder:
    return Geocoder.from_locations(EmbeddedBackend(small_index).core.location_records())


def run(
    spec: ElasticSpec, geocoder: Geocoder, prefix: str, settings: Settings
) -> tuple[list[Suggestion], Any]:
    cluster = FakeCluster(spec)
    backend = ElasticBackend(settings.model_copy(update={"engine": "elasticsearch"}))
    backend.cluster = backend.places.cluster = cluster  # type: ignore[assignment]
    q = SuggestQuery(prefix=prefix, size=8)
    got = asyncio.run(suggestions(backend, q, geocoder.suggest(prefix, limit=24)))
    return got, cluster.bodies


def test_blue_merges_the_plan_with_places_names_and_articles(
    spec: ElasticSpec, geocoder: Geocoder, small_index: Settings
) -> None:
    got, bodies = run(spec, geocoder, "blue", small_index)
    found = [(s.type, s.label) for s in got]
    assert found[0] == ("insurance", "Blue Cross Blue Shield")
    assert ("city", "Blue Springs, MO") in found
    assert ("therapist", "Ana Bluestone, LCSW") in found
    assert ("article", "Blue Monday") in found
    bcbs = next(s for s in got if s.type == "insurance" and s.value == "bcbs")
    assert bcbs.target == "/therapists/search?insurance=bcbs"
    # the requests are the golden-tested builders' bodies: no new request for plans
    assert ("therapists", names_body("blue", 24)) in bodies
    assert ("articles", titles_body("blue", 8)) in bodies


def test_span_suggests_the_spanish_language(
    spec: ElasticSpec, geocoder: Geocoder, small_index: Settings
) -> None:
    got, _ = run(spec, geocoder, "span", small_index)
    assert (got[0].type, got[0].value, got[0].target) == (
        "language",
        "spanish",
        "/therapists/search?languages=spanish",
    )
