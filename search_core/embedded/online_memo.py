"""The online list's first hits, remembered per index version.

The online list of a search (:func:`search_core.online_plan.listing`) asks for the first
hits of "online and licensed in the state, with these filters and words", wherever the
offices are: the same answer for every place in the state, until the index changes. Its counts
are remembered already (:func:`~search_core.embedded.backend.is_count`); its hits are too,
here, for the day (relevance ranks by freshness from today) and the tuning that made them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from search_core.embedded.reader import OpenIndex
from search_core.queries import TherapistQuery
from search_core.results import SearchPage, TherapistHit
from search_core.tuning import Tuning

MAX_HIT_LISTS = 64
"""Hit lists remembered per version (each up to a page of 50 therapists; then it starts again)."""
KEY = "online hits"
"""Where they are kept in the version's :attr:`OpenIndex.counts` (emptied with the version)."""


def is_online_hits(q: TherapistQuery) -> bool:
    """A first page of online therapists licensed in a state, anywhere: no location, no
    cursor, no facets (what the online list asks)."""
    return (
        q.near is None
        and q.cursor is None
        and q.offset == 0
        and not q.facets
        and q.filters.telehealth is True
        and q.filters.licensed_in is not None
    )


def remembered(
    opened: OpenIndex,
    tuning: Tuning,
    q: TherapistQuery,
    unit: str,
    search: Callable[[], SearchPage[TherapistHit]],
) -> SearchPage[TherapistHit]:
    """The page of ``q`` from memory, or ``search()`` remembered (a copy either way, so that no
    caller changes what is kept)."""
    lists: dict[tuple[str, str, dt.date], tuple[Tuning, SearchPage[TherapistHit]]]
    lists = opened.counts.setdefault(KEY, {})
    key = (q.model_dump_json(), unit, dt.date.today())
    cached = lists.get(key)
    if cached is not None and cached[0] is tuning:
        page = cached[1]
    else:
        page = search()
        if len(lists) >= MAX_HIT_LISTS:
            lists.clear()
        lists[key] = (tuning, page)
    return page.model_copy(update={"items": list(page.items), "warnings": list(page.warnings)})
