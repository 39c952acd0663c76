"""The therapist search body, part by part: the same semantics as the embedded engine."""

from __future__ import annotations

import math
from typing import Any

import pytest

from search_core.elastic import geo_script
from search_core.elastic.therapist_query import (
    facet_aggregations,
    search_body,
    skip_body,
)
from search_core.errors import InvalidQuery
from search_core.paging import Cursor
from search_core.queries import FACETS, TherapistFilters, TherapistQuery
from search_core.tuning import Tuning
from tests.elastic.cases import FACETED, PORTLAND, TODAY

Body = dict[str, Any]


def body(
    q: TherapistQuery, tuning: Tuning, analyzers: dict[str, dict[str, str]], **kw: Any
) -> Body:
    return search_body(q, tuning, analyzers["therapists"], TODAY, **kw)


def _function_scores(query: Body) -> list[Body]:
    out = []
    while "function_score" in query:
        out.append(query["function_score"])
        query = query["function_score"]["query"]
    return out


def test_facet_filters_go_to_post_filter_others_to_query(
    tuning: Tuning, analyzers: dict[str, dict[str, str]]
) -> None:
    b = body(TherapistQuery(filters=FACETED), tuning, analyzers)
    post = b["post_filter"]["bool"]["filter"]
    assert post == [
        {"terms": {"issues": ["anxiety", "grief-loss"]}},
        {"terms": {"languages": ["spanish"]}},
    ]
    inner = _function_scores(b["query"])[-1]["query"]["bool"]["filter"]
    assert {"range": {"fee_min": {"lte": 150}}} in inner
    assert {"term": {"licensed_states": {"value": "OR"}}} in inner
    assert {"term": {"accepting_new_clients": {"value": True}}} in inner
    assert not any("terms" in f for f in inner)


def test_each_facet_counts_without_its_own_filter() -> None:
    aggs = facet_aggregations(FACETED)
    assert list(aggs) == list(FACETS)
    assert aggs["issues"]["filter"] == {"bool": {"filter": [{"terms": {"languages": ["spanish"]}}]}}
    assert aggs["languages"]["filter"] == {
        "bool": {"filter": [{"terms": {"issues": ["anxiety", "grief-loss"]}}]}
    }
    both = {
        "bool": {
            "filter": [
                {"terms": {"issues": ["anxiety", "grief-loss"]}},
                {"terms": {"languages": ["spanish"]}},
            ]
        }
    }
    assert aggs["gender"]["filter"] == both
    assert aggs["gender"]["aggregations"]["values"]["terms"]["field"] == "gender"
    assert facet_aggregations(TherapistFilters())["issues"]["filter"] == {"match_all": {}}


def test_without_facets_every_filter_is_in_the_query(
    tuning: Tuning, analyzers: dict[str, dict[str, str]]
) -> None:
    b = body(TherapistQuery(filters=FACETED, facets=False, sort="recent"), tuning, analyzers)
    assert "post_filter" not in b and "aggregations" not in b
    assert {"terms": {"issues": ["anxiety", "grief-loss"]}} in b["query"]["bool"]["filter"]


def test_area_is_an_exact_check_behind_a_wider_geo_distance(
    tuning: Tuning, analyzers: dict[str, dict[str, str]]
) -> None:
    b = body(TherapistQuery(near=PORTLAND, sort="distance"), tuning, analyzers)
    nested = b["query"]["bool"]["filter"][0]["nested"]
    assert nested["path"] == "offices"
    geo, script = nested["query"]["bool"]["filter"]
    km = float(geo["geo_distance"]["distance"].removesuffix("km"))
    assert km == pytest.approx(PORTLAND.radius_km * 1.01 + 0.01, abs=1e-6)
    assert script["script"]["script"]["source"] == geo_script.WITHIN_SCRIPT
    assert script["script"]["script"]["params"]["radius_km"] == PORTLAND.radius_km


@pytest.mark.parametrize(
    ("sort", "first"),
    [("relevance", "_score"), ("recent", "last_confirmed"), ("distance", "_script")],
)
def test_sort_then_id(
    sort: str, first: str, tuning: Tuning, analyzers: dict[str, dict[str, str]]
) -> None:
    b = body(TherapistQuery(near=PORTLAND, sort=sort), tuning, analyzers)
    assert list(b["sort"][0]) == [first]
    assert b["sort"][1] == {"id": {"order": "asc"}}


def test_relevance_blend_multiplies_like_the_embedded_engine(
    tuning: Tuning, analyzers: dict[str, dict[str, str]]
) -> None:
    b = body(TherapistQuery(text="grief", near=PORTLAND), tuning, analyzers)
    accepting, freshness, distance = _function_scores(b["query"])
    assert accepting["functions"] == [
        {
            "filter": {"term": {"accepting_new_clients": {"value": True}}},
            "weight": tuning.accepting_new_clients_boost,
        }
    ]
    assert (accepting["score_mode"], accepting["boost_mode"]) == ("multiply", "multiply")
    f = tuning.freshness
    assert freshness["functions"][0] == {"weight": pytest.approx(1 - f.weight)}
    assert freshness["functions"][1]["weight"] == f.weight
    assert freshness["functions"][1]["gauss"]["last_confirmed"] == {
        "origin": TODAY.isoformat(),
        "scale": "365d",
        "offset": "30d",
        "decay": f.decay,
    }
    assert (freshness["score_mode"], freshness["boost_mode"]) == ("sum", "multiply")
    gauss = distance["functions"][-1]["gauss"]
    assert gauss["multi_value_mode"] == "min"
    assert gauss["offices.location"]["scale"] == "15km"
    assert len(distance["functions"]) == 1  # weight 1: the whole decay, no constant part


