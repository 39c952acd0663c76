"""How hits are shaped, once for both engines: the nearest office and its distance, facet
buckets, article previews and the fields an article search runs on, the recent-comments limit,
and the warning for a search text with no searchable words.

An engine finds documents and counts; what a user sees of them is decided here, so both engines
answer alike (the parity between them is this module, not a test that compares two copies).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from search_core.documents import Article, Therapist
from search_core.errors import InvalidQuery
from search_core.geo import distance_km, from_km
from search_core.queries import MAX_PAGE_SIZE, GeoFilter
from search_core.results import FacetBucket, NearestOffice
from search_core.tuning import Tuning
from search_core.vocabulary import FILTER_VOCABULARIES

NO_SEARCHABLE_WORDS = "the search text has no searchable words; showing all matches"
"""Warned when the text is only stop words or punctuation: the search then matches everything
its filters allow, and says so."""

HIT_BODY_CHARS = 300
"""An article hit's body is cut to this many characters (then "…")."""
FIELD_SELECTORS: dict[str, tuple[str, ...] | None] = {
    "all": None,  # every field of Tuning.article_fields
    "title": ("title",),
    "content": ("summary", "body"),
    "author": ("author.name",),
}
"""An article search's ``field`` → the mapping paths it searches."""
HIGHLIGHT_CHARS: dict[str, int] = {"title": 300, "summary": 200, "body": 200}
"""Article fields highlighted in hits, with the longest fragment of each."""
THERAPIST_HIGHLIGHT_CHARS: dict[str, int] = {"bio": 200}
"""Therapist fields highlighted in hits, with the longest fragment of each (both engines)."""
MAX_RECENT_COMMENTS = MAX_PAGE_SIZE
"""The most recent comments one request may ask for."""


def text_warnings(text: str | None, scored: bool) -> list[str]:
    """The warnings of a search: :data:`NO_SEARCHABLE_WORDS` when it has text but nothing to
    score it with."""
    return [NO_SEARCHABLE_WORDS] if text and not scored else []


def search_fields(tuning: Tuning, field: str) -> dict[str, float]:
    """The fields (mapping paths → boosts) a text search with this field selector runs on."""
    paths = FIELD_SELECTORS[field]
    if paths is None:
        return dict(tuning.article_fields)
    return {p: tuning.article_fields.get(p, 1.0) for p in paths}


def preview(article: Article) -> Article:
    """The article as a search hit shows it: body cut short, no comments."""
    body = article.body
    if len(body) > HIT_BODY_CHARS:
        body = body[:HIT_BODY_CHARS].rstrip() + "…"
    return article.model_copy(update={"body": body, "comments": []})


def check_recent_size(size: int) -> None:
    if not 1 <= size <= MAX_RECENT_COMMENTS:
        raise InvalidQuery(f"size must be between 1 and {MAX_RECENT_COMMENTS}")


def nearest_office(
    therapist: Therapist, near: GeoFilter, unit: str, km: float | None = None
) -> NearestOffice | None:
    """The office nearest to the search point (the first of equally near ones), its distance
    in ``unit``. ``km``: the engine's distance for it (a distance sort value); computed here
    when not given."""
    if not therapist.offices:
        return None
    dists = [
        (distance_km(near.lat, near.lon, o.location.lat, o.location.lon), i)
        for i, o in enumerate(therapist.offices)
    ]
    best_km, best = min(dists)
    if km is not None and math.isfinite(km):
        best_km = km
    shown = from_km(best_km, "mi" if unit == "mi" else "km")
    return NearestOffice(office=therapist.offices[best], distance=round(shown, 2), unit=unit)


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
