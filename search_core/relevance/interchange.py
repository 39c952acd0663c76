"""Judgments in and out in the formats other relevance tools use.

* CSV, one rating a row (Quepid's export: ``query,docid,rating``; the columns can be renamed
  with a map). ``query`` holds a query id or a query's text as typed; a text is matched to the
  query set, and must name one query of it.
* TREC qrels: ``qid iteration doc grade``, whitespace separated (trec_eval's input).
* Out, also an Elasticsearch / OpenSearch ``_rank_eval`` request body: each judged query as the
  Elasticsearch query builder renders it under a tuning, with its ratings.

Nothing is dropped silently: a row naming a query the query set does not hold, a document the
data does not hold, or a grade outside 0-3 is reported in :attr:`Imported.problems`.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from search_core.elastic import article_query, therapist_query
from search_core.elastic.text import query_analyzers
from search_core.errors import InvalidQuery
from search_core.mappings import load_mapping
from search_core.relevance.docs import Corpus
from search_core.relevance.judgments import Judgment, JudgmentList, QuerySpec
from search_core.relevance.lab import Lab
from search_core.settings import PROJECT_ROOT
from search_core.tuning import Tuning

CSV_COLUMNS = ("query", "doc", "rating")
"""The CSV columns a row needs, by their role; :func:`read_csv` takes a map to other names."""
TREC_ITERATION = "0"


@dataclass(frozen=True)
class Rating:
    """One rating as read: where it came from, the query (id or text), document and grade."""

    source: str
    query: str
    doc: str
    grade: str


@dataclass
class Imported:
    judgments: JudgmentList
    problems: list[str] = field(default_factory=list)
    added_queries: list[str] = field(default_factory=list)
    rows: int = 0


def parse_columns(items: Sequence[str]) -> dict[str, str]:
    """``["query=query_text", "doc=docid"]`` → role → column name; unknown roles refused."""
    out = {c: c for c in CSV_COLUMNS}
    for item in items:
        role, sep, name = item.partition("=")
        if not sep or role not in CSV_COLUMNS or not name:
            raise InvalidQuery(
                f"a column map is ROLE=COLUMN with ROLE one of {', '.join(CSV_COLUMNS)}; "
                f"got {item!r}"
            )
        out[role] = name
    return out


def read_csv(path: Path, columns: Mapping[str, str] | None = None) -> list[Rating]:
    cols = dict(columns or {c: c for c in CSV_COLUMNS})
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        missing = [f"{role} ({name})" for role, name in cols.items() if name not in header]
        if missing:
            raise InvalidQuery(
                f"{path}: no column for {', '.join(missing)}; the header has "
                f"{', '.join(header) or 'nothing'} (map columns with --column ROLE=NAME)"
            )
        return [
            Rating(
                f"{path.name}:{n}",
                (row.get(cols["query"]) or "").strip(),
                (row.get(cols["doc"]) or "").strip(),
                (row.get(cols["rating"]) or "").strip(),
            )
            for n, row in enumerate(reader, 2)
        ]


def read_trec(path: Path) -> list[Rating]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        if len(parts) != 4:
            raise InvalidQuery(f"{path}:{n}: a qrels line is 'qid iteration doc grade'")
        out.append(Rating(f"{path.name}:{n}", parts[0], parts[2], parts[3]))
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "query"


class _Queries:
    """The query set, looked up by id or by text (a text naming two queries is ambiguous)."""

    def __init__(self, specs: Sequence[QuerySpec]) -> None:
        self.by_id = {s.qid: s for s in specs}
        self.by_text: dict[str, list[QuerySpec]] = {}
        for s in specs:
            self.by_text.setdefault(s.query.strip().lower(), []).append(s)

    def find(self, key: str) -> QuerySpec | list[QuerySpec] | None:
        if key in self.by_id:
            return self.by_id[key]
        found = self.by_text.get(key.strip().lower(), [])
        return found[0] if len(found) == 1 else (found or None)


def import_ratings(
    ratings: Sequence[Rating],
    queries: Sequence[QuerySpec],
    corpus: Corpus,
    *,
    add_queries: bool = False,
    by: Literal["rule", "hand"] = "hand",
) -> Imported:
    """Ratings → a judgment list over ``queries``; every row left out is named in ``problems``.
    ``add_queries``: a text the query set does not hold becomes a new plain therapist query
    (id ``imp-<slug>``) instead of a problem."""
    known = _Queries(queries)
    out = Imported(JudgmentList(), rows=len(ratings))
    for r in ratings:
        spec = known.find(r.query)
        if isinstance(spec, list):
            ids = ", ".join(s.qid for s in spec)
            out.problems.append(f"{r.source}: query {r.query!r} is ambiguous ({ids}): use the id")
            continue
        if spec is None and add_queries and r.query:
            spec = QuerySpec(qid=f"imp-{_slug(r.query)}", query=r.query)
            known.by_id[spec.qid] = spec
            known.by_text[r.query.strip().lower()] = [spec]
            out.added_queries.append(spec.qid)
        if spec is None:
            out.problems.append(f"{r.source}: unknown query {r.query!r} (not in the query set)")
            continue
        if r.doc not in corpus.of(spec.target):
            out.problems.append(f"{r.source}: unknown document {r.doc!r} (no such {spec.target})")
            continue
        if r.grade not in {"0", "1", "2", "3"}:
            out.problems.append(f"{r.source}: rating {r.grade!r} is not a grade 0-3")
            continue
        if spec.qid not in out.judgments.queries:
            out.judgments.add_query(spec)
        if out.judgments.grade(spec.qid, r.doc) is not None:
            out.problems.append(f"{r.source}: {spec.qid} / {r.doc} is rated twice; kept the first")
            continue
        why = f"imported from {r.source.rsplit(':', 1)[0]}"
        j = Judgment(qid=spec.qid, doc=r.doc, grade=int(r.grade), by=by, why=why)
        out.judgments.add(j)
    return out


def _rows(j: JudgmentList) -> Iterator[tuple[QuerySpec, Judgment]]:
    for qid, spec in j.queries.items():
        for g in sorted(j.grades[qid].values(), key=lambda g: (-g.grade, g.doc)):
            yield spec, g


def write_csv(j: JudgmentList, path: Path) -> Path:
    """``query,doc,rating`` with the query's id in ``query`` (ids are unambiguous; texts may
    not be) and its text in a fourth column, ``text``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([*CSV_COLUMNS, "text"])
        for spec, g in _rows(j):
            w.writerow([spec.qid, g.doc, g.grade, spec.query])
    return path


