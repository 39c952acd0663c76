"""Typeahead over HTTP, exact prefixes and prefixes with a typo, on an index already built.

    python -m benchmarks.typeahead benchmarks/data/index-1m --seconds 10

Serves the API (``therapist-search serve``, one process, the embedded engine) on a free port
and walks two lists with one kept-alive client (:func:`benchmarks.httpbench.one_client`):
the workload's typeahead prefixes (1 to 6 characters), and prefixes with one typo made from
the words people complete (issue, therapy type and city names: a swap of two neighbouring
letters, a letter dropped or doubled, in prefixes of 4 to 8 letters, which the typeahead
forgives). Each list is warmed first (every distinct prefix once), then timed. Prints one
line per list: requests, errors, p50 / p95 / p99 in ms, and a share of typo prefixes that got
a suggestion.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import urllib.request
from pathlib import Path
from urllib.parse import quote

from benchmarks.common import Stats, machine
from benchmarks.httpbench import ClientRun, one_client, serve_ours
from benchmarks.workload import Request, load
from search_core.filters import FILTER_VOCABULARIES

CITIES = (
    "portland",
    "chicago",
    "boston",
    "seattle",
    "houston",
    "philadelphia",
    "minneapolis",
    "sacramento",
)


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    how = rng.choice(("swap", "drop", "double"))
    if how == "swap" and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if how == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def typo_prefixes(n: int = 60, seed: int = 7) -> list[str]:
    """``n`` prefixes of 4 to 8 letters with one typo, from vocabulary labels and cities."""
    rng = random.Random(seed)
    words = sorted(
        {
            w
            for facet in ("issues", "therapy_types")
            for label in FILTER_VOCABULARIES[facet].labels(FILTER_VOCABULARIES[facet].slugs)
            for w in label.lower().split()
            if w.isalpha() and len(w) >= 6
        }
        | set(CITIES)
    )
    out: list[str] = []
    while len(out) < n:
        word = rng.choice(words)
        prefix = word[: rng.randint(5, min(9, len(word)))]
        out.append(_typo(prefix, rng)[:8])
    return out


def _found(base_url: str, prefix: str) -> bool:
    url = f"{base_url}/suggest?q={quote(prefix)}"
    with urllib.request.urlopen(url, timeout=30) as resp:
        body = json.loads(resp.read())
    return bool(body.get("suggestions"))


def _line(name: str, run: ClientRun) -> str:
    s = Stats.of(run.ms)
    return (
        f"{name:<14} n={s.n:>6}  errors {run.errors}  p50 {s.p50:6.2f}  "
        f"p95 {s.p95:6.2f}  p99 {s.p99:6.2f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("data_dir", type=Path, help="a SEARCH_DATA_DIR with all three kinds indexed")
    p.add_argument("--seconds", type=float, default=10.0, help="timed seconds per list")
    p.add_argument(
        "--min-requests", type=int, default=500, help="timed requests per list, at least"
    )
    a = p.parse_args(argv)
    exact = load().of("typeahead")
    typos = [Request("typeahead", "/suggest", (("q", t),)) for t in typo_prefixes()]
    print(f"machine: {machine()}; index {a.data_dir}")
    failed = 0
    with serve_ours(a.data_dir) as server:
        for name, reqs in (("exact prefixes", exact), ("with a typo", typos)):
            run = one_client(
                server.base_url, reqs, a.seconds, a.min_requests, 200_000, warmup=len(reqs)
            )
            failed += run.errors
            print(_line(name, run))
            if run.first_error:
                print(f"  first error: {run.first_error}")
        answered = sum(_found(server.base_url, r.params[0][1]) for r in typos)
        print(f"typo prefixes with a suggestion: {answered} of {len(typos)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
