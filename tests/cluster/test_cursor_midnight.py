"""A cursor taken before UTC midnight and followed after it: the next page is scored from the
day the first page was (the cursor carries that freshness origin), so no hit is skipped or
repeated. The clock is the backend's ``today`` parameter, run against the live node."""

from __future__ import annotations

import datetime as dt

import pytest

from search_core.backend import SearchBackend
from search_core.elastic.backend import ElasticBackend
from search_core.engines import make_backend
from search_core.paging import decode_cursor
from search_core.queries import TherapistQuery
from search_core.settings import Settings
from tests.cluster.live import run

# Every fixture therapist was confirmed more than the tuning's 30-day offset before D, so every
# score decays from one day to the next.
pytestmark = pytest.mark.opensearch

D = dt.date(2027, 6, 1)


def backend_on(settings: Settings, day: dt.date) -> SearchBackend:
    backend = make_backend(settings)
    assert isinstance(backend, ElasticBackend)
    backend.today = lambda: day
    return backend


async def pages(settings: Settings, first_day: dt.date, next_day: dt.date) -> list[list[str]]:
    """Page 1 on ``first_day``, then pages 2 and 3 by cursor on ``next_day``."""
    first, later = backend_on(settings, first_day), backend_on(settings, next_day)
    try:
        q = TherapistQuery(size=10, facets=False, highlight=False)
        page = await first.search_therapists(q)
        out = [[h.therapist.id for h in page.items]]
        for _ in range(2):
            assert page.next_cursor is not None
            cursor = decode_cursor(page.next_cursor)
            q = TherapistQuery(
                size=10, facets=False, highlight=False, offset=cursor.offset, cursor=cursor
            )
            page = await later.search_therapists(q)
            out.append([h.therapist.id for h in page.items])
        return out
    finally:
        await first.close()
        await later.close()


def test_a_cursor_followed_after_midnight_neither_skips_nor_repeats(
    cluster_small: Settings,
) -> None:

    same_day = run(pages(cluster_small, D, D))
    across = run(pages(cluster_small, D, D + dt.timedelta(days=1)))
    assert across == same_day
    ids = [i for page in across for i in page]
    assert len(ids) == len(set(ids)) == 30


def test_the_scores_do_move_at_midnight(cluster_small: Settings) -> None:
    # What makes the test above mean something: the last hit of page 1 sorts by another score
    # on the next day, so sort values taken on one day do not place a hit on the next.
    async def last_sort_values(day: dt.date) -> tuple[object, ...] | None:
        backend = backend_on(cluster_small, day)
        try:
            page = await backend.search_therapists(TherapistQuery(size=10, facets=False))
            assert page.next_cursor is not None
            return decode_cursor(page.next_cursor).after
        finally:
            await backend.close()

    today, tomorrow = run(last_sort_values(D)), run(last_sort_values(D + dt.timedelta(days=1)))
    assert today is not None and tomorrow is not None
    assert today[1] == tomorrow[1], "the same hit ends page 1"
    assert today[0] != tomorrow[0], "with another score"
