from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from search_core.errors import InvalidQuery
from search_core.relevance.judge import JUDGMENTS_FILE, QUERIES_FILE, load_judged_queries
from search_core.relevance.judgments import (
    Judgment,
    JudgmentList,
    Location,
    QuerySpec,
    load_judgments,
    load_queries,
    save_judgments,
)


def test_round_trip(tmp_path: Path) -> None:
    j = JudgmentList()
    j.add_query(
        QuerySpec(
            qid="q1",
            query="anxiety",
            location=Location(zip="97214", radius=10),
            filters={"languages": ["spanish"]},
        )
    )
    j.add(Judgment(qid="q1", doc="t1", grade=3, by="hand", why="checked"))
    j.add(Judgment(qid="q1", doc="t2", grade=0))
    save_judgments(j, tmp_path / "j.jsonl")
    lines = (tmp_path / "j.jsonl").read_text().splitlines()
    assert lines[0].startswith('{"qid":"q1","query":"anxiety","location":{"zip":"97214"')
    assert '"by":"hand"' in lines[0] and '"by":"rule"' in lines[1]
    back = load_judgments(tmp_path / "j.jsonl")
    assert back.queries == j.queries and back.grades == j.grades
    assert load_queries(tmp_path / "j.jsonl") == [j.queries["q1"]]


def test_a_query_defined_two_ways_is_an_error_with_its_line(tmp_path: Path) -> None:
    p = tmp_path / "j.jsonl"
    p.write_text(
        '{"qid": "q", "query": "a", "doc": "t1", "grade": 1}\n'
        "# a comment\n"
        '{"qid": "q", "query": "b", "doc": "t2", "grade": 1}\n'
    )
    with pytest.raises(InvalidQuery, match=r"j\.jsonl:3: query 'q' is defined twice"):
        load_judgments(p)


def test_bad_lines_name_the_problem(tmp_path: Path) -> None:
    p = tmp_path / "j.jsonl"
    p.write_text('{"qid": "q", "query": "a", "doc": "t1", "grade": 5}\n')
    with pytest.raises(InvalidQuery, match=r":1: grade: .*less than or equal to 3"):
        load_judgments(p)
    p.write_text('{"qid": "q", "query": "a", "doc": "t1", "grade": 1, "filters": {"x": 1}}\n')
    with pytest.raises(InvalidQuery, match="x"):
        load_judgments(p)
    p.write_text('{"qid": "q", "query": "a", "doc": "t1", "grade": 1}\n' * 2)
    with pytest.raises(InvalidQuery, match="graded twice"):
        load_judgments(p)


def test_locations_and_article_filters_are_validated() -> None:
    with pytest.raises(ValidationError, match="exactly one"):
        Location(zip="97214", city="Portland, OR")
    with pytest.raises(ValidationError, match="both lat and lon"):
        Location(lat=45.0)
    with pytest.raises(ValidationError, match="no location"):
        QuerySpec(qid="a", query="x", target="articles", location=Location(zip="97214"))
    QuerySpec(qid="a", query="x", target="articles", filters={"field": "title"})


def test_the_shipped_files_load_and_agree() -> None:
    queries = load_judged_queries(QUERIES_FILE)
    judged = load_judgments(JUDGMENTS_FILE)
    assert len(queries) >= 50
    assert [q.qid for q in queries] == list(judged.queries)
    assert {q.qid: q.spec() for q in queries} == judged.queries
    counts = judged.counts()
    assert counts["by_hand"] > 0 and counts["grade_3"] > 0
    assert {q.target for q in queries} == {"therapists", "articles"}
