"""Ranking: the hits of a search in result order, by the blend of relevance, distance decay,
freshness and the accepting-new-clients boost (or by distance, or by date), ties by id."""

from __future__ import annotations

import math
import time

import numpy as np
import tantivy

from search_core.embedded.columns import ACCEPTING, LAST_CONFIRMED, NO_FLAG
from search_core.embedded.distances import NearestKm
from search_core.embedded.hits import NOTHING, HitFields, Ranked
from search_core.embedded.schema import EPOCH_SUFFIX, ID_KEY_FIELD
from search_core.queries import TherapistQuery
from search_core.tuning import Tuning

RESCORE_WINDOW = 200
"""Without a location, the top hits by BM25 that the freshness and accepting boosts re-rank."""
TIE_MARGIN = 200
"""Without text or location: hits taken beyond the page from each sorted candidate list, so
a run of therapists confirmed on the same day is ranked by id even across the page's end."""


def first(key: np.ndarray, id_keys: np.ndarray, want: int) -> np.ndarray:
    """Positions of the ``want`` smallest ``(key, id)`` pairs in order (all of them when
    fewer; possibly a few more, tied with the last). Only those are sorted."""
    n = len(key)
    candidates = np.arange(n)
    if 0 < want < n // 4:
        kth = np.partition(key, want - 1)[want - 1]
        candidates = np.flatnonzero(key <= kth)
    by = np.lexsort((id_keys[candidates], key[candidates]))
    ordered: np.ndarray = candidates[by]
    return ordered


BOUND_SLACK = 1e-9
"""Relative room left when comparing a bounded blend with another: the decay's ``exp`` need not
be monotonic to the last bit."""


def nearest_first(km: NearestKm, id_keys: np.ndarray, want: int) -> np.ndarray:
    """:func:`first` by distance with the distances known within bounds: only the hits whose
    lower bound is at most the ``want``-th smallest upper bound are measured (any other is
    farther than ``want`` hits)."""
    n = len(km)
    if want >= n // 4 or km.measured:
        return first(km.exact(), id_keys, want)
    upper = km.upper
    limit = np.partition(upper, want - 1)[want - 1]
    cand = np.flatnonzero(km.lower <= limit)
    ordered: np.ndarray = cand[first(km.exact(cand), id_keys[cand], want)]
    return ordered


def gauss(x: np.ndarray, offset: float, scale: float, decay: float) -> np.ndarray:
    """Elasticsearch's gauss decay: 1 up to ``offset``, ``decay`` at ``offset + scale``."""
    sigma2 = -(scale**2) / (2.0 * math.log(decay))
    over = np.maximum(0.0, x - offset)
    result: np.ndarray = np.exp(-(over**2) / (2.0 * sigma2))
    return result


