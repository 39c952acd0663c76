"""A therapist search keeps one shape from the front door to the engine query: the caller's
:class:`TherapistSearch` (immutable, checked when it is made), of which reading the text and
every relaxation step are copies, each searched step becoming the engine's query."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from search_core.errors import InvalidQuery
from search_core.locating import PlaceRequest
from search_core.queries import GeoFilter, OnlineAlso, TherapistFilters
from search_core.search_request import TherapistSearch, query_of
from search_core.understanding import plan_request

NEAR = GeoFilter(lat=30.27, lon=-97.74, radius_km=40.0, label="Austin, TX")


def _search() -> TherapistSearch:
    return TherapistSearch(
        text="friendly",
        filters=TherapistFilters(languages=["spanish"], issues=["anxiety"]),
        place=PlaceRequest(city="Austin, TX"),
        sort="recent",
        offset=10,
        size=5,
        facets=False,
        highlight=False,
        online_in_state=False,
    ).model_copy(update={"near": NEAR})


def test_every_step_is_a_copy_of_the_search() -> None:
    search = _search()
    steps = plan_request(search.filters, search.near, search.text, state="TX", start=search)
    assert {s.kind for s in steps} >= {"drop_text", "widen_radius", "drop_filter"}
    for step in steps:
        req = step.request
        assert isinstance(req, TherapistSearch)
        kept = ("place", "sort", "offset", "size", "facets", "highlight", "online_in_state")
        assert all(getattr(req, f) == getattr(search, f) for f in kept), step.kind
    assert steps[-1].request.filters.languages == []
    assert search.filters.languages == ["spanish"], "the search itself is never changed"


def test_the_engine_query_of_a_step() -> None:
    step = plan_request(_search().filters, NEAR, "friendly", state="TX", start=_search())[0].request
    assert isinstance(step, TherapistSearch)
    q = query_of(step, OnlineAlso(state="TX", text=step.text))
    assert (q.text, q.near, q.sort, q.offset, q.size) == (None, NEAR, "recent", 10, 5)
    assert q.online is not None and q.online.state == "TX"
    with pytest.raises(InvalidQuery, match="sort=distance needs a location"):
        query_of(TherapistSearch(sort="distance"))


def test_a_search_is_immutable_and_checked_once_made() -> None:
    search = _search()
    with pytest.raises(ValidationError):
        search.size = 20  # type: ignore[misc]
    with pytest.raises(ValidationError, match="sort"):
        TherapistSearch(sort="nearest")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="Extra inputs"):
        TherapistSearch(txt="anxiety")  # type: ignore[call-arg]
