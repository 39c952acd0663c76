from __future__ import annotations

from pathlib import Path

import pytest

from search_core.relevance.compare import compare
from search_core.relevance.evaluate import EvalReport
from search_core.relevance.plots import plot_distributions, plot_movers
from search_core.tuning import Tuning

PNG = b"\x89PNG\r\n\x1a\n"


def _report(name: str, values: dict[str, float]) -> EvalReport:
    return EvalReport(
        engine="embedded",
        tuning=Tuning(name=name),
        metrics=["ndcg@10"],
        k=10,
        rel=2,
        per_query={q: {"ndcg@10": v} for q, v in values.items()},
        means={"ndcg@10": sum(values.values()) / len(values)},
        run={},
    )


A = {f"q{i:02}": 0.3 + 0.02 * i for i in range(20)}


def test_identical_runs_tie_everywhere() -> None:
    c = compare(_report("a", A), _report("b", A))
    assert len(c.ties) == 20 and not c.wins and not c.losses
    assert c.perm_pvalue == 1.0 and c.t_pvalue == 1.0 and not c.significant()


def test_a_consistent_gain_is_significant() -> None:
    b = {q: v + 0.1 + (0.02 if q == "q05" else 0) for q, v in A.items()}
    c = compare(_report("a", A), _report("b", b), permutations=2000)
    assert len(c.wins) == 20 and c.mean_b - c.mean_a == pytest.approx(0.101)
    assert c.significant() and c.t_pvalue < 0.001
    assert c.movers(1)[0].qid == "q05"
    assert c.to_dict()["wins"] == 20


def test_one_lucky_query_is_not_significant() -> None:
    b = dict(A, q00=0.9)
    c = compare(_report("a", A), _report("b", b), permutations=2000, seed=1)
    assert len(c.wins) == 1 and len(c.ties) == 19
    assert not c.significant()
    assert (
        c.perm_pvalue
        == compare(_report("a", A), _report("b", b), permutations=2000, seed=1).perm_pvalue
    )


def test_plots_are_pngs(tmp_path: Path) -> None:
    b = {q: v + (0.1 if q < "q10" else -0.05) for q, v in A.items()}
    c = compare(_report("a", A), _report("b", b), permutations=200)
    for path in (plot_distributions(c, tmp_path / "d.png"), plot_movers(c, tmp_path / "m.png")):
        assert path.read_bytes()[:8] == PNG and path.stat().st_size > 5_000
