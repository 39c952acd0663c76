"""Search text → an Elasticsearch query, unit by unit, as the embedded engine builds it.

:func:`search_core.text_query.parse` splits the text into units (a quoted phrase, a clinical
phrase with its synonyms, or a word). Each unit becomes a ``dis_max`` over the tuning's fields
(each boosted) of a bool-should over the unit's alternatives (``match`` for one word,
``match_phrase`` for several); required units go in ``must`` (or, when the tuning's
``minimum_should_match`` lets some be missing, one ``must`` bool needing that many of them),
filler words in ``should``, and the whole text as a sloppy phrase adds a boost per field. A word
that may be corrected (``fuzziness``) is a ``should`` of its exact ``match`` (BM25) and a
``constant_score`` of its fuzzy ``match``, as the embedded engine scores it.

Synonyms have one mechanism on every engine: the units' alternatives, expanded at search time
from :mod:`search_core.vocabulary` (a multi-word synonym is a phrase alternative, so
``cbt`` ↔ ``cognitive behavioral therapy`` works both ways, as a search-time ``synonym_graph``
would). The mappings carry no synonym filter (a test keeps it so) and the clauses name no
analyzer: a text field is searched with the analyzer it was indexed with, the same tokens as
the embedded engine's, and ``Tuning.synonyms = false`` really turns synonyms off. Pure: no I/O,
no settings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from search_core.mappings import IndexMapping
from search_core.text_query import QueryUnit, ranks_only, required_count, word_edits
from search_core.tuning import Tuning

Body = dict[str, Any]


def query_analyzers(mapping: IndexMapping) -> dict[str, str]:
    """Text field path → the analyzer its values were indexed with (the cluster uses it for
    queries too): says which fields are text (phrase boosts go only to those)."""
    return {f.path: f.analyzer or "standard" for f in mapping.fields() if f.type == "text"}


def _params(query: str, boost: float = 1.0, **extra: Any) -> Body:
    """A clause's parameters; no ``analyzer``: the field's own applies (see the module's note)."""
    params: Body = {"query": query}
    params.update(extra)
    if boost != 1.0:
        params["boost"] = boost
    return params


def alternative_query(field: str, words: Sequence[str], tuning: Tuning, boost: float = 1.0) -> Body:
    """One alternative of a unit on one field: a word (fuzzy if the tuning says so) or a
    phrase (its words in this order)."""
    if len(words) == 1:
        word = words[0]
        exact: Body = {"match": {field: _params(word, boost)}}
        edits = word_edits(word, field, tuning)
        if not edits:
            return exact
        corrected = _params(word, fuzziness=str(edits), fuzzy_transpositions=True)
        return {
            "bool": {
                "should": [
                    exact,
                    {
                        "constant_score": {
                            "filter": {"match": {field: corrected}},
                            "boost": round(tuning.fuzzy_boost * boost, 6),
                        }
                    },
                ]
            }
        }
    return {"match_phrase": {field: _params(" ".join(words), boost)}}


def unit_query(unit: QueryUnit, fields: Mapping[str, float], tuning: Tuning) -> Body | None:
    per_field: list[Body] = []
    for field, boost in fields.items():
        if len(unit.alternatives) == 1:
            per_field.append(alternative_query(field, unit.alternatives[0], tuning, boost))
            continue
        alts = [alternative_query(field, alt, tuning) for alt in unit.alternatives]
        should: Body = {"should": alts}
        if boost != 1.0:
            should["boost"] = boost
        per_field.append({"bool": should})
    if not per_field:
        return None
    if len(per_field) == 1:
        return per_field[0]
    return {"dis_max": {"queries": per_field, "tie_breaker": tuning.tie_breaker}}


def phrase_boosts(
    units: Sequence[QueryUnit],
    fields: Mapping[str, float],
    tuning: Tuning,
    analyzers: Mapping[str, str],
) -> list[Body]:
    """The whole text (first alternative of each unit) as a sloppy phrase on each text field."""
    all_words = [w for u in units for w in u.alternatives[0]]
    if len(all_words) < 2 or tuning.phrase_boost <= 0:
        return []
    text = " ".join(all_words)
    return [
        {
            "match_phrase": {
                field: _params(text, tuning.phrase_boost * boost, slop=tuning.phrase_slop)
            }
        }
        for field, boost in fields.items()
        if field in analyzers
    ]


def text_query(
    units: Sequence[QueryUnit],
    fields: Mapping[str, float],
    tuning: Tuning,
    analyzers: Mapping[str, str],
) -> Body | None:
    """The scoring part of a search; ``None`` when the text has no words."""
    must: list[Body] = []
    should: list[Body] = []
    for unit in units:
        q = unit_query(unit, fields, tuning)
        if q is not None:
            (must if unit.required else should).append(q)
    if not must and not should:
        return None
    needed = required_count(tuning.minimum_should_match, len(must))
    if needed < len(must):  # at least `needed` of the required units, as one clause
        must = [{"bool": {"should": must, "minimum_should_match": needed}}]
    should += phrase_boosts(units, fields, tuning, analyzers)
    clauses: Body = {}
    if must:
        clauses["must"] = must
    if should:
        clauses["should"] = should
    if not must and ranks_only(list(units)):
        # words that only rank select nothing: every document the filters keep matches
        clauses["must"] = [{"match_all": {}}]
    elif not must:
        clauses["minimum_should_match"] = 1
    return {"bool": clauses}
