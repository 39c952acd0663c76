"""The names people use for places (issue 28): boroughs, local names of ZIP codes, counties,
nicknames, neighbourhoods; ambiguous names by population and by the state typed; a bare state
name is the state. Checked against the geocoder's own records and the shipped ZIP data."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from fixtures.place_names import OUT, _cities, build, neighbourhoods
from search_core.geo import distance_km
from search_core.geocode import Geocoder
from search_core.understanding import Understander, plan
from search_core.understanding.place_names import aliases
from search_core.units import KM_PER_MILE


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


# ------------------------------------------------------------------------------ neighbourhoods


def test_a_neighbourhood_is_its_own_centre_within_5_mi(u: Understander) -> None:
    r = u.understand("anxiety therapist in bushwick")
    assert r.place is not None and r.place.label == "Bushwick, Brooklyn, NY"
    assert r.near is not None and r.near.radius_km == pytest.approx(5 * KM_PER_MILE)
    assert r.text is None and r.filters.issues == ["anxiety"]
    r = u.understand("bushwick within 10 miles")
    assert r.near is not None and r.near.radius_km == pytest.approx(10 * KM_PER_MILE)


def test_an_empty_neighbourhood_widens_to_the_default_radius_first(u: Understander) -> None:
    """From 5 mi the next radius tried is 25 mi, not 50 (it was 50 for any radius under 25)."""
    widened = [s.request.near.radius_km for s in plan(u.understand("therapist in bushwick"))
               if s.kind == "widen_radius" and s.request.near is not None]  # fmt: skip
    assert widened[:3] == pytest.approx([mi * KM_PER_MILE for mi in (25, 50, 100)])


def test_of_is_no_place_word(u: Understander) -> None:
    """ "fear of heights" was Heights, TX (a local name of Houston's ZIPs, after "of")."""
    assert u.understand("fear of heights").place is None
    assert u.understand("therapist in heights tx").place is not None


def test_a_city_typed_with_its_state_stays_that_city(u: Understander) -> None:
    r = u.understand("anxiety Canoga Park, CA")
    assert r.place is not None and r.place.label == "Canoga Park, CA"
    assert r.near is not None and r.near.radius_km == pytest.approx(25 * KM_PER_MILE)
    r = u.understand("anxiety canoga park")
    assert r.place is not None and r.place.label == "Canoga Park, Los Angeles, CA"


def test_the_same_place_is_not_offered_as_another(u: Understander) -> None:
    """Astoria, NY (a city record at the neighbourhood) is not an alternative to Astoria,
    Queens; Astoria, OR is."""
    r = u.understand("astoria")
    assert r.place is not None and r.place.label == "Astoria, Queens, NY"
    assert "Astoria, OR" in r.place.alternatives and "Astoria, NY" not in r.place.alternatives


def test_every_neighbourhood_is_read_from_its_own_name(u: Understander) -> None:
    """Each name of the list, typed alone or after "in" (given names), is that neighbourhood or
    another of the same name (never a town, never a typo correction)."""
    for group in aliases().values():
        for a in group:
            if not a.neighbourhood:
                continue
            typed = " ".join(a.words)
            r = u.understand(f"therapist in {typed}")
            assert r.place is not None, typed
            same = [b.place.label for b in group if b.neighbourhood]
            assert r.place.label in same, (typed, r.place.label)
            assert not r.corrections, (typed, r.corrections)


def test_a_bad_line_of_the_list_stops_the_build(tmp_path: Path) -> None:
    import zipcodes

    cities = {f"{d['name']}, {d['state']}": d for d in _cities().values()}
    good = "Bushwick\tNew York, NY\t11206 11237\tBrooklyn\n"
    for line, says in [
        ("Nowhere\tAtlantis, ZZ\t11206\n", "no city"),
        ("Bushwick\tNew York, NY\t99999\n", "not a ZIP of NY"),
        ("Bushwick\tNew York, NY\t97214\n", "not a ZIP of NY"),
        ("Bushwick\tNew York, NY\t12601\n", "far from"),
        ("Bushwick\tNew York, NY\n", "cells"),
    ]:
        source = tmp_path / "hoods.tsv"
        source.write_text("# a comment\n" + good + line)
        with pytest.raises(SystemExit, match=says) as stop:
            neighbourhoods(cities, zipcodes.matching, source)
        assert "hoods.tsv:3" in str(stop.value)
    source.write_text(good)
    (row,) = neighbourhoods(cities, zipcodes.matching, source)
    assert row[:3] == ("bushwick", "Bushwick, Brooklyn, NY", "NY")


@pytest.mark.parametrize(
    ("typed", "label"),
    [("capitol hill washington dc", "Capitol Hill, Washington, DC"),
     ("capitol hill washington", "Capitol Hill, Seattle, WA"),
     ("georgetown washington", "Georgetown, Washington, DC"),
     ("capitol hill denver co", "Capitol Hill, Denver, CO"),
     ("bushwick brooklyn ny", "Bushwick, Brooklyn, NY")],
)  # fmt: skip
def test_the_city_or_state_after_a_neighbourhood_says_which(
    u: Understander, typed: str, label: str
) -> None:
    """The longer of its city and a state wins; "washington" alone is the state, unless no
    neighbourhood of the name is in Washington state (Georgetown: DC's)."""
    r = u.understand(f"anxiety {typed}")
    assert r.place is not None and r.place.label == label
    assert r.text is None and r.rank_text is None and r.place.alternatives == []