class Ranking:
    """The order of a search's hits under one tuning."""

    def __init__(self, tuning: Tuning) -> None:
        self.tuning = tuning

    def rank(
        self, searcher: tantivy.Searcher, query: tantivy.Query, q: TherapistQuery, has_text: bool
    ) -> tuple[Ranked, int]:
        """A search without a location: Tantivy's top hits (by BM25, or by date), re-ranked
        in order, and the total."""
        want = q.offset + q.size
        if q.sort == "recent":
            result = searcher.search(
                query,
                limit=want + RESCORE_WINDOW,
                count=True,
                order_by_field=LAST_CONFIRMED + EPOCH_SUFFIX,
            )
        else:
            result = searcher.search(
                query, limit=max(want, RESCORE_WINDOW) + RESCORE_WINDOW, count=True
            )
        hits, count = result.hits, int(result.count)  # type: ignore[attr-defined]
        if count == 0:
            return NOTHING, 0
        fields = HitFields(searcher, hits)
        return self.order(fields, fields.scores() if has_text else None, None, q), count

    def rank_unscored(
        self,
        searcher: tantivy.Searcher,
        query: tantivy.Query,
        groups: list[tantivy.Query],
        plateau: list[tantivy.Query],
        q: TherapistQuery,
    ) -> tuple[Ranked, int]:
        """A search without text or location, ranked over *all* its matches, not Tantivy's
        first ones by document address (which would change with how the index was built).

        Without text the score is freshness × the accepting boost: within one accepting
        group (``groups``: ``query`` with accepting yes, and no) it only falls with age, and
        ties go by id. So the page is among, per group, the freshest hits (when freshness
        counts) and the lowest ids of the hits it scores alike: all of them when freshness is
        off, else those within its offset (``plateau``: the groups limited to that age)."""
        want = q.offset + q.size
        limit = want + TIE_MARGIN
        count = int(searcher.search(query, limit=1, count=True).count)  # type: ignore[attr-defined]
        if count == 0:
            return NOTHING, 0
        fresh = self.tuning.freshness.weight > 0
        lists: list[tuple[tantivy.Query, str, tantivy.Order]] = []
        for group in groups:
            if fresh:
                lists.append((group, LAST_CONFIRMED + EPOCH_SUFFIX, tantivy.Order.Desc))
            else:
                lists.append((group, ID_KEY_FIELD, tantivy.Order.Asc))
        if fresh:
            lists += [(p, ID_KEY_FIELD, tantivy.Order.Asc) for p in plateau]
        seen: dict[tuple[int, int], tuple[float, tantivy.DocAddress]] = {}
        for sub, field, direction in lists:
            found = searcher.search(
                sub, limit=limit, count=False, order_by_field=field, order=direction
            )
            for _, addr in found.hits:
                seen.setdefault((addr.segment_ord, addr.doc), (1.0, addr))
        fields = HitFields(searcher, list(seen.values()))
        return self.order(fields, None, None, q), count

    def order(
        self,
        fields: HitFields,
        scores: np.ndarray | None,
        km: np.ndarray | NearestKm | None,
        q: TherapistQuery,
    ) -> Ranked:
        """The hits in the query's order (ties by id), with their shown scores (none without
        search text). With ``km`` known within bounds (:class:`NearestKm`), only the hits that
        can still reach the page are measured exactly (see :func:`nearest_first` and
        :meth:`blend_bounded`); the order and the scores are those of measuring them all."""
        if not len(fields):
            return NOTHING
        id_keys = fields.get(ID_KEY_FIELD, np.uint64, 0)
        epochs = fields.get(LAST_CONFIRMED + EPOCH_SUFFIX, np.float64, 0.0)
        raw = scores if scores is not None else np.ones(len(fields))
        want = q.offset + q.size
        if q.sort == "distance" and km is not None:
            if isinstance(km, NearestKm):
                order = nearest_first(km, id_keys, want)
            else:
                order = first(km, id_keys, want)
            final = raw
        elif q.sort == "recent":
            order = first(-epochs, id_keys, want)
            final = raw
        elif isinstance(km, NearestKm):
            final, order = self.blend_bounded(fields, raw, epochs, km, id_keys, want)
        else:
            final = self.blend(fields, raw, epochs, km)
            order = first(-final, id_keys, want)
        return Ranked(fields, order, final if scores is not None else None)

    def blend(
        self,
        fields: HitFields,
        scores: np.ndarray,
        epochs: np.ndarray,
        km: np.ndarray | None,
    ) -> np.ndarray:
        out = scores.copy()
        if km is not None and self.tuning.distance.weight > 0:
            out *= self.distance_factor(km)
        for factor in self.other_factors(fields, epochs):
            out *= factor
        return out

    def distance_factor(self, km: np.ndarray) -> np.ndarray:
        """The blend's distance decay (falling with the distance)."""
        d = self.tuning.distance
        factor: np.ndarray = (1 - d.weight) + d.weight * gauss(km, d.offset_km, d.scale_km, d.decay)
        return factor

    def other_factors(self, fields: HitFields, epochs: np.ndarray) -> list[np.ndarray]:
        """The blend's factors after the distance decay: freshness, accepting new clients."""
        t = self.tuning
        out = []
        if t.freshness.weight > 0:
            f = t.freshness
            now = time.time()
            age_days = np.maximum(0.0, (now - epochs) / 86400.0)
            g = gauss(age_days, f.offset_days, f.scale_days, f.decay)
            out.append((1 - f.weight) + f.weight * g)
        if t.accepting_new_clients_boost != 1.0:
            acc = fields.get(ACCEPTING, np.int8, NO_FLAG) == 1
            out.append(np.where(acc, t.accepting_new_clients_boost, 1.0))
        return out

    def blend_bounded(
        self,
        fields: HitFields,
        scores: np.ndarray,
        epochs: np.ndarray,
        km: NearestKm,
        id_keys: np.ndarray,
        want: int,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The blend's first ``want`` hits in order and their scores (NaN for the hits that
        cannot reach them), measuring the distance only of the hits whose blend, bounded by
        their distance bounds, can still reach the ``want``-th best: every other hit's best
        possible blend is below the worst possible blend of ``want`` hits."""
        n = len(scores)
        if self.tuning.distance.weight <= 0:  # the distance does not count
            final = self.blend(fields, scores, epochs, None)
            return final, first(-final, id_keys, want)
        if want >= n // 4 or km.measured or bool((scores < 0).any()):  # measure all
            final = self.blend(fields, scores, epochs, km.exact())
            return final, first(-final, id_keys, want)
        others = self.other_factors(fields, epochs)
        low, high = scores * self.distance_factor(km.upper), scores * self.distance_factor(km.lower)
        for factor in others:
            low *= factor
            high *= factor
        floor = np.partition(low, n - want)[n - want]  # the want-th best worst case
        cand = np.flatnonzero(high * (1 + BOUND_SLACK) >= floor * (1 - BOUND_SLACK))
        part = scores[cand] * self.distance_factor(km.exact(cand))
        for factor in others:
            part *= factor[cand]
        final = np.full(n, np.nan)
        final[cand] = part
        return final, cand[first(-part, id_keys[cand], want)]

    # ------------------------------------------------------------------ hits
