"""A therapist search: the one request shape from a front door to the engine query.

A route, the command line or the relevance lab builds a :class:`TherapistSearch` once (it is
validated then); reading the text, each relaxation step and the ranking words make copies of
it with some fields replaced (:meth:`~pydantic.BaseModel.model_copy`: never validated again),
and each step becomes the typed engine query (:func:`query_of`) as it is searched.
"""

from __future__ import annotations

from pydantic import ValidationError

from search_core.errors import InvalidQuery
from search_core.locating import PlaceRequest
from search_core.paging import Cursor
from search_core.queries import OnlineAlso, SortOrder, TherapistFilters, TherapistQuery
from search_core.understanding import Request

__all__ = ["TherapistSearch", "query_of"]


class TherapistSearch(Request):
    """A therapist search as a route, the CLI or the lab asks it, and as each of its steps
    searches: the step's part (``filters``, ``near``, ``text``, ``text_match``, ``rank_text``,
    ``telehealth_state``: what the relaxation planner changes, :class:`Request`) and the
    caller's part, the same at every step. ``filters`` and ``text`` are the caller's until the
    text is read (then what was read); ``near`` is set once the place is located."""

    filters: TherapistFilters = TherapistFilters()
    place: PlaceRequest = PlaceRequest()
    sort: SortOrder = "relevance"
    offset: int = 0
    size: int = 10
    """0: the total and the facets alone."""
    cursor: Cursor | None = None
    facets: bool = True
    highlight: bool = True
    understand: bool = True
    """Read filters and a place out of the text, forgive typos, relax an empty page."""
    online_in_state: bool = True
    """List online therapists licensed in the searcher's state after the in-person ones."""


def query_of(search: TherapistSearch, online: OnlineAlso | None = None) -> TherapistQuery:
    """The engine query of one step of a search (with the online list when ``online``)."""
    fields: dict[str, object] = {
        "text": search.text,
        "text_match": search.text_match,
        "rank_text": search.rank_text,
        "filters": search.filters,
        "near": search.near,
        "sort": search.sort,
        "offset": search.offset,
        "size": search.size,
        "facets": search.facets,
        "highlight": search.highlight,
        "cursor": search.cursor,
        "online": online,
    }
    try:
        return TherapistQuery.model_validate(fields)
    except ValidationError as exc:
        raise InvalidQuery(
            "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        ) from exc
