"""Ranking: the hits of a search in result order, by the blend of relevance, distance decay,
freshness and the accepting-new-clients boost (or by distance, or by date), ties by id."""

from __future__ import annotations

import math
import time

import numpy as np
import tantivy

from search_core.embedded.columns import ACCEPTING, LAST_CONFIRMED, NO_FLAG
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
        km: np.ndarray | None,
        q: TherapistQuery,
    ) -> Ranked:
        """The hits in the query's order (ties by id), with their shown scores (none without
        search text)."""
        if not len(fields):
            return NOTHING
        id_keys = fields.get(ID_KEY_FIELD, np.uint64, 0)
        epochs = fields.get(LAST_CONFIRMED + EPOCH_SUFFIX, np.float64, 0.0)
        raw = scores if scores is not None else np.ones(len(fields))
        want = q.offset + q.size
        if q.sort == "distance" and km is not None:
            order = first(km, id_keys, want)
            final = raw
        elif q.sort == "recent":
            order = first(-epochs, id_keys, want)
            final = raw
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
        t = self.tuning
        out = scores.copy()
        if km is not None and t.distance.weight > 0:
            d = t.distance
            g = gauss(km, d.offset_km, d.scale_km, d.decay)
            out *= (1 - d.weight) + d.weight * g
        if t.freshness.weight > 0:
            f = t.freshness
            now = time.time()
            age_days = np.maximum(0.0, (now - epochs) / 86400.0)
            g = gauss(age_days, f.offset_days, f.scale_days, f.decay)
            out *= (1 - f.weight) + f.weight * g
        if t.accepting_new_clients_boost != 1.0:
            acc = fields.get(ACCEPTING, np.int8, NO_FLAG) == 1
            out *= np.where(acc, t.accepting_new_clients_boost, 1.0)
        return out

    # ------------------------------------------------------------------ hits
