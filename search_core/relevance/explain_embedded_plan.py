"""The embedded explain's plan: the Tantivy clauses of a judged query (text units, phrases,
filters), built from the same units, fields and boosts as
:mod:`search_core.embedded.querybuild`, and their readable rendering."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import tantivy
from tantivy import Occur, Query

from search_core.embedded import querybuild as qb
from search_core.embedded.articles import EmbeddedArticleSearch
from search_core.embedded.reader import OpenIndex
from search_core.embedded.schema import EPOCH_SUFFIX, EmbeddedSchema
from search_core.queries import FLAGS, ArticleQuery, GeoFilter, TherapistFilters
from search_core.relevance.judgments import QuerySpec
from search_core.relevance.querying import Resolved
from search_core.text_query import QueryUnit, required_count
from search_core.tuning import Tuning

_QUOTED = re.compile(r'"([^"]*)"')
FIELD_ID = re.compile(r"(field=|Field\()(\d+)")


# ---------------------------------------------------------------------------- field names


def field_names(schema: EmbeddedSchema) -> dict[int, str]:
    """Tantivy field id → mapping path (ids follow the order the schema adds fields in)."""
    out: dict[int, str] = {}
    n = 0
    for plan in schema.plans:
        if plan.kind == "geo":
            for name in plan.names:
                out[n] = name
                n += 1
            continue
        out[n] = plan.mapped.path
        n += 1
        if plan.kind == "date":
            out[n] = plan.mapped.path + EPOCH_SUFFIX
            n += 1
    return out


def readable_repr(q: Query, names: dict[int, str]) -> str:
    """``repr`` of a Tantivy query with field ids replaced by field names."""
    return FIELD_ID.sub(lambda m: m.group(1) + names.get(int(m.group(2)), m.group(2)), repr(q))


def leaf(q: Query) -> str:
    """A term, phrase or fuzzy term query as ``word``, ``"two words"~slop``, ``word~1``."""
    text = repr(q)
    words = _QUOTED.findall(text)
    if "FuzzyTermQuery" in text:
        dist = re.search(r"distance: (\d+)", text)
        return f"{words[0]}~{dist.group(1) if dist else '?'}"
    if "PhraseQuery" in text:
        slop = re.search(r"slop: (\d+)", text)
        s = int(slop.group(1)) if slop else 0
        return '"' + " ".join(words) + '"' + (f"~{s}" if s else "")
    return " | ".join(words) if words else text


# ---------------------------------------------------------------------------- the plan


@dataclass
class FieldClause:
    field: str
    boost: float
    query: Query
    alternatives: list[Query]

    @property
    def label(self) -> str:
        alts = " | ".join(leaf(a) for a in self.alternatives)
        return f"{self.field}^{self.boost:g}: {alts}"


@dataclass
class TextClause:
    label: str
    occur: Occur
    query: Query
    fields: list[FieldClause] = field(default_factory=list)
    kind: str = "unit"  # unit | phrase


@dataclass
class Plan:
    spec: QuerySpec
    resolved: Resolved
    tuning: Tuning
    opened: OpenIndex
    units: list[QueryUnit]
    scoring: Query | None
    clauses: list[TextClause]
    filters: list[tuple[str, Query]]
    near: GeoFilter | None

    @property
    def schema(self) -> EmbeddedSchema:
        return self.opened.schema

    @property
    def required(self) -> list[TextClause]:
        return [c for c in self.clauses if c.kind == "unit" and c.occur == Occur.Must]

    @property
    def needed(self) -> int:
        """How many of the required units a match needs (the tuning's minimum_should_match)."""
        return required_count(self.tuning.minimum_should_match, len(self.required))


def unit_clause(
    schema: EmbeddedSchema, unit: QueryUnit, fields: dict[str, float], tuning: Tuning
) -> TextClause | None:
    """The clause of one unit, built like ``querybuild.unit_query``, per field kept apart."""
    per_field: list[FieldClause] = []
    for f, boost in fields.items():
        alts = [q for alt in unit.alternatives if (q := qb._word_query(schema, f, alt, tuning))]
        if not alts:
            continue
        q = alts[0] if len(alts) == 1 else Query.boolean_query([(Occur.Should, a) for a in alts])
        per_field.append(
            FieldClause(f, boost, Query.boost_query(q, boost) if boost != 1 else q, alts)
        )
    whole = qb.unit_query(schema, unit, fields, tuning)
    if whole is None:
        return None
    words = " | ".join(" ".join(a) for a in unit.alternatives)
    how = "word" if unit.required else "optional"
    label = f'{how} "{unit.text}" ({words})'
    occur = Occur.Must if unit.required else Occur.Should
    return TextClause(label, occur, whole, per_field)


def phrase_clauses(
    schema: EmbeddedSchema, units: list[QueryUnit], fields: dict[str, float], tuning: Tuning
) -> list[TextClause]:
    """The whole-text phrase boosts, built like ``querybuild.text_query``."""
    all_words = [w for u in units for w in u.alternatives[0]]
    if len(all_words) < 2 or tuning.phrase_boost <= 0:
        return []
    out = []
    for f, boost in fields.items():
        if schema.by_path[f].kind != "text":
            continue
        pq = qb._word_query(schema, f, all_words, tuning, slop=tuning.phrase_slop, fuzzy=False)
        if pq is None:
            continue
        weight = tuning.phrase_boost * boost
        out.append(
            TextClause(
                f"phrase bonus on {f}^{weight:g}: {leaf(pq)}",
                Occur.Should,
                Query.boost_query(pq, weight),
                kind="phrase",
            )
        )
    return out


def therapist_filters(schema: EmbeddedSchema, f: TherapistFilters) -> list[tuple[str, Query]]:
    """Each active filter alone, labelled (the engine ANDs them)."""
    out: list[tuple[str, Query]] = []
    active: list[tuple[str, Any]] = [
        (facet, f.facet_values(facet)) for facet in qb.FACET_FIELDS if f.facet_values(facet)
    ]
    if f.max_fee is not None:
        active.append(("max_fee", f.max_fee))
    active += [(flag, getattr(f, flag)) for flag in FLAGS if getattr(f, flag) is not None]
    if f.licensed_in:
        active.append(("licensed_in", f.licensed_in))
    for name, value in active:
        (q,) = qb.therapist_filters(schema, TherapistFilters.model_validate({name: value}))
        shown = " | ".join(value) if isinstance(value, list) else value
        label = f"lowest fee <= {value}" if name == "max_fee" else f"{name} = {shown}"
        out.append((label, q))
    for name in ("none_of", "all_of", "any_of"):  # issue 28: each condition alone
        for cond in getattr(f, name):
            (q,) = qb.condition_filters(
                schema.schema, TherapistFilters.model_validate({name: [cond]})
            )
            out.append((f"{name} {cond}", q))
    return out


def article_filters(
    search: EmbeddedArticleSearch, searcher: tantivy.Searcher, q: ArticleQuery
) -> list[tuple[str, Query]]:
    out: list[tuple[str, Query]] = []
    if q.topics:
        out.append(
            (
                f"topics = {' | '.join(q.topics)}",
                search.filters(searcher, ArticleQuery(topics=q.topics))[0],
            )
        )
    if q.author is not None:
        out.append((f"author = {q.author}", search.author_filter(searcher, q.author)))
    if q.published_from is not None or q.published_to is not None:
        only = ArticleQuery(published_from=q.published_from, published_to=q.published_to)
        out.append(
            (
                f"published {q.published_from or '…'} to {q.published_to or '…'}",
                search.filters(searcher, only)[0],
            )
        )
    return out


# ---------------------------------------------------------------------------- explainer


def render_plan(p: Plan) -> str:
    t = p.tuning
    lines: list[str] = []
    counted = p.needed < len(p.required)
    if counted:
        lines.append(
            f"NEEDS  at least {p.needed} of the {len(p.required)} COUNT words "
            f"(minimum_should_match {t.minimum_should_match!r}); SHOULD words only add score"
        )
    for c in p.clauses:
        occur = ("COUNT " if counted else "MUST  ") if c.occur == Occur.Must else "SHOULD"
        if c.kind == "unit":
            how = f"dis_max(tie_breaker={t.tie_breaker:g})" if len(c.fields) > 1 else "one field"
            lines.append(f"{occur} {c.label}: {how} over")
            lines += [f"         {f.label}" for f in c.fields]
        else:
            lines.append(f"{occur} {c.label}")
    if not p.clauses:
        lines.append("MUST   everything (no searchable words): each match scores 1")
    elif not any(c.occur == Occur.Must for c in p.clauses):
        lines.append("       (no required word: at least one SHOULD clause must match)")
    for label, _ in p.filters:
        lines.append(f"FILTER {label} (scores 0)")
    if p.near is not None:
        where = p.near.label or f"{p.near.lat:.4f},{p.near.lon:.4f}"
        lines.append(
            f"FILTER an office within {p.near.radius_km:.1f} km of {where} "
            f"({p.near.lat:.4f}, {p.near.lon:.4f}) (scores 0)"
        )
    lines.append("SCORE  sum of the clauses' BM25" if p.clauses else "SCORE  1")
    if p.spec.target == "therapists":
        if p.near is not None and t.distance.weight > 0:
            d = t.distance
            lines.append(
                f"     × ((1 − {d.weight:g}) + {d.weight:g} × gauss(nearest office km; offset "
                f"{d.offset_km:g}, scale {d.scale_km:g}, decay {d.decay:g}))"
            )
        if t.freshness.weight > 0:
            f = t.freshness
            lines.append(
                f"     × ((1 − {f.weight:g}) + {f.weight:g} × gauss(days since confirmed; offset "
                f"{f.offset_days:g}, scale {f.scale_days:g}, decay {f.decay:g}))"
            )
        if t.accepting_new_clients_boost != 1.0:
            lines.append(f"     × {t.accepting_new_clients_boost:g} if accepting new clients")
    if p.spec.target == "articles" and p.scoring is None:
        lines.append("ORDER  publication date, newest first; ties by id")
    else:
        lines.append("ORDER  score, highest first; ties by id")
    return "\n".join(lines)
