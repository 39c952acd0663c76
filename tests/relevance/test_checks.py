"""Both engines honour every knob, or refuse the tuning with a message."""

from __future__ import annotations

import pytest

from search_core.relevance.checks import UnsupportedTuning, caveats, check, problems
from search_core.relevance.judgments import QuerySpec
from search_core.relevance.knobs import knob_paths, with_knobs
from search_core.relevance.lab import Lab
from search_core.tuning import Tuning


def test_the_default_tuning_passes_on_both_engines() -> None:
    t = Tuning.load()
    assert check(t, "embedded") is t
    assert problems(t, "elasticsearch") == []


def test_an_unknown_field_is_refused_not_ignored() -> None:
    t = with_knobs(Tuning(), {"therapist_fields.biography": 2.0})
    with pytest.raises(UnsupportedTuning, match=r"therapist_fields\.biography: not a searchable"):
        check(t, "embedded")


def test_a_negative_boost_is_refused() -> None:
    t = with_knobs(Tuning(), {"article_fields.body": -1.0})
    assert any("boost must be" in p for p in problems(t, "embedded"))


def test_a_knob_only_one_engine_can_honour() -> None:
    """Nested fields match on the embedded engine (flattened) but need a nested query on
    Elasticsearch, which the query builder does not send: refused there, with the reason."""
    t = with_knobs(Tuning(), {"article_fields.comments.text": 1.0})
    assert problems(t, "embedded") == []
    with pytest.raises(UnsupportedTuning, match="nested") as err:
        check(t, "elasticsearch")
    assert "article_fields.comments.text" in str(err.value)


def test_unknown_engine() -> None:
    assert problems(Tuning(), "solr") == [
        "unknown engine 'solr'; engines: embedded, elasticsearch, opensearch"
    ]


def test_fuzziness_scores_alike_on_both_engines_so_it_has_no_caveat() -> None:
    fuzzy = with_knobs(Tuning(), {"fuzziness": "auto"})
    assert not [c for c in caveats(fuzzy, "embedded") if c.startswith("fuzziness")]
    assert caveats(Tuning(), "elasticsearch") == []


def test_the_lab_refuses_before_searching(lab: Lab) -> None:
    t = with_knobs(Tuning(), {"therapist_fields.nope": 1.0})
    with pytest.raises(UnsupportedTuning):
        lab.run([QuerySpec(qid="q", query="anxiety")], t)


# Probe queries under which a change of each knob must move some score or rank. The text
# probes search their words as typed (the search box would read most of them as filters).
PROBES = [
    QuerySpec(
        qid="t-text",
        query="anxiety therapist cbt spanish teens lgbtq psychologist",
        place_in_text=False,
    ),
    QuerySpec(qid="t-more", query="aetna counseling", place_in_text=False),
    QuerySpec(qid="t-name", query="patricia perkins", place_in_text=False),
    QuerySpec(qid="t-name-typo", query="patrica perkins", place_in_text=False),
    QuerySpec(qid="t-short-name", query="qing zhang", place_in_text=False),
    QuerySpec(qid="t-extra-word", query="anxiety grief trauma xylophone", place_in_text=False),
    QuerySpec(qid="t-typo", query="depresion", place_in_text=False),
    QuerySpec(qid="t-slop", query="depression anxiety", place_in_text=False),
    QuerySpec(qid="t-near", query="anxiety", location={"zip": "97214", "radius": 25}),
    QuerySpec(qid="a-text", query="grief after the death of a parent", target="articles"),
    QuerySpec(qid="a-author", query="priya raman adhd", target="articles"),
]
CHANGES = {
    "minimum_should_match": "100%",
    "fuzziness": 0,
    "fuzzy_boost": 0.9,
    "fuzzy_scope": None,
    "fuzzy_min_length": 3,
    "synonyms": False,
    "phrase_slop": 6,
    "phrase_boost": 8.0,
    "tie_breaker": 1.0,
    "accepting_new_clients_boost": 2.0,
    "distance.scale_km": 3.0,
    "distance.offset_km": 0.0,
    "distance.decay": 0.1,
    "distance.weight": 0.5,
    "freshness.scale_days": 30.0,
    "freshness.offset_days": 0.0,
    "freshness.decay": 0.1,
    "freshness.weight": 0.9,
}


def _fingerprint(lab: Lab, t: Tuning) -> dict[str, list[tuple[str, float | None]]]:
    run = lab.run(PROBES, t, depth=5)
    return {q: list(zip(r.docs, r.scores, strict=True)) for q, r in run.items()}


def test_every_knob_changes_the_embedded_ranking(lab: Lab) -> None:
    """No knob is silently ignored: changing any one of them moves a score or a rank."""
    base = Tuning.load()
    before = _fingerprint(lab, base)
    ignored = []
    for path in knob_paths(base):
        field_map = path.split(".")[0].endswith("_fields")
        value = (
            base.model_dump()[path.split(".")[0]][path.split(".", 1)[1]] * 3 + 1
            if field_map
            else None
        )
        change = {path: value if field_map else CHANGES[path]}
        if path == "fuzzy_min_length":
            change["fuzziness"] = 1  # only read when fuzzy matching is on
        after = _fingerprint(lab, with_knobs(base, change))
        if path == "fuzzy_min_length":  # against fuzziness 1 with the default length
            before_change = _fingerprint(lab, with_knobs(base, {"fuzziness": 1}))
        else:
            before_change = before
        if after == before_change:
            ignored.append(path)
    assert ignored == []
