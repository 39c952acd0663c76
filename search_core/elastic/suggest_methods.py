"""Elasticsearch engine: typeahead (mixed into
:class:`search_core.elastic.backend.ElasticBackend`).

The four sources and their merge are :mod:`search_core.typeahead`'s (vocabulary table, places
from the geocoder, :func:`search_core.typeahead.interleave`); only names and article
titles come from Elasticsearch (:mod:`search_core.elastic.suggest_query`), and the city counts
that drop cities without therapists come from one small aggregation over the candidate cities.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from search_core.elastic import responses
from search_core.elastic.suggest_query import names_body, titles_body
from search_core.geocode import Place
from search_core.queries import SuggestQuery
from search_core.results import Suggestion
from search_core.typeahead import (
    Sources,
    interleave,
    place_suggestions,
    vocabulary_matches,
)


class SuggestMethods:
    if TYPE_CHECKING:  # provided by ElasticBackend and BrowseMethods

        async def search_raw(
            self,
            kind: str,
            body: dict[str, Any],
            what: str,
            index: str | None = None,
            preference: str | None = None,
        ) -> dict[str, Any]: ...

        async def city_counts_for(self, slugs: Sequence[str]) -> dict[str, int]: ...

    async def suggest(
        self, q: SuggestQuery, places: Sequence[Place] | None = None
    ) -> list[Suggestion]:
        vocabulary, vocabulary_words = vocabulary_matches(q.prefix)
        cities = [p.slug for p in places or () if p.kind == "city"]
        counts, names, articles = await asyncio.gather(
            self.city_counts_for(cities),
            self._names(q.prefix, q.size),
            self._titles(q.prefix, q.size),
        )
        sources = Sources(
            vocabulary=vocabulary,
            places=place_suggestions(places, counts) if places else [],
            names=names,
            articles=articles,
            vocabulary_words=vocabulary_words,
        )
        return interleave(q.prefix, sources, q.size)

    async def _names(self, prefix: str, size: int) -> list[Suggestion]:
        body = names_body(prefix, size)
        if body is None:
            return []
        resp = await self.search_raw("therapists", body, "suggest therapist names")
        return responses.name_suggestions(resp, prefix)

    async def _titles(self, prefix: str, size: int) -> list[Suggestion]:
        body = titles_body(prefix, size)
        if body is None:
            return []
        resp = await self.search_raw("articles", body, "suggest article titles")
        return responses.title_suggestions(resp)
