"""Typed queries + a tuning → Tantivy queries. Pure: no searching happens here.

Text: each unit of :mod:`search_core.text_query` becomes a ``dis_max`` over the tuning's fields
(each field boosted) of an OR over the unit's synonym alternatives; required units are MUST
(or, when the tuning's ``minimum_should_match`` lets some be missing, one MUST clause needing
that many of them), filler words SHOULD; a whole-text phrase adds a boost. A word that may be
corrected (``fuzziness``) is an OR of its exact term (BM25) and its corrections (a constant).
Filters are MUST clauses scored 0, so they never change the ranking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import tantivy
from tantivy import Occur, Query

from search_core.embedded.encoding import date_value
from search_core.embedded.schema import ORD_FIELD, EmbeddedSchema, cells_name
from search_core.geo import Box
from search_core.queries import FACETS, FLAGS, TherapistFilters, split_conditions
from search_core.text_query import QueryUnit, ranks_only, required_count, word_edits
from search_core.tuning import Tuning

# Facets whose filter values live in keyword fields of the same name.
FACET_FIELDS: dict[str, str] = {f: f for f in FACETS}


def _filter(q: Query) -> Query:
    return Query.const_score_query(q, 0.0)


def _any_term(schema: tantivy.Schema, field: str, values: Sequence[object]) -> Query:
    if len(values) == 1:
        return Query.term_query(schema, field, values[0])
    return Query.term_set_query(schema, field, list(values))


def _word_query(
    schema: EmbeddedSchema,
    field: str,
    words: Sequence[str],
    tuning: Tuning,
    slop: int = 0,
    within: Query | None = None,
    fuzzy: bool = True,
) -> Query | None:
    """A term query for one token (fuzzy if the tuning says so and ``fuzzy``), else a phrase
    query; a phrase is restricted to the documents of ``within``, a filter scoring 0 (see
    :func:`text_query` for why). A term query skips through its postings wherever it is, so it
    is left as it is."""
    tokens = [t for w in words for t in schema.analyze(field, w)]
    if not tokens:
        return None
    tantivy_schema = schema.schema
    name = schema.by_path[field].name
    if len(tokens) == 1:
        token = tokens[0]
        exact = Query.term_query(tantivy_schema, name, token)
        edits = word_edits(words[0], field, tuning)
        if not fuzzy or len(words) != 1 or not edits:
            return exact
        corrected = Query.fuzzy_term_query(tantivy_schema, name, token, distance=edits)
        return Query.boolean_query(
            [
                (Occur.Should, exact),
                (Occur.Should, Query.const_score_query(corrected, tuning.fuzzy_boost)),
            ]
        )
    terms: list[str | tuple[int, str]] = list(tokens)
    phrase = Query.phrase_query(tantivy_schema, name, terms, slop)
    if within is None:
        return phrase
    return Query.boolean_query([(Occur.Must, phrase), (Occur.Must, within)])


def unit_query(
    schema: EmbeddedSchema,
    unit: QueryUnit,
    fields: dict[str, float],
    tuning: Tuning,
    within: Query | None = None,
) -> Query | None:
    """One unit over the tuning's fields; ``within`` as :func:`_word_query` takes it (a filter
    scoring 0)."""
    per_field: list[Query] = []
    for field, boost in fields.items():
        alts = [
            q
            for alt in unit.alternatives
            if (q := _word_query(schema, field, alt, tuning, within=within)) is not None
        ]
        if not alts:
            continue
        q = alts[0] if len(alts) == 1 else Query.boolean_query([(Occur.Should, a) for a in alts])
        per_field.append(Query.boost_query(q, boost) if boost != 1.0 else q)
    if not per_field:
        return None
    if len(per_field) == 1:
        return per_field[0]
    return Query.disjunction_max_query(per_field, tie_breaker=tuning.tie_breaker)


def text_query(
    schema: EmbeddedSchema,
    units: list[QueryUnit],
    fields: dict[str, float],
    tuning: Tuning,
    within: Query | None = None,
) -> Query | None:
    """The scoring part of a search; ``None`` when the text has no words.

    ``within`` (a filter, say the geo cells of a location search) is put inside every phrase
    clause rather than only beside the whole: Tantivy then checks each phrase only on the
    documents of ``within``. Beside the whole, the OR of the clauses moves every clause forward
    on its own, and a phrase whose words are common but never adjacent ("family therapy" in
    bios that all say "family systems therapy") reads the whole index to find that it has no
    next match. The matches and the scores are the same (the caller still requires
    ``within`` of the whole)."""
    clauses: list[tuple[Occur, Query]] = []
    if within is not None:
        within = _filter(within)  # made once, shared by every phrase clause
    required: list[Query] = []
    for unit in units:
        q = unit_query(schema, unit, fields, tuning, within)
        if q is not None:
            if unit.required:
                required.append(q)
            else:
                clauses.append((Occur.Should, q))
    needed = required_count(tuning.minimum_should_match, len(required))
    if needed == len(required):
        clauses[:0] = [(Occur.Must, q) for q in required]
    else:  # at least `needed` of the required units: one clause, scored as their sum
        group = Query.boolean_query([(Occur.Should, q) for q in required], needed)
        clauses.insert(0, (Occur.Must, group))
    if not clauses:
        return None
    if ranks_only(units):  # words that rank: every document the filters keep matches
        clauses.insert(0, (Occur.Must, Query.const_score_query(Query.all_query(), 0.0)))
    all_words = [w for u in units for w in u.alternatives[0]]
    if len(all_words) > 1 and tuning.phrase_boost > 0:
        for field in (f for f in fields if schema.by_path[f].kind == "text"):
            pq = _word_query(
                schema, field, all_words, tuning, tuning.phrase_slop, within, fuzzy=False
            )
            if pq is not None:
                clauses.append(
                    (Occur.Should, Query.boost_query(pq, tuning.phrase_boost * fields[field]))
                )
    return Query.boolean_query(clauses)


def therapist_filters(
    schema: EmbeddedSchema, f: TherapistFilters, skip_facet: str | None = None, facets: bool = True
) -> list[Query]:
    """One query per active filter (score 0), leaving out ``skip_facet`` (disjunctive facets),
    or every facet filter with ``facets=False`` (when they are applied from the facet masks)."""
    s = schema.schema
    out: list[Query] = []
    for facet, field in FACET_FIELDS.items():
        values = f.facet_values(facet)
        if values and facets and facet != skip_facet:
            out.append(_any_term(s, field, values))
    if f.max_fee is not None:
        out.append(
            Query.range_query(s, "fee_min", tantivy.FieldType.Integer, upper_bound=f.max_fee)
        )
    for flag in FLAGS:
        value = getattr(f, flag)
        if value is not None:
            out.append(Query.term_query(s, flag, value))
    if f.licensed_in:
        out.append(Query.term_query(s, "licensed_states", f.licensed_in))
    out.extend(condition_filters(s, f))
    return out


def condition_filters(s: tantivy.Schema, f: TherapistFilters) -> list[Query]:
    """``all_of`` (a term each), ``any_of`` (one of the terms per group) and ``none_of`` (no
    document with any of the terms)."""
    out = [Query.term_query(s, facet, slug) for facet, slug in map(_cond, f.all_of)]
    for group in f.any_of:
        terms = [Query.term_query(s, facet, slug) for facet, slug in map(_cond, group.split("|"))]
        out.append(Query.boolean_query([(Occur.Should, t) for t in terms]))
    if f.none_of:
        excluded = [
            (Occur.MustNot, _any_term(s, FACET_FIELDS[facet], values))
            for facet, values in split_conditions(f.none_of).items()
        ]
        out.append(Query.boolean_query([(Occur.Must, Query.all_query()), *excluded]))
    return out


def _cond(cond: str) -> tuple[str, str]:
    facet, _, slug = cond.partition(":")
    return facet, slug


def all_facets_but_one(schema: EmbeddedSchema, f: TherapistFilters) -> Query | None:
    """Documents that pass every facet filter of ``f`` but at most one (``None`` with fewer
    than two facet filters): the only ones disjunctive facet counts can use. A facet is
    counted over the documents passing every *other* facet filter, so a document failing
    two filters counts nowhere, and it is not a match either."""
    chosen = [facet for facet in FACET_FIELDS if f.facet_values(facet)]
    if len(chosen) < 2:
        return None
    terms = {c: _any_term(schema.schema, FACET_FIELDS[c], f.facet_values(c)) for c in chosen}
    if len(chosen) == 2:
        return Query.boolean_query([(Occur.Should, terms[c]) for c in chosen])
    return Query.boolean_query(
        [
            (
                Occur.Should,
                Query.boolean_query([(Occur.Must, terms[o]) for o in chosen if o != left_out]),
            )
            for left_out in chosen
        ]
    )


def bbox_query(schema: EmbeddedSchema, path: str, boxes: Iterable[Box]) -> Query:
    """Documents with a point of ``path`` in one of the boxes (per slot, so a point's latitude
    and longitude are always checked together)."""
    plan = schema.by_path[path]
    names = plan.names
    per_slot: list[Query] = []
    for box in boxes:
        for i in range(0, len(names), 2):
            lat = Query.range_query(
                schema.schema, names[i], tantivy.FieldType.Float, box.min_lat, box.max_lat
            )
            lon = Query.range_query(
                schema.schema, names[i + 1], tantivy.FieldType.Float, box.min_lon, box.max_lon
            )
            per_slot.append(Query.boolean_query([(Occur.Must, lat), (Occur.Must, lon)]))
    return Query.boolean_query([(Occur.Should, q) for q in per_slot])


def cells_query(schema: EmbeddedSchema, path: str, cells: Sequence[str]) -> Query:
    """Documents with a point of ``path`` in one of the geohash ``cells``: an OR of term
    queries, which moves by skipping through each cell's postings (a term-set query would
    first collect every document of the cells into a bit set, each time it is used)."""
    if not cells:
        return Query.empty_query()
    name = cells_name(path)
    if len(cells) == 1:
        return Query.term_query(schema.schema, name, cells[0])
    return Query.boolean_query(
        [(Occur.Should, Query.term_query(schema.schema, name, c)) for c in cells]
    )


def ords_query(schema: EmbeddedSchema, ords: Sequence[int]) -> Query:
    if not ords:
        return Query.empty_query()
    return Query.term_set_query(schema.schema, ORD_FIELD, [int(o) for o in ords])


def combine(scoring: Query | None, filters: Sequence[Query]) -> Query:
    clauses: list[tuple[Occur, Query]] = []
    if scoring is not None:
        clauses.append((Occur.Must, scoring))
    clauses.extend((Occur.Must, _filter(q)) for q in filters)
    if not clauses:
        return Query.all_query()
    if scoring is None:
        clauses.insert(0, (Occur.Must, Query.const_score_query(Query.all_query(), 1.0)))
    return Query.boolean_query(clauses)


def date_range(
    schema: EmbeddedSchema, field: str, start: dt.date | None, end: dt.date | None
) -> Query:
    return Query.range_query(
        schema.schema,
        schema.by_path[field].name,
        tantivy.FieldType.Date,
        lower_bound=date_value(start) if start else None,
        upper_bound=date_value(end) if end else None,
    )
