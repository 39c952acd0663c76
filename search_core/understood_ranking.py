"""The words an understood search ranks by and never selects by: the labels of its understood
filters and the ordinary words the search box left over (:attr:`Understanding.rank_text`)."""

from __future__ import annotations

from typing import TypeVar

from search_core.filters import FILTER_VOCABULARIES
from search_core.filters import boosted as boosted_facets
from search_core.understanding import Request, Understanding, whom

__all__ = ["BOOSTED_FACETS", "boosted"]


BOOSTED_FACETS = boosted_facets()
"""Understood filters whose label is also searched as text: every therapist the filter keeps
has the label in its label field, so the words rank (bios that stress the asked-for issue
first) and highlight without removing anyone."""


R = TypeVar("R", bound=Request)


def boosted(req: R, u: Understanding | None) -> R:
    """``req`` with the labels of its understood one-value specialty filters (and of a couples
    group) as the words that only rank (``rank_text``; a filter with several values keeps
    anyone with one of them, so its labels are left out), and the ordinary words the search
    box left over (:attr:`Understanding.rank_text`), which only rank too."""
    if u is None:
        return req
    words: list[str] = []
    for piece in u.pieces:
        for facet in BOOSTED_FACETS:
            slug = piece.filter.get(facet)
            values = req.filters.facet_values(facet)
            if (
                piece.hard
                and isinstance(slug, str)
                and (values == [slug] or _ranked_all(facet, slug, values, req.filters.all_of))
            ):
                words.append(FILTER_VOCABULARIES[facet].label(slug).split(" (")[0])
        if piece.hard and piece.filter.get("any_of") and req.filters.any_of:
            words.append(piece.label)
    if u.rank_text:
        words.append(u.rank_text)  # the ordinary words left over: they rank, never select
    if not words:
        return req
    return req.model_copy(update={"rank_text": " ".join(dict.fromkeys(words))})


def _ranked_all(facet: str, slug: object, values: list[str], all_of: list[str]) -> bool:
    """Several issues named: each label ranks when all of them are required (``all_of``), or
    when they are read as "rank those with all first" (:data:`whom.CONJUNCTION` ``rank``)."""
    if f"{facet}:{slug}" in all_of:
        return True
    return whom.CONJUNCTION == "rank" and facet in whom.CONJUNCTION_FACETS and slug in values
