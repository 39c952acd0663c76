"""How long query understanding takes: p50/p99 over a few hundred varied search-box texts.

    python -m benchmarks.understanding [--queries 600] [--locations LOCATIONS_JSONL]

Texts are built from a seeded mix of vocabulary words, lay words, typos, places (ZIP, city,
"City ST", state), budgets and filler, about ten words each. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from search_core.geocode import Geocoder
from search_core.understanding import plan, understander_for

PARTS: dict[str, list[str]] = {
    "want": ["i need someone to help me with my", "looking for a", "best", "good", "", "find a"],
    "who": [
        "female",
        "male therapist",
        "spanish speaking",
        "habla español",
        "bilingual korean",
        "LCSW",
        "psychologist",
        "marriage counselor",
        "",
        "",
    ],
    "what": [
        "anxiety",
        "anxeity",
        "depresion",
        "panic attacks",
        "ptsd",
        "teenager's adhd",
        "grief",
        "kids",
        "couples",
        "eating disorders",
        "insomina",
        "perfectionism",
        "emdr",
        "cognitive behavioral therapy",
        "ocd",
        "burnout",
    ],
    "how": [
        "online",
        "in person",
        "accepting new clients",
        "under $100",
        "sliding scale",
        "takes aetna",
        "blue cross",
        "medicaid",
        "cheap",
        "",
    ],
    "where": [
        "97214",
        "in portland oregon",
        "chicago",
        "near me",
        "austin tx",
        "in texas",
        "Springfield",
        "sacremento",
        "Salem, OR",
        "brooklyn",
        "manhattan",
        "nyc",
        "orange county",
        "",
    ],
    # issue 28: negation, who it is for, leftover words
    "else": [
        "no dbt",
        "non-religious",
        "not cbt or emdr",
        "for my wife and me",
        "my 9 year old",
        "prefer a woman",
        "for my daughter",
        "anxiety, ocd and insomnia",
        "",
        "",
    ],
}


def texts(n: int, seed: int = 16) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = [rng.choice(PARTS[k]) for k in ("want", "who", "what", "how", "where")]
        words.insert(3, rng.choice(PARTS["what"]))
        words.insert(4, rng.choice(PARTS["else"]))
        out.append(" ".join(w for w in words if w))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--queries", type=int, default=600)
    ap.add_argument("--locations", type=Path, default=Path("fixtures/small/locations.jsonl.gz"))
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    u = understander_for(Geocoder.from_jsonl(args.locations))
    built = time.perf_counter() - t0
    qs = texts(args.queries)
    for q in qs[:50]:  # warm up
        plan(u.understand(q))
    und: list[float] = []
    both: list[float] = []
    for q in qs:
        t = time.perf_counter()
        r = u.understand(q)
        t1 = time.perf_counter()
        plan(r)
        t2 = time.perf_counter()
        und.append((t1 - t) * 1000)
        both.append((t2 - t) * 1000)
    words = statistics.mean(len(q.split()) for q in qs)
    print(f"geocoder + understander built in {built:.2f} s; {len(qs)} texts, {words:.1f} words")
    for name, xs in (("understand", und), ("understand + plan", both)):
        xs.sort()
        p50, p99 = xs[len(xs) // 2], xs[int(len(xs) * 0.99) - 1]
        print(f"{name:18} p50 {p50:.3f} ms  p99 {p99:.3f} ms  max {xs[-1]:.3f} ms")


if __name__ == "__main__":
    main()
