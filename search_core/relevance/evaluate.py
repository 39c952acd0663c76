"""Run a tuning over a judgment list on one engine and measure it, per query and overall.

Besides the ranking metrics, two figures of what the search box promises (issue 16), both on
the *satisfiable* queries (some document graded 2+: the data can answer them): the zero-result
rate (target 0) and the share of the top k that satisfies what was asked (target >= 0.9); see
:func:`~search_core.relevance.metrics.satisfied_at`. Figures are given per target and per
query set (:mod:`search_core.relevance.sets`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from search_core.relevance.judgments import JudgmentList
from search_core.relevance.lab import Lab, Run
from search_core.relevance.metrics import (
    DEFAULT_REL,
    PerQuery,
    default_metrics,
    evaluable,
    mean_defined,
    means,
    per_query,
    satisfiable,
    satisfied_at,
    zero_result_rate,
)
from search_core.relevance.sets import load_sets
from search_core.tuning import Tuning

_CUT = re.compile(r"@(\d+)")
ZERO_TARGET = 0.0
SATISFIED_TARGET = 0.9


def depth_for(metrics: Sequence[str], k: int) -> int:
    """How many hits to fetch: the deepest cutoff any metric looks at (at least ``k``)."""
    cuts = [int(c) for m in metrics for c in _CUT.findall(m)]
    return max([k, *cuts])


@dataclass
class EvalReport:
    engine: str
    tuning: Tuning
    metrics: list[str]
    k: int
    rel: int
    per_query: PerQuery
    means: dict[str, float]
    run: Run = field(repr=False)
    targets: dict[str, str] = field(default_factory=dict, repr=False)
    """qid → therapists | articles."""
    skipped: list[str] = field(default_factory=list)
    """Queries left out: no document graded 1 or better, so no ideal ranking."""
    sets: dict[str, str] = field(default_factory=dict, repr=False)
    """qid → query set (``lab``, ``searchbox``); a query of no known set has none."""
    satisfiable: list[str] = field(default_factory=list, repr=False)
    """Measured queries the data can answer (a document graded ``rel`` or better)."""
    satisfied: dict[str, float | None] = field(default_factory=dict, repr=False)
    """qid → share of its top k that satisfies (None: no hits, or not satisfiable)."""

    @property
    def satisfied_metric(self) -> str:
        return f"satisfied@{self.k}"

    def _pick(self, qids: Iterable[str] | None) -> list[str]:
        chosen = set(self.per_query if qids is None else qids)
        return [q for q in self.satisfiable if q in chosen]

    def zero_result_rate(self, qids: Iterable[str] | None = None) -> float | None:
        """Share of the satisfiable queries (of ``qids``, default all) that found nothing."""
        docs = {q: self.run[q].docs for q in self.run}
        return zero_result_rate(docs, self._pick(qids))

    def zero_result_queries(self, qids: Iterable[str] | None = None) -> list[str]:
        return [q for q in self._pick(qids) if q not in self.run or not self.run[q].docs]

    def satisfied_share(self, qids: Iterable[str] | None = None) -> float | None:
        """Mean share of the top k that satisfies, over the satisfiable queries with hits."""
        return mean_defined(self.satisfied.get(q) for q in self._pick(qids))

    def groups(self) -> dict[str, list[str]]:
        """Row label → its queries: each target, each query set, everything."""
        out: dict[str, list[str]] = {}
        for target in sorted(set(self.targets.values())):
            out[target] = [q for q in self.per_query if self.targets.get(q) == target]
        for name in sorted(set(self.sets.get(q, "") for q in self.per_query) - {""}):
            out[f"set {name}"] = [q for q in self.per_query if self.sets.get(q) == name]
        out["all"] = list(self.per_query)
        return out

    def figures(self, qids: Iterable[str] | None = None) -> dict[str, float | None]:
        """The search-box figures of ``qids``: satisfiable count, zero-result rate, share."""
        picked = self._pick(qids)
        return {
            "satisfiable": float(len(picked)),
            "zero_result_rate": self.zero_result_rate(picked),
            self.satisfied_metric: self.satisfied_share(picked),
        }

    @property
    def main_metric(self) -> str:
        return self.metrics[0]

    def mean(self, metric: str | None = None) -> float:
        return self.means[metric or self.main_metric]

    def means_by_target(self) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for target in sorted(set(self.targets.values())):
            sub = {q: v for q, v in self.per_query.items() if self.targets.get(q) == target}
            out[target] = means(sub, self.metrics) | {"queries": float(len(sub))}
        return out

    def means_of(self, qids: Iterable[str]) -> dict[str, float]:
        sub = {q: self.per_query[q] for q in qids if q in self.per_query}
        return means(sub, self.metrics) | {"queries": float(len(sub))}

    def values(self, metric: str | None = None) -> dict[str, float]:
        m = metric or self.main_metric
        return {q: v[m] for q, v in self.per_query.items()}

    def to_dict(self) -> dict[str, Any]:
        can = set(self.satisfiable)
        return {
            "engine": self.engine,
            "tuning": self.tuning.name,
            "k": self.k,
            "rel": self.rel,
            "metrics": self.metrics,
            "queries": len(self.per_query),
            "means": self.means,
            "by_target": self.means_by_target(),
            "skipped": self.skipped,
            "figures": {
                label: self.means_of(qids) | self.figures(qids)
                for label, qids in self.groups().items()
            },
            "targets": {"zero_result_rate": ZERO_TARGET, self.satisfied_metric: SATISFIED_TARGET},
            "per_query": {
                q: {
                    "target": self.targets.get(q),
                    "set": self.sets.get(q),
                    **v,
                    "satisfiable": q in can,
                    self.satisfied_metric: self.satisfied.get(q),
                    "hits": self.run[q].total if q in self.run else 0,
                    "top": self.run[q].docs[: self.k] if q in self.run else [],
                }
                for q, v in self.per_query.items()
            },
        }


def evaluate(
    lab: Lab,
    judgments: JudgmentList,
    tuning: Tuning | None = None,
    *,
    k: int = 10,
    metrics: Sequence[str] | None = None,
    rel: int = DEFAULT_REL,
    run: Run | None = None,
    sets: Mapping[str, str] | None = None,
) -> EvalReport:
    """Measure ``tuning`` (default: the model defaults, i.e. tunings/default.json) on ``lab``'s
    engine over ``judgments``. The first metric is the main one (default ``ndcg@k``).
    ``sets`` (qid → set) defaults to the sets of the shipped query file."""
    tuning = tuning or Tuning.load()
    names = list(metrics or default_metrics(k))
    qids = evaluable(judgments)
    specs = [judgments.queries[q] for q in qids]
    if run is None:
        run = lab.run(specs, tuning, depth=depth_for(names, k))
    ranked = {q: r.docs for q, r in run.items()}
    values = per_query(judgments, ranked, names, rel)
    known = set(qids)
    can = [q for q in satisfiable(judgments, rel) if q in known]
    set_of = dict(load_sets() if sets is None else sets)
    return EvalReport(
        engine=lab.engine,
        tuning=tuning,
        metrics=names,
        k=k,
        rel=rel,
        per_query=values,
        means=means(values, names),
        run=run,
        targets={q: judgments.queries[q].target for q in qids},
        skipped=[q for q in judgments.queries if q not in known],
        sets={q: set_of[q] for q in qids if q in set_of},
        satisfiable=can,
        satisfied={q: satisfied_at(judgments, q, ranked.get(q, []), k, rel) for q in can},
    )
