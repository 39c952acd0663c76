"""The search box on Elasticsearch: every engine request the use case makes for what people
type (understood, online listing, relaxation steps) becomes a body Elastic's spec accepts.

The use case runs for real on the embedded index built from the fixtures; each typed query it
hands the engine is recorded and rendered as the Elasticsearch engine renders it."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest

from search_core.elastic import queries as esq
from search_core.elastic.multi_search import msearch_body
from search_core.embedded.backend import EmbeddedBackend
from search_core.geocode import Geocoder
from search_core.locating import PlaceRequest
from search_core.online_plan import listing
from search_core.queries import TherapistFilters, TherapistQuery
from search_core.results import SearchPage, TherapistHit, TherapistPage
from search_core.searching import TherapistSearch, search_therapists
from search_core.settings import Settings
from search_core.tuning import Tuning
from tests.es_spec import ElasticSpec


class Recording:
    """The embedded backend, keeping every plain therapist query it runs (a query with the
    online list is the plain searches of its plan, each rendered on its own; a cluster sends
    a round of them as one ``_msearch``)."""

    name = "embedded"

    def __init__(self, backend: EmbeddedBackend) -> None:
        self.backend = backend
        self.asked: list[TherapistQuery] = []
        self.calls = 0
        """The use case's calls of the engine."""
        self.pages: list[tuple[int, TherapistPage]] = []
        """Each search's page, and the engine calls it took."""
        self.rounds: list[list[TherapistQuery]] = []
        """The rounds of more than one search (each one ``_msearch`` on a cluster)."""

    async def search_therapists(
        self, q: TherapistQuery, unit: str = "mi", tuning: Tuning | None = None
    ) -> SearchPage[TherapistHit]:
        self.calls += 1
        plan = listing(q, unit)  # type: ignore[arg-type]
        try:
            asked = next(plan)
            while True:
                if len(asked) > 1:
                    self.rounds.append(asked)
                asked = plan.send([self._plain(p, unit, tuning) for p in asked])
        except StopIteration as done:
            page: SearchPage[TherapistHit] = done.value
            return page

    def _plain(
        self, q: TherapistQuery, unit: str, tuning: Tuning | None
    ) -> SearchPage[TherapistHit]:
        assert q.online is None
        self.asked.append(q)
        return self.backend.core.search_therapists(q, unit, tuning)


SEARCHES = [
    TherapistSearch(text="female therapist for anxeity portland"),
    TherapistSearch(text="therapist who takes aetna in seattle"),
    TherapistSearch(text="spanish speaking couples therapist austin"),
    TherapistSearch(text="teen cutting herself"),
    TherapistSearch(text="teen acting out herself"),
    TherapistSearch(text="i want to kill myself portland"),
    TherapistSearch(text="quiero morir", place=PlaceRequest(zip="77002")),
    TherapistSearch(text="cheap online therapist in texas"),
    TherapistSearch(text="anxiety", place=PlaceRequest(zip="59801", radius=10)),
    TherapistSearch(text="anxiety therapist portland zxqvw", sort="distance"),
    TherapistSearch(text="grief", filters=TherapistFilters(languages=["somali"])),
    TherapistSearch(text="anxiety near me", place=PlaceRequest(lat=45.52, lon=-122.68)),
    TherapistSearch(
        text="hebrew speaking play therapy for toddlers with autism near boston",
        online_in_state=False,
    ),
    TherapistSearch(text="perkins xylophone"),
]


@pytest.fixture(scope="module")
def recording(small_index: Settings) -> Recording:
    backend = EmbeddedBackend(small_index)
    geo = Geocoder.from_locations(backend.core.location_records())
    spy = Recording(backend)

    async def geocoder() -> Geocoder:
        return geo

    async def run_all() -> None:
        for s in SEARCHES:
            before = spy.calls
            page = await search_therapists(spy, s, geocoder)  # type: ignore[arg-type]
            spy.pages.append((spy.calls - before, page))

    asyncio.run(run_all())
    return spy


@pytest.fixture(scope="module")
def recorded(recording: Recording) -> list[TherapistQuery]:
    return recording.asked


def test_the_search_box_makes_every_kind_of_request(recorded: list[TherapistQuery]) -> None:
    assert len(recorded) > len(SEARCHES), "online lists and relaxation steps ask more"
    assert any(q.filters.telehealth and q.filters.licensed_in for q in recorded)
    assert any(q.sort == "recent" and q.size == 1 for q in recorded), "the online counts"
    assert any(q.near is not None and q.near.radius_km > 100 for q in recorded), "widened"
    assert any(q.text is None and q.filters.issues for q in recorded), "words dropped"
    assert any(q.text_match == "any" for q in recorded), "any of the words"
    crisis = [q for q in recorded if q.filters.issues == ["suicidal-thoughts"]]
    assert crisis and all(q.text is None for q in crisis), "no crisis word is searched as text"


def test_every_request_is_a_valid_elasticsearch_body(
    recorded: list[TherapistQuery],
    tuning: Tuning,
    analyzers: dict[str, dict[str, str]],
    spec: ElasticSpec,
) -> None:
    today = dt.date(2026, 12, 1)
    for q in recorded:
        body: Any = esq.therapist_search_body(q, tuning, analyzers["therapists"], today)
        spec.validate_request("post", "/{index}/_search", body)


def test_the_online_list_is_asked_in_one_msearch_per_round(
    recording: Recording,
    tuning: Tuning,
    analyzers: dict[str, dict[str, str]],
    spec: ElasticSpec,
) -> None:
    """The online list's two counts and its first hits go to the cluster together, as one
    ``_msearch`` body the spec accepts."""
    assert recording.rounds, "some search lists online therapists"
    today = dt.date(2026, 12, 1)
    for asked in recording.rounds:
        counts = [q for q in asked if q.sort == "recent" and q.size == 1]
        assert len(counts) == 2 and counts[0].near is None and counts[1].near is not None
        body = msearch_body("therapists", asked, tuning, analyzers["therapists"], today)
        assert len(body) == 2 * len(asked)
        spec.validate_request("post", "/_msearch", body)


def test_a_search_page_is_one_engine_call(recording: Recording) -> None:
    """The in-person page, the online list's counts and hits and the facets of both come from
    one engine call; only a relaxed search (an empty page first) asks again."""
    online = [calls for calls, page in recording.pages if page.total_online > 0]
    assert online, "some search lists online therapists"
    for calls, page in recording.pages:
        if page.relaxed is None or page.relaxed.steps == ["add_telehealth_in_state"]:
            assert calls == 1, page.model_dump(include={"total", "total_online", "relaxed"})
        else:
            assert calls > 1
