"""Explain on the embedded engine: the Tantivy query tree built from the same units, fields and
boosts as :mod:`search_core.embedded.querybuild`, BM25 per clause from ``Query.explain``, the
multipliers :mod:`search_core.embedded.therapist_search` applies after BM25, and each clause
tested on its own against the document."""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from typing import Any

import orjson
import tantivy
from tantivy import Occur, Query

from search_core.embedded import querybuild as qb
from search_core.embedded.articles_methods import EmbeddedArticleSearch, search_fields
from search_core.embedded.columns import fast_floats, nearest_km
from search_core.embedded.reader import OpenIndex
from search_core.embedded.schema import EPOCH_SUFFIX, EmbeddedSchema
from search_core.errors import NotFound
from search_core.queries import FLAGS, ArticleQuery, GeoFilter, TherapistFilters
from search_core.relevance.explain import (
    DEFAULT_DEPTH,
    ClauseCheck,
    Explanation,
    Multiplier,
    ScorePart,
)
from search_core.relevance.judgments import QuerySpec
from search_core.relevance.lab import Lab
from search_core.relevance.querying import Resolved
from search_core.text_query import QueryUnit, parse
from search_core.tuning import Tuning

_QUOTED = re.compile(r'"([^"]*)"')
_FIELD_ID = re.compile(r"(field=|Field\()(\d+)")


# ---------------------------------------------------------------------------- field names


def field_names(es: EmbeddedSchema) -> dict[int, str]:
    """Tantivy field id → mapping path (ids follow the order the schema adds fields in)."""
    out: dict[int, str] = {}
    n = 0
    for plan in es.plans:
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
    return _FIELD_ID.sub(lambda m: m.group(1) + names.get(int(m.group(2)), m.group(2)), repr(q))


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
    def es(self) -> EmbeddedSchema:
        return self.opened.schema


def _unit_clause(
    es: EmbeddedSchema, unit: QueryUnit, fields: dict[str, float], tuning: Tuning
) -> TextClause | None:
    """The clause of one unit, built like ``querybuild.unit_query``, per field kept apart."""
    per_field: list[FieldClause] = []
    for f, boost in fields.items():
        alts = [q for alt in unit.alternatives if (q := qb._word_query(es, f, alt, tuning))]
        if not alts:
            continue
        q = alts[0] if len(alts) == 1 else Query.boolean_query([(Occur.Should, a) for a in alts])
        per_field.append(
            FieldClause(f, boost, Query.boost_query(q, boost) if boost != 1 else q, alts)
        )
    whole = qb.unit_query(es, unit, fields, tuning)
    if whole is None:
        return None
    words = " | ".join(" ".join(a) for a in unit.alternatives)
    how = "required" if unit.required else "optional"
    label = f'{how} "{unit.text}" ({words})'
    occur = Occur.Must if unit.required else Occur.Should
    return TextClause(label, occur, whole, per_field)


def _phrase_clauses(
    es: EmbeddedSchema, units: list[QueryUnit], fields: dict[str, float], tuning: Tuning
) -> list[TextClause]:
    """The whole-text phrase boosts, built like ``querybuild.text_query``."""
    all_words = [w for u in units for w in u.alternatives[0]]
    if len(all_words) < 2 or tuning.phrase_boost <= 0:
        return []
    out = []
    for f, boost in fields.items():
        if es.by_path[f].kind != "text":
            continue
        pq = qb._word_query(es, f, all_words, tuning, slop=tuning.phrase_slop, fuzzy=False)
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


def _therapist_filters(es: EmbeddedSchema, f: TherapistFilters) -> list[tuple[str, Query]]:
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
        (q,) = qb.therapist_filters(es, TherapistFilters.model_validate({name: value}))
        shown = " | ".join(value) if isinstance(value, list) else value
        label = f"lowest fee <= {value}" if name == "max_fee" else f"{name} = {shown}"
        out.append((label, q))
    return out


