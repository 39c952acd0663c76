from __future__ import annotations

from typing import Any

import pytest

from search_core.queries import GeoFilter
from search_core.relevance.needs import Aspect, Need
from search_core.relevance.rules import author_name, grade_article, grade_therapist

PORTLAND = GeoFilter(lat=45.5234, lon=-122.6762, radius_km=40.0)


def _t(**kw: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": "t1",
        "name": "Ann Lee",
        "issues": ["depression", "grief-loss", "stress", "anxiety"],
        "therapy_types": ["cbt"],
        "age_groups": ["adults"],
        "languages": ["english"],
        "populations": [],
        "telehealth": True,
        "offices": [{"location": {"lat": 45.52, "lon": -122.68}}],
    }
    return doc | kw


def _need(*aspects: Aspect, **kw: Any) -> Need:
    return Need(aspects=list(aspects), **kw)


def test_every_aspect_strongly_met_is_3_and_weakly_is_2() -> None:
    assert grade_therapist(_need(Aspect(any=["issues:grief-loss"])), _t(), None)[0] == 3
    # anxiety is the 4th issue: not one of the named specialties
    grade, why = grade_therapist(_need(Aspect(any=["issues:anxiety"])), _t(), None)
    assert grade == 2 and "not top 3" in why


def test_some_aspects_met_is_1_unless_a_hard_one_is_missing() -> None:
    need = _need(Aspect(any=["issues:grief-loss"]), Aspect(any=["age_groups:teens"]))
    assert grade_therapist(need, _t(), None)[0] == 1
    hard = _need(Aspect(any=["issues:grief-loss"]), Aspect(any=["languages:spanish"], hard=True))
    grade, why = grade_therapist(hard, _t(), None)
    assert grade == 0 and "a must" in why


def test_related_conditions_give_1() -> None:
    need = _need(Aspect(any=["issues:panic"]), related=["issues:stress"])
    assert grade_therapist(need, _t(), None)[0] == 1
    assert grade_therapist(_need(Aspect(any=["issues:panic"])), _t(), None)[0] == 0


def test_flags_and_single_facets() -> None:
    assert grade_therapist(_need(Aspect(any=["telehealth:true"])), _t(), None)[0] == 3
    assert grade_therapist(_need(Aspect(any=["telehealth:false"])), _t(), None)[0] == 0
    need = _need(Aspect(any=["profession:psychologist"]))
    assert grade_therapist(need, _t(profession="psychologist"), None)[0] == 3


def test_distance_caps_and_excludes() -> None:
    need = _need(Aspect(any=["issues:grief-loss"]))
    assert grade_therapist(need, _t(), PORTLAND)[0] == 3
    # about 22 km away: at most 2; about 36 km: at most 1; beyond the radius: 0
    for lat, grade in ((45.72, 2), (45.85, 1), (46.2, 0)):
        office = [{"location": {"lat": lat, "lon": -122.68}}]
        assert grade_therapist(need, _t(offices=office), PORTLAND)[0] == grade
    assert grade_therapist(need, _t(offices=[]), PORTLAND) == (
        0,
        "no office (online only): outside the area",
    )


def test_location_only_grades_by_distance() -> None:
    near = _t(offices=[{"location": {"lat": 45.53, "lon": -122.68}}])
    assert grade_therapist(Need(), near, PORTLAND)[0] == 3
    mid = _t(offices=[{"location": {"lat": 45.62, "lon": -122.68}}])
    assert grade_therapist(Need(), mid, PORTLAND)[0] == 2


def test_names() -> None:
    need = Need(name="Ann Lee")
    assert grade_therapist(need, _t(name="Ann B. Lee"), None)[0] == 3
    assert grade_therapist(need, _t(name="Bo Lee"), None)[0] == 1
    assert grade_therapist(need, _t(name="Ann Smith"), None)[0] == 0


def test_articles() -> None:
    doc = {"id": "a1", "topics": ["grief-loss", "parenting"], "author": {"name": "Ann Lee, LCSW"}}
    assert author_name(doc) == "Ann Lee"
    assert grade_article(Need(topics=["grief-loss"]), doc)[0] == 3
    assert grade_article(Need(topics=["parenting"]), doc)[0] == 2
    assert grade_article(Need(related_topics=["parenting"]), doc)[0] == 1
    assert grade_article(Need(author="ann lee"), doc)[0] == 3
    assert grade_article(Need(article="a1"), doc) == (3, "the article named")
    assert grade_article(Need(topics=["adhd"]), doc)[0] == 0


def test_a_state_need_takes_an_office_there_or_online_with_a_licence() -> None:
    office_or = [{"state": "OR", "location": {"lat": 45.52, "lon": -122.68}}]
    here = _t(offices=office_or, licensed_states=["OR"])
    online = _t(offices=[], licensed_states=["OR", "WA"], telehealth=True)
    offline = _t(offices=[], licensed_states=["OR"], telehealth=False)
    only = Need(state="OR")
    assert grade_therapist(only, here, None) == (3, "office in OR")
    assert grade_therapist(only, online, None) == (2, "online in OR")
    assert grade_therapist(only, offline, None)[0] == 0
    assert grade_therapist(Need(state="TX"), here, None)[0] == 0
    grief = _need(Aspect(any=["issues:grief-loss"]), state="OR")
    assert grade_therapist(grief, here, None)[0] == 3
    grade, why = grade_therapist(grief, online, None)
    assert grade == 2 and "online only" in why
    assert grade_therapist(_need(Aspect(any=["issues:ocd"]), state="OR"), here, None)[0] == 0


def test_credentials_and_price_conditions() -> None:
    lcsw = _need(Aspect(any=["credentials:LCSW"], hard=True))
    assert grade_therapist(lcsw, _t(credentials=["LCSW"]), None)[0] == 3
    assert grade_therapist(lcsw, _t(credentials=["PhD"]), None)[0] == 0
    cheap = _need(Aspect(any=["max_fee:100"], hard=True))
    assert grade_therapist(cheap, _t(fee_min=100), None)[0] == 3
    assert grade_therapist(cheap, _t(fee_min=140), None)[0] == 0
    assert grade_therapist(cheap, _t(), None)[0] == 0  # no fee known: not shown to be cheap


def test_bad_conditions_and_states_are_refused() -> None:
    for bad in ("credentials:XYZ", "max_fee:cheap", "max_fee:0"):
        with pytest.raises(ValueError):
            Aspect(any=[bad])
    with pytest.raises(ValueError):
        Need(state="ZZ")
