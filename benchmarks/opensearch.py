"""Ours (the embedded engine) side by side with OpenSearch, on the same data, workload and machine.

    python -m benchmarks.opensearch                 # the 100k set; about 10 minutes
    python -m benchmarks.opensearch --size small    # the committed small set, a quick check

Starts a local single-node OpenSearch (``localnode``, heap ``--heap``), then for each system:
indexes the set with the real command (``therapist-search index``, one process per kind, timed;
``SEARCH_ENGINE=opensearch`` for the node, bulk chunks of ``--chunk`` documents), serves it with
``therapist-search serve`` (one process; OpenSearch answers behind the same API) and times the
workload's latency categories over HTTP with one client (``benchmarks.httpbench.one_client``,
the same requests in the same order for both). The node's memory is its JVM's resident size
after the load (heap included). Writes the "OpenSearch side by side" section of
docs/benchmarks.md; no timing is asserted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from benchmarks.common import (
    DATA,
    ROOT,
    Stats,
    dir_size_mib,
    free_port,
    load_average,
    machine,
    run_measured,
    today,
    tree_rss_kib,
    write_section,
)
from benchmarks.httpbench import Server, one_client, serve, serve_ours
from benchmarks.indexing import KINDS, ensure_set, index_command
from benchmarks.workload import CATEGORIES, LABELS, load
from localnode import VERSION, running_node

SECTION = "OpenSearch side by side"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _source(size: str) -> Path:
    return ROOT / "fixtures" / "small" if size == "small" else ensure_set(size)


def _counts(source: Path) -> dict[str, int]:
    manifest = source / "manifest.json"
    if manifest.is_file():
        return {k: int(v) for k, v in json.loads(manifest.read_text())["counts"].items()}
    return {}


def index_system(source: Path, data_dir: Path, env: dict[str, str]) -> list[dict[str, Any]]:
    """One measured ``therapist-search index --kind K`` process per kind."""
    shutil.rmtree(data_dir, ignore_errors=True)
    counts = _counts(source)
    rows = []
    for kind in KINDS:
        run = run_measured(
            index_command(source, kind), env={"SEARCH_DATA_DIR": str(data_dir), **env}
        )
        if run.returncode != 0:
            raise SystemExit(f"indexing {kind} failed:\n{run.stdout}\n{run.stderr[-3000:]}")
        docs = counts.get(kind, 0)
        rows.append(
            {
                "kind": kind,
                "docs": docs,
                "seconds": run.seconds,
                "rate": docs / run.seconds if docs else 0.0,
                "peak_mib": run.peak_rss_mib,
            }
        )
        log(f"  {kind}: {docs:,} in {run.seconds:.1f} s, loader peak {run.peak_rss_mib:,.0f} MiB")
    return rows


def serve_opensearch(data_dir: Path, env: dict[str, str]) -> AbstractContextManager[Server]:
    port = free_port()
    cmd = [sys.executable, "-m", "cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    return serve("opensearch", cmd, {"SEARCH_DATA_DIR": str(data_dir), **env}, port)


def latency(server: Server, seconds: float) -> dict[str, dict[str, Any]]:
    wl = load()
    out: dict[str, dict[str, Any]] = {}
    for cat in CATEGORIES:
        run = one_client(server.base_url, wl.of(cat), seconds, 30, 2000, 20, min(5.0, seconds))
        stats = Stats.of(run.ms)
        out[cat] = {"stats": stats, "errors": run.errors, "first_error": run.first_error}
        log(
            f"  {cat}: p50 {stats.p50:.2f} ms p99 {stats.p99:.2f} ms "
            f"({stats.n}, {run.errors} errors)"
        )
    return out


def _ms(x: float) -> str:
    return f"{x:,.1f} ms" if x >= 10 else f"{x:.2f} ms"


def render(res: dict[str, Any]) -> str:
    lines = [
        f"Command: `{res['command']}`; run {res['date']}, {res['minutes']:.1f} min; "
        f"{res['machine']}; load average at the start "
        f"{' / '.join(f'{x:.2f}' for x in res['load_start'])}, at the end "
        f"{' / '.join(f'{x:.2f}' for x in res['load_end'])} (the machine is shared).",
        "",
        f"Set: `{res['source']}` ({res['therapists']:,} therapists). Ours: the embedded engine. "
        f"OpenSearch: {VERSION}, the local single node (`localnode`, heap {res['heap']}, one "
        "shard, no replica), loaded by the same `therapist-search index` with "
        f"`SEARCH_ENGINE=opensearch` (bulk chunks of {res['chunk']}) and served behind the same "
        "API by the same `therapist-search serve` (one process); so the OpenSearch figures "
        "include the API's own work and one more network hop, as a user of the opensearch "
        "engine gets them. Both systems share the 2 cores with the load tool (and the JVM "
        "with the API process).",
        "",
        "**Indexing** (JSONL → new version serving, one process per kind; the loader's peak "
        "resident memory; the node's JVM resident size after the load):",
        "",
        "| system | kind | documents | wall time | rate | loader peak memory |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for system in ("ours", "opensearch"):
        rows = res["indexing"][system]
        for r in rows:
            lines.append(
                f"| {system} | {r['kind']} | {r['docs']:,} | {r['seconds']:.1f} s | "
                f"{r['rate']:,.0f}/s | {r['peak_mib']:,.0f} MiB |"
            )
        total = sum(r["seconds"] for r in rows)
        lines.append(f"| {system} | all three | | {total:.1f} s | | |")
    lines += [
        "",
        f"Index on disk: ours {res['ours_index_mib']:,.0f} MiB; OpenSearch node resident "
        f"memory after the load {res['node_rss_mib']:,.0f} MiB.",
        "",
        "**Latency over HTTP, one client** (the workload's requests, sequential, kept-alive, "
        "after a warm-up of each distinct request; ratios are ours / OpenSearch):",
        "",
        "| request | ours: n | p50 | p99 | OpenSearch: n | p50 | p99 | p50 ratio | p99 ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    errors = []
    for cat in CATEGORIES:
        a, b = res["http"]["ours"][cat], res["http"]["opensearch"][cat]
        sa, sb = a["stats"], b["stats"]
        lines.append(
            f"| {LABELS[cat]} | {sa.n:,} | {_ms(sa.p50)} | {_ms(sa.p99)} | {sb.n:,} | "
            f"{_ms(sb.p50)} | {_ms(sb.p99)} | {sa.p50 / sb.p50:.2f}× | {sa.p99 / sb.p99:.2f}× |"
        )
        for system, got in (("ours", a), ("opensearch", b)):
            if got["errors"]:
                errors.append(f"{system} {cat}: {got['errors']} (first: {got['first_error']})")
    lines += ["", "Errors: " + ("; ".join(errors) if errors else "none") + "."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.opensearch", description=__doc__)
    p.add_argument("--size", default="100k", choices=["small", "100k", "1m"])
    p.add_argument("--seconds", type=float, default=8.0, help="time budget per category")
    p.add_argument("--heap", default="1g", help="the node's JVM heap")
    p.add_argument("--chunk", type=int, default=1000, help="documents per _bulk request")
    p.add_argument("--doc", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = p.parse_args(argv)
    started = time.perf_counter()
    source = _source(args.size)
    res: dict[str, Any] = {
        "command": "python -m benchmarks.opensearch"
        + "".join(f" {a}" for a in (argv or sys.argv[1:])),
        "date": today(),
        "machine": machine(),
        "load_start": load_average(),
        "source": source.relative_to(ROOT) if source.is_relative_to(ROOT) else source,
        "therapists": _counts(source).get("therapists", 0),
        "heap": args.heap,
        "chunk": args.chunk,
        "indexing": {},
        "http": {},
    }
    work = DATA / f"opensearch-{args.size}"
    ours_dir, os_dir = work / "ours", work / "opensearch"
    log(f"ours: indexing {source}")
    res["indexing"]["ours"] = index_system(source, ours_dir, {})
    res["ours_index_mib"] = dir_size_mib(ours_dir / "index")
    log("ours: latency over HTTP")
    with serve_ours(ours_dir) as server:
        res["http"]["ours"] = latency(server, args.seconds)
    log(f"starting OpenSearch {VERSION} (heap {args.heap})")
    with running_node(heap=args.heap) as node:
        env = {
            "SEARCH_ENGINE": "opensearch",
            "OPENSEARCH_URL": node.url,
            "SEARCH_ELASTICSEARCH_REPLICAS": "0",
            "SEARCH_ELASTICSEARCH_BULK_CHUNK_SIZE": str(args.chunk),
            "SEARCH_OPENSEARCH_REQUEST_TIMEOUT": "60",
        }
        log("opensearch: indexing")
        res["indexing"]["opensearch"] = index_system(source, os_dir, env)
        assert node.process is not None
        res["node_rss_mib"] = tree_rss_kib(node.process.pid) / 1024
        log("opensearch: latency over HTTP")
        with serve_opensearch(os_dir, env) as server:
            res["http"]["opensearch"] = latency(server, args.seconds)
    res["load_end"] = load_average()
    res["minutes"] = (time.perf_counter() - started) / 60
    body = render(res)
    write_section(args.doc, SECTION, body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
