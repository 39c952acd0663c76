"""Run a tuning over a judgment list on one engine and measure it, per query and overall."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from search_core.relevance.judgments import JudgmentList
from search_core.relevance.lab import Lab, Run
from search_core.relevance.metrics import (
    DEFAULT_REL,
    PerQuery,
    default_metrics,
    evaluable,
    means,
    per_query,
)
from search_core.tuning import Tuning

_CUT = re.compile(r"@(\d+)")


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

    def values(self, metric: str | None = None) -> dict[str, float]:
        m = metric or self.main_metric
        return {q: v[m] for q, v in self.per_query.items()}

    def to_dict(self) -> dict[str, Any]:
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
            "per_query": {
                q: {
                    "target": self.targets.get(q),
                    **v,
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
) -> EvalReport:
    """Measure ``tuning`` (default: the model defaults, i.e. tunings/default.json) on ``lab``'s
    engine over ``judgments``. The first metric is the main one (default ``ndcg@k``)."""
    tuning = tuning or Tuning.load()
    names = list(metrics or default_metrics(k))
    qids = evaluable(judgments)
    specs = [judgments.queries[q] for q in qids]
    if run is None:
        run = lab.run(specs, tuning, depth=depth_for(names, k))
    values = per_query(judgments, {q: r.docs for q, r in run.items()}, names, rel)
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
        skipped=[q for q in judgments.queries if q not in set(qids)],
    )
