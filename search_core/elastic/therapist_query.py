"""Therapist search: a typed query + a tuning → one ``_search`` body. Pure: no I/O, no settings.

Shape of the body, matching :mod:`search_core.embedded.therapist_search`:

* ``query``: the text (see :mod:`search_core.elastic.text`, or ``match_all`` scoring 1 without
  text) in ``must``; the non-facet filters and the area (exact, see
  :mod:`search_core.elastic.geo_script`) in ``filter``;
* relevance order: the query wrapped in nested ``function_score``s that multiply the score by
  ``(1 - w) + w * gauss(distance to the nearest office)``, by ``(1 - w) + w *
  gauss(age of last_confirmed)`` and by the accepting-new-clients boost, exactly the embedded
  blend (the distance decay measures on Elasticsearch's sphere; scores differ between engines);
* disjunctive facets: the facet filters in ``post_filter`` (they narrow the hits, not the
  counts) and, per facet, a ``filter`` aggregation with every *other* facet's filter around a
  ``terms`` aggregation;
* ``sort`` with ``id`` as the last key, so ties never shuffle; ``from``/``size`` inside the
  result window, ``search_after`` with the last hit's sort values beyond it;
* ``highlight`` of ``bio`` with ``<mark>`` and the HTML encoder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from search_core.documents import Therapist
from search_core.elastic import geo_script
from search_core.elastic.text import text_query
from search_core.errors import InvalidQuery
from search_core.filters import FILTER_VOCABULARIES
from search_core.queries import (
    FACETS,
    FLAGS,
    TherapistFilters,
    TherapistQuery,
    split_conditions,
)
from search_core.query_rules import THERAPIST_HIGHLIGHT_CHARS
from search_core.text_query import search_units
from search_core.tuning import Tuning

Body = dict[str, Any]

ID_FIELD = "id"
DATE_FIELD = "last_confirmed"
HIGHLIGHT_FIELDS: dict[str, int] = THERAPIST_HIGHLIGHT_CHARS
"""Fields highlighted in hits, with the fragment size (characters) of each (the one rule in
:mod:`search_core.query_rules`)."""
SOURCE_FIELDS = sorted(Therapist.model_fields)
FACET_AGG = "values"
MARK = ("<mark>", "</mark>")


# ---------------------------------------------------------------------------- filters


def term(field: str, value: Any) -> Body:
    return {"term": {field: {"value": value}}}


def facet_filter(facet: str, values: Sequence[str]) -> Body:
    return {"terms": {facet: list(values)}}


def facet_filters(f: TherapistFilters, skip: str | None = None) -> list[Body]:
    """One ``terms`` filter per chosen facet, leaving out ``skip``."""
    return [
        facet_filter(facet, f.facet_values(facet))
        for facet in FACETS
        if f.facet_values(facet) and facet != skip
    ]


def other_filters(f: TherapistFilters) -> list[Body]:
    """The filters that are not facets: fee, flags, state licence."""
    out: list[Body] = []
    if f.max_fee is not None:
        out.append({"range": {"fee_min": {"lte": f.max_fee}}})
    for flag in FLAGS:
        value = getattr(f, flag)
        if value is not None:
            out.append(term(flag, value))
    if f.licensed_in:
        out.append(term("licensed_states", f.licensed_in))
    out.extend(condition_filters(f))
    return out


def condition_filters(f: TherapistFilters) -> list[Body]:
    """``all_of`` (a term each), ``any_of`` (a ``should`` of terms per group) and ``none_of``
    (``must_not`` terms, one per facet)."""
    out: list[Body] = [term(facet, slug) for facet, slug in map(_cond, f.all_of)]
    for group in f.any_of:
        should = [term(facet, slug) for facet, slug in map(_cond, group.split("|"))]
        out.append({"bool": {"should": should, "minimum_should_match": 1}})
    if f.none_of:
        excluded = split_conditions(f.none_of)
        out.append({"bool": {"must_not": [facet_filter(k, v) for k, v in excluded.items()]}})
    return out


def _cond(cond: str) -> tuple[str, str]:
    facet, _, slug = cond.partition(":")
    return facet, slug


def bool_filter(filters: Sequence[Body]) -> Body:
    return {"bool": {"filter": list(filters)}} if filters else {"match_all": {}}


# ---------------------------------------------------------------------------- scoring


def _km(value: float) -> str:
    return f"{value:g}km"


def _days(value: float) -> str:
    """A duration Elasticsearch reads: whole days as ``365d``, anything else in seconds."""
    return f"{value:g}d" if float(value).is_integer() else f"{round(value * 86400)}s"


def _blend(query: Body, decay: Body, weight: float) -> Body:
    """``score * ((1 - weight) + weight * decay)``."""
    functions: list[Body] = []
    if weight < 1.0:
        functions.append({"weight": 1.0 - weight})
    functions.append({**decay, "weight": weight} if weight != 1.0 else decay)
    return {
        "function_score": {
            "query": query,
            "functions": functions,
            "score_mode": "sum",
            "boost_mode": "multiply",
        }
    }


def relevance_blend(query: Body, q: TherapistQuery, tuning: Tuning, now: dt.date) -> Body:
    """The query with the distance, freshness and accepting-new-clients blends multiplied in."""
    out = query
    d = tuning.distance
    if q.near is not None and d.weight > 0:
        gauss = {
            "gauss": {
                geo_script.GEO_FIELD: {
                    "origin": {"lat": q.near.lat, "lon": q.near.lon},
                    "scale": _km(d.scale_km),
                    "offset": _km(d.offset_km),
                    "decay": d.decay,
                },
                "multi_value_mode": "min",
            }
        }
        out = _blend(out, gauss, d.weight)
    f = tuning.freshness
    if f.weight > 0:
        gauss = {
            "gauss": {
                DATE_FIELD: {
                    "origin": now.isoformat(),
                    "scale": _days(f.scale_days),
                    "offset": _days(f.offset_days),
                    "decay": f.decay,
                }
            }
        }
        out = _blend(out, gauss, f.weight)
    if tuning.accepting_new_clients_boost != 1.0:
        out = {
            "function_score": {
                "query": out,
                "functions": [
                    {
                        "filter": term("accepting_new_clients", True),
                        "weight": tuning.accepting_new_clients_boost,
                    }
                ],
                "score_mode": "multiply",
                "boost_mode": "multiply",
            }
        }
    return out


# ---------------------------------------------------------------------------- parts


def sort_clause(q: TherapistQuery) -> list[Body]:
    if q.sort == "distance" and q.near is not None:
        first = geo_script.distance_sort(q.near.lat, q.near.lon)
    elif q.sort == "recent":
        first = {DATE_FIELD: {"order": "desc"}}
    else:
        first = {"_score": {"order": "desc"}}
    return [first, {ID_FIELD: {"order": "asc"}}]


def facet_aggregations(f: TherapistFilters) -> Body:
    """Per facet: the hits filtered by every other facet, counted by this facet's values."""
    return {
        facet: {
            "filter": bool_filter(facet_filters(f, skip=facet)),
            "aggregations": {
                FACET_AGG: {"terms": {"field": facet, "size": len(FILTER_VOCABULARIES[facet]) + 5}}
            },
        }
        for facet in FACETS
    }


