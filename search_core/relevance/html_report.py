"""A comparison as one self-contained HTML page (no script, styles inline, plots embedded): the
verdict, the settings that differ, the biggest movers, and chosen queries side by side."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape
from pathlib import Path

from search_core.relevance.compare import Comparison
from search_core.relevance.settings_diff import diff, show
from search_core.relevance.sidebyside import Row, SideBySide

STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5rem auto;max-width:72rem;padding:0 1rem;
color:#1a1a1a;background:#fff;line-height:1.4}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #767676;padding:.2rem .5rem;
text-align:left;vertical-align:top}caption{text-align:left;font-weight:600;padding:.3rem 0}
.pair{display:flex;flex-wrap:wrap;gap:1.5rem}.up{color:#1b5e20}.down{color:#b71c1c}
.g3{background:#c8e6c9}.g2{background:#e8f5e9}.g1{background:#fff8e1}.g0{background:#ffebee}
code{font-size:.95em}img{max-width:100%;height:auto}
"""


def _grade_cell(r: Row) -> str:
    if r.grade is None:
        return "<td>not graded</td>"
    return f'<td class="g{r.grade}">{r.grade}</td>'


def _move_cell(r: Row) -> str:
    cls = "up" if r.move.startswith("↑") else "down" if r.move.startswith("↓") else ""
    said = {"new": "new (not in A's top)", "=": "same rank"}.get(r.move)
    if said is None:
        places = r.move[1:]
        said = f"{'up' if cls == 'up' else 'down'} {places} from rank {r.other_rank}"
    return f'<td class="{cls}">{escape(said)}</td>'


def _list(rows: Sequence[Row], caption: str, moves: bool) -> str:
    head = "<tr><th scope='col'>rank</th><th scope='col'>document</th><th scope='col'>grade</th>"
    head += "<th scope='col'>move</th></tr>" if moves else "</tr>"
    body = "".join(
        f"<tr><td>{r.rank}</td><td>{escape(r.doc)}</td>{_grade_cell(r)}"
        + (_move_cell(r) if moves else "")
        + "</tr>"
        for r in rows
    )
    return f"<table><caption>{escape(caption)}</caption>{head}{body}</table>"


def _side(s: SideBySide, label_a: str, label_b: str) -> str:
    parts = [
        f'<section aria-labelledby="q-{escape(s.qid)}"><h3 id="q-{escape(s.qid)}">'
        f"{escape(s.qid)}: <q>{escape(s.query)}</q></h3>",
        f"<p>{escape(s.metric)}: A {s.value_a:.3f}, B {s.value_b:.3f}</p>",
        '<div class="pair">',
        _list(s.a, f"A = {label_a}", False),
        _list(s.b, f"B = {label_b}", True),
        "</div>",
    ]
    if s.breakdowns:
        rows = "".join(
            f"<tr><th scope='row'>{escape(d)}</th><td>{_lines(a.lines)}</td>"
            f"<td>{_lines(b.lines)}</td></tr>"
            for d, (a, b) in s.breakdowns.items()
        )
        parts.append(
            "<table><caption>Score breakdown of the movers</caption><tr><th scope='col'>"
            "document</th><th scope='col'>under A</th><th scope='col'>under B</th></tr>"
            f"{rows}</table>"
        )
    if s.note:
        parts.append(f"<p>{escape(s.note)}</p>")
    parts.append("</section>")
    return "".join(parts)


def _lines(lines: Sequence[str]) -> str:
    return "<br>".join(escape(line) for line in lines)


def _image(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<img src="data:image/png;base64,{data}" alt="{escape(alt)}">'


def comparison_html(
    c: Comparison, sides: Sequence[SideBySide], plots: Sequence[Path] = (), movers: int = 10
) -> str:
    verdict = "significant" if c.significant() else "not significant"
    changed = diff(c.a.tuning, c.b.tuning)
    settings = (
        "<table><caption>Settings that differ</caption><tr><th scope='col'>knob</th>"
        "<th scope='col'>A</th><th scope='col'>B</th></tr>"
        + "".join(
            f"<tr><th scope='row'><code>{escape(d.knob)}</code></th>"
            f"<td>{escape(show(d.knob, d.a))}</td><td>{escape(show(d.knob, d.b))}</td></tr>"
            for d in changed
        )
        + "</table>"
        if changed
        else "<p>A and B set every knob alike.</p>"
    )
    moved = "".join(
        f"<tr><th scope='row'>{escape(d.qid)}</th><td>{d.a:.3f}</td><td>{d.b:.3f}</td>"
        f"<td>{d.delta:+.3f}</td></tr>"
        for d in c.movers(movers)
    )
    plots_html = "".join(_image(p, f"{p.stem} plot of the comparison") for p in plots)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Relevance comparison: {escape(c.label_a)} vs {escape(c.label_b)}</title>
<style>{STYLE}</style></head>
<body><main>
<h1>{escape(c.label_a)} (A) vs {escape(c.label_b)} (B)</h1>
<p>{escape(c.metric)} over {len(c.deltas)} queries: mean A {c.mean_a:.4f}, mean B
{c.mean_b:.4f}, delta {c.mean_b - c.mean_a:+.4f}. B better on {len(c.wins)}, worse on
{len(c.losses)}, same on {len(c.ties)}. Paired t-test p = {c.t_pvalue:.4g}; randomization test
p = {c.perm_pvalue:.4g} ({c.permutations} permutations): {verdict} at 0.05.</p>
<h2>Settings</h2>{settings}
<h2>Biggest movers</h2>
<table><caption>Queries whose {escape(c.metric)} moved most</caption><tr><th scope='col'>query</th>
<th scope='col'>A</th><th scope='col'>B</th><th scope='col'>delta</th></tr>{moved}</table>
{plots_html}
<h2>Side by side</h2>
{"".join(_side(s, c.label_a, c.label_b) for s in sides) or "<p>No query chosen.</p>"}
</main></body></html>
"""
