"""Ranking metrics, computed outside the engine by ``ir-measures`` (trec_eval via
``pytrec_eval-terrier``), so tunings and engines that return different numbers of hits are
measured against the same ideal ranking: the judged documents, not the hits returned.

Short names (``--metric``) and what they mean, for a relevance level ``rel`` (default 2):

=============  ===================  =====================================================
ndcg@k         ``nDCG@k``           graded gains 0-3 (trec_eval: linear), ideal from all
                                    judgments of the query
mrr@k / mrr    ``RR(rel=2)@k``      1 / rank of the first document graded >= rel
p@k            ``P(rel=2)@k``       share of the top k graded >= rel (missing ranks count 0)
r@k            ``R(rel=2)@k``       share of the documents graded >= rel found in the top k
map            ``AP(rel=2)``        average precision
judged@k       ``Judged@k``         share of the top k that has a grade at all (coverage)
=============  ===================  =====================================================

Any other ``ir-measures`` name (``nDCG@5``, ``ERR@10``, ``P(rel=1)@5``) is accepted as it is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence

import ir_measures
from ir_measures import Qrel, ScoredDoc

from search_core.errors import InvalidQuery
from search_core.relevance.judgments import JudgmentList

NO_HITS = "__no_hits__"
"""Stands in for an empty result list, so a query without hits scores 0 instead of vanishing
from the average."""
DEFAULT_REL = 2
PerQuery = dict[str, dict[str, float]]

_SHORT = re.compile(r"^(ndcg|mrr|p|r|judged|map)(?:@(\d+))?$")


def measure(name: str, rel: int = DEFAULT_REL) -> ir_measures.Measure:
    """The ir-measures measure for a short or native name."""
    m = _SHORT.match(name.strip().lower())
    if m is None:
        try:
            return ir_measures.parse_measure(name)
        except Exception as exc:  # ir-measures raises several kinds
            raise InvalidQuery(f"unknown metric {name!r}: {exc}") from exc
    kind, cut = m.group(1), m.group(2)
    base = {
        "ndcg": "nDCG",
        "mrr": f"RR(rel={rel})",
        "p": f"P(rel={rel})",
        "r": f"R(rel={rel})",
        "judged": "Judged",
        "map": f"AP(rel={rel})",
    }[kind]
    if cut is None and kind in ("p", "r", "judged"):
        raise InvalidQuery(f"metric {name!r} needs a cutoff, e.g. {kind}@10")
    return ir_measures.parse_measure(f"{base}@{cut}" if cut else base)


def default_metrics(k: int = 10) -> list[str]:
    return [f"ndcg@{k}", f"mrr@{k}", f"p@{k}", f"r@{k}", f"judged@{k}"]


def qrels_of(judgments: JudgmentList) -> list[Qrel]:
    return [
        Qrel(qid, doc, j.grade)
        for qid, graded in judgments.grades.items()
        for doc, j in graded.items()
    ]


def scored_docs(run: Mapping[str, Sequence[str]]) -> list[ScoredDoc]:
    """Ranked lists → scored documents whose scores keep the ranks (trec_eval re-sorts by
    score, and would break ties by document id, not by the engine's order)."""
    out: list[ScoredDoc] = []
    for qid, docs in run.items():
        if not docs:
            out.append(ScoredDoc(qid, NO_HITS, 0.0))
        n = len(docs)
        out.extend(ScoredDoc(qid, doc, float(n - i)) for i, doc in enumerate(docs))
    return out


def evaluable(judgments: JudgmentList, min_grade: int = 1) -> list[str]:
    """Queries with at least one document graded ``min_grade`` or better (others have no
    ideal ranking: nDCG and recall are undefined)."""
    return [q for q in judgments.queries if judgments.relevant(q, min_grade)]


def per_query(
    judgments: JudgmentList,
    run: Mapping[str, Sequence[str]],
    metrics: Iterable[str],
    rel: int = DEFAULT_REL,
) -> PerQuery:
    """metric name → value, per query of ``judgments`` that has a relevant document; a query
    missing from ``run`` counts as one without hits."""
    names = list(dict.fromkeys(metrics))
    by_measure = {measure(n, rel): n for n in names}
    qids = evaluable(judgments)
    ranked = {q: list(run.get(q, [])) for q in qids}
    qrels = [q for q in qrels_of(judgments) if q.query_id in ranked]
    out: PerQuery = {q: dict.fromkeys(names, 0.0) for q in qids}
    for m in ir_measures.iter_calc(list(by_measure), qrels, scored_docs(ranked)):
        value = float(m.value)
        out[m.query_id][by_measure[m.measure]] = 0.0 if math.isnan(value) else value
    return out


def mean(values: PerQuery, metric: str) -> float:
    if not values:
        return 0.0
    return sum(v[metric] for v in values.values()) / len(values)


def means(values: PerQuery, metrics: Iterable[str]) -> dict[str, float]:
    return {m: mean(values, m) for m in metrics}


# ------------------------------------------------------------- what the search box promises


def satisfiable(judgments: JudgmentList, rel: int = DEFAULT_REL) -> list[str]:
    """Queries the data can answer: some document is graded ``rel`` or better. The judge pools
    every document the rules grade that well (up to its cap of 40, more than any cutoff used
    here), so the judged set knows them."""
    return [q for q in judgments.queries if judgments.relevant(q, rel)]


def zero_result_rate(run: Mapping[str, Sequence[str]], qids: Iterable[str]) -> float | None:
    """Share of ``qids`` whose result list is empty (a query missing from ``run`` is one
    without hits); None for no queries. Measured on :func:`satisfiable` queries, where an
    empty page is always a failure of the search, never of the data (target: 0)."""
    wanted = list(qids)
    if not wanted:
        return None
    return sum(1 for q in wanted if not run.get(q)) / len(wanted)


def satisfied_at(
    judgments: JudgmentList, qid: str, docs: Sequence[str], k: int = 10, rel: int = DEFAULT_REL
) -> float | None:
    """Share of the top ``k`` that gives the searcher what they asked for (graded ``rel`` or
    better; an unjudged hit counts as not), out of the slots that could: min(k, hits shown,
    documents graded ``rel``+). So a query only 3 therapists answer scores 1 when all 3 are
    in its top 10, and a page of 4 hits is judged on those 4. None without hits (that is the
    zero-result rate's business) or without any satisfying document."""
    top = list(docs[:k])
    good = len(judgments.relevant(qid, rel))
    slots = min(k, len(top), good)
    if slots == 0:
        return None
    hits = sum(1 for d in top if (judgments.grade(qid, d) or 0) >= rel)
    return min(hits, slots) / slots


def mean_defined(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are defined; None when none is."""
    got = [v for v in values if v is not None]
    return sum(got) / len(got) if got else None
