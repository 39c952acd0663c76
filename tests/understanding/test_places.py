"""Places anywhere in the text, read with the real offline Geocoder of the small fixtures."""

from __future__ import annotations

import pytest

from search_core.geocode import Geocoder
from search_core.queries import GeoFilter
from search_core.understanding import Understander
from search_core.units import KM_PER_MILE


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("97214", "97214 (Portland, OR)"),
        ("anxiety 97214-1234 therapist", "97214 (Portland, OR)"),
        ("Portland, OR grief", "Portland, OR"),
        ("grief portland or", "Portland, OR"),
        ("ptsd Portland Oregon emdr", "Portland, OR"),
        ("Portland, ME couples", "Portland, ME"),
        ("salem oregon", "Salem, OR"),
        ("therapist in Kansas City MO", "Kansas City, MO"),
        ("kansas city, kansas", "Kansas City, KS"),
        ("denver", "Denver, CO"),
        ("teen therapist near atlanta", "Atlanta, GA"),
        ("St. Louis anxiety", "Saint Louis, MO"),
        ("saint louis", "Saint Louis, MO"),
        ("new york", "New York, NY"),
        ("los angeles spanish speaking", "Los Angeles, CA"),
    ],
)
def test_city_and_zip_anywhere(u: Understander, typed: str, label: str) -> None:
    r = u.understand(typed)
    assert r.place is not None and r.place.label == label
    assert r.near is not None and r.near.label == label
    assert r.near.radius_km == pytest.approx(25 * KM_PER_MILE)


@pytest.mark.parametrize(
    ("typed", "state"),
    [
        ("therapists in texas", "TX"),
        ("TX therapist", "TX"),
        ("anxiety in tx", "TX"),
        ("north carolina trauma", "NC"),
        ("New York state", "NY"),
        ("depression West Virginia", "WV"),
        ("in ok", "OK"),
        ("near ME", "ME"),
        ("tx", "TX"),
        ("depression therapist mn", "MN"),
    ],
)
def test_a_state_filters_by_licence_not_by_radius(u: Understander, typed: str, state: str) -> None:
    r = u.understand(typed)
    assert r.place is not None and r.place.kind == "state" and r.place.state == state
    assert r.near is None and r.filters.licensed_in == state
    assert {"licensed_in": state} in [p.filter for p in r.pieces]


@pytest.mark.parametrize(
    "typed",
    [
        "help me or my partner",
        "i am ok",
        "in person therapy",
        "me and my kids",
        "hi",
        "is it normal",
        "la la land",
        "pa",
        "co-parenting",
        "within 5 mi",
        "ms",
    ],
)
def test_short_words_are_not_states(u: Understander, typed: str) -> None:
    r = u.understand(typed)
    assert r.place is None and r.filters.licensed_in is None


def test_a_bare_small_town_is_not_a_place(u: Understander, geocoder: Geocoder) -> None:
    # Dobbs Ferry, NY is in the data but far too small to be taken without its state.
    assert u.understand("dobbs ferry").place is None
    r = u.understand("dobbs ferry ny")
    assert r.place is not None and r.place.label == "Dobbs Ferry, NY"


def test_a_common_word_city_needs_a_marker(u: Understander) -> None:
    assert u.understand("normal anxiety").place is None
    r = u.understand("anxiety in normal il")
    assert r.place is not None and r.place.label == "Normal, IL"


def test_ambiguous_name_takes_the_most_populous_and_says_so(u: Understander) -> None:
    r = u.understand("springfield couples")
    assert r.place is not None and r.place.label == "Springfield, MO"
    assert any(n.startswith("Springfield: took Springfield, MO, the largest of") for n in r.notes)


