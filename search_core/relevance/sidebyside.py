"""One query's two ranked lists side by side (what Quepid and Splainer show): the top k under A
and under B with their grades, how far each document moved, and the score breakdown of the
documents that moved most, under both tunings."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from search_core.relevance.compare import Comparison
from search_core.relevance.explanation import Explanation
from search_core.relevance.judgments import JudgmentList
from search_core.relevance.lab import Lab

MOVERS = 3


@dataclass(frozen=True)
class Row:
    rank: int
    doc: str
    grade: int | None
    other_rank: int | None
    """The document's rank in the other list (None: not in its fetched hits)."""

    @property
    def move(self) -> str:
        """``B`` rows: ``↑3`` (up three places from A), ``↓2``, ``=`` or ``new``."""
        if self.other_rank is None:
            return "new"
        d = self.other_rank - self.rank
        return "=" if d == 0 else (f"↑{d}" if d > 0 else f"↓{-d}")


@dataclass(frozen=True)
class Breakdown:
    """One document's score under one tuning, by clause and multiplier (or why it missed)."""

    rank: int | None
    lines: list[str]


@dataclass
class SideBySide:
    qid: str
    query: str
    metric: str
    value_a: float
    value_b: float
    a: list[Row]
    b: list[Row]
    movers: list[str]
    """Documents that moved most between the lists, biggest move first."""
    k: int = 10
    breakdowns: dict[str, tuple[Breakdown, Breakdown]] = field(default_factory=dict)
    note: str = ""


def breakdown(e: Explanation) -> Breakdown:
    """``text 3.2 = title 2.1 + phrase 1.1``, ``× 0.81 distance decay``, ``= 2.59``."""
    if not e.matched:
        return Breakdown(None, ["does not match: " + "; ".join(c.clause for c in e.failing())])
    parts = [p for p in e.parts if p.value]
    text = "none (no text)" if e.text_score is None else f"{e.text_score:.3f}"
    lines = [f"text {text}" + (" = " if parts else "")]
    lines[0] += " + ".join(f"{p.label} {p.value:.3f}" for p in parts)
    lines += [f"× {m.factor:.3f} {m.name}" for m in e.multipliers]
    if e.final_score is not None:
        lines.append(f"= {e.final_score:.3f}")
    return Breakdown(e.rank, lines)


def _rank_change(doc: str, a: list[str], b: list[str], depth: int) -> int:
    ra = a.index(doc) + 1 if doc in a else depth + 1
    rb = b.index(doc) + 1 if doc in b else depth + 1
    return abs(ra - rb)


def side_by_side(
    c: Comparison,
    judgments: JudgmentList,
    qid: str,
    k: int = 10,
    lab_a: Lab | None = None,
    lab_b: Lab | None = None,
    movers: int = MOVERS,
) -> SideBySide:
    """The top ``k`` of query ``qid`` under A and B (from the comparison's runs). With a lab on
    the embedded engine for a side, the biggest movers' scores are broken down on it."""
    if qid not in c.a.run or qid not in c.b.run:
        known = ", ".join(sorted(set(c.a.run) & set(c.b.run))[:10])
        raise ValueError(f"query {qid!r} was not measured by both runs (e.g. {known} ...)")
    docs_a, docs_b = c.a.run[qid].docs, c.b.run[qid].docs

    def rows(mine: list[str], other: list[str]) -> list[Row]:
        return [
            Row(
                i,
                d,
                judgments.grade(qid, d),
                other.index(d) + 1 if d in other else None,
            )
            for i, d in enumerate(mine[:k], 1)
        ]

    depth = max(len(docs_a), len(docs_b))
    shown = list(dict.fromkeys([*docs_a[:k], *docs_b[:k]]))
    moved = sorted(shown, key=lambda d: (-_rank_change(d, docs_a, docs_b, depth), d))
    moved = [d for d in moved if _rank_change(d, docs_a, docs_b, depth) > 0][:movers]
    values = {d.qid: d for d in c.deltas}
    out = SideBySide(
        qid,
        judgments.queries[qid].query,
        c.metric,
        values[qid].a if qid in values else math.nan,
        values[qid].b if qid in values else math.nan,
        rows(docs_a, docs_b),
        rows(docs_b, docs_a),
        moved,
        k,
    )
    usable = [lab for lab in (lab_a, lab_b) if lab is not None and lab.engine == "embedded"]
    if len(usable) < 2:
        out.note = "score breakdowns need the embedded engine on both sides"
        return out
    from search_core.relevance.explain import make_explainer

    spec = judgments.queries[qid]
    ex_a, ex_b = make_explainer(usable[0]), make_explainer(usable[1])
    for d in moved:
        out.breakdowns[d] = (
            breakdown(ex_a.explain(spec, d, c.a.tuning, depth=max(depth, k))),
            breakdown(ex_b.explain(spec, d, c.b.tuning, depth=max(depth, k))),
        )
    return out


def _cell(r: Row | None, width: int, move: bool) -> str:
    if r is None:
        return " " * width
    grade = "-" if r.grade is None else str(r.grade)
    text = f"{r.rank:>2}  {r.doc:<12} {grade:>5}" + (f"  {r.move:>4}" if move else "")
    return text.ljust(width)


def format_side_by_side(s: SideBySide, label_a: str, label_b: str) -> str:
    lines = [
        f"query {s.qid}: {s.query!r}  {s.metric} A {s.value_a:.3f} -> B {s.value_b:.3f}",
        f"{'A = ' + label_a:<26}|  B = {label_b}",
        f"{' #  doc          grade':<26}|  {' #  doc          grade  move'}",
    ]
    for i in range(max(len(s.a), len(s.b))):
        a = s.a[i] if i < len(s.a) else None
        b = s.b[i] if i < len(s.b) else None
        lines.append(f"{_cell(a, 26, False)}|  {_cell(b, 0, True)}".rstrip())
    if s.movers:
        lines.append(f"movers (rank in A -> rank in B; '-': not in the top {s.k}):")
    for d in s.movers:
        ra = next((r.rank for r in s.a if r.doc == d), None)
        rb = next((r.rank for r in s.b if r.doc == d), None)
        lines.append(f"  {d}: {ra or '-'} -> {rb or '-'}")
        if d in s.breakdowns:
            ba, bb = s.breakdowns[d]
            lines.append("    A: " + "  ".join(ba.lines))
            lines.append("    B: " + "  ".join(bb.lines))
    if s.note:
        lines.append(f"note: {s.note}")
    return "\n".join(lines)
