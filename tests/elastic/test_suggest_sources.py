"""Typeahead on the Elasticsearch engine without a cluster: its suggest method asks the cluster
for names, titles and city counts (each body checked against Elastic's spec and equal to what
the golden-tested builders give), answered by spec-checked fakes, and merges insurance plans and
languages with the other sources the way the embedded engine does (issue 25, part 5)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from search_core.elastic.suggest_methods import SuggestMethods

from search_core.elastic import responses
from search_core.elastic.browse_query import AGG, city_counts_body
from search_core.elastic.suggest_query import names_body, titles_body
from search_core.embedded.backend import EmbeddedBackend
from search_core.geocode import Geocoder
from search_core.queries import SuggestQuery
from search_core.results import Suggestion
from search_core.settings import Settings
from tests.elastic.fakes import checked, hit, search_response, terms
from tests.es_spec import ElasticSpec

SEARCH = ("post", "/{index}/_search")
INDEX = "therapist-search-therapists-v20250601t120000-000001"


class FakeCluster(SuggestMethods):
    """The engine's suggest method over a cluster that knows one therapist, Ana Bluestone, and
    one article; every city asked about has two therapists."""

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

    async def city_counts_for(self, slugs: Any) -> dict[str, int]:
        wanted = sorted(set(slugs))
        if not wanted:
            return {}
        resp = await self.search_raw("therapists", city_counts_body(wanted), "count")
        return responses.terms_counts(resp, AGG)


@pytest.fixture(scope="module")
def geocoder(small_index: Settings) -> Geocoder:
    return EmbeddedBackend(small_index).build_geocoder_sync()


def run(spec: ElasticSpec, geocoder: Geocoder, prefix: str) -> tuple[list[Suggestion], Any]:
    cluster = FakeCluster(spec)
    q = SuggestQuery(prefix=prefix, size=8)
    got = asyncio.run(cluster.suggest(q, geocoder.suggest(prefix, limit=24)))
    return got, cluster.bodies


def test_blue_merges_the_plan_with_places_names_and_articles(
    spec: ElasticSpec, geocoder: Geocoder
) -> None:
    got, bodies = run(spec, geocoder, "blue")
    found = [(s.type, s.label) for s in got]
    assert found[0] == ("insurance", "Blue Cross Blue Shield")
    assert ("city", "Blue Springs, MO") in found
    assert ("therapist", "Ana Bluestone, LCSW") in found
    assert ("article", "Blue Monday") in found
    bcbs = next(s for s in got if s.type == "insurance" and s.value == "bcbs")
    assert bcbs.target == "/therapists/search?insurance=bcbs"
    # the requests are the golden-tested builders' bodies: no new request for plans
    assert ("therapists", names_body("blue", 8)) in bodies
    assert ("articles", titles_body("blue", 8)) in bodies


def test_span_suggests_the_spanish_language(spec: ElasticSpec, geocoder: Geocoder) -> None:
    got, _ = run(spec, geocoder, "span")
    assert (got[0].type, got[0].value, got[0].target) == (
        "language",
        "spanish",
        "/therapists/search?languages=spanish",
    )
