"""Metrics against a tiny example computed by hand (trec_eval conventions)."""

from __future__ import annotations

import math

import pytest

from search_core.errors import InvalidQuery
from search_core.relevance.judgments import Judgment, JudgmentList, QuerySpec
from search_core.relevance.metrics import (
    evaluable,
    mean_defined,
    measure,
    per_query,
    satisfiable,
    satisfied_at,
    zero_result_rate,
)

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


# ------------------------------------------------- the search-box figures, computed by hand

BOX = {
    "q1": {"a": 3, "b": 2, "c": 0, "d": 1},  # 2 satisfying documents (a, b)
    "q2": {"x": 2, "y": 0},  # 1 satisfying
    "q3": {"z": 1},  # nothing satisfies: not satisfiable
    "q4": {f"s{i}": 2 for i in range(12)},  # 12 satisfying
}


def test_satisfiable_queries_have_a_document_graded_2_or_better() -> None:
    j = _judged(BOX)
    assert satisfiable(j) == ["q1", "q2", "q4"]
    assert satisfiable(j, rel=3) == ["q1"]


def test_zero_result_rate_counts_empty_and_missing_result_lists() -> None:
    # q1 has hits, q2 an empty list, q4 is missing from the run: 2 of 3 without hits
    run = {"q1": ["a"], "q2": []}
    assert zero_result_rate(run, ["q1", "q2", "q4"]) == pytest.approx(2 / 3)
    assert zero_result_rate(run, ["q1"]) == 0.0
    assert zero_result_rate(run, []) is None


def test_satisfied_share_counts_the_slots_that_could_satisfy() -> None:
    j = _judged(BOX)
    # q1: top 3 = c (0), a (3), e (unjudged): 1 satisfying of min(3 slots, 3 hits, 2 good) = 1/2
    assert satisfied_at(j, "q1", ["c", "a", "e"], k=3) == pytest.approx(1 / 2)
    # both satisfying documents in the top 10 of 10 hits: everything that could, 1.0
    ten = ["a", "c", "d", "b", "e1", "e2", "e3", "e4", "e5", "e6"]
    assert satisfied_at(j, "q1", ten) == pytest.approx(1.0)
    # a page of 1 hit that satisfies: 1 of 1; q2 with only its 0-graded hit: 0 of 1
    assert satisfied_at(j, "q2", ["x"]) == pytest.approx(1.0)
    assert satisfied_at(j, "q2", ["y", "x"], k=1) == pytest.approx(0.0)
    # 12 satisfying, top 10 holds 7 of them and 3 unjudged: 7 / 10
    seven = [f"s{i}" for i in range(7)] + ["u1", "u2", "u3"]
    assert satisfied_at(j, "q4", seven) == pytest.approx(0.7)
    # only the top k counts: a satisfying 11th hit adds nothing
    assert satisfied_at(j, "q4", [*seven, "s9"]) == pytest.approx(0.7)
    # undefined without hits, or when nothing could satisfy
    assert satisfied_at(j, "q1", []) is None
    assert satisfied_at(j, "q3", ["z"]) is None


def test_mean_defined_skips_undefined_values() -> None:
    assert mean_defined([0.5, None, 1.0]) == pytest.approx(0.75)
    assert mean_defined([None]) is None
