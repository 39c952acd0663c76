"""The site's home page with results: latency served over HTTP and weight in bytes.

    python -m benchmarks.pages --data-dir benchmarks/data/index-100k   # make bench-pages

One ``therapist-search serve`` process over the given index; one client, sequential requests
over a kept-alive connection (``benchmarks.httpbench.one_client``). The requests are the
workload's full searches (``benchmarks/workload.json``) sent to ``/`` with the same query
string, which the page forwards to ``GET /therapists/search`` (plus the recent comments); the
same searches against the JSON route are timed alongside, so the page's own cost shows. Weight
is the HTML of the page and the CSS and JavaScript it loads, before images. Writes the
"Site pages" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.common import DATA, ROOT, Stats, load_average, machine, today, write_section
from benchmarks.httpbench import one_client, serve_ours
from benchmarks.workload import Request, load

P99_TARGET_MS = 20.0
WEIGHT_TARGET = 100_000
ASSETS = ("/static/site.css", "/static/site.js")


def _get(base_url: str, path: str) -> bytes:
    url = urlsplit(base_url)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=60)
    try:
        conn.request("GET", path, headers={"Accept": "text/html"})
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path} → {response.status}")
        return body
    finally:
        conn.close()


def _row(name: str, s: Stats) -> str:
    return f"| {name} | {s.n} | {s.p50:.2f} ms | {s.p99:.2f} ms | {s.max:.2f} ms |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Home page with results: latency and weight")
    parser.add_argument("--data-dir", type=Path, default=DATA / "index-100k")
    parser.add_argument("--seconds", type=float, default=20.0, help="time budget per series")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    searches = load().of("full_search")
    pages = [Request("page", "/", r.params) for r in searches]
    load_before = load_average()
    with serve_ours(args.data_dir) as server:
        page_run = one_client(server.base_url, pages, args.seconds, 500, 5000, warmup=len(pages))
        api_run = one_client(server.base_url, searches, args.seconds, 500, 5000)
        weights = []
        for r in pages[:50]:
            html = _get(server.base_url, r.url)
            weights.append((len(html), len(gzip.compress(html))))
        assets = [_get(server.base_url, a) for a in ASSETS]
        home = _get(server.base_url, "/")
    errors = page_run.errors + api_run.errors
    page_stats, api_stats = Stats.of(page_run.ms), Stats.of(api_run.ms)
    asset_bytes = sum(len(a) for a in assets)
    heaviest = max(w for w, _ in weights)
    heaviest_gz = max(g for _, g in weights)
    total = heaviest + asset_bytes
    lines = [
        f"Command: `python -m benchmarks.pages --data-dir {args.data_dir}`; run "
        f"{today()}; {machine()}; load average at the start "
        f"{' / '.join(f'{x:.2f}' for x in load_before)}.",
        "",
        f"Index: `{args.data_dir}`. One `therapist-search serve` process, one client "
        "(sequential, kept-alive). Requests: the workload's "
        f"{len(searches)} full searches, to `/` (the page) and to `/therapists/search` "
        "(the JSON it is built from). Errors: "
        f"{errors}{f' (first: {page_run.first_error or api_run.first_error})' if errors else ''}.",
        "",
        "| request | n | p50 | p99 | max |",
        "|---|---:|---:|---:|---:|",
        _row("home page with results `/?…`", page_stats),
        _row("the same searches as JSON `/therapists/search?…`", api_stats),
        "",
        "| weight (before images) | bytes |",
        "|---|---:|",
        f"| heaviest of 50 result pages, HTML | {heaviest:,} ({heaviest_gz:,} gzipped) |",
        f"| home page without a search, HTML | {len(home):,} |",
        f"| site.css + site.js | {asset_bytes:,} |",
        f"| heaviest result page in all | {total:,} |",
        "",
        f"Targets: p99 ≤ {P99_TARGET_MS:g} ms: "
        f"**{'met' if page_stats.p99 <= P99_TARGET_MS else 'missed'}** "
        f"({page_stats.p99:.2f} ms); weight ≤ {WEIGHT_TARGET // 1000} kB: "
        f"**{'met' if total <= WEIGHT_TARGET else 'missed'}** ({total:,} bytes).",
    ]
    body = "\n".join(lines)
    write_section(args.doc, "Site pages", body)
    print(body)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
