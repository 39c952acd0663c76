"""Facet counts, disjunctive (each facet leaves out its own filter, so choosing one issue does
not zero the others' counts): from the hits' facet masks in numpy, or from Tantivy
aggregations when the hits are not all fetched."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import tantivy

from search_core.embedded import querybuild as qb
from search_core.embedded.bitcounts import all_of, bit_counts_of, byte_bit_counts
from search_core.embedded.schema import EmbeddedSchema
from search_core.filters import FILTER_VOCABULARIES
from search_core.queries import FACETS, TherapistQuery
from search_core.result_parts import facet_buckets
from search_core.results import FacetBucket


def mask_facets(
    schema: EmbeddedSchema,
    q: TherapistQuery,
    masks: dict[str, np.ndarray],
    passes: dict[str, np.ndarray],
    packed: tuple[np.ndarray, dict[str, slice]] | None = None,
) -> dict[str, list[FacetBucket]]:
    """Disjunctive counts: each facet over the hits that pass every *other* facet filter.

    ``packed``: the hits' facet masks side by side as bytes (rows × bytes) and each facet's
    bytes (see :meth:`~.hits.HitFields.packed`), counted where they are, without a copy of each
    mask; then ``masks`` need only hold the chosen facets (their filters)."""
    counts: dict[str, dict[str, int]] = {}
    # Facets counted over the same hits are counted together: every facet not chosen
    # over the hits passing every chosen one, each chosen one over its own.
    groups: dict[frozenset[str], list[str]] = {}
    for facet in packed[1] if packed is not None else masks:
        groups.setdefault(frozenset(passes) - {facet}, []).append(facet)
    n = len(packed[0]) if packed is not None else len(next(iter(masks.values()), ()))
    for others, facets in groups.items():
        rows = all_of((passes[o] for o in others), n) if others else None
        layouts = [schema.mask_layout[f] for f in facets]
        if packed is not None:
            per_bits = _packed_counts(packed, facets, layouts, rows)
        else:
            per_bits = bit_counts_of(
                [
                    (masks[f] if rows is None else masks[f][rows], len(layout))
                    for f, layout in zip(facets, layouts, strict=True)
                ]
            )
        for facet, layout, per_bit in zip(facets, layouts, per_bits, strict=True):
            counts[facet] = {layout[i]: int(per_bit[i]) for i in np.flatnonzero(per_bit).tolist()}
    return buckets(q, counts)


def _packed_counts(
    packed: tuple[np.ndarray, dict[str, slice]],
    facets: Sequence[str],
    layouts: Sequence[Sequence[str]],
    rows: np.ndarray | None,
) -> list[np.ndarray]:
    """Each facet's per-value counts from the packed mask bytes of the ``rows`` hits (all of
    them when ``None``): only the bytes their vocabularies use, one histogram for all."""
    block, spans = packed
    columns: list[int] = []
    for facet, layout in zip(facets, layouts, strict=True):
        start = spans[facet].start or 0
        columns.extend(range(start, start + (len(layout) + 7) // 8))
    chosen = block if rows is None else block[rows]
    if columns != list(range(block.shape[1])):
        chosen = chosen[:, np.asarray(columns, dtype=np.intp)]
    per_byte = byte_bit_counts(chosen)
    out, at = [], 0
    for layout in layouts:
        width = (len(layout) + 7) // 8
        out.append(per_byte[at : at + width].reshape(-1)[: len(layout)])
        at += width
    return out


def aggregated_facets(
    schema: EmbeddedSchema,
    searcher: tantivy.Searcher,
    q: TherapistQuery,
    scoring: tantivy.Query | None,
) -> dict[str, list[FacetBucket]]:
    """Disjunctive counts from Tantivy aggregations (a search without a location, whose hits
    are not all fetched): the facets not chosen in one, each chosen one in its own."""
    counts: dict[str, dict[str, int]] = {}
    unselected = [f for f in FACETS if not q.filters.facet_values(f)]
    if unselected:
        base = qb.combine(scoring, qb.therapist_filters(schema, q.filters))
        counts.update(aggregate(searcher, base, unselected))
    for facet in FACETS:
        if facet in unselected:
            continue
        query = qb.combine(scoring, qb.therapist_filters(schema, q.filters, facet))
        counts.update(aggregate(searcher, query, [facet]))
    return buckets(q, counts)


def buckets(q: TherapistQuery, counts: dict[str, dict[str, int]]) -> dict[str, list[FacetBucket]]:
    """Buckets of every facet (see :func:`search_core.result_parts.facet_buckets`)."""
    return {f: facet_buckets(f, counts.get(f, {}), q.filters.facet_values(f)) for f in FACETS}


def aggregate(
    searcher: tantivy.Searcher, query: tantivy.Query, facets: Sequence[str]
) -> dict[str, dict[str, int]]:
    """Each of ``facets``' value counts over the hits of ``query`` (one aggregation)."""
    aggs = {
        f: {"terms": {"field": qb.FACET_FIELDS[f], "size": len(FILTER_VOCABULARIES[f]) + 5}}
        for f in facets
    }
    result = searcher.aggregate(query, aggs)
    return {f: {b["key"]: int(b["doc_count"]) for b in result[f]["buckets"]} for f in facets}
