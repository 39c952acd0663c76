"""Generate the judged set: pool candidates, grade them by the rules, apply hand grades.

Candidates of a query (so the set is not biased towards one ranking):

* the top ``pool_depth`` hits of every *pool tuning* (run with freshness off, so the pool does
  not change with the day it is generated);
* documents the rules grade 1 or better, best first, up to ``rule_cap`` of them (ties broken by
  a hash of query and document: a fair sample, the same every time);
* every document of a collection smaller than ``exhaustive_below`` (the articles);
* every document with a hand grade.

Each candidate gets its rule grade unless a hand grade exists (``by: hand``). The result is the
same for the same fixtures, query file, pool tunings and hand grades.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from search_core.errors import InvalidQuery
from search_core.relevance.docs import Corpus
from search_core.relevance.judgments import Judgment, JudgmentList, load_queries, read_jsonl
from search_core.relevance.knobs import with_knobs
from search_core.relevance.lab import Lab
from search_core.relevance.needs import JudgedQuery
from search_core.relevance.querying import resolve_location
from search_core.relevance.rules import grade_article, grade_therapist
from search_core.settings import PROJECT_ROOT
from search_core.tuning import Tuning

RELEVANCE_DIR = PROJECT_ROOT / "relevance"
QUERIES_FILE = RELEVANCE_DIR / "queries.jsonl"
JUDGMENTS_FILE = RELEVANCE_DIR / "judgments.jsonl"
HAND_FILE = RELEVANCE_DIR / "hand_grades.jsonl"
POOL_DIR = RELEVANCE_DIR / "pool"
SATISFIED = 2
"""The grade from which a document gives the searcher what they asked for."""


@dataclass(frozen=True)
class HandGrade:
    qid: str
    doc: str
    grade: int
    note: str = ""


def load_judged_queries(path: Path | str = QUERIES_FILE) -> list[JudgedQuery]:
    return load_queries(path, JudgedQuery)  # type: ignore[return-value]


def load_pool_tunings(folder: Path | str = POOL_DIR) -> list[Tuning]:
    files = sorted(Path(folder).glob("*.json"))
    if not files:
        raise InvalidQuery(f"no pool tunings (*.json) in {folder}")
    return [Tuning.load(f) for f in files]


def _hand_row(row: dict[str, Any], where: str) -> HandGrade | None:
    grade = str(row.get("grade", "")).strip()
    if grade == "":
        return None  # exported for grading, not graded yet
    if grade not in ("0", "1", "2", "3"):
        raise InvalidQuery(f"{where}: grade must be 0, 1, 2 or 3, got {grade!r}")
    qid, doc = str(row.get("qid", "")).strip(), str(row.get("doc", "")).strip()
    if not qid or not doc:
        raise InvalidQuery(f"{where}: qid and doc are needed")
    return HandGrade(qid, doc, int(grade), str(row.get("note") or "").strip())


def load_hand_grades(path: Path | str) -> dict[tuple[str, str], HandGrade]:
    """Hand grades from JSONL (qid, doc, grade, note) or from a CSV exported by ``relevance
    export`` with its ``grade`` column filled in (rows left blank are skipped)."""
    p = Path(path)
    out: dict[tuple[str, str], HandGrade] = {}
    if not p.exists():
        return out
    if p.suffix == ".csv":
        with p.open(newline="", encoding="utf-8") as fh:
            rows: Iterable[tuple[int, dict[str, Any]]] = list(enumerate(csv.DictReader(fh), 2))
    else:
        rows = read_jsonl(p)
    for n, row in rows:
        h = _hand_row(row, f"{p}:{n}")
        if h is not None:
            out[(h.qid, h.doc)] = h
    return out


def add_hand_grades(source: Path | str, target: Path | str = HAND_FILE) -> int:
    """Merge the graded rows of ``source`` into the hand-grade file ``target`` (a row for the
    same query and document replaces the old one). Returns the number of rows merged."""
    have = load_hand_grades(target)
    new = load_hand_grades(source)
    have.update(new)
    rows = sorted(have.values(), key=lambda h: (h.qid, h.doc))
    with Path(target).open("wb") as fh:
        for h in rows:
            obj: dict[str, Any] = {"qid": h.qid, "doc": h.doc, "grade": h.grade}
            if h.note:
                obj["note"] = h.note
            fh.write(orjson.dumps(obj) + b"\n")
    return len(new)


def _stable(qid: str, doc: str) -> str:
    return hashlib.blake2b(f"{qid}/{doc}".encode(), digest_size=8).hexdigest()


@dataclass
class JudgeReport:
    judgments: JudgmentList
    pooled: dict[str, int]
    """qid → candidates that came from the pool tunings' rankings."""
    unknown_hand: list[tuple[str, str]]
    satisfiable: dict[str, bool] = field(default_factory=dict)
    """qid → whether some document of the corpus grades :data:`SATISFIED` or better by the
    rules: the data can answer the query (what the zero-result rate is measured on)."""

    def unsatisfiable(self) -> list[str]:
        return [q for q, ok in self.satisfiable.items() if not ok]


def generate(
    lab: Lab,
    queries: Sequence[JudgedQuery],
    corpus: Corpus,
    pool_tunings: Sequence[Tuning],
    *,
    hand: dict[tuple[str, str], HandGrade] | None = None,
    pool_depth: int = 20,
    rule_cap: int = 40,
    exhaustive_below: int = 100,
) -> JudgeReport:
    hand = hand or {}
    specs = [q.spec() for q in queries]
    pooled: dict[str, set[str]] = {s.qid: set() for s in specs}
    for t in pool_tunings:
        frozen = with_knobs(t, {"freshness.weight": 0.0})
        for qid, ranking in lab.run(specs, frozen, depth=pool_depth).items():
            pooled[qid].update(ranking.docs)
    out = JudgmentList()
    satisfiable: dict[str, bool] = {}
    for q, spec in zip(queries, specs, strict=True):
        out.add_query(spec)
        docs = corpus.of(q.target)
        area = q.area()
        near = resolve_location(area, lab.geocoder()) if area is not None else None
        graded: dict[str, tuple[int, str]] = {}
        for doc_id, doc in docs.items():
            graded[doc_id] = (
                grade_therapist(q.need, doc, near)
                if q.target == "therapists"
                else grade_article(q.need, doc)
            )
        satisfiable[q.qid] = any(g >= SATISFIED for g, _ in graded.values())
        matching = sorted(
            (d for d, (g, _) in graded.items() if g >= 1),
            key=lambda d: (-graded[d][0], _stable(q.qid, d)),
        )
        candidates = set(pooled[q.qid]) | set(matching[:rule_cap])
        if len(docs) < exhaustive_below:
            candidates |= set(docs)
        candidates |= {d for (qid, d) in hand if qid == q.qid}
        for doc_id in sorted(candidates):
            h = hand.get((q.qid, doc_id))
            if h is not None:
                out.add(Judgment(qid=q.qid, doc=doc_id, grade=h.grade, by="hand", why=h.note))
            elif doc_id in graded:
                g, why = graded[doc_id]
                out.add(Judgment(qid=q.qid, doc=doc_id, grade=g, by="rule", why=why))
    known = {(s.qid, d) for s in specs for d in corpus.of(s.target)}
    return JudgeReport(
        judgments=out,
        pooled={q: len(p) for q, p in pooled.items()},
        unknown_hand=sorted(k for k in hand if k not in known),
        satisfiable=satisfiable,
    )
