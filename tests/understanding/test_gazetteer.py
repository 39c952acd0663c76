"""The names people use for places (issue 28): boroughs, local names of ZIP codes, counties,
nicknames; ambiguous names by population and by the state typed; a bare state name is the
state. Checked against the geocoder's own records and the shipped ZIP data."""

from __future__ import annotations

import gzip

import pytest

from fixtures.place_names import OUT, build
from search_core.geo import distance_km
from search_core.geocode import Geocoder
from search_core.understanding import Understander


@pytest.mark.parametrize(
    ("typed", "city", "within_km"),
    [
        ("anxiety therapist manhattan", "New York, NY", 15),
        ("nyc couples counselor", "New York, NY", 1),
        ("therapist in philly", "Philadelphia, PA", 1),
        ("grief counselor queens", "New York, NY", 25),
        ("hollywood therapist", "Los Angeles, CA", 20),
        ("bay area anxiety", "San Francisco, CA", 1),
        ("kings county depression", "Brooklyn, NY", 5),
        ("sf", "San Francisco, CA", 1),
    ],
)  # fmt: skip
def test_names_people_use_are_places(
    u: Understander, geocoder: Geocoder, typed: str, city: str, within_km: float
) -> None:
    r = u.understand(typed)
    assert r.near is not None, typed
    c = geocoder.resolve(city)
    assert distance_km(r.near.lat, r.near.lon, c.lat, c.lon) <= within_km, r.place
    assert r.text is None


def test_a_big_citys_part_beats_a_small_town_of_that_name(u: Understander) -> None:
    r = u.understand("manhattan")
    assert r.place is not None and r.place.state == "NY"
    assert any("Manhattan, KS" in n for n in r.notes), "the other reading is offered"


def test_the_state_typed_decides(u: Understander) -> None:
    r = u.understand("orange county fl")
    assert r.place is not None and r.place.state == "FL"
    r = u.understand("orange county")
    assert r.place is not None and r.place.state == "CA"
    assert any("Orange County, FL" in n for n in r.notes)


def test_local_names_need_a_place_word_unless_they_are_big(u: Understander) -> None:
    assert u.understand("parker").place is None, "a surname, not Parker, TX"
    assert u.understand("dr hollywood").place is None, "after a title: a name"
    r = u.understand("anxiety therapist in parker tx")
    assert r.place is not None and r.place.state == "TX"
    assert u.understand("la").place is None and u.understand("in la").place is not None


def test_the_shipped_file_is_what_the_builder_writes() -> None:
    with gzip.open(OUT, "rt", encoding="utf-8") as f:
        shipped = f.read()
    rows = build()
    assert shipped == "\n".join("\t".join(str(v) for v in r) for r in rows) + "\n", (
        "run python -m fixtures.place_names"
    )
