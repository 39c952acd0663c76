"""Results (a JSON-able dict made by :mod:`benchmarks.run`) → Markdown + PNG plots."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT
from benchmarks.workload import CATEGORIES, LABELS
from search_core.settings import Settings

NOTES = ROOT / "benchmarks" / "notes.md"
SECTIONS = (
    "Summary: targets",
    "Indexing",
    "In-process engine latency",
    "HTTP latency, one client",
    "Concurrency",
    "Memory",
    "Latency distributions",
    "Profiles",
    "Relevance: the search box",
)
PLOT_CATEGORIES = ("full_search", "near_me", "browse_city", "articles", "typeahead")

Results = dict[str, Any]


def _ms(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if x >= 100:
        return f"{x:,.0f} ms"
    if x >= 10:
        return f"{x:.1f} ms"
    return f"{x:.2f} ms"


def _ratio(a: float | None, b: float | None) -> str:
    if not a or not b or math.isnan(a) or math.isnan(b):
        return "–"
    return f"{a / b:.2f}×"


def _mib(x: float | None) -> str:
    return "–" if x is None else f"{x:,.0f} MiB"


# ---------------------------------------------------------------------------- targets


def _set(results: Results, size: str) -> dict[str, Any] | None:
    return next((s for s in results["sets"] if s["size"] == size), None)


def _stat(s: dict[str, Any] | None, layer: str, system: str, cat: str, key: str) -> float | None:
    if s is None:
        return None
    got = s.get(layer, {}).get(system, {}).get(cat)
    return None if got is None else float(got[key])


def _wrk(
    s: dict[str, Any] | None, system: str, workload: str, clients: int
) -> dict[str, Any] | None:
    if s is None:
        return None
    return next(
        (
            w
            for w in s.get("wrk", {}).get(system, [])
            if w["workload"] == workload and w["clients"] == clients
        ),
        None,
    )


def targets(results: Results) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) rows."""
    rows: list[tuple[str, str, str]] = []

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else ("**met**" if ok else "**missed**")

    def check(
        label: str, value: float | None, limit: float, text: str, higher_is_better: bool = False
    ) -> None:
        if value is None:
            rows.append((label, "not measured in this run", verdict(None)))
            return
        ok = value >= limit if higher_is_better else value <= limit
        rows.append((label, text, verdict(ok)))

    for size, limit in (("100k", 5.0), ("1m", 40.0)):
        s = _set(results, size)
        p99 = _stat(s, "engine", "ours", "full_search", "p99")
        check(
            f"full directory query in-process p99 ≤ {limit:g} ms at {size}",
            p99,
            limit,
            f"p99 {_ms(p99)}",
        )
    for size in ("100k", "1m"):
        s = _set(results, size)
        eng = _stat(s, "engine", "ours", "full_search", "p99")
        http = _stat(s, "http", "ours", "full_search", "p99")
        if eng is None or http is None:
            check(
                f"full search over HTTP, 1 client, p99 ≤ engine p99 + 2 ms at {size}", None, 0, ""
            )
        else:
            check(
                f"full search over HTTP, 1 client, p99 ≤ engine p99 + 2 ms at {size}",
                http - eng,
                2.0,
                f"HTTP p99 {_ms(http)} = engine p99 {_ms(eng)} + {_ms(http - eng)}",
            )
    w = _wrk(_set(results, "100k"), "ours", "full_search", 16)
    if w is None:
        check("16 clients at 100k: ≥ 400 full searches/s with p99 ≤ 60 ms", None, 0, "")
    else:
        ok = w["rps"] >= 400 and w["p99"] <= 60
        rows.append(
            (
                "16 clients at 100k: ≥ 400 full searches/s with p99 ≤ 60 ms (one server process)",
                f"{w['rps']:,.0f}/s, p99 {_ms(w['p99'])}",
                verdict(ok),
            )
        )
    s100 = _set(results, "100k") or {}
    wc = next(
        (w for w in s100.get("wrk_per_core", {}).get("ours", []) if w["workload"] == "full_search"),
        None,
    )
    if wc is not None:
        rows.append(
            (
                "16 clients at 100k: ≥ 400 full searches/s with p99 ≤ 60 ms "
                "(`serve --workers` one process per core)",
                f"{wc['rps']:,.0f}/s, p99 {_ms(wc['p99'])}",
                verdict(wc["rps"] >= 400 and wc["p99"] <= 60),
            )
        )
    s1m = _set(results, "1m")
    p99 = _stat(s1m, "http", "ours", "typeahead", "p99")
    check("typeahead over HTTP p99 ≤ 5 ms at 1M", p99, 5.0, f"p99 {_ms(p99)}")
    idx = next((r for r in (s1m or {}).get("indexing", []) if r["kind"] == "therapists"), None)
    if idx is None:
        check("1M therapists JSONL → searchable ≤ 60 s, peak memory ≤ 2 GB", None, 0, "")
    else:
        ok = idx["seconds"] <= 60 and idx["peak_mib"] <= 2048
        rows.append(
            (
                "1M therapists JSONL → searchable ≤ 60 s, peak memory ≤ 2 GB",
                f"{idx['seconds']:.0f} s, peak {_mib(idx['peak_mib'])} RSS "
                f"({_mib(idx.get('peak_pss_mib'))} PSS)",
                verdict(ok),
            )
        )
    mem = (s1m or {}).get("serving_memory", {}).get("ours")
    check(
        "serving at 1M ≤ 600 MB",
        None if mem is None else mem["rss"],
        600 * 1e6 / 2**20,
        "" if mem is None else f"peak {_mib(mem['rss'])} RSS",
    )
    for s in results["sets"]:
        if not s.get("http", {}).get("peer"):
            continue
        for cat in CATEGORIES:
            ours = _stat(s, "http", "ours", cat, "p99")
            peer = _stat(s, "http", "peer", cat, "p99")
            if ours is None or peer is None:
                continue
            check(
                f"p99 ≤ 0.2× PostgreSQL's at {s['size']}: {cat} (HTTP, 1 client)",
                ours / peer,
                0.2,
                f"{_ms(ours)} vs {_ms(peer)} = {_ratio(ours, peer)}",
            )
    rel = results.get("relevance") or {}
    both = (rel.get("figures") or {}).get("all")
    zero = None if both is None else both.get("zero_result_rate")
    sat_key = f"satisfied@{rel.get('k', 10)}"
    share = None if both is None else both.get(sat_key)
    check(
        "zero-result rate on satisfiable judged queries = 0",
        zero,
        0.0,
        "" if both is None else f"{zero:.4f} of {both['satisfiable']:.0f} queries",
    )
    check(
        "share of the top 10 that satisfies the query ≥ 0.9",
        share,
        0.9,
        "" if share is None else f"{share:.4f}",
        higher_is_better=True,
    )
    return rows


