"""A real Geocoder and the real therapists of the committed small fixtures, once a session."""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson
import pytest

from search_core.documents import Therapist
from search_core.geo import distance_km
from search_core.geocode import Geocoder
from search_core.queries import GeoFilter, TherapistFilters
from search_core.understanding import Understander, Understanding, understander_for


@pytest.fixture(scope="session")
def geocoder(small_dir: Path) -> Geocoder:
    return Geocoder.from_jsonl(small_dir / "locations.jsonl.gz")


@pytest.fixture(scope="session")
def u(geocoder: Geocoder) -> Understander:
    return understander_for(geocoder)


@pytest.fixture(scope="session")
def therapists(small_dir: Path) -> list[Therapist]:
    with gzip.open(small_dir / "therapists.jsonl.gz") as f:
        return [Therapist.model_validate(orjson.loads(line)) for line in f]


def has(t: Therapist, cond: str) -> bool:
    """Whether a therapist meets a ``facet:slug`` condition."""
    facet, _, slug = cond.partition(":")
    value = getattr(t, facet)
    return slug in value if isinstance(value, list) else value == slug


def satisfies(t: Therapist, f: TherapistFilters, near: GeoFilter | None) -> bool:
    """Whether a therapist meets the filters and area: the tests' own reading of the rules."""
    for facet in ("issues", "therapy_types", "age_groups", "populations", "languages",
                  "insurance"):  # fmt: skip
        wanted = f.facet_values(facet)
        if wanted and not set(wanted) & set(getattr(t, facet)):
            return False
    if f.gender and t.gender not in f.gender:
        return False
    if f.profession and t.profession not in f.profession:
        return False
    if f.max_fee is not None and t.fee_min > f.max_fee:
        return False
    for flag in ("sliding_scale", "telehealth", "accepting_new_clients"):
        if getattr(f, flag) is not None and getattr(t, flag) != getattr(f, flag):
            return False
    if f.in_person is not None and t.in_person != f.in_person:
        return False
    if f.licensed_in and f.licensed_in not in t.licensed_states:
        return False
    if any(has(t, c) for c in f.none_of) or not all(has(t, c) for c in f.all_of):
        return False
    if not all(any(has(t, c) for c in group.split("|")) for group in f.any_of):
        return False
    if near is not None:
        return any(
            distance_km(near.lat, near.lon, o.location.lat, o.location.lon) <= near.radius_km
            for o in t.offices
        )
    return True


def hits(therapists: list[Therapist], r: Understanding) -> list[Therapist]:
    return [t for t in therapists if satisfies(t, r.filters, r.near)]