def _article_filters(
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


def _gauss(x: float, offset: float, scale: float, decay: float) -> float:
    """The engine's (and Elasticsearch's) gauss decay."""
    sigma2 = -(scale**2) / (2.0 * math.log(decay))
    over = max(0.0, x - offset)
    return math.exp(-(over**2) / (2.0 * sigma2))


class EmbeddedExplainer:
    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.reader = lab.backend.reader  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ plan + render

    def plan(self, spec: QuerySpec, tuning: Tuning) -> Plan:
        resolved = self.lab.resolve(spec)
        opened: OpenIndex = self.reader.get(spec.target)
        es = opened.schema
        units = parse(resolved.text, tuning.synonyms)
        if spec.target == "therapists":
            tq = resolved.therapist_query()
            fields = dict(tuning.therapist_fields)
            filters = _therapist_filters(es, tq.filters)
        else:
            aq = resolved.article_query()
            fields = search_fields(tuning, aq.field)
            search = EmbeddedArticleSearch(opened, tuning)
            filters = _article_filters(search, opened.searcher(), aq)
        clauses = [c for u in units if (c := _unit_clause(es, u, fields, tuning)) is not None]
        if clauses:
            clauses += _phrase_clauses(es, units, fields, tuning)
        scoring = qb.text_query(es, units, fields, tuning)
        return Plan(spec, resolved, tuning, opened, units, scoring, clauses, filters, resolved.near)

    def render(self, spec: QuerySpec, tuning: Tuning) -> str:
        return render_plan(self.plan(spec, tuning))

    # ------------------------------------------------------------------ explain

    def explain(
        self, spec: QuerySpec, doc_id: str, tuning: Tuning, depth: int = DEFAULT_DEPTH
    ) -> Explanation:
        p = self.plan(spec, tuning)
        searcher = p.opened.searcher()
        addr = _address(p.opened, searcher, doc_id)
        checks = self._checks(p, searcher, addr)
        matched = all(c.passed for c in checks if c.required) and self._any_optional(p, checks)
        text_score: float | None = None
        parts: list[ScorePart] = []
        tree: dict[str, Any] | None = None
        if matched and p.scoring is not None:
            tree = _explain_json(p.scoring, searcher, addr)
            text_score = float(tree["value"]) if tree else 0.0
            parts = [self._part(c, searcher, addr, tuning.tie_breaker) for c in p.clauses]
        multipliers = (
            self._multipliers(p, searcher, addr) if matched and spec.target == "therapists" else []
        )
        ranking = self.lab.ranking(spec, tuning, depth=depth)
        rank = ranking.rank_of(doc_id)
        names = field_names(p.es)
        return Explanation(
            engine=self.lab.engine,
            tuning=tuning.name,
            qid=spec.qid,
            query=spec.query,
            doc=doc_id,
            searched_text=p.resolved.text,
            place=ranking.place,
            rendered_query=render_plan(p),
            matched=matched,
            rank=rank,
            depth=depth,
            engine_score=ranking.scores[rank - 1] if rank is not None else None,
            text_score=text_score,
            parts=parts,
            multipliers=multipliers,
            checks=checks,
            raw_query=readable_repr(p.scoring, names) if p.scoring is not None else "",
            engine_explanation=_rename(tree, names) if tree is not None else None,
        )

    def _any_optional(self, p: Plan, checks: list[ClauseCheck]) -> bool:
        """Without a required unit, a text query needs one of its optional units."""
        if any(c.occur == Occur.Must for c in p.clauses) or p.scoring is None:
            return True
        return any(c.passed for c in checks if c.kind == "optional text")

    def _checks(
        self, p: Plan, searcher: tantivy.Searcher, addr: tantivy.DocAddress
    ) -> list[ClauseCheck]:
        out: list[ClauseCheck] = []
        for c in p.clauses:
            if c.kind != "unit":
                continue
            hit = _matches(c.query, searcher, addr)
            fields = [f.field for f in c.fields if _matches(f.query, searcher, addr)]
            detail = f"found in {', '.join(fields)}" if fields else "in none of the fields"
            kind = "text" if c.occur == Occur.Must else "optional text"
            out.append(ClauseCheck(c.label, kind, hit, detail))
        source = p.opened.source(searcher, addr)
        for label, q in p.filters:
            facet = label.split(" ")[0]
            have = source.get(facet) if facet in source else None
            detail = f"the document has {have!r}" if have is not None else ""
            out.append(ClauseCheck(label, "filter", _matches(q, searcher, addr), detail))
        if p.near is not None:
            km = self._nearest_km(p, searcher, addr)
            where = p.near.label or f"{p.near.lat:.4f},{p.near.lon:.4f}"
            clause = f"an office within {p.near.radius_km:.1f} km of {where}"
            detail = "no office (online only)" if km is None else f"nearest office {km:.1f} km"
            passed = km is not None and km <= p.near.radius_km
            out.append(ClauseCheck(clause, "area", passed, detail))
        return out

    def _part(
        self, c: TextClause, searcher: tantivy.Searcher, addr: tantivy.DocAddress, tie: float
    ) -> ScorePart:
        value = _score(c.query, searcher, addr)
        children = [ScorePart(f.label, _score(f.query, searcher, addr)) for f in c.fields]
        note = ""
        if len(children) > 1 and value > 0:
            best = max(ch.value for ch in children)
            rest = sum(ch.value for ch in children) - best
            note = f"dis_max: best field {best:.4f} + tie_breaker {tie:g} × other fields {rest:.4f}"
        return ScorePart(c.label, value, note, children if c.kind == "unit" else [])

    def _nearest_km(
        self, p: Plan, searcher: tantivy.Searcher, addr: tantivy.DocAddress
    ) -> float | None:
        """Distance to the nearest office, from the same fast fields and function the engine
        uses for its area."""
        assert p.near is not None
        read = lambda f: fast_floats(searcher, f, [addr])  # noqa: E731
        best = float(nearest_km(p.es, read, 1, p.near.lat, p.near.lon)[0])
        return None if math.isinf(best) else best

    def _multipliers(
        self, p: Plan, searcher: tantivy.Searcher, addr: tantivy.DocAddress
    ) -> list[Multiplier]:
        t = p.tuning
        out: list[Multiplier] = []
        if p.near is not None and t.distance.weight > 0:
            d = t.distance
            km = self._nearest_km(p, searcher, addr)
            g = _gauss(km if km is not None else math.inf, d.offset_km, d.scale_km, d.decay)
            out.append(
                Multiplier(
                    "distance decay",
                    (1 - d.weight) + d.weight * g,
                    f"nearest office {km:.2f} km; gauss(offset {d.offset_km:g} km, scale "
                    f"{d.scale_km:g} km, decay {d.decay:g}) = {g:.4f}; weight {d.weight:g}",
                )
            )
        if t.freshness.weight > 0:
            f = t.freshness
            epoch = searcher.fast_field_values("last_confirmed" + EPOCH_SUFFIX, [addr])[0] or 0
            age = max(0.0, (time.time() - float(epoch)) / 86400.0)
            g = _gauss(age, f.offset_days, f.scale_days, f.decay)
            out.append(
                Multiplier(
                    "freshness",
                    (1 - f.weight) + f.weight * g,
                    f"confirmed {age:.0f} days ago; gauss(offset {f.offset_days:g} d, scale "
                    f"{f.scale_days:g} d, decay {f.decay:g}) = {g:.4f}; weight {f.weight:g}",
                )
            )
        if t.accepting_new_clients_boost != 1.0:
            accepting = bool(searcher.fast_field_values("accepting_new_clients", [addr])[0])
            out.append(
                Multiplier(
                    "accepting new clients",
                    t.accepting_new_clients_boost if accepting else 1.0,
                    ("accepting" if accepting else "not accepting")
                    + f"; boost {t.accepting_new_clients_boost:g}",
                )
            )
        return out


# ---------------------------------------------------------------------------- helpers


def _address(opened: OpenIndex, searcher: tantivy.Searcher, doc_id: str) -> tantivy.DocAddress:
    hits = searcher.search(Query.term_query(opened.schema.schema, "id", doc_id), 1).hits
    if not hits:
        raise NotFound(f"no {opened.kind[:-1]} with id {doc_id!r} in the serving index")
    addr: tantivy.DocAddress = hits[0][1]
    return addr


def _explain_json(
    q: Query, searcher: tantivy.Searcher, addr: tantivy.DocAddress
) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = orjson.loads(q.explain(searcher, addr).to_json())
    except ValueError:  # "Document #(n) does not match"
        return None
    return data


def _matches(q: Query, searcher: tantivy.Searcher, addr: tantivy.DocAddress) -> bool:
    return _explain_json(q, searcher, addr) is not None


def _score(q: Query, searcher: tantivy.Searcher, addr: tantivy.DocAddress) -> float:
    tree = _explain_json(q, searcher, addr)
    return float(tree["value"]) if tree else 0.0


def _rename(tree: dict[str, Any], names: dict[int, str]) -> dict[str, Any]:
    text = orjson.dumps(tree).decode()
    renamed = _FIELD_ID.sub(lambda m: m.group(1) + names.get(int(m.group(2)), m.group(2)), text)
    out: dict[str, Any] = orjson.loads(renamed)
    return out


# ---------------------------------------------------------------------------- rendering


def render_plan(p: Plan) -> str:
    t = p.tuning
    lines: list[str] = []
    for c in p.clauses:
        occur = "MUST  " if c.occur == Occur.Must else "SHOULD"
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


__all__ = ["EmbeddedExplainer", "field_names", "leaf", "readable_repr", "render_plan"]
