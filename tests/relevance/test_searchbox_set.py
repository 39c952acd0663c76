"""The search-box query set (issue 16) and its two figures, on the real judged set and index."""

from __future__ import annotations

import pytest

from benchmarks import report as bench_report
from search_core.relevance.docs import Corpus
from search_core.relevance.evaluate import EvalReport, evaluate
from search_core.relevance.gate import BASELINE_FILE, Baseline, gate
from search_core.relevance.judge import (
    HAND_FILE,
    QUERIES_FILE,
    generate,
    load_hand_grades,
    load_judged_queries,
    load_pool_tunings,
)
from search_core.relevance.judgments import JudgmentList
from search_core.relevance.lab import Lab, Ranking
from search_core.relevance.metrics import satisfiable
from search_core.relevance.report import format_eval
from search_core.relevance.sets import load_sets
from search_core.settings import Settings
from search_core.tuning import Tuning

SAMPLE = (
    "sb-state-tx-abbr",  # a state need
    "sb-name-typo-vincenzo-grant",  # a name with a typo
    "sb-under-100",  # a price need
    "sb-lcsw-depression",  # a credential need
)


@pytest.fixture(scope="module")
def report(lab: Lab, judged: JudgmentList) -> EvalReport:
    return evaluate(lab, judged, Tuning.load())


def test_the_searchbox_set_is_large_tagged_and_satisfiable(judged: JudgmentList) -> None:
    queries = load_judged_queries(QUERIES_FILE)
    box = [q for q in queries if q.set == "searchbox"]
    assert len(box) >= 150
    assert all(q.qid.startswith("sb-") for q in box)
    assert all(q.satisfiable for q in box), "only queries the fixtures can answer"
    # the stored flag is what the judged set (every 2+ document the rules find) says
    can = set(satisfiable(judged))
    assert {q.qid: q.satisfiable for q in queries} == {q.qid: q.qid in can for q in queries}
    assert set(load_sets()) == set(judged.queries)


def test_the_rules_say_the_sample_is_satisfiable_and_the_file_current(
    lab: Lab, judged: JudgmentList
) -> None:
    queries = [q for q in load_judged_queries(QUERIES_FILE) if q.qid in SAMPLE]
    out = generate(
        lab, queries, Corpus.load(), load_pool_tunings(), hand=load_hand_grades(HAND_FILE)
    )
    assert out.satisfiable == dict.fromkeys(SAMPLE, True)
    assert out.unsatisfiable() == []
    for qid in SAMPLE:
        assert out.judgments.grades[qid] == judged.grades[qid], qid
    grant = [d for d, j in judged.grades["sb-name-typo-vincenzo-grant"].items() if j.grade == 3]
    assert len(grant) == 1


def test_the_figures_agree_with_the_run(report: EvalReport) -> None:
    empty = report.zero_result_queries()
    assert report.zero_result_rate() == pytest.approx(len(empty) / len(report.satisfiable))
    assert all(not report.run[q].docs for q in empty)
    shares = [v for v in report.satisfied.values() if v is not None]
    assert report.satisfied_share() == pytest.approx(sum(shares) / len(shares))
    assert all(0.0 <= v <= 1.0 for v in shares)
    groups = report.groups()
    assert len(groups["set lab"]) == 86 and len(groups["set searchbox"]) >= 150
    assert len(groups["set lab"]) + len(groups["set searchbox"]) == len(groups["all"])
    text = format_eval(report)
    assert "satisfiable" in text and "satisfied@10" in text and "set searchbox" in text
    assert f"zero results on {len(empty)} of {len(report.satisfiable)} satisfiable" in text
    d = report.to_dict()
    assert d["figures"]["all"]["zero_result_rate"] == report.zero_result_rate()


def test_an_oracle_run_has_no_empty_page_and_a_satisfied_top_10(
    lab: Lab, judged: JudgmentList
) -> None:
    """The judged documents best first: every satisfiable query answered, its top 10 as good
    as the data allows; the empty run is the opposite."""
    oracle, nothing = {}, {}
    for q, graded in judged.grades.items():
        best = sorted(graded.values(), key=lambda j: (-j.grade, j.doc))
        docs = [j.doc for j in best if j.grade > 0][:10]
        oracle[q] = Ranking(q, docs, [None] * len(docs), len(docs))
        nothing[q] = Ranking(q, [], [], 0)
    good = evaluate(lab, judged, Tuning.load(), metrics=["ndcg@10"], run=oracle)
    assert good.zero_result_rate() == 0.0
    assert good.satisfied_share() == pytest.approx(1.0)
    bad = evaluate(lab, judged, Tuning.load(), metrics=["ndcg@10"], run=nothing)
    assert bad.zero_result_rate() == 1.0 and bad.satisfied_share() is None


def test_the_gate_guards_the_lab_set_only(lab: Lab, judged: JudgmentList) -> None:
    baseline = Baseline.load(BASELINE_FILE)
    assert baseline.set == "lab"
    result = gate(lab, judged, baseline)
    sets = load_sets()
    assert {sets[q] for q in result.report.per_query} == {"lab"}
    assert "of set lab" in result.message


def test_the_benchmark_report_shows_both_figures(small_index: Settings) -> None:
    measured = bench_report.measure_relevance(small_index)
    assert "skipped" not in measured, measured
    section = "\n".join(bench_report._relevance_section({"relevance": measured}))
    assert section.startswith("## Relevance: the search box")
    assert "| set searchbox |" in section and "| satisfiable | zero | satisfied@10 |" in section
    rows = bench_report.targets({"sets": [], "relevance": measured})
    mine = {t: (m, v) for t, m, v in rows if "satisf" in t}
    assert len(mine) == 2
    zero = measured["figures"]["all"]["zero_result_rate"]
    verdict = mine["zero-result rate on satisfiable judged queries = 0"][1]
    assert verdict == ("**met**" if zero == 0 else "**missed**")
    skipped = bench_report._relevance_section({"relevance": {"skipped": "no index"}})
    assert skipped[2].startswith("Not measured: no index.")
