"""Plain-text tables of the lab's results (what the CLI prints; handy in notebooks too)."""

from __future__ import annotations

from search_core.relevance.compare import Comparison
from search_core.relevance.evaluate import SATISFIED_TARGET, EvalReport
from search_core.relevance.search import SearchResult


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(
        c.ljust(w) if i == 0 else c.rjust(w)
        for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    )


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return [_row(header, widths), _row(["-" * w for w in widths], widths)] + [
        _row(r, widths) for r in rows
    ]


def _num(v: float | None, digits: int = 4) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


def format_eval(r: EvalReport, per_query: bool = False) -> str:
    """The means per target, per query set and overall, with the search-box figures: ``zero``
    (the zero-result rate on the satisfiable queries, target 0) and ``satisfied@k`` (the share
    of the top k graded 2+, target 0.9)."""
    sat = r.satisfied_metric
    lines = [
        f"engine {r.engine}, tuning {r.tuning.name}: {len(r.per_query)} queries, "
        f"relevant = grade >= {r.rel}"
    ]
    if per_query:
        rows = [
            [
                q,
                r.targets.get(q, "")[:1],
                *(f"{v[m]:.3f}" for m in r.metrics),
                _num(r.satisfied.get(q), 3),
                str(r.run[q].total),
            ]
            for q, v in r.per_query.items()
        ]
        lines += _table(["query", "t", *r.metrics, sat, "hits"], rows)
        lines.append("")
    rows = []
    for label, qids in r.groups().items():
        m = r.means_of(qids)
        f = r.figures(qids)
        rows.append(
            [
                label,
                str(int(m["queries"])),
                *(f"{m[name]:.4f}" for name in r.metrics),
                str(int(f["satisfiable"] or 0)),
                _num(f["zero_result_rate"]),
                _num(f[sat]),
            ]
        )
    lines += _table(["mean", "queries", *r.metrics, "satisfiable", "zero", sat], rows)
    empty = r.zero_result_queries()
    lines.append(
        f"zero results on {len(empty)} of {len(r.satisfiable)} satisfiable queries "
        f"(target 0); {sat} {_num(r.satisfied_share())} (target >= {SATISFIED_TARGET})"
    )
    if r.skipped:
        lines.append(f"left out (no document graded 1+): {', '.join(r.skipped)}")
    return "\n".join(lines)


def format_comparison(c: Comparison, movers: int = 10) -> str:
    verdict = "significant" if c.significant() else "not significant"
    lines = [
        f"A = {c.label_a}, B = {c.label_b}, {c.metric} over {len(c.deltas)} queries",
        f"mean A {c.mean_a:.4f}, mean B {c.mean_b:.4f}, delta {c.mean_b - c.mean_a:+.4f}",
        f"B better on {len(c.wins)}, worse on {len(c.losses)}, same on {len(c.ties)} queries",
        f"paired t-test p = {c.t_pvalue:.4g}; randomization test p = {c.perm_pvalue:.4g} "
        f"({c.permutations} permutations): {verdict} at 0.05",
    ]
    moved = c.movers(movers)
    if moved:
        lines.append("")
        lines += _table(
            ["biggest movers", "A", "B", "delta"],
            [[d.qid, f"{d.a:.3f}", f"{d.b:.3f}", f"{d.delta:+.3f}"] for d in moved],
        )
    return "\n".join(lines)


def format_search(s: SearchResult, top: int = 10) -> str:
    hold = bool(s.holdout_queries)
    header = ["#", "changes", s.metric] + (["holdout"] if hold else [])
    rows = []
    for i, t in enumerate(s.trials[:top], 1):
        changes = ", ".join(f"{k}={v}" for k, v in t.changes.items()) or "(base tuning)"
        row = [str(i), changes, f"{t.score:.4f}"]
        if hold:
            row.append(f"{t.holdout:.4f}" if t.holdout is not None else "")
        rows.append(row)
    lines = [
        f"{len(s.trials) - 1} trials on {len(s.train_queries)} queries"
        + (f" ({len(s.holdout_queries)} held out)" if hold else ""),
        *_table(header, rows),
        "",
        f"best {s.metric} {s.best.score:.4f} vs base {s.base.score:.4f} ({s.gain:+.4f})",
    ]
    if hold and s.best.holdout is not None and s.base.holdout is not None:
        lines.append(
            f"on the held-out queries: {s.best.holdout:.4f} vs {s.base.holdout:.4f} "
            f"({s.best.holdout - s.base.holdout:+.4f})"
        )
    return "\n".join(lines)