# ---------------------------------------------------------------------------- relevance


def measure_relevance(settings: Any = None) -> dict[str, Any]:
    """The relevance eval of the default tuning over the shipped judgments, on the index of
    the committed fixtures that ``settings`` (default: the environment's) points at: the
    judged set grades those fixtures only, whatever sizes this run benchmarked. A failure
    (no index built) is recorded, not raised: the speed figures stand without it."""
    try:
        from search_core.relevance.evaluate import evaluate
        from search_core.relevance.judge import JUDGMENTS_FILE
        from search_core.relevance.judgments import load_judgments
        from search_core.relevance.lab import Lab
        from search_core.settings import Settings

        with Lab.open(settings or Settings(), "embedded") as lab:
            report = evaluate(lab, load_judgments(JUDGMENTS_FILE))
    except Exception as exc:  # reported in the document instead
        return {"skipped": f"{type(exc).__name__}: {exc}"}
    d = report.to_dict()
    return {
        "engine": d["engine"],
        "tuning": d["tuning"],
        "k": d["k"],
        "main": report.main_metric,
        "figures": d["figures"],
        "targets": d["targets"],
        "zero_result_queries": report.zero_result_queries(),
    }


def _relevance_section(results: Results) -> list[str]:
    rel = results.get("relevance") or {}
    lines = ["## Relevance: the search box", ""]
    if not rel or rel.get("skipped"):
        why = f": {rel['skipped']}" if rel.get("skipped") else " in this run"
        return [
            *lines,
            f"Not measured{why}. Build the index of the committed fixtures (`make index`) "
            "and run again, or see `therapist-search relevance eval`.",
            "",
        ]
    k, main = rel["k"], rel["main"]
    sat = f"satisfied@{k}"
    lines += [
        f"`therapist-search relevance eval` on the committed fixtures ({rel['engine']} "
        f"engine, tuning {rel['tuning']}). *satisfiable*: queries some therapist or article "
        "answers (graded 2+ by the rules of `relevance/JUDGING.md`); *zero*: the share of them "
        f"that found nothing (target 0); *{sat}*: the share of their top {k} graded 2+, out "
        f"of the slots that could be (target ≥ 0.9).",
        "",
        f"| queries | n | {main} | satisfiable | zero | {sat} |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, f in rel["figures"].items():
        zero, share = f.get("zero_result_rate"), f.get(sat)
        lines.append(
            f"| {label} | {f['queries']:.0f} | {f[main]:.4f} | {f['satisfiable']:.0f} "
            f"| {'–' if zero is None else f'{zero:.4f}'} "
            f"| {'–' if share is None else f'{share:.4f}'} |"
        )
    empty = rel.get("zero_result_queries") or []
    if empty:
        shown = ", ".join(f"`{q}`" for q in empty[:12]) + (" ..." if len(empty) > 12 else "")
        lines += ["", f"Satisfiable queries without a hit ({len(empty)}): {shown}."]
    return [*lines, ""]


# ---------------------------------------------------------------------------- markdown


def _latency_table(results: Results, layer: str) -> list[str]:
    out = []
    for s in results["sets"]:
        ours = s.get(layer, {}).get("ours", {})
        peer = s.get(layer, {}).get("peer", {})
        errs = s.get(f"{layer}_errors", {})
        out += [
            f"**{s['size']}** ({s['therapists']:,} therapists)",
            "",
            "| request | ours: n | p50 | p95 | p99 | PostgreSQL: n | p50 | p95 | p99 "
            "| ours/peer p50 | ours/peer p99 |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for cat in CATEGORIES:
            o, p = ours.get(cat), peer.get(cat)
            if o is None:
                continue
            note = ""
            n_err = errs.get("ours", {}).get(cat, 0) + errs.get("peer", {}).get(cat, 0)
            if n_err:
                note = f" ({n_err} non-200)"
            cells = [LABELS[cat] + note, f"{o['n']:,}", _ms(o["p50"]), _ms(o["p95"]), _ms(o["p99"])]
            if p is None:
                cells += ["–"] * 6
            else:
                cells += [
                    f"{p['n']:,}",
                    _ms(p["p50"]),
                    _ms(p["p95"]),
                    _ms(p["p99"]),
                    _ratio(o["p50"], p["p50"]),
                    _ratio(o["p99"], p["p99"]),
                ]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return out


def _search_box_table(results: Results) -> list[str]:
    """The therapist searches through the search box's use case, with the engine calls each
    request makes (``benchmarks.run.measure_search_box``)."""
    out = [
        "Ours through the search box's use case (`search_core.searching`, as the routes call "
        "it: the text understood, the online list, relaxation). Per distinct request: the use "
        "case's calls to the engine; the plain searches the engine runs inside them (the "
        "online list's plan: the in-person page, its two counts and its first online hits); "
        "and those of them not answered from the index version's memo once seen.",
        "",
        "| set | request | n | p50 | p95 | p99 | engine calls / request | plain searches inside "
        "| of them not remembered | requests with 2 or more calls |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = 0
    for s in results["sets"]:
        for cat, o in s.get("search_box", {}).items():
            rows += 1
            out.append(
                f"| {s['size']} | {LABELS[cat]} | {o['n']:,} | {_ms(o['p50'])} | {_ms(o['p95'])} "
                f"| {_ms(o['p99'])} | {o['engine_calls']:.2f} | {o['searches']:.2f} "
                f"| {o['searches_not_remembered']:.2f} | {o['two_or_more']:.0%} |"
            )
    return [*out, ""] if rows else []


def _heap_mb(results: Results) -> int:
    """The writer heap the run indexed with (results written before it was recorded: the
    current setting)."""
    return int(results.get("writer_heap_mb") or Settings().writer_heap_mb)


def _code_line(results: Results) -> list[str]:
    code = results.get("code")
    if not code:
        return []
    line = (
        f"Code measured: fingerprint `{code['start']}` of search_core, search_api, indexer, "
        "mappings and tunings (`benchmarks.common.code_fingerprint`)"
    )
    if code.get("end") and code["end"] != code["start"]:
        line += (
            f"; **it changed during the run** (`{code['end']}` at the end): other people "
            "edit the engine in parallel, so the sets may have measured different code."
        )
    return [line + ("" if line.endswith(".") else "."), ""]


def _speed_line(results: dict[str, Any]) -> list[str]:
    """The machine's speed through the run (``common.machine_speed_ms``), when measured."""
    speed = results.get("speed_ms")
    if not speed:
        return []
    per_set = "; ".join(
        f"{s['size']} {s['speed_ms']:.0f} ms" for s in results["sets"] if "speed_ms" in s
    )
    return [
        "Machine speed (`benchmarks.common.machine_speed_ms`: the fastest of five runs of two "
        "million additions in a Python loop; lower is faster, and it moves with the load of "
        f"the machine's neighbours): at the start {speed['start']:.0f} ms; at the start of each "
        f"set: {per_set}; at the end {speed.get('end', float('nan')):.0f} ms.",
        "",
    ]


def _tantivy_alone(results: dict[str, Any]) -> list[str]:
    """What Tantivy alone costs per therapist, against the whole build's CPU per therapist."""
    lines = []
    for s in results["sets"]:
        alone = s.get("tantivy_alone")
        build = next((r for r in s.get("indexing", []) if r["kind"] == "therapists"), None)
        if not alone:
            continue
        us, cores = float(alone["cpu_us_per_doc"]), int(alone["cores"])
        line = (
            f"**{s['size']}: Tantivy alone** (`benchmarks.indexing.tantivy_alone`: the first "
            f"{alone['docs']:,} therapists of the set, validated and encoded beforehand, added "
            f"to a fresh index of the same schema by one indexing thread and committed): "
            f"{us:,.0f} µs of CPU per therapist, so {us:,.0f} s of CPU per million therapists "
            f"for Tantivy alone: at least {us / cores:,.0f} s of wall time on {cores} cores."
        )
        if build is not None and build.get("cpu_s"):
            whole = build["cpu_s"] / build["docs"] * 1e6
            line += (
                f" The whole build took {whole:,.0f} µs of CPU per therapist (all processes), "
                f"its wall time kept {build['cpu_s'] / build['seconds']:.2f} cores busy."
            )
        lines += [line, ""]
    return lines


def render(results: Results, doc: Path) -> str:
    quick = results["quick"]
    warm = results.get("warmup", {})
    lines = [
        "# Benchmarks",
        "",
        "Generated by the command below; every figure and plot in this file comes from one run "
        "of it (the sections after the last table, from `benchmarks/notes.md`, are written by "
        "hand).",
        "",
        f"Command: `{results['command']}`",
        "",
        f"Machine: {results['machine']}.",
        "",
        f"Run: {results['date']}; duration {results['duration_s'] / 60:.1f} min. Load average "
        f"(1 / 5 / 15 min) at the start: {' / '.join(f'{x:.2f}' for x in results['load']['start'])}"
        f", at the end: {' / '.join(f'{x:.2f}' for x in results['load']['end'])}"
        "; at the start of each set: "
        + "; ".join(f"{s['size']} {s['load_avg'][0]:.2f}" for s in results["sets"])
        + " (other processes on the machine count here: the machine is shared).",
        "",
        *_speed_line(results),
        *_code_line(results),
        "Workload: `benchmarks/workload.json` (made by `python -m benchmarks.make_workload`, "
        "seeded), the same requests for both systems. Ours: the embedded Tantivy engine "
        "(`therapist-search serve`, one uvicorn process). Peer: PostgreSQL "
        f"{results.get('pg_version') or ''} full-text search + `cube`/`earthdistance`, behind a "
        'thin FastAPI app (one uvicorn process); see "The PostgreSQL peer" below. Percentiles '
        "are over the n samples shown; ratios are ours / peer (below 1: we are faster).",
        "",
    ]
    if quick:
        lines += [
            "**Quick mode**: the small committed set and short runs — checks that the "
            "harness works; the figures mean little.",
            "",
        ]
    for key, what in (
        ("peer_skipped", "PostgreSQL peer"),
        ("wrk_skipped", "concurrency (wrk)"),
        ("profile_skipped", "profiles"),
    ):
        if results.get(key):
            lines += [f"**Not run: {what}** — {results[key]}.", ""]

    lines += ["## Summary: targets", "", "| target | measured | |", "|---|---|---|"]
    lines += [f"| {t} | {m} | {v} |" for t, m, v in targets(results)]
    lines.append("")

    lines += [
        "## Indexing",
        "",
        "Wall time is JSONL on disk → new version validated, indexed, committed, checked and "
        "serving (one `therapist-search index --kind K` process per row, default settings: "
        f"one encoding worker per core, Tantivy writer heap {_heap_mb(results)} MB). "
        "Peak memory is the "
        "resident memory of the whole process tree, sampled every 50 ms (RSS counts pages "
        "shared by the forked workers once per process; PSS splits them; anonymous is the "
        "heap part, without the mapped index files being written and merged). The peer row is "
        "JSONL → `COPY` (with the `tsvector` columns computed) → GIN/GiST/B-tree indexes, "
        "browse views and `ANALYZE`, memory of the PostgreSQL server and the loading process "
        "(then, untimed, `VACUUM` and `CHECKPOINT`, so that no background work of the peer "
        "overlaps the latency runs).",
        "",
        "| set | system | kind | documents | source JSONL | wall time | rate | CPU (all "
        "processes) | CPU per document | peak memory RSS (tree) | PSS | anonymous "
        "| index on disk |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in results["sets"]:
        for r in s["indexing"]:
            cpu = r.get("cpu_s")
            cpu_cells = (
                f"{cpu:.1f} s | {cpu / r['docs'] * 1e6:,.0f} µs" if cpu is not None else "– | –"
            )
            lines.append(
                f"| {s['size']} | ours | {r['kind']} | {r['docs']:,} | {r['source_mib']:,.0f} MiB"
                f" | {r['seconds']:.1f} s | {r['rate']:,.0f}/s | {cpu_cells} "
                f"| {_mib(r['peak_mib'])} "
                f"| {_mib(r.get('peak_pss_mib'))} | {_mib(r.get('peak_anon_mib'))} "
                f"| {r['index_mib']:,.0f} MiB |"
            )
        total = sum(r["seconds"] for r in s["indexing"])
        lines.append(f"| {s['size']} | ours | all three | | | {total:.1f} s | | | | | | | |")
        pl = s.get("peer_load")
        if pl:
            lines.append(
                f"| {s['size']} | PostgreSQL | all three | {pl['therapists']:,} therapists | "
                f"| {pl['seconds']:.1f} s | {pl['therapists'] / pl['seconds']:,.0f}/s | | "
                f"| {_mib(pl['peak_rss_mib'])} | {_mib(pl['peak_pss_mib'])} "
                f"| {_mib(pl.get('peak_anon_mib'))} | {pl['db_mib']:,.0f} MiB |"
            )
    lines.append("")
    lines += _tantivy_alone(results)

    lines += [
        "## In-process engine latency",
        "",
        "Ours: the engine core and the use cases called in process (the typed query the route "
        "would build, "
        "place resolved by the offline geocoder inside the timing, as the route does). Peer: "
        "the request's one SQL statement through psycopg on a Unix socket, JSON parsed. "
        "Sequential, warm, each category walked in workload order. Warm-up, here and over "
        "HTTP: each distinct request of the category once (at least "
        f"{warm.get('min', 0)}, then as many as {warm.get('seconds', 0):g} s allow: "
        "`benchmarks.workload.warm_up`), so that caches filled per distinct request, such as "
        "a state's list of cities, are filled before the timing.",
        "",
        *_latency_table(results, "engine"),
        *_search_box_table(results),
        "## HTTP latency, one client",
        "",
        "One client (the standard library's `http.client`: `httpx` added 0.2–1.5 ms of "
        "client-side Python per request on the same two cores, more for bigger answers), one "
        "kept-alive loopback "
        "connection, requests one after another; client-side wall time per request including "
        "reading the body.",
        "",
        *_latency_table(results, "http"),
    ]

    lines += ["## Concurrency", ""]
    if results.get("wrk_skipped"):
        lines += [f"Not run: {results['wrk_skipped']}.", ""]
    else:
        lines += [
            "`wrk` (closed loop: each connection sends its next request when the answer is in), "
            "walking the workload's URLs; `mixed` follows the workload's mix "
            f"({', '.join(f'{k} {v}%' for k, v in results['mix'].items())}).",
            "",
            f"![throughput vs clients]({results['plots']['throughput']})",
            "",
            "| set | workload | clients | ours: requests/s | p50 | p99 | PostgreSQL: requests/s "
            "| p50 | p99 | p99 ours/peer | errors |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for s in results["sets"]:
            for w in s.get("wrk", {}).get("ours", []):
                p = _wrk(s, "peer", w["workload"], w["clients"])
                errs = w["errors"] + w["non_2xx"] + (p["errors"] + p["non_2xx"] if p else 0)
                cells = [
                    s["size"],
                    w["workload"],
                    str(w["clients"]),
                    f"{w['rps']:,.0f}",
                    _ms(w["p50"]),
                    _ms(w["p99"]),
                ]
                cells += (
                    [f"{p['rps']:,.0f}", _ms(p["p50"]), _ms(p["p99"]), _ratio(w["p99"], p["p99"])]
                    if p
                    else ["–"] * 4
                )
                cells.append(str(errs))
                lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        per_core = [s for s in results["sets"] if s.get("wrk_per_core")]
        if per_core:
            lines += [
                "With one server process per core (ours: `therapist-search serve --workers N`; "
                "the peer: `uvicorn --workers N`), 16 clients:",
                "",
                "| set | workload | ours: requests/s | p50 | p99 | PostgreSQL: requests/s | p50 "
                "| p99 | errors |",
                "|---|---|---:|---:|---:|---:|---:|---:|---:|",
            ]
            for s in per_core:
                peer_runs = {w["workload"]: w for w in s["wrk_per_core"].get("peer", [])}
                for w in s["wrk_per_core"].get("ours", []):
                    p = peer_runs.get(w["workload"])
                    errs = w["errors"] + w["non_2xx"] + (p["errors"] + p["non_2xx"] if p else 0)
                    cells = [s["size"], w["workload"], f"{w['rps']:,.0f}", _ms(w["p50"])]
                    cells.append(_ms(w["p99"]))
                    cells += [f"{p['rps']:,.0f}", _ms(p["p50"]), _ms(p["p99"])] if p else ["–"] * 3
                    cells.append(str(errs))
                    lines.append("| " + " | ".join(cells) + " |")
            lines.append("")

    lines += [
        "## Memory",
        "",
        "Peak while serving: sampled every 100 ms from server start through the one-client and "
        "the concurrent runs. Ours: the `therapist-search serve` process. Peer: the FastAPI "
        "process plus the PostgreSQL server (postmaster and every backend; PSS, so the 1 GB "
        "of shared buffers is counted once).",
        "",
        "Anonymous is the heap part of RSS (the rest is mapped files: index segments and "
        "libraries, which the kernel can drop and read again). The peer's RSS sum counts the "
        "shared buffers once per backend, so only its PSS is meaningful.",
        "",
        "| set | ours: RSS | PSS | anonymous | PostgreSQL peer: PSS | anonymous | RSS (sum) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in results["sets"]:
        o = s.get("serving_memory", {}).get("ours") or {}
        p = s.get("serving_memory", {}).get("peer") or {}
        lines.append(
            f"| {s['size']} | {_mib(o.get('rss'))} | {_mib(o.get('pss'))} | "
            f"{_mib(o.get('anon'))} | {_mib(p.get('pss'))} | {_mib(p.get('anon'))} | "
            f"{_mib(p.get('rss'))} |"
        )
    lines += [
        "",
        "## Latency distributions",
        "",
        "Share of requests answered within a time (log scale): HTTP one client (solid) "
        "and in-process (dashed), ours and PostgreSQL.",
        "",
        f"![latency distributions]({results['plots']['latency']})",
        "",
    ]

    lines += ["## Profiles", ""]
    profiles = [
        (s["size"], prof) for s in results["sets"] for prof in (s.get("profiles") or {}).values()
    ]
    if not profiles:
        lines += ["Not run in this mode (`--profile` / the full run records them).", ""]
    for size, prof in profiles:
        lines += [
            f"**{size}: {prof['what']}** — {prof['samples']:,} samples (py-spy). Share of "
            "samples with the function on the stack (inclusive) and at the top (self):",
            "",
            "| function | inclusive | self |",
            "|---|---:|---:|",
        ]
        lines += [
            f"| `{h['function']}` | {h['inclusive']:.0%} | {h['self_share']:.0%} |"
            for h in prof["hot"]
        ]
        lines.append("")
    for s in results["sets"]:
        a = s.get("anatomy")
        if not a:
            continue
        if "error" in a:
            lines += [f"**{s['size']}: full search step by step** — not measured: {a['error']}", ""]
            continue
        lines += [
            f"**{s['size']}: full search step by step** (`benchmarks/anatomy.py`): each step "
            f"timed alone, mean and p90 over {a['searches']} full searches of the workload "
            f"(median area: {a['area_median']:,.0f} therapists within the radius).",
            "",
            "| step | mean | p90 |",
            "|---|---:|---:|",
        ]
        lines += [
            f"| {st['step']} | {_ms(st['mean_ms'])} | {_ms(st['p90_ms'])} |" for st in a["steps"]
        ]
        lines.append("")
    lines += _relevance_section(results)
    if NOTES.exists():
        lines += [NOTES.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------- plots


def plots(
    results: Results, samples: dict[str, Any], latency_png: Path, throughput_png: Path | None
) -> None:
    """Latency distributions, and throughput against clients when the concurrency runs ran."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker as ticker
    import numpy as np

    sets = results["sets"]
    fig, axes = plt.subplots(
        len(sets),
        len(PLOT_CATEGORIES),
        figsize=(4 * len(PLOT_CATEGORIES), 3.2 * len(sets)),
        squeeze=False,
    )
    colours = {"ours": "tab:blue", "peer": "tab:orange"}
    names = {"ours": "ours", "peer": "PostgreSQL"}
    for row, s in enumerate(sets):
        for col, cat in enumerate(PLOT_CATEGORIES):
            ax = axes[row][col]
            for system in ("ours", "peer"):
                for layer, style in (("http", "-"), ("engine", "--")):
                    ms = samples.get(s["size"], {}).get(layer, {}).get(system, {}).get(cat)
                    if not ms:
                        continue
                    x = np.sort(np.asarray(ms))
                    y = np.arange(1, len(x) + 1) / len(x)
                    ax.step(
                        x,
                        y,
                        style,
                        color=colours[system],
                        where="post",
                        label=f"{names[system]} {'HTTP' if layer == 'http' else 'in-process'}",
                    )
            ax.set_xscale("log")
            ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
            ax.xaxis.set_minor_formatter(ticker.NullFormatter())
            ax.set_title(f"{s['size']}: {cat}", fontsize=10)
            ax.set_xlabel("ms")
            ax.grid(True, which="both", alpha=0.3)
            if col == 0:
                ax.set_ylabel("share of requests")
    handles, labels = axes[0][0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="lower center", ncol=4)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    fig.savefig(latency_png, dpi=90)
    plt.close(fig)
    if throughput_png is None:
        return

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    styles = ["-o", "--s", ":^"]
    for i, s in enumerate(sets):
        for system in ("ours", "peer"):
            runs = sorted(
                (w for w in s.get("wrk", {}).get(system, []) if w["workload"] == "full_search"),
                key=lambda w: w["clients"],
            )
            if not runs:
                continue
            xs = [w["clients"] for w in runs]
            label = f"{names[system]} {s['size']}"
            ax1.plot(
                xs, [w["rps"] for w in runs], styles[i % 3], color=colours[system], label=label
            )
            ax2.plot(
                xs, [w["p99"] for w in runs], styles[i % 3], color=colours[system], label=label
            )
    ax1.set_title("full directory searches: throughput")
    ax1.set_xlabel("concurrent clients")
    ax1.set_ylabel("requests / s")
    ax1.set_yscale("log")
    ax2.set_title("full directory searches: p99 latency")
    ax2.set_xlabel("concurrent clients")
    ax2.set_ylabel("ms")
    ax2.set_yscale("log")
    for ax in (ax1, ax2):
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_xscale("log", base=2)
        ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(throughput_png, dpi=90)
    plt.close(fig)


def write(results: Results, samples: dict[str, Any], doc: Path) -> None:
    doc.parent.mkdir(parents=True, exist_ok=True)
    if "relevance" not in results:  # a new run (a results JSON read again keeps its own)
        results["relevance"] = measure_relevance()
    latency_png = doc.with_name(f"{doc.stem}-latency.png")
    results["plots"] = {"latency": latency_png.name}
    throughput_png = None
    if not results.get("wrk_skipped"):
        throughput_png = doc.with_name(f"{doc.stem}-throughput.png")
        results["plots"]["throughput"] = throughput_png.name
    plots(results, samples, latency_png, throughput_png)
    doc.write_text(render(results, doc), encoding="utf-8")
