"""What an explanation is: a document's rank and score broken down by clause, the checks that
say why it does or does not match, and the :class:`Explainer` interface an engine implements to
produce them. Engine-neutral: the embedded engine's explainer
(:mod:`search_core.relevance.explain_embedded`) builds on these, and
:mod:`search_core.relevance.explain` picks one.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from search_core.relevance.judgments import QuerySpec
from search_core.tuning import Tuning

DEFAULT_DEPTH = 200
"""How deep the rank of a document is looked for."""


@dataclass
class ScorePart:
    """One clause's share of the text score; ``children`` break it down further (by field)."""

    label: str
    value: float
    note: str = ""
    children: list[ScorePart] = field(default_factory=list)


@dataclass
class Multiplier:
    """A factor the engine applies to the text score after BM25."""

    name: str
    factor: float
    detail: str


@dataclass
class ClauseCheck:
    """Does the document satisfy this clause on its own?"""

    clause: str
    kind: str  # "text" | "optional text" | "filter" | "area"
    passed: bool
    detail: str = ""

    @property
    def required(self) -> bool:
        return self.kind != "optional text"


@dataclass
class Explanation:
    engine: str
    tuning: str
    qid: str
    query: str
    doc: str
    searched_text: str | None
    place: str | None
    rendered_query: str
    matched: bool
    rank: int | None
    depth: int
    engine_score: float | None
    """The score the engine reported for the hit (None: not in the top ``depth``, or a search
    without text, whose hits carry no score)."""
    text_score: float | None
    parts: list[ScorePart]
    multipliers: list[Multiplier]
    checks: list[ClauseCheck]
    raw_query: str = ""
    engine_explanation: dict[str, Any] | None = None

    @property
    def final_score(self) -> float | None:
        """Text score (1 without text) times every multiplier: what the engine ranks by."""
        if not self.matched:
            return None
        base = self.text_score if self.text_score is not None else 1.0
        return base * math.prod(m.factor for m in self.multipliers)

    @property
    def parts_total(self) -> float:
        return sum(p.value for p in self.parts)

    def failing(self) -> list[ClauseCheck]:
        """The required clauses this document fails: why it does not match."""
        return [c for c in self.checks if c.required and not c.passed]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["final_score"] = self.final_score
        out["failing"] = [asdict(c) for c in self.failing()]
        return out

    def to_text(self, raw: bool = False) -> str:
        lines = [
            f"engine {self.engine}, tuning {self.tuning}, query {self.qid}: {self.query!r}",
            f"searched words: {self.searched_text!r}"
            + (f", around {self.place}" if self.place else ""),
            "",
            "rendered query:",
            *("  " + ln for ln in self.rendered_query.splitlines()),
        ]
        if raw and self.raw_query:
            lines += ["", "engine query object:", "  " + self.raw_query]
        lines += ["", f"document {self.doc}:"]
        if self.rank is not None:
            lines.append(f"  rank {self.rank}, engine score {self.engine_score}")
        elif self.matched:
            lines.append(f"  matches, but ranks below the first {self.depth} hits")
        if self.matched:
            lines.append(
                "  text score (BM25) "
                + (f"{self.text_score:.4f}" if self.text_score is not None else "none: no text")
                + f" = sum of clauses {self.parts_total:.4f}"
            )
            zero = [p for p in self.parts if p.value == 0]
            for p in self.parts:
                if p.value != 0:
                    lines += _part_lines(p, 2)
            if zero:
                lines.append(
                    f"  + 0       {len(zero)} more clause(s) that do not match this document"
                )
            for m in self.multipliers:
                lines.append(f"  × {m.factor:.4f}  {m.name}: {m.detail}")
            if self.final_score is not None:
                lines.append(f"  = {self.final_score:.4f}")
        else:
            lines.append("  does NOT match:")
            for c in self.failing():
                lines.append(f"    ✗ {c.kind}: {c.clause}" + (f" ({c.detail})" if c.detail else ""))
        lines += ["", "each clause on its own:"]
        for c in self.checks:
            mark = "✓" if c.passed else ("✗" if c.required else "·")
            lines.append(f"  {mark} {c.kind}: {c.clause}" + (f" ({c.detail})" if c.detail else ""))
        return "\n".join(lines)


def _part_lines(p: ScorePart, indent: int) -> list[str]:
    pad = " " * indent
    out = [f"{pad}+ {p.value:.4f}  {p.label}" + (f"  [{p.note}]" if p.note else "")]
    for c in p.children:
        if c.value != 0:
            out += _part_lines(c, indent + 4)
    return out


class Explainer(Protocol):
    """What an engine implements to explain its rankings."""

    def render(self, spec: QuerySpec, tuning: Tuning) -> str:
        """The engine query for ``spec`` under ``tuning``, readable."""
        ...

    def explain(
        self, spec: QuerySpec, doc_id: str, tuning: Tuning, depth: int = DEFAULT_DEPTH
    ) -> Explanation:
        """Rank, score breakdown and per-clause checks of one document for one query."""
        ...
