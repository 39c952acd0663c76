"""Several therapist searches in one ``_msearch`` request: a round of the online list's plan
(:func:`search_core.online_plan.listing`: its two counts and its first hits)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from typing import Any, Protocol

from search_core.elastic import responses
from search_core.elastic.cluster import ClusterReader
from search_core.elastic.errors import require_complete
from search_core.elastic.product import body_of
from search_core.elastic.routing import preference
from search_core.elastic.therapist_query import scoring_query, search_body
from search_core.errors import EngineFailed
from search_core.queries import TherapistQuery
from search_core.query_rules import text_warnings
from search_core.results import SearchPage, TherapistHit
from search_core.tuning import Tuning

WHAT = "search therapists"


class Cluster(Protocol):
    """What a round needs of the cluster engine (:class:`~search_core.elastic.backend.
    ElasticBackend`)."""

    name: str
    tuning: Tuning
    analyzers: dict[str, dict[str, str]]
    max_window: int

    cluster: ClusterReader

    def today(self) -> dt.date: ...

    async def search_therapists(
        self, q: TherapistQuery, unit: str = "mi", tuning: Tuning | None = None
    ) -> SearchPage[TherapistHit]: ...


def msearch_body(
    index: str,
    qs: list[TherapistQuery],
    tuning: Tuning,
    analyzers: Mapping[str, str],
    today: dt.date,
) -> list[dict[str, Any]]:
    """The lines of one ``_msearch`` of ``qs`` on ``index``: a header (with the preference
    each query would have alone), then its ``_search`` body."""
    lines: list[dict[str, Any]] = []
    for q in qs:
        lines.append({"index": index, "preference": preference(q)})
        lines.append(search_body(q, tuning, analyzers, today))
    return lines


async def search_many(
    backend: Cluster, qs: list[TherapistQuery], unit: str, tuning: Tuning | None
) -> list[SearchPage[TherapistHit]]:
    """The pages of ``qs``, in order: one plain search alone, several in one ``_msearch``
    (each with its own ``preference``, as it would have alone). A query that needs more than
    one request (a cursor, a page past the result window) is searched on its own."""
    deep = any(q.cursor is not None or q.offset + q.size > backend.max_window for q in qs)
    if len(qs) == 1 or deep:
        return [await backend.search_therapists(q, unit, tuning) for q in qs]
    started = time.perf_counter()
    t = tuning or backend.tuning
    analyzers = backend.analyzers["therapists"]
    today = backend.today()
    lines = msearch_body(backend.cluster.alias("therapists"), qs, t, analyzers, today)
    with backend.cluster.product.translated(WHAT):
        resp = await backend.cluster.client.msearch(body=lines)
    answers: list[dict[str, Any]] = body_of(resp)["responses"]
    took = round((time.perf_counter() - started) * 1000, 2)
    pages: list[SearchPage[TherapistHit]] = []
    for q, answer in zip(qs, answers, strict=True):
        if "error" in answer:
            error = answer["error"]
            reason = error.get("reason", error) if isinstance(error, dict) else error
            raise EngineFailed(
                f"the search engine failed ({WHAT}, HTTP {answer.get('status', '?')}): {reason}"
            )
        require_complete(answer, WHAT)
        scored = scoring_query(q, t, analyzers) is not None
        pages.append(
            responses.therapist_page(
                answer,
                q,
                unit,
                scored=scored,
                took_ms=took,
                warnings=text_warnings(q.text, scored),
                engine=backend.name,
                origin=today,
            )
        )
    return pages
