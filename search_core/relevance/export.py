"""Grow the judged set: export the top hits nobody has graded yet, with what a grader needs to
decide, as CSV (for a spreadsheet) or JSONL. Fill in ``grade`` (0-3) and ``note``, then merge the
file with ``therapist-search relevance judge --add-hand FILE``."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from search_core.relevance.judgments import JudgmentList, QuerySpec
from search_core.relevance.lab import Lab
from search_core.relevance.rules import author_name, nearest_km
from search_core.tuning import Tuning

BIO_CHARS = 400
COMMON = ["qid", "query", "target", "searched_words", "place", "rank", "doc", "grade", "note"]
THERAPIST_COLUMNS = [
    "name",
    "profession",
    "issues",
    "therapy_types",
    "age_groups",
    "populations",
    "languages",
    "insurance",
    "telehealth",
    "accepting_new_clients",
    "nearest_office",
    "distance_km",
    "bio",
]
ARTICLE_COLUMNS = ["title", "author", "topics", "summary"]
COLUMNS = [*COMMON, "current_grade", *THERAPIST_COLUMNS, *ARTICLE_COLUMNS]


def _join(values: Any) -> str:
    return ", ".join(map(str, values or []))


def _therapist(doc: dict[str, Any], km: float | None) -> dict[str, Any]:
    offices = doc.get("offices") or []
    return {
        "name": doc.get("name", ""),
        "profession": doc.get("profession", ""),
        "issues": _join(doc.get("issues")),
        "therapy_types": _join(doc.get("therapy_types")),
        "age_groups": _join(doc.get("age_groups")),
        "populations": _join(doc.get("populations")),
        "languages": _join(doc.get("languages")),
        "insurance": _join(doc.get("insurance")),
        "telehealth": doc.get("telehealth"),
        "accepting_new_clients": doc.get("accepting_new_clients"),
        "nearest_office": (
            f"{offices[0]['city']}, {offices[0]['state']}" if offices else "online only"
        ),
        "distance_km": None if km is None else round(km, 1),
        "bio": (doc.get("bio") or "")[:BIO_CHARS],
    }


def _article(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": doc.get("title", ""),
        "author": author_name(doc),
        "topics": _join(doc.get("topics")),
        "summary": doc.get("summary", ""),
    }


def candidates(
    lab: Lab,
    specs: Sequence[QuerySpec],
    judgments: JudgmentList,
    tuning: Tuning,
    k: int = 10,
    include_judged: bool = False,
) -> list[dict[str, Any]]:
    """One row per top-``k`` hit of each query that has no grade yet (or every hit)."""
    run = lab.run(specs, tuning, depth=k, with_sources=True)
    rows: list[dict[str, Any]] = []
    for spec in specs:
        ranking = run[spec.qid]
        near = lab.resolve(spec).near
        for rank, doc_id in enumerate(ranking.docs, 1):
            current = judgments.grade(spec.qid, doc_id)
            if current is not None and not include_judged:
                continue
            doc = ranking.sources[doc_id]
            row: dict[str, Any] = {
                "qid": spec.qid,
                "query": spec.query,
                "target": spec.target,
                "searched_words": ranking.text or "",
                "place": ranking.place or "",
                "rank": rank,
                "doc": doc_id,
                "grade": "",
                "note": "",
                "current_grade": "" if current is None else current,
            }
            if spec.target == "therapists":
                km = nearest_km(doc, near) if near is not None else None
                row.update(_therapist(doc, km))
            else:
                row.update(_article(doc))
            rows.append(row)
    return rows


def write_rows(rows: Sequence[dict[str, Any]], path: Path | str) -> Path:
    """CSV when the name ends in .csv, else JSON Lines."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".csv":
        used = [c for c in COLUMNS if any(c in r for r in rows)] or COMMON
        with out.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=used, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    else:
        with out.open("wb") as fh:
            for r in rows:
                fh.write(orjson.dumps(r) + b"\n")
    return out
