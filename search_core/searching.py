"""The therapist search use case: what a search box or form asks → the page shown.

One function, :func:`search_therapists`, that the routes, the command line and the relevance
lab call, on either engine:

0. **Crisis first**: words that say someone may be harmed now are recognised before anything
   else (:mod:`search_core.understanding.crisis`) and the page carries help to show first
   (``crisis``, :mod:`search_core.crisis_help`); understood, they filter by their issue.
1. **Understand** the text (``understand=True``, the default): vocabulary words anywhere become
   filters, a place anywhere becomes the area, filler goes, typos are forgiven
   (:mod:`search_core.understanding`). The caller's own parameters win over what was read.
   ``understand=False`` searches the text as typed, with the place fields alone.
2. **Search**, with therapists who see clients online and are licensed in the searcher's state
   listed after the in-person ones (:mod:`search_core.online_plan`, in the same engine
   call) when the search is around a place whose state is known; ``online_in_state=False``
   turns that off.
3. **Relax** when the page would be empty: the steps of
   :func:`search_core.understanding.plan_request`, in order, stopping at the first with hits,
   and say what was relaxed (:class:`~search_core.results.Relaxation`). Filters the caller set
   are never dropped.

Every step is a search the engine already knows; nothing here depends on which engine runs it.
The request keeps one shape throughout: the caller's :class:`TherapistSearch`, validated once;
reading and each step make copies of it, and each searched step becomes the engine's query.

The use case is a straight line of three steps, each in its own module: read the search
(:mod:`search_core.search_reading`: the place located, the text understood), find its page
(:mod:`search_core.search_steps`: the first step, then the relaxation's), and answer
(:mod:`search_core.search_answer`: the page with what was read, located and relaxed).
"""

from __future__ import annotations

from search_core.backend import SearchBackend
from search_core.queries import Unit
from search_core.results import TherapistPage
from search_core.search_answer import answer
from search_core.search_reading import GeocoderSource, read_search
from search_core.search_request import TherapistSearch
from search_core.search_steps import find
from search_core.tuning import Tuning

__all__ = ["GeocoderSource", "TherapistSearch", "search_therapists", "with_page"]


async def search_therapists(
    backend: SearchBackend,
    search: TherapistSearch,
    geocoder: GeocoderSource,
    unit: Unit = "mi",
    tuning: Tuning | None = None,
) -> TherapistPage:
    """The page of therapists for ``search`` (see the module docstring). ``size=0`` asks for
    the total and the facets alone: it is searched as a page of one, and the page comes back
    with no hits."""
    counted_only = search.size == 0
    if counted_only:
        search = search.model_copy(update={"size": 1, "highlight": False, "cursor": None})
    asked = await read_search(search, geocoder)
    found = await find(backend, asked, search, unit, tuning)
    page = await answer(found, asked, search, geocoder, unit)
    if counted_only:
        return page.model_copy(update={"items": [], "size": 0, "next_cursor": None})
    return page


def with_page(search: TherapistSearch, offset: int, size: int) -> TherapistSearch:
    """The same search, another page."""
    return search.model_copy(update={"offset": offset, "size": size, "cursor": None})