def highlight(query: Body) -> Body:
    return {
        "pre_tags": [MARK[0]],
        "post_tags": [MARK[1]],
        "encoder": "html",
        "highlight_query": query,
        "fields": [
            {field: {"fragment_size": chars, "number_of_fragments": 1}}
            for field, chars in HIGHLIGHT_FIELDS.items()
        ],
    }


def scoring_query(q: TherapistQuery, tuning: Tuning, analyzers: Mapping[str, str]) -> Body | None:
    units = search_units(q.text, q.text_match, tuning.synonyms, q.rank_text)
    return text_query(units, tuning.therapist_fields, tuning, analyzers)


def checked_after(after: Sequence[Any]) -> list[Any]:
    """A cursor's sort values, if they fit this engine's sorts: a number (score, distance or
    date), then the id."""
    values = list(after)
    if (
        len(values) != 2
        or not isinstance(values[0], int | float)
        or isinstance(values[0], bool)
        or not isinstance(values[1], str)
    ):
        raise InvalidQuery("cursor is not one this API returned for this search")
    return values


# ---------------------------------------------------------------------------- the body


def search_body(
    q: TherapistQuery,
    tuning: Tuning,
    analyzers: Mapping[str, str],
    now: dt.date,
    after: Sequence[Any] | None = None,
) -> Body:
    """The ``_search`` body of one page of ``q``.

    ``after``: the sort values of the last hit before the page (from the cursor); the page is
    then fetched with ``search_after`` instead of ``from``. ``now``: the freshness origin (a
    date, so scores and cursors stay put for a day).
    """
    scoring = scoring_query(q, tuning, analyzers)
    filters = other_filters(q.filters)
    if q.near is not None:
        filters.append(geo_script.within(q.near.lat, q.near.lon, q.near.radius_km))
    chosen = facet_filters(q.filters)
    if not q.facets:
        filters += chosen
    base: Body = {"bool": {"must": [scoring or {"match_all": {}}]}}
    if filters:
        base["bool"]["filter"] = filters
    query = relevance_blend(base, q, tuning, now) if q.sort == "relevance" else base

    body: Body = {"query": query}
    if q.facets:
        if chosen:
            body["post_filter"] = bool_filter(chosen)
        body["aggregations"] = facet_aggregations(q.filters)
    body["sort"] = sort_clause(q)
    if scoring is not None and q.sort != "relevance":
        body["track_scores"] = True
    body["track_total_hits"] = True
    body["_source"] = {"includes": SOURCE_FIELDS}
    body["size"] = q.size
    if after is not None:
        body["search_after"] = checked_after(after)
    else:
        body["from"] = q.offset
    if q.highlight and scoring is not None:
        body["highlight"] = highlight(scoring)
    return body


def skip_body(body: Body, size: int, after: Sequence[Any] | None) -> Body:
    """A lean copy of ``body`` that only walks the sort order: ``size`` hits' sort values,
    no source, counts, aggregations or highlights (to reach a page beyond the result window
    when no cursor gives its position)."""
    lean: Body = {
        "query": body["query"],
        "sort": body["sort"],
        "size": size,
        "_source": False,
        "track_total_hits": False,
    }
    if "post_filter" in body:
        lean["post_filter"] = body["post_filter"]
    if after is not None:
        lean["search_after"] = list(after)
    return lean
