"""A therapist search as a front door asks it, and the engine query of one of its steps."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from search_core.errors import InvalidQuery
from search_core.locating import PlaceRequest
from search_core.paging import Cursor
from search_core.queries import GeoFilter, SortOrder, TherapistFilters, TherapistQuery

__all__ = ["TherapistSearch", "query_of"]


@dataclass(frozen=True)
class TherapistSearch:
    """A therapist search as a route, the CLI or the lab asks it."""

    text: str | None = None
    filters: TherapistFilters = field(default_factory=TherapistFilters)
    place: PlaceRequest = field(default_factory=PlaceRequest)
    sort: SortOrder = "relevance"
    offset: int = 0
    size: int = 10
    cursor: Cursor | None = None
    facets: bool = True
    highlight: bool = True
    understand: bool = True
    """Read filters and a place out of the text, forgive typos, relax an empty page."""
    online_in_state: bool = True
    """List online therapists licensed in the searcher's state after the in-person ones."""


def query_of(
    search: TherapistSearch,
    filters: TherapistFilters,
    near: GeoFilter | None,
    text: str | None,
    **over: object,
) -> TherapistQuery:
    """The engine query of ``search`` with these filters, area and words (``over``: fields
    replaced, e.g. a counting query's size)."""
    fields: dict[str, object] = {
        "text": text,
        "filters": filters,
        "near": near,
        "sort": search.sort,
        "offset": search.offset,
        "size": search.size,
        "facets": search.facets,
        "highlight": search.highlight,
        "cursor": search.cursor,
    }
    fields.update(over)
    try:
        return TherapistQuery.model_validate(fields)
    except ValidationError as exc:
        raise InvalidQuery(
            "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        ) from exc
