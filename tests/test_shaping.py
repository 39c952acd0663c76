"""What both engines share about hits (search_core.result_parts: nearest office, facet buckets;
search_core.query_rules: article search fields, the recent-comments limit, the
no-searchable-words warning) and the preview of an article hit (search_core.article_searching)."""

from __future__ import annotations

import pytest

from search_core.article_searching import HIT_BODY_CHARS, preview
from search_core.errors import InvalidQuery
from search_core.geo import distance_km
from search_core.queries import GeoFilter
from search_core.query_rules import (
    MAX_RECENT_COMMENTS,
    NO_SEARCHABLE_WORDS,
    check_recent_size,
    search_fields,
    text_warnings,
)
from search_core.result_parts import facet_buckets, nearest_office
from search_core.tuning import Tuning
from search_core.units import KM_PER_MILE
from tests.elastic.cases import PORTLAND, sample_article, sample_therapist


def test_nearest_office_picks_the_closest_and_reports_it_in_the_unit() -> None:
    t = sample_therapist()
    point = t.offices[0].location.model_copy(update={"lat": 45.0, "lon": -123.0})
    far = t.offices[0].model_copy(update={"id": "o2", "location": point})
    t = t.model_copy(update={"offices": [far, t.offices[0]]})
    mi = nearest_office(t, PORTLAND, "mi")
    km = nearest_office(t, PORTLAND, "km")
    assert mi is not None and km is not None and mi.office.id == km.office.id == "o1"
    exact = distance_km(PORTLAND.lat, PORTLAND.lon, 45.5152, -122.6467)
    assert km.distance == round(exact, 2)
    assert mi.distance == round(exact / KM_PER_MILE, 2)
    given = nearest_office(t, PORTLAND, "km", km=3.14159)
    assert given is not None and given.distance == 3.14
    inf = nearest_office(t, PORTLAND, "km", km=float("inf"))
    assert inf is not None and inf.distance == km.distance


def test_nearest_office_of_an_online_only_therapist_is_none() -> None:
    online = sample_therapist().model_copy(update={"offices": []})
    assert nearest_office(online, GeoFilter(lat=0, lon=0, radius_km=1), "mi") is None


def test_facet_buckets_keep_chosen_values_and_drop_unknown_ones() -> None:
    buckets = facet_buckets("issues", {"anxiety": 5, "grief-loss": 9, "nonsense": 99}, ["adhd"])
    assert [(b.value, b.count, b.selected) for b in buckets] == [
        ("grief-loss", 9, False),
        ("anxiety", 5, False),
        ("adhd", 0, True),
    ]
    assert all(b.label for b in buckets)


def test_preview_cuts_the_body_and_drops_comments() -> None:
    short = sample_article()
    assert preview(short).body == short.body and preview(short).comments == []
    long = short.model_copy(update={"body": "lorem ipsum " * 80})
    cut = preview(long).body
    assert cut.endswith("…") and len(cut) <= HIT_BODY_CHARS + 1


def test_search_fields_follow_the_selector_and_the_tuning() -> None:
    tuning = Tuning()
    assert search_fields(tuning, "all") == dict(tuning.article_fields)
    assert set(search_fields(tuning, "content")) == {"summary", "body"}
    assert list(search_fields(tuning, "author")) == ["author.name"]


def test_recent_comment_size_limits() -> None:
    check_recent_size(1)
    check_recent_size(MAX_RECENT_COMMENTS)
    for bad in (0, MAX_RECENT_COMMENTS + 1):
        with pytest.raises(InvalidQuery, match=f"between 1 and {MAX_RECENT_COMMENTS}"):
            check_recent_size(bad)


def test_no_searchable_words_warning() -> None:
    assert text_warnings("the of", scored=False) == [NO_SEARCHABLE_WORDS]
    assert text_warnings("anxiety", scored=True) == []
    assert text_warnings(None, scored=False) == []
