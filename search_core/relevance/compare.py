"""Two runs side by side (two tunings, or two engines): per-query wins and losses, and whether
the difference of the means is more than chance (paired t-test and a paired randomization
test, both from scipy)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from search_core.relevance.evaluate import EvalReport

TIE = 1e-9


@dataclass(frozen=True)
class QueryDelta:
    qid: str
    a: float
    b: float

    @property
    def delta(self) -> float:
        return self.b - self.a


@dataclass
class Comparison:
    metric: str
    a: EvalReport = field(repr=False)
    b: EvalReport = field(repr=False)
    deltas: list[QueryDelta]
    """Per query, biggest loss first, biggest win last (``b - a``)."""
    t_statistic: float
    t_pvalue: float
    perm_pvalue: float
    permutations: int

    @property
    def label_a(self) -> str:
        return f"{self.a.tuning.name}@{self.a.engine}"

    @property
    def label_b(self) -> str:
        return f"{self.b.tuning.name}@{self.b.engine}"

    @property
    def mean_a(self) -> float:
        return float(np.mean([d.a for d in self.deltas])) if self.deltas else 0.0

    @property
    def mean_b(self) -> float:
        return float(np.mean([d.b for d in self.deltas])) if self.deltas else 0.0

    @property
    def wins(self) -> list[QueryDelta]:
        """Queries where ``b`` is better."""
        return [d for d in self.deltas if d.delta > TIE]

    @property
    def losses(self) -> list[QueryDelta]:
        return [d for d in self.deltas if d.delta < -TIE]

    @property
    def ties(self) -> list[QueryDelta]:
        return [d for d in self.deltas if abs(d.delta) <= TIE]

    def significant(self, alpha: float = 0.05) -> bool:
        return self.perm_pvalue < alpha

    def movers(self, n: int = 10) -> list[QueryDelta]:
        """The ``n`` queries that moved most, either way, biggest first."""
        moved = [d for d in self.deltas if abs(d.delta) > TIE]
        return sorted(moved, key=lambda d: (-abs(d.delta), d.qid))[:n]

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "a": self.label_a,
            "b": self.label_b,
            "queries": len(self.deltas),
            "mean_a": self.mean_a,
            "mean_b": self.mean_b,
            "delta": self.mean_b - self.mean_a,
            "wins": len(self.wins),
            "losses": len(self.losses),
            "ties": len(self.ties),
            "t_test": {"statistic": self.t_statistic, "pvalue": self.t_pvalue},
            "randomization_test": {
                "pvalue": self.perm_pvalue,
                "permutations": self.permutations,
            },
            "per_query": [
                {"qid": d.qid, "a": d.a, "b": d.b, "delta": d.delta} for d in self.deltas
            ],
        }


def _mean_diff(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    result: np.ndarray = np.mean(y - x, axis=axis)
    return result


def compare(
    a: EvalReport,
    b: EvalReport,
    metric: str | None = None,
    *,
    permutations: int = 10_000,
    seed: int = 0,
) -> Comparison:
    """Compare ``b`` against ``a`` on ``metric`` (default: ``a``'s main metric), over the
    queries both measured. The randomization test swaps each query's pair of values at
    random (``permutations`` times, seeded: the same p-value every run)."""
    m = metric or a.main_metric
    if m not in a.metrics or m not in b.metrics:
        raise ValueError(f"both reports need metric {m!r}")
    qids = [q for q in a.per_query if q in b.per_query]
    deltas = [QueryDelta(q, a.per_query[q][m], b.per_query[q][m]) for q in qids]
    deltas.sort(key=lambda d: (d.delta, d.qid))
    x = np.array([d.a for d in deltas])
    y = np.array([d.b for d in deltas])
    if len(deltas) < 2 or np.allclose(x, y):
        t_stat, t_p, perm_p = 0.0, 1.0, 1.0
    else:
        # Imported here: scipy.stats takes 0.4 s to import, and every command (``index``
        # too) builds the parser that imports this module.
        from scipy import stats

        t = stats.ttest_rel(y, x)
        t_stat = float(t.statistic)
        t_p = float(t.pvalue) if not math.isnan(t.pvalue) else 1.0
        perm = stats.permutation_test(
            (x, y),
            _mean_diff,
            permutation_type="samples",
            n_resamples=permutations,
            alternative="two-sided",
            vectorized=True,
            rng=np.random.default_rng(seed),
        )
        perm_p = float(perm.pvalue)
    return Comparison(m, a, b, deltas, t_stat, t_p, perm_p, permutations)