def test_blend_weights_zero_or_one(tuning: Tuning, analyzers: dict[str, dict[str, str]]) -> None:
    flat = tuning.model_copy(
        update={
            "distance": tuning.distance.model_copy(update={"weight": 0.0}),
            "freshness": tuning.freshness.model_copy(update={"weight": 0.0}),
            "accepting_new_clients_boost": 1.0,
        }
    )
    b = body(TherapistQuery(text="grief", near=PORTLAND), flat, analyzers)
    assert "function_score" not in b["query"]


def test_fractional_days_are_seconds(tuning: Tuning, analyzers: dict[str, dict[str, str]]) -> None:
    odd = tuning.model_copy(
        update={"freshness": tuning.freshness.model_copy(update={"scale_days": 0.5})}
    )
    b = body(TherapistQuery(), odd, analyzers)
    gauss = _function_scores(b["query"])[1]["functions"][1]["gauss"]["last_confirmed"]
    assert gauss["scale"] == "43200s"


def test_no_text_scores_one_and_has_no_highlight(
    tuning: Tuning, analyzers: dict[str, dict[str, str]]
) -> None:
    b = body(TherapistQuery(sort="recent"), tuning, analyzers)
    assert b["query"]["bool"]["must"] == [{"match_all": {}}]
    assert "highlight" not in b and "track_scores" not in b


def test_text_with_other_sort_tracks_scores(
    tuning: Tuning, analyzers: dict[str, dict[str, str]]
) -> None:
    b = body(TherapistQuery(text="grief", sort="recent"), tuning, analyzers)
    assert b["track_scores"] is True
    assert b["highlight"]["highlight_query"] == b["query"]["bool"]["must"][0]
    assert b["highlight"]["pre_tags"] == ["<mark>"] and b["highlight"]["encoder"] == "html"


def test_page_by_offset_or_after(tuning: Tuning, analyzers: dict[str, dict[str, str]]) -> None:
    plain = body(TherapistQuery(offset=20, size=10), tuning, analyzers)
    assert (plain["from"], plain["size"]) == (20, 10) and "search_after" not in plain
    q = TherapistQuery(offset=2000, size=10, cursor=Cursor(2000, (1.5, "t0000007")))
    deep = body(q, tuning, analyzers, after=(1.5, "t0000007"))
    assert deep["search_after"] == [1.5, "t0000007"] and "from" not in deep


@pytest.mark.parametrize("after", [(1.5,), ("t1", 1.5), (True, "t1"), (1.5, "t1", 2)])
def test_foreign_sort_values_are_refused(
    after: tuple[Any, ...], tuning: Tuning, analyzers: dict[str, dict[str, str]]
) -> None:
    with pytest.raises(InvalidQuery, match="cursor"):
        body(TherapistQuery(), tuning, analyzers, after=after)


def test_skip_body_walks_lean(tuning: Tuning, analyzers: dict[str, dict[str, str]]) -> None:
    full = body(TherapistQuery(text="grief", filters=FACETED), tuning, analyzers)
    lean = skip_body(full, 1000, None)
    assert lean["_source"] is False and lean["track_total_hits"] is False
    assert lean["post_filter"] == full["post_filter"] and lean["sort"] == full["sort"]
    assert "aggregations" not in lean and "highlight" not in lean and "from" not in lean


def test_script_radius_is_wide_enough_everywhere() -> None:
    """The widened ``geo_distance`` (a sphere) never drops an office the exact check keeps."""
    import random

    rng = random.Random(7)
    r = 6371.0088  # Elasticsearch's mean Earth radius (km)
    for _ in range(20_000):
        lat1, lon1 = rng.uniform(-89, 89), rng.uniform(-180, 180)
        lat2 = max(-90.0, min(90.0, lat1 + rng.uniform(-5, 5)))
        lon2 = lon1 + rng.uniform(-5, 5)
        p1, p2 = math.radians(lat1), math.radians(lat2)
        h = (
            math.sin((p2 - p1) / 2) ** 2
            + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
        )
        sphere = 2 * r * math.asin(math.sqrt(h))
        exact = geo_script.reference_distance_km(geo_script.script_params(lat1, lon1), lat2, lon2)
        assert sphere <= exact * geo_script.SPHERE_MARGIN + geo_script.SPHERE_MARGIN_KM


def test_pages_of_one_query_share_a_preference() -> None:
    from search_core.elastic.routing import preference

    first = TherapistQuery(text="grief", offset=0)
    later = TherapistQuery(text="grief", offset=1000, cursor=Cursor(1000, (1.0, "t1")))
    assert preference(first) == preference(later)
    assert preference(first) != preference(TherapistQuery(text="anxiety"))
