"""API latency over real HTTP: full directory searches and typeahead, one client.

    python -m benchmarks.api_latency [--size 100k] [--requests 2000] [--doc docs/benchmarks.md]

Uses the index built by ``python -m benchmarks.indexing`` for that size (builds it if missing),
starts ``therapist-search serve`` (uvicorn, one process) on 127.0.0.1, warms it up, then sends a
fixed, seeded workload sequentially with an ``httpx`` client over a kept-alive connection:

* full search: text + location (ZIP or city) + radius + sometimes a filter, with facets and
  highlights — what a directory results page asks for;
* typeahead: prefixes of 1 to 6 characters of words people type.

Reports p50 / p95 / p99 / max with the number of samples (client-side wall time per request).
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from benchmarks.common import DATA, ROOT, machine, today, write_section

TEXTS = [
    "anxiety", "depression", "couples counseling", "emdr", "grief", "chronic pain", "adhd",
    "trauma therapist", "ocd", "eating disorders", "cbt", "teen anxiety", "postpartum",
    "addiction", "panic attacks", "lgbtq", "family therapy", "insomnia", "bipolar", "stress",
]
PLACES = ["97214", "10001", "60601", "94110", "78701", "30303", "98101", "02139", "80202",
          "33139", "Portland, OR", "Austin, TX", "Denver, CO", "Seattle, WA", "Boston, MA",
          "Chicago, IL", "Los Angeles, CA", "Phoenix, AZ", "Atlanta, GA", "Miami, FL"]
FILTERS: list[dict[str, str]] = [{}, {}, {"insurance": "aetna"}, {"languages": "spanish"},
                                 {"telehealth": "true"}, {"accepting_new_clients": "true"}]
WORDS = ["anxiety", "portland", "emdr", "couples", "sarah", "97214", "depression", "grief",
         "michael", "chicago", "trauma", "adhd", "seattle", "cognitive", "mindfulness"]


def workload(n: int, seed: int = 7) -> tuple[list[dict[str, str]], list[str]]:
    rng = random.Random(seed)
    searches = []
    for _ in range(n):
        place = rng.choice(PLACES)
        params = {"q": rng.choice(TEXTS), "radius": str(rng.choice([10, 25, 50])),
                  **rng.choice(FILTERS)}
        params["zip" if place[0].isdigit() else "city"] = place
        searches.append(params)
    prefixes = [w[: rng.randint(1, 6)] for w in (rng.choice(WORDS) for _ in range(n))]
    return searches, prefixes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentiles(ms: list[float]) -> dict[str, float]:
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return {"n": len(ms), "p50": q[49], "p95": q[94], "p99": q[98], "max": max(ms)}


def measure(client: httpx.Client, path: str, params_list: list[dict[str, str]]) -> list[float]:
    out = []
    for params in params_list:
        t0 = time.perf_counter()
        r = client.get(path, params=params)
        out.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{path} {params} → {r.status_code}: {r.text[:300]}")
    return out


def serve(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", "serve", "--port", str(port)],
        env={**os.environ, "SEARCH_DATA_DIR": str(data_dir)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not come up in 60 s")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", default="100k")
    p.add_argument("--requests", type=int, default=2000)
    p.add_argument("--doc", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = p.parse_args()
    data_dir = DATA / f"index-{args.size}"
    if not (data_dir / "index" / "therapists" / "CURRENT").is_file():
        subprocess.run([sys.executable, "-m", "benchmarks.indexing", "--sizes", args.size,
                        "--doc", str(DATA / "scratch.md")], check=True, cwd=ROOT)
    searches, prefixes = workload(args.requests)
    port = free_port()
    proc = serve(data_dir, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            measure(client, "/therapists/search", searches[:200])  # warm-up
            measure(client, "/suggest", [{"q": x} for x in prefixes[:200]])
            full = percentiles(measure(client, "/therapists/search", searches))
            typeahead = percentiles(measure(client, "/suggest", [{"q": x} for x in prefixes]))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    rows = [("full search (text + location + radius + facets + highlights)", full),
            ("typeahead (prefixes of 1–6 characters)", typeahead)]
    table = ["| request | samples | p50 | p95 | p99 | max |", "|---|---:|---:|---:|---:|---:|"]
    table += [f"| {name} | {r['n']:.0f} | {r['p50']:.1f} ms | {r['p95']:.1f} ms "
              f"| {r['p99']:.1f} ms | {r['max']:.1f} ms |" for name, r in rows]
    body = "\n".join([
        f"Command: `python -m benchmarks.api_latency --size {args.size} "
        f"--requests {args.requests}`",
        "",
        f"Machine: {machine()}. Run: {today()}.",
        "",
        f"Index: the {args.size} therapist set (embedded engine). One `therapist-search serve` "
        "process (uvicorn), one `httpx` client on a kept-alive loopback connection, requests "
        "sent one after another; times are client-side wall time per request after 200 "
        "warm-up requests of each kind.",
        "",
        *table,
    ])
    write_section(args.doc, f"API latency ({args.size})", body)
    print(body)


if __name__ == "__main__":
    main()
