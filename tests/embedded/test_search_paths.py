"""The two ways the embedded engine answers a location search give the same page and facets.

Location searches on a version with facet masks run in one Tantivy pass (geo cells + text + the
non-facet filters) and do the radius, the facet filters and the facet counts in numpy; a version
without them (built before the masks existed, or with another vocabulary layout) falls back to
the area term set and one Tantivy aggregation per facet. Both are run here on the same real
index, over queries that exercise every part: text, several facet filters, flags, fee, sorts,
and a page past the first.
"""

from __future__ import annotations

import dataclasses

import pytest

from search_core.embedded.backend import EmbeddedBackend
from search_core.embedded.therapist_search import EmbeddedTherapistSearch
from search_core.queries import GeoFilter, TherapistFilters, TherapistQuery
from search_core.settings import Settings

PORTLAND = GeoFilter(lat=45.5152, lon=-122.6784, radius_km=40.0)
NEW_YORK = GeoFilter(lat=40.7128, lon=-74.0060, radius_km=25.0)
CASES = [
    TherapistQuery(text="anxiety", near=PORTLAND),
    TherapistQuery(text="couples counseling", near=NEW_YORK, sort="relevance"),
    TherapistQuery(
        text="trauma",
        near=NEW_YORK,
        filters=TherapistFilters(insurance=["aetna", "cigna"], gender=["female"]),
    ),
    TherapistQuery(
        near=PORTLAND,
        sort="distance",
        filters=TherapistFilters(issues=["depression"], telehealth=True, max_fee=200),
    ),
    TherapistQuery(near=NEW_YORK, sort="distance", offset=10, size=20),
    TherapistQuery(
        text="depression",
        near=NEW_YORK,
        sort="recent",
        filters=TherapistFilters(languages=["spanish"], age_groups=["adults", "teens"]),
    ),
    TherapistQuery(text="no such words anywhere", near=PORTLAND),
]


@pytest.fixture(scope="module")
def backend(small_index: Settings) -> EmbeddedBackend:
    return EmbeddedBackend(small_index)


@pytest.mark.parametrize("query", CASES, ids=lambda q: f"{q.text}-{q.sort}")
def test_mask_path_equals_aggregation_path(backend: EmbeddedBackend, query: TherapistQuery) -> None:
    opened = backend.reader.get("therapists")
    assert opened.masks, "a fresh build records its facet masks"
    fast = EmbeddedTherapistSearch(opened, backend.tuning).search(query)
    slow = EmbeddedTherapistSearch(dataclasses.replace(opened, masks=False), backend.tuning).search(
        query
    )
    assert fast.total == slow.total
    assert [h.therapist.id for h in fast.items] == [h.therapist.id for h in slow.items]
    assert [h.score for h in fast.items] == [h.score for h in slow.items]
    assert [h.nearest_office for h in fast.items] == [h.nearest_office for h in slow.items]
    assert fast.facets == slow.facets
    if query.text == "anxiety":
        assert fast.total > 10 and any(b.count for b in fast.facets["issues"])
