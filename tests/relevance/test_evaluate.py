from __future__ import annotations

import pytest

from search_core.relevance.evaluate import depth_for, evaluate
from search_core.relevance.judgments import JudgmentList
from search_core.relevance.lab import Lab, Ranking
from search_core.relevance.metrics import evaluable
from search_core.tuning import Tuning


def test_evaluate_the_default_tuning(lab: Lab, judged: JudgmentList) -> None:
    arts = judged.by_target("articles")
    report = evaluate(lab, arts, Tuning.load())
    assert report.engine == "embedded" and report.metrics[0] == "ndcg@10"
    assert set(report.per_query) == set(evaluable(arts))
    assert 0 < report.mean() < 1
    assert report.means_by_target()["articles"]["queries"] == len(report.per_query)
    d = report.to_dict()
    assert d["per_query"]["a-grief"]["top"] == report.run["a-grief"].docs[:10]


def test_an_oracle_run_scores_one(lab: Lab, judged: JudgmentList) -> None:
    """The judged documents in grade order are the ideal ranking: nDCG 1 everywhere."""
    arts = judged.by_target("articles")
    run = {}
    for q in evaluable(arts):
        best = sorted(arts.grades[q].values(), key=lambda j: (-j.grade, j.doc))
        docs = [j.doc for j in best if j.grade > 0][:10]
        run[q] = Ranking(q, docs, [None] * len(docs), len(docs))
    report = evaluate(lab, arts, Tuning.load(), metrics=["ndcg@10"], run=run)
    assert report.mean() == pytest.approx(1.0)


def test_depth_covers_the_deepest_cutoff() -> None:
    assert depth_for(["ndcg@10", "p@20", "mrr"], 10) == 20
    assert depth_for(["map"], 5) == 5
