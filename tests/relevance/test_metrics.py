"""Metrics against a tiny example computed by hand (trec_eval conventions)."""

from __future__ import annotations

import math

import pytest

from search_core.errors import InvalidQuery
from search_core.relevance.judgments import Judgment, JudgmentList, QuerySpec
from search_core.relevance.metrics import evaluable, measure, per_query

METRICS = ["ndcg@3", "mrr@3", "p@3", "r@3", "judged@3"]


def _judged(grades: dict[str, dict[str, int]]) -> JudgmentList:
    j = JudgmentList()
    for qid, docs in grades.items():
        j.add_query(QuerySpec(qid=qid, query=qid))
        for doc, g in docs.items():
            j.add(Judgment(qid=qid, doc=doc, grade=g))
    return j


GRADES = {"q1": {"a": 3, "b": 1, "c": 0, "d": 2}, "q2": {"x": 2}, "q3": {"z": 0}}


def test_hand_computed_example() -> None:
    # q1 ranks b (1), c (0), a (3); d (2) is judged but not returned.
    # DCG@3 = 1/log2(2) + 0 + 3/log2(4) = 2.5; ideal a, d, b: 3 + 2/log2(3) + 1/2 = 4.76186
    values = per_query(_judged(GRADES), {"q1": ["b", "c", "a"], "q2": []}, METRICS)
    q1 = values["q1"]
    assert q1["ndcg@3"] == pytest.approx(2.5 / (3 + 2 / math.log2(3) + 0.5))
    assert q1["mrr@3"] == pytest.approx(1 / 3)  # first grade >= 2 is a, at rank 3
    assert q1["p@3"] == pytest.approx(1 / 3)
    assert q1["r@3"] == pytest.approx(1 / 2)  # a of {a, d}
    assert q1["judged@3"] == pytest.approx(1.0)


def test_ideal_ranking_is_not_truncated_to_the_hits() -> None:
    """A run returning only the best document still misses the ideal's other relevant ones."""
    values = per_query(_judged(GRADES), {"q1": ["a"]}, ["ndcg@3"])
    assert values["q1"]["ndcg@3"] == pytest.approx(3 / (3 + 2 / math.log2(3) + 0.5))


def test_a_query_without_hits_scores_zero_and_stays_in_the_average() -> None:
    values = per_query(_judged(GRADES), {"q1": ["a", "d", "b"]}, ["ndcg@3", "p@3"])
    assert values["q1"]["ndcg@3"] == pytest.approx(1.0)
    assert values["q2"] == {"ndcg@3": 0.0, "p@3": 0.0}


def test_queries_without_a_relevant_document_are_left_out() -> None:
    assert evaluable(_judged(GRADES)) == ["q1", "q2"]
    assert "q3" not in per_query(_judged(GRADES), {"q3": ["z"]}, ["ndcg@3"])


def test_the_engine_order_is_kept_whatever_the_ids() -> None:
    """trec_eval sorts by score then id; scores derived from ranks keep the engine's order."""
    j = _judged({"q": {"a": 1, "z": 3}})
    assert per_query(j, {"q": ["z", "a"]}, ["ndcg@1"])["q"]["ndcg@1"] == pytest.approx(1.0)
    assert per_query(j, {"q": ["a", "z"]}, ["ndcg@1"])["q"]["ndcg@1"] == pytest.approx(1 / 3)


def test_unjudged_documents_count_as_not_relevant() -> None:
    values = per_query(_judged(GRADES), {"q2": ["new", "x"]}, ["mrr@3", "judged@3"])
    assert values["q2"]["mrr@3"] == pytest.approx(0.5)
    assert values["q2"]["judged@3"] == pytest.approx(0.5)


def test_relevance_level_for_binary_metrics() -> None:
    values = per_query(_judged(GRADES), {"q1": ["b", "a"]}, ["mrr@3"], rel=1)
    assert values["q1"]["mrr@3"] == pytest.approx(1.0)


def test_metric_names() -> None:
    assert str(measure("ndcg@10")) == "nDCG@10"
    assert str(measure("mrr@10")) == "RR(rel=2)@10"
    assert str(measure("p@5", rel=1)) == "P@5"  # rel=1 is the default
    assert str(measure("ERR@10")) == "ERR@10"
    with pytest.raises(InvalidQuery, match="needs a cutoff"):
        measure("p")
    with pytest.raises(InvalidQuery, match="unknown metric"):
        measure("bogus@@")