def test_a_bare_state_name_is_the_state_unless_the_city_is_huge(u: Understander) -> None:
    """Issue 28: state over city for a bare state name, the city offered in a note; "new
    york" stays the city (over a million people)."""
    r = u.understand("washington")
    assert r.place is not None and r.place.kind == "state" and r.filters.licensed_in == "WA"
    assert r.notes == ['washington: took the state Washington; type "Washington, DC" for the city']
    r = u.understand("wyoming")
    assert r.place is not None and r.place.kind == "state" and r.filters.licensed_in == "WY"
    r = u.understand("new york")
    assert r.place is not None and r.place.label == "New York, NY"
    assert u.understand("therapist washington dc").place.label == "Washington, DC"  # type: ignore[union-attr]


def test_near_me_with_and_without_coordinates(u: Understander) -> None:
    r = u.understand("anxiety near me", caller_location=(45.52, -122.68))
    assert r.place is not None and r.place.kind == "near_me"
    assert r.near is not None and (r.near.lat, r.near.lon) == (45.52, -122.68)
    assert r.text is None
    r = u.understand("anxiety near me")
    assert r.place is None and r.near is None and r.filters.issues == ["anxiety"]
    assert any("needs your location" in n for n in r.notes)


def test_unknown_zip_is_left_out_with_a_note(u: Understander) -> None:
    r = u.understand("anxiety 00000")
    assert r.place is None and r.text is None
    assert any("00000" in n for n in r.notes)


def test_within_miles_sets_the_radius(u: Understander) -> None:
    r = u.understand("within 10 miles of 59801")
    assert r.near is not None and r.near.radius_km == pytest.approx(10 * KM_PER_MILE)


def test_only_the_first_place_is_searched(u: Understander) -> None:
    r = u.understand("seattle or portland")
    assert r.place is not None and r.place.label == "Seattle, WA"
    assert any("only one place" in n for n in r.notes)


def test_the_callers_location_wins_over_the_text(u: Understander) -> None:
    near = GeoFilter(lat=47.6, lon=-122.3, radius_km=10, label="Seattle, WA")
    r = u.understand("grief chicago", explicit_near=near)
    assert r.near == near and r.place is not None and r.place.label == "Chicago, IL"
    assert any("the location you chose" in n for n in r.notes)


def test_a_zip_is_never_a_price(u: Understander) -> None:
    r = u.understand("under 97214")
    assert r.filters.max_fee is None and r.place is not None and r.place.kind == "zip"


def test_an_upper_case_operator_is_not_a_state(u: Understander) -> None:
    r = u.understand("anxiety OR depression")
    assert r.place is None
    r = u.understand("trauma therapist OR")
    assert r.place is not None and r.place.state == "OR"


def test_in_or_near_is_not_oregon(u: Understander) -> None:
    r = u.understand("anxiety therapist in or near portland")
    assert r.place is not None and r.place.label == "Portland, OR"
    assert r.filters.licensed_in is None


def test_a_finer_place_in_the_same_state_wins(u: Understander) -> None:
    r = u.understand("couples counselor Seattle WA 98101")
    assert r.place is not None and r.place.kind == "zip" and r.place.state == "WA"
    r = u.understand("oregon portland grief")
    assert r.place is not None and r.place.label == "Portland, OR" and r.near is not None
    assert r.filters.licensed_in is None


def test_only_the_searched_place_sets_a_filter(u: Understander) -> None:
    r = u.understand("oregon portland grief")
    assert [p.filter for p in r.pieces if p.kind == "place"] == [{}, {"city": "Portland, OR"}]
    r = u.understand("seattle or portland")
    assert [p.hard for p in r.pieces if p.kind == "place"] == [True, False]


@pytest.mark.parametrize(
    "name", ["Saint Louis", "St. Paul", "Fort Worth", "Mount Vernon", "O'Fallon"]
)
def test_words_key_is_the_geocoders_name_key(name: str) -> None:
    from search_core.geocode import name_key
    from search_core.understanding.find_place import words_key
    from search_core.understanding.text import tokenize

    assert words_key([t.norm for t in tokenize(name)]) == name_key(name)
