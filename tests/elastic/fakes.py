"""Hand-written Elasticsearch responses for the parser tests. Each one is checked against the
response schema of Elastic's spec before a parser sees it (:func:`checked`), so a fake cannot
drift from what a cluster sends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tests.es_spec import ElasticSpec

Body = dict[str, Any]


def checked(spec: ElasticSpec, method: str, path: str, body: Body) -> Body:
    spec.validate_response(method, path, 200, body)
    return body


def hit(
    index: str,
    source: Mapping[str, Any] | None,
    score: float | None = None,
    sort: Sequence[Any] | None = None,
    highlight: Mapping[str, list[str]] | None = None,
) -> Body:
    out: Body = {"_index": index, "_id": str((source or {}).get("id", "x")), "_score": score}
    if source is not None:
        out["_source"] = dict(source)
    if sort is not None:
        out["sort"] = list(sort)
    if highlight is not None:
        out["highlight"] = dict(highlight)
    return out


def search_response(
    hits: Sequence[Body],
    total: int | None = None,
    aggregations: Body | None = None,
    max_score: float | None = None,
) -> Body:
    body: Body = {
        "took": 4,
        "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {"max_score": max_score, "hits": list(hits)},
    }
    if total is not None:
        body["hits"]["total"] = {"value": total, "relation": "eq"}
    if aggregations is not None:
        body["aggregations"] = aggregations
    return body


def terms(buckets: Mapping[str, int]) -> Body:
    return {
        "doc_count_error_upper_bound": 0,
        "sum_other_doc_count": 0,
        "buckets": [{"key": k, "doc_count": n} for k, n in buckets.items()],
    }


def facet(doc_count: int, buckets: Mapping[str, int]) -> Body:
    """A disjunctive facet: a filter aggregation around a terms aggregation."""
    return {"doc_count": doc_count, "values": terms(buckets)}


def bulk_response(items: Sequence[tuple[str, int, Body | None]], index: str) -> Body:
    """``(id, status, error or None)`` per document of an ``index`` bulk request."""
    out = []
    for doc_id, status, error in items:
        info: Body = {"_index": index, "_id": doc_id, "status": status}
        if error is None:
            info.update(
                {
                    "_version": 1,
                    "result": "created",
                    "_shards": {"total": 2, "successful": 1, "failed": 0},
                    "_seq_no": 0,
                    "_primary_term": 1,
                }
            )
        else:
            info["error"] = error
        out.append({"index": info})
    return {"errors": any(e for _, _, e in items), "took": 12, "items": out}
