"""Explain on the embedded engine: the breakdown adds and multiplies up to the engine's score,
and a document that does not match is told which clause excludes it."""

from __future__ import annotations

import re

import pytest
import tantivy

from search_core.errors import NotFound
from search_core.relevance.explain import explain, explain_top, make_explainer
from search_core.relevance.explain_embedded import EmbeddedExplainer, field_names
from search_core.relevance.explain_embedded_plan import leaf
from search_core.relevance.judgments import Location, QuerySpec
from search_core.relevance.lab import Lab
from search_core.tuning import Tuning

NEAR = QuerySpec(qid="near", query="anxiety therapist portland")
ARTICLE = QuerySpec(qid="art", query="grief after losing a parent", target="articles")


def _check_sums(e: object) -> None:
    from search_core.relevance.explanation import Explanation

    assert isinstance(e, Explanation)
    assert e.matched and e.rank is not None and e.engine_score is not None
    assert e.text_score is not None
    assert e.parts_total == pytest.approx(e.text_score, rel=1e-5)
    for part in e.parts:
        if len(part.children) > 1 and part.value:
            values = sorted((c.value for c in part.children), reverse=True)
            tie = Tuning.load().tie_breaker
            assert part.value == pytest.approx(values[0] + tie * sum(values[1:]), rel=1e-5)
    assert e.final_score == pytest.approx(e.engine_score, abs=2e-4)


def test_breakdown_multiplies_up_to_the_engine_score(lab: Lab) -> None:
    found = explain_top(lab, NEAR, Tuning.load(), n=3)
    assert [e.rank for e in found] == [1, 2, 3]
    for e in found:
        _check_sums(e)
        names = [m.name for m in e.multipliers]
        assert names == ["distance decay", "freshness", "accepting new clients"]
        assert e.place == "Portland, OR"


def test_article_breakdown_adds_up(lab: Lab) -> None:
    (e,) = explain_top(lab, ARTICLE, n=1)
    _check_sums(e)
    assert e.multipliers == []
    assert "ORDER" in e.rendered_query and "title^3" in e.rendered_query


def test_a_deep_document_has_its_rank(lab: Lab) -> None:
    ranking = lab.ranking(NEAR, Tuning.load(), depth=15)
    e = explain(lab, NEAR, ranking.docs[14], Tuning.load())
    assert e.rank == 15
    _check_sums(e)


def test_why_not_names_the_failing_filter(lab: Lab) -> None:
    spec = QuerySpec(qid="f", query="anxiety", filters={"languages": ["spanish"]})
    english_only = next(
        d
        for d in lab.ranking(QuerySpec(qid="a", query="anxiety"), Tuning.load(), 30).docs
        if lab.call(lab.backend.get_therapist(d)).languages == ["english"]
    )
    e = explain(lab, spec, english_only, Tuning.load())
    assert not e.matched and e.rank is None and e.final_score is None
    assert [(c.kind, c.clause) for c in e.failing()] == [("filter", "languages = spanish")]
    assert "english" in e.failing()[0].detail
    assert "does NOT match" in e.to_text()


def test_why_not_names_the_missing_word_and_the_area(lab: Lab) -> None:
    spec = QuerySpec(qid="w", query="anxiety zyzzyva", location=Location(zip="97214", radius=5))
    e = explain(lab, spec, "t0000001", Tuning.load())  # a New York therapist
    failing = {c.kind: c for c in e.failing()}
    assert set(failing) == {"text", "area"}
    assert '"zyzzyva"' in failing["text"].clause
    assert "nearest office" in failing["area"].detail
    passed = [c for c in e.checks if c.passed]
    assert any('"anxiety"' in c.clause for c in passed)


def test_search_without_text(lab: Lab) -> None:
    spec = QuerySpec(qid="n", query="", location=Location(zip="97214"))
    (e,) = explain_top(lab, spec, n=1)
    assert e.text_score is None and e.engine_score is None and e.parts == []
    assert e.final_score == pytest.approx(
        e.multipliers[0].factor * e.multipliers[1].factor * e.multipliers[2].factor
    )
    assert "no searchable words" in e.rendered_query


def test_rendered_query_lists_every_leaf_of_the_engine_query(lab: Lab) -> None:
    """The rendering comes from the same tree the engine runs: same number of leaf queries."""
    ex = make_explainer(lab)
    assert isinstance(ex, EmbeddedExplainer)
    for text in ("cbt for ocd", "anxiety", "couples counseling in spanish"):
        plan = ex.plan(QuerySpec(qid="r", query=text), Tuning.load())
        raw = repr(plan.scoring)
        engine_leaves = len(re.findall(r"TermQuery\(|PhraseQuery \{|FuzzyTermQuery \{", raw))
        leaves = [leaf(a) for c in plan.clauses for f in c.fields for a in f.alternatives]
        # a word that may be corrected, "word~1", is its exact term and its fuzzy term
        rendered = sum(2 if "~" in x and not x.startswith('"') else 1 for x in leaves)
        rendered += sum(1 for c in plan.clauses if c.kind == "phrase")
        assert rendered == engine_leaves


def test_field_ids_map_to_field_names(lab: Lab) -> None:
    for kind in ("therapists", "articles"):
        es = lab.backend.reader.get(kind).schema  # type: ignore[attr-defined]
        names = field_names(es)
        for plan in es.plans:
            if plan.kind not in ("text", "keyword"):
                continue
            q = tantivy.Query.term_query(es.schema, plan.name, "x")
            field_id = int(re.search(r"field=(\d+)", repr(q)).group(1))  # type: ignore[union-attr]
            assert names[field_id] == plan.mapped.path


def test_unknown_document(lab: Lab) -> None:
    with pytest.raises(NotFound, match="t9999999"):
        explain(lab, NEAR, "t9999999")


TITLE = QuerySpec(
    qid="title",
    query="What Actually Happens in an EMDR Session for Trauma",
    target="articles",
)


def test_required_and_optional_words_are_named_one_way(lab: Lab) -> None:
    """Under a minimum_should_match that lets words miss, the words it counts are COUNT, not
    MUST (which would say each must match); when all must match, they are MUST."""
    ex = make_explainer(lab)
    some = ex.render(TITLE, Tuning.load()).splitlines()
    assert some[0].startswith("NEEDS  at least 4 of the 6 COUNT words")
    words = [ln for ln in some if ln.startswith(("MUST", "COUNT", "SHOULD")) and "word" in ln]
    assert len([ln for ln in words if ln.startswith("COUNT  word ")]) == 6
    assert not any(ln.startswith("MUST") for ln in some)
    assert "required" not in "\n".join(some)
    everything = ex.render(TITLE, Tuning.load().model_copy(update={"minimum_should_match": "100%"}))
    assert "NEEDS" not in everything and "COUNT" not in everything
    assert everything.count('MUST   word "') == 6
    assert everything.count('SHOULD optional "') == 3