def write_trec(j: JudgmentList, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{spec.qid} {TREC_ITERATION} {g.doc} {g.grade}" for spec, g in _rows(j)]
    path.write_text("".join(f"{ln}\n" for ln in lines), encoding="utf-8")
    return path


def rank_eval_body(
    lab: Lab,
    j: JudgmentList,
    tuning: Tuning,
    target: str,
    index: str,
    k: int = 10,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """A ``_rank_eval`` request body for the ``target`` queries of ``j``: each query read as
    the search box reads it (places, filters; the lab's geocoder) and rendered by the
    Elasticsearch query builder under ``tuning``; its ratings on ``index``; nDCG@k (``dcg``
    normalized). Elasticsearch truncates the ideal ranking to the hits it returns (see the
    README), so its figures can differ from the lab's."""
    analyzers = query_analyzers(load_mapping(PROJECT_ROOT / "mappings", target))
    now = today or dt.date.today()
    requests = []
    for qid, spec in j.queries.items():
        if spec.target != target:
            continue
        resolved = lab.resolve(spec)
        if target == "therapists":
            body = therapist_query.search_body(
                resolved.therapist_query(0, k), tuning, analyzers, now
            )
        else:
            body = article_query.search_body(resolved.article_query(0, k), tuning, analyzers)
        ratings = [
            {"_index": index, "_id": g.doc, "rating": g.grade}
            for g in sorted(j.grades[qid].values(), key=lambda g: (-g.grade, g.doc))
        ]
        requests.append({"id": qid, "request": {"query": body["query"]}, "ratings": ratings})
    if not requests:
        raise InvalidQuery(f"no {target} queries to export")
    return {"requests": requests, "metric": {"dcg": {"k": k, "normalize": True}}}
