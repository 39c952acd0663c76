"""Distances known within bounds (search_core.embedded.distances): the bounds hold for every
point of a circle's box, hits are measured only where an answer depends on it, and a search
answers exactly as when every distance is measured."""

from __future__ import annotations

import numpy as np
import pytest

from search_core.embedded import distances
from search_core.embedded.backend import EmbeddedBackend
from search_core.embedded.distances import KmBounds, NearestKm
from search_core.embedded.geogrid import in_boxes
from search_core.embedded.therapist_search import EmbeddedTherapistSearch
from search_core.geo import Box, bounding_box, distances_km
from search_core.queries import GeoFilter, TherapistFilters, TherapistQuery
from search_core.settings import Settings

CIRCLES = [
    (40.7128, -74.0060, 16.1),  # New York, 10 miles
    (40.7128, -74.0060, 160.9),  # 100 miles
    (64.8378, -147.7164, 80.0),  # Fairbanks: far north, wide longitudes
    (0.05, 30.0, 50.0),  # across the equator
    (51.9, 179.95, 60.0),  # across the antimeridian (two boxes)
    (-33.8688, 151.2093, 25.0),  # southern hemisphere
    (45.5152, -122.6784, 0.3),  # a few hundred metres
]


def _points_in(boxes: list[Box], rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    per = n // len(boxes)
    lats = np.concatenate([rng.uniform(b.min_lat, b.max_lat, per) for b in boxes])
    lons = np.concatenate([rng.uniform(b.min_lon, b.max_lon, per) for b in boxes])
    corners_lat = np.array([b.min_lat for b in boxes] + [b.max_lat for b in boxes])
    corners_lon = np.array([b.min_lon for b in boxes] + [b.max_lon for b in boxes])
    return np.concatenate([lats, corners_lat]), np.concatenate([lons, corners_lon])


@pytest.mark.parametrize(("lat", "lon", "km"), CIRCLES)
def test_the_bounds_hold_for_every_point_of_the_box_and_are_tight(
    lat: float, lon: float, km: float
) -> None:
    rng = np.random.default_rng(int(km * 10))
    boxes = bounding_box(lat, lon, km)
    lats, lons = _points_in(boxes, rng, 30_000)
    lo2, hi2 = KmBounds.of(lat, lon, boxes).of_points(lats, lons)
    exact = distances_km(lat, lon, lats, lons)
    assert (np.sqrt(lo2) <= exact).all() and (exact <= np.sqrt(hi2)).all()
    far = exact > km / 10
    assert (np.sqrt(hi2[far]) / np.sqrt(lo2[far])).max() < 1.08  # about 1% at most latitudes


def test_bounds_without_their_slack_fail_somewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """The slack is needed (the formula is not the geodesic the bounds are derived for), so
    the test above can see a bound that is too keen."""
    monkeypatch.setattr(distances, "SLACK", -1e-3)
    lat, lon, km = CIRCLES[0]
    boxes = bounding_box(lat, lon, km)
    lats, lons = _points_in(boxes, np.random.default_rng(1), 5_000)
    lo2, hi2 = KmBounds.of(lat, lon, boxes).of_points(lats, lons)
    exact = distances_km(lat, lon, lats, lons)
    assert not ((np.sqrt(lo2) <= exact).all() and (exact <= np.sqrt(hi2)).all())


@pytest.mark.parametrize("measure_all_below", [0, 10**9])
def test_nearest_km_answers_as_measuring_every_office(
    measure_all_below: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Therapists with one to three offices, some outside the box: within the radius and
    the nearest distance as a brute-force minimum over every office, measured once."""
    monkeypatch.setattr(distances, "MEASURE_ALL_BELOW", measure_all_below)
    lat, lon, km = 40.7128, -74.0060, 16.1
    boxes = bounding_box(lat, lon, km)
    rng = np.random.default_rng(7)
    n = 4000
    owner = np.concatenate([np.arange(n), rng.choice(n, 1500), rng.choice(n, 500)])
    lats = lat + rng.normal(0, 0.15, len(owner))
    lons = lon + rng.normal(0, 0.2, len(owner))
    inside_box = in_boxes(lats, lons, boxes)
    assert 0 < inside_box.sum() < len(owner)
    brute = np.full(n, np.inf)
    np.minimum.at(brute, owner[inside_box], distances_km(lat, lon, lats, lons)[inside_box])
    near = NearestKm(lat, lon, boxes, n, owner[inside_box], lats[inside_box], lons[inside_box])
    assert (near.within(km) == (brute <= km)).all()
    measured = int(np.isfinite(near.km).sum())
    if measure_all_below == 0:  # only who straddles the radius
        assert 0 < measured < n // 20
    some = np.flatnonzero(brute <= km)[::7]
    view = near[some]
    assert view.exact().tolist() == brute[some].tolist()
    assert near.exact(some).tolist() == brute[some].tolist()  # the view's measures are shared
    assert near.exact().tolist() == brute.tolist()


PORTLAND = GeoFilter(lat=45.5152, lon=-122.6784, radius_km=40.0)
NEW_YORK = GeoFilter(lat=40.7128, lon=-74.0060, radius_km=25.0)
QUERIES = [
    TherapistQuery(near=NEW_YORK, sort="distance"),
    TherapistQuery(near=NEW_YORK, sort="distance", offset=20, size=20),
    TherapistQuery(near=PORTLAND),  # relevance without text: distance × freshness × accepting
    TherapistQuery(near=NEW_YORK, offset=10),
    TherapistQuery(text="anxiety", near=NEW_YORK),
    TherapistQuery(text="anxiety", near=NEW_YORK, sort="distance", offset=10),
    TherapistQuery(text="trauma", near=PORTLAND, filters=TherapistFilters(insurance=["aetna"])),
    TherapistQuery(near=PORTLAND, filters=TherapistFilters(licensed_in="OR")),
    TherapistQuery(text="depression", near=NEW_YORK, sort="recent"),
]


@pytest.mark.parametrize("loose", [False, True])
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q.text}-{q.sort}-{q.offset}")
def test_a_search_on_bounds_answers_as_one_measuring_everything(
    small_index: Settings, query: TherapistQuery, loose: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same therapists in the same order, scores, nearest offices, totals and facets,
    whether every distance is measured or only those an answer depends on; also with bounds
    made far looser at random (still bounds: the order of the bounds is no longer the order
    of the distances), so that many hits are near the page's edge."""
    backend = EmbeddedBackend(small_index)
    opened = backend.reader.get("therapists")
    monkeypatch.setattr(distances, "MEASURE_ALL_BELOW", 10**9)
    everything = EmbeddedTherapistSearch(opened, backend.tuning).search(query)
    measured: list[int] = []
    real = distances.distances_km

    def counting(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
        measured.append(len(lats))
        return real(lat, lon, lats, lons)

    monkeypatch.setattr(distances, "MEASURE_ALL_BELOW", 0)
    if loose:
        rng = np.random.default_rng(11)
        tight = KmBounds.of_points

        def looser(self: KmBounds, lats: np.ndarray, lons: np.ndarray) -> tuple[np.ndarray, ...]:
            lo2, hi2 = tight(self, lats, lons)
            return lo2 * rng.uniform(0.2, 1.0, len(lo2)), hi2 * rng.uniform(1.0, 4.0, len(hi2))

        monkeypatch.setattr(KmBounds, "of_points", looser)
    monkeypatch.setattr(distances, "distances_km", counting)
    bounded = EmbeddedTherapistSearch(opened, backend.tuning).search(query)
    assert bounded.total == everything.total > 0
    assert [h.therapist.id for h in bounded.items] == [h.therapist.id for h in everything.items]
    assert [h.score for h in bounded.items] == [h.score for h in everything.items]
    assert [h.nearest_office for h in bounded.items] == [h.nearest_office for h in everything.items]
    assert bounded.facets == everything.facets
    if query.sort == "distance" and query.text is None and not loose:
        assert sum(measured) < everything.total / 2  # the page, not the area
