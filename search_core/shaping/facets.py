"""Facet buckets, alike on both engines: an engine counts values, this labels and orders them
and keeps the chosen ones."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from search_core.filters import FILTER_VOCABULARIES
from search_core.results import FacetBucket


def facet_buckets(
    facet: str, counts: Mapping[str, int], chosen: Sequence[str]
) -> list[FacetBucket]:
    """One facet's buckets: each known value with its count, the chosen values without hits
    (count 0, so a choice never disappears), most first, then by label."""
    vocab = FILTER_VOCABULARIES[facet]
    picked = set(chosen)
    buckets = [
        FacetBucket(value=v, label=vocab.label(v), count=n, selected=v in picked)
        for v, n in counts.items()
        if v in vocab
    ]
    buckets += [
        FacetBucket(value=v, label=vocab.label(v), count=0, selected=True)
        for v in chosen
        if v not in counts
    ]
    buckets.sort(key=lambda b: (-b.count, b.label))
    return buckets
