"""From pieces to one request: the place piece, and the filters merged with the caller's.

Merging rules: several pieces of one facet add values (any of them matches, as the API's
repeated parameters do); several budgets keep the lowest; "online" and "in person" typed
together cancel (either is fine). A state becomes ``licensed_in``: a therapist licensed there
may see the searcher, in an office in that state or online, which is what a state search means;
office states are a subset of that in practice. The caller's explicit filters win, parameter by
parameter.
"""

from __future__ import annotations

from typing import Any

from search_core.filters import lists as filter_lists
from search_core.queries import TherapistFilters
from search_core.understanding.find_place import PlaceMatch
from search_core.understanding.model import FoundPlace, Piece
from search_core.understanding.place_names import LOCAL_SLUG

NEAR_ME_NEEDS = '"near me" needs your location: allow it, or type a ZIP code or a city'


def place_piece(
    match: PlaceMatch | None,
    typed: str,
    was: str | None,
    caller_location: tuple[float, float] | None,
) -> tuple[Piece, FoundPlace | None, list[str]]:
    """The chip of a place reading, the place (None if unknown), and notes."""
    if match is None:  # "near me"
        if caller_location is None:
            return Piece(kind="place", text=typed, label="Near you"), None, [NEAR_ME_NEEDS]
        lat, lon = caller_location
        found = FoundPlace(kind="near_me", label="your location", state=None, lat=lat, lon=lon,
                           text=typed)  # fmt: skip
        piece = Piece(kind="place", text=typed, label="Near you", hard=True,
                      filter={"lat": lat, "lon": lon})  # fmt: skip
        return piece, found, []
    p = match.place
    if p is None:
        return Piece(kind="place", text=typed, corrected_from=was), None, list(match.notes)
    if p.kind == "zip":
        flt: dict[str, Any] = {"zip": p.name}
    elif p.kind == "state":
        flt = {"licensed_in": p.state}
    elif p.slug.startswith(LOCAL_SLUG):  # a borough, neighbourhood, county or nickname
        flt = {"lat": p.lat, "lon": p.lon}
        if match.radius_mi is not None:
            flt |= {"radius": match.radius_mi, "unit": "mi"}
    else:
        flt = {"city": p.label}
    found = FoundPlace(
        kind="state" if p.kind == "state" else "zip" if p.kind == "zip" else "city",
        label=p.label,
        state=p.state,
        lat=p.lat,
        lon=p.lon,
        population=p.population,
        text=typed,
        radius_mi=match.radius_mi,
        alternatives=list(match.alternatives),
    )
    piece = Piece(kind="place", text=typed, filter=flt, label=p.label, hard=True,
                  corrected_from=was)  # fmt: skip
    return piece, found, list(match.notes)


_LISTS = filter_lists()
"""The filters whose value is a list (the registry's facets and conditions)."""


def merge_filters(
    pieces: list[Piece], found: FoundPlace | None, explicit: TherapistFilters
) -> tuple[TherapistFilters, list[str]]:
    notes: list[str] = []
    lists: dict[str, list[str]] = {k: [] for k in _LISTS}
    flags: dict[str, Any] = {}
    for p in pieces:
        if not p.hard or p.kind == "place":
            continue
        for param, value in p.filter.items():
            if param in lists:
                for v in value if isinstance(value, list) else [value]:
                    if str(v) not in lists[param]:
                        lists[param].append(str(v))
            elif param == "max_fee":
                flags[param] = min(int(value), flags.get(param, int(value)))  # type: ignore[arg-type]
            else:
                flags[param] = value
    if flags.get("telehealth") and flags.get("in_person"):
        del flags["telehealth"], flags["in_person"]
        notes.append("online and in person both asked for: either is shown")
    if found is not None and found.kind == "state":
        flags["licensed_in"] = found.state
    understood: dict[str, Any] = {k: v for k, v in lists.items() if v} | flags
    given = explicit.model_dump(exclude_defaults=True)
    for param in set(understood) & set(given):
        if understood[param] != given[param]:
            notes.append(f"{param}: your filter is used instead of what the text says")
    return TherapistFilters.model_validate(understood | given), notes
