"""Explain on the embedded engine: the Tantivy query tree built from the same units, fields and
boosts as :mod:`search_core.embedded.querybuild`, BM25 per clause from ``Query.explain``, the
multipliers :mod:`search_core.embedded.therapist_search` applies after BM25, and each clause
tested on its own against the document."""

from __future__ import annotations

import math
import time
from typing import Any

import orjson
import tantivy
from tantivy import Occur, Query

from search_core.embedded import querybuild as qb
from search_core.embedded.articles import EmbeddedArticleSearch
from search_core.embedded.columns import fast_floats, nearest_km
from search_core.embedded.reader import OpenIndex
from search_core.embedded.schema import EPOCH_SUFFIX
from search_core.errors import NotFound
from search_core.query_rules import search_fields
from search_core.relevance.explain_embedded_plan import (
    FIELD_ID,
    Plan,
    TextClause,
    article_filters,
    field_names,
    leaf,
    phrase_clauses,
    readable_repr,
    render_plan,
    therapist_filters,
    unit_clause,
)
from search_core.relevance.explanation import (
    DEFAULT_DEPTH,
    ClauseCheck,
    Explanation,
    Multiplier,
    ScorePart,
)
from search_core.relevance.judgments import QuerySpec
from search_core.relevance.lab import Lab
from search_core.text_query import search_units
from search_core.tuning import Tuning

__all__ = ["EmbeddedExplainer", "field_names", "leaf", "readable_repr", "render_plan"]


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
        schema = opened.schema
        rank_text = resolved.rank_text if spec.target == "therapists" else None
        units = search_units(resolved.text, "all", tuning.synonyms, rank_text)
        if spec.target == "therapists":
            tq = resolved.therapist_query()
            fields = dict(tuning.therapist_fields)
            filters = therapist_filters(schema, tq.filters)
        else:
            aq = resolved.article_query()
            fields = search_fields(tuning, aq.field)
            search = EmbeddedArticleSearch(opened, tuning)
            filters = article_filters(search, opened.searcher(), aq)
        clauses = [c for u in units if (c := unit_clause(schema, u, fields, tuning)) is not None]
        if clauses:
            clauses += phrase_clauses(schema, units, fields, tuning)
        scoring = qb.text_query(schema, units, fields, tuning)
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
        matched = self._text_matched(p, checks) and self._any_optional(p, checks)
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
        names = field_names(p.schema)
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

    def _text_matched(self, p: Plan, checks: list[ClauseCheck]) -> bool:
        """Every filter and area passed, and as many required text clauses as needed."""
        text = [c for c in checks if c.kind == "text"]
        others = [c for c in checks if c.required and c.kind != "text"]
        return all(c.passed for c in others) and sum(c.passed for c in text) >= p.needed

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
        best = float(nearest_km(p.schema, read, 1, p.near.lat, p.near.lon)[0])
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
    renamed = FIELD_ID.sub(lambda m: m.group(1) + names.get(int(m.group(2)), m.group(2)), text)
    out: dict[str, Any] = orjson.loads(renamed)
    return out


# ---------------------------------------------------------------------------- rendering
