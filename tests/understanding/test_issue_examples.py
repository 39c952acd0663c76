"""Every row of the table in issue 16, understood on the real fixtures, and each finding
therapists in the committed data (checked by the tests' own reading of the filters)."""

from __future__ import annotations

import pytest

from search_core.documents import Therapist
from search_core.geocode import Geocoder
from search_core.queries import GeoFilter, TherapistFilters
from search_core.understanding import Understander, plan
from tests.understanding.conftest import hits, satisfies


def test_female_therapist_for_depression_chicago(
    u: Understander, therapists: list[Therapist]
) -> None:
    r = u.understand("female therapist for depression chicago")
    assert r.filters.gender == ["female"] and r.filters.issues == ["depression"]
    assert r.place is not None and r.place.label == "Chicago, IL"
    assert r.text is None
    assert hits(therapists, r)


def test_therapist_who_takes_aetna_in_seattle(u: Understander, therapists: list[Therapist]) -> None:
    r = u.understand("therapist who takes aetna in seattle")
    assert r.filters.insurance == ["aetna"]
    assert r.near is not None and r.near.label == "Seattle, WA"
    assert r.text is None
    assert hits(therapists, r)


@pytest.mark.parametrize("word", ["child", "kids", "children", "kid"])
def test_child_adhd_boston(u: Understander, therapists: list[Therapist], word: str) -> None:
    r = u.understand(f"{word} adhd boston")
    assert r.filters.age_groups == ["children"] and r.filters.issues == ["adhd"]
    assert r.place is not None and r.place.label == "Boston, MA"
    assert any("largest of" in n for n in r.notes)
    assert hits(therapists, r)


def test_zip_in_the_middle(u: Understander, therapists: list[Therapist]) -> None:
    r = u.understand("anxiety 97214 therapist")
    assert r.place is not None and r.place.kind == "zip"
    assert r.filters.issues == ["anxiety"] and r.text is None
    assert [p.filter for p in r.pieces if p.kind == "place"] == [{"zip": "97214"}]
    assert hits(therapists, r)


def test_anxeity_therapist_portland(u: Understander, therapists: list[Therapist]) -> None:
    r = u.understand("anxeity therapist portland")
    assert r.filters.issues == ["anxiety"]
    assert r.corrected_query == "anxiety therapist portland"
    assert [(c.typed, c.corrected) for c in r.corrections] == [("anxeity", "anxiety")]
    assert r.pieces[0].corrected_from == "anxeity"
    assert r.notes[0].startswith('Showing results for "anxiety therapist portland"')
    assert hits(therapists, r)


def test_depresion(u: Understander, therapists: list[Therapist]) -> None:
    r = u.understand("depresion")
    assert r.filters.issues == ["depression"] and r.corrected_query == "depression"
    assert hits(therapists, r)


def test_missoula_within_10_mi_with_telehealth_adds_montana_online(
    u: Understander, geocoder: Geocoder, therapists: list[Therapist]
) -> None:
    """zip=59801&radius=10&telehealth=true: the planner's telehealth step finds the therapists
    licensed in Montana who see clients online, not only the offices within 10 mi."""
    place = geocoder.zip("59801")
    near = GeoFilter(lat=place.lat, lon=place.lon, radius_km=16.09, label=place.label)
    r = u.understand("", explicit_filters=TherapistFilters(telehealth=True), explicit_near=near)
    assert r.near == near and r.filters.telehealth is True
    in_office = hits(therapists, r)
    steps = plan(r, state=place.state)
    tele = next(s for s in steps if s.kind == "add_telehealth_in_state")
    assert tele.request.telehealth_state == "MT"
    online = [
        t for t in therapists
        if satisfies(t, tele.request.filters, None) and "MT" in t.licensed_states
    ]  # fmt: skip
    assert len(online) > len(in_office)
