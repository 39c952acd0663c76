"""Hostile search texts: what one costs to understand, and what a client sending them does to
everyone else's requests. A benchmark, not a test (issue 24).

    python -m benchmarks.adversarial [--texts 3000] [--seconds 20] [--hostile-clients 2]
                                     [--in-process-only] [--json out.json]

1. **In process**: a seeded set of nasty texts of at most 200 characters (the API's limit) —
   long words, words just past the typo cut-off, many words, repeated near-vocabulary words,
   accents and other scripts, digits, mixtures — each understood (``understand``) and
   corrected (``did_you_mean``) on the small set's geocoder; max and p99 per text and per
   kind, and the most deletion strings and candidates a word cost the typo index. Times are
   the CPU time of the thread (``time.thread_time``: what the text costs, not what other
   programs on a shared machine take meanwhile). Target: every text in 5 ms or less.
2. **Over HTTP**: ``therapist-search serve`` (one process) on a free loopback port over an
   index built from ``fixtures/small`` in a temporary folder. A prober asks ``/health`` every
   20 ms, first alone, then while ``--hostile-clients`` threads send long-word texts as fast as
   they are answered to ``/``, ``/therapists/search`` (``understand`` true and false),
   ``/therapists/near`` and ``/suggest``. Target: ``/health`` p99 at most 50 ms under them.
   Both phases are bounded in time and count, and the server is stopped at the end.

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import string
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from benchmarks.common import ROOT, Stats, code_fingerprint, load_average, machine, today
from benchmarks.httpbench import serve_ours
from benchmarks.traffic import build_index
from search_core.geocode import Geocoder
from search_core.queries import MAX_QUERY_CHARS
from search_core.understanding import Understander, understander_for
from search_core.understanding.text import tokenize

FIXTURES = ROOT / "fixtures" / "small"
TEXT_TARGET_MS = 5.0
HEALTH_TARGET_MS = 50.0
PROBE_EVERY_S = 0.02
MAX_REQUESTS = 200_000
"""Hostile requests sent at most, whatever ``--seconds`` says."""

NEAR_VOCABULARY = [
    *("anxeity", "depresion", "therapst", "portlnd", "insomina", "councelor", "psycologist"),
    *("traumma", "spansih", "adolesents", "aetnaa", "chicagoo"),
]
SCRIPTS = ["ñ", "é", "ü", "ø", "ß", "ж", "λ", "中", "ع", "अ", "😀", "e\u0301", "ﬁ", "²", "Ⅻ"]


def _letters(rng: random.Random, n: int, alphabet: str = string.ascii_lowercase) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _fill(words: list[str], sep: str = " ") -> str:
    return sep.join(words)[:MAX_QUERY_CHARS]


def nasty_texts(n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` (kind, text) pairs, every text at most 200 characters."""
    rng = random.Random(seed)
    makers = {
        "one long word": lambda: (
            rng.choice("ae") * rng.randint(21, 200)
            if rng.random() < 0.3
            else _letters(rng, rng.randint(21, 200))
        ),
        "words at the cut-off": lambda: _fill(
            [_letters(rng, rng.randint(17, 20), "aeinorst") for _ in range(12)]
        ),
        "many short words": lambda: _fill([_letters(rng, rng.randint(1, 4)) for _ in range(100)]),
        "near-vocabulary repeated": lambda: _fill([rng.choice(NEAR_VOCABULARY) for _ in range(40)]),
        "one near word repeated": lambda: _fill([rng.choice(NEAR_VOCABULARY)] * 40),
        "unicode": lambda: _fill(
            ["".join(rng.choice(SCRIPTS) for _ in range(rng.randint(1, 25))) for _ in range(20)]
        ),
        "digits": lambda: _fill(
            [
                rng.choice(
                    ["97214", "$100", "1,000", "10.5", "0" * rng.randint(1, 30), "97214-1234"]
                )
                for _ in range(40)
            ]
        ),
        "mixed": lambda: _fill(
            [
                rng.choice(
                    [
                        _letters(rng, rng.randint(1, 30)),
                        rng.choice(NEAR_VOCABULARY),
                        rng.choice(SCRIPTS) * 3,
                        str(rng.randint(0, 99999)),
                        "near",
                        "in",
                        "OR",
                        "portland",
                        "new york",
                    ]
                )
                for _ in range(60)
            ]
        ),
    }
    kinds = list(makers)
    return [(kinds[i % len(kinds)], makers[kinds[i % len(kinds)]]()) for i in range(n)]


@dataclass
class InProcess:
    texts: int = 0
    understand: dict[str, float] = field(default_factory=dict)
    did_you_mean: dict[str, float] = field(default_factory=dict)
    by_kind_max_ms: dict[str, float] = field(default_factory=dict)
    slowest: str = ""
    most_keys: int = 0
    most_candidates: int = 0


def _stats(ms: list[float]) -> dict[str, float]:
    s = Stats.of(ms)
    return {"p50_ms": round(s.p50, 3), "p99_ms": round(s.p99, 3), "max_ms": round(s.max, 3)}


def in_process(texts: list[tuple[str, str]], u: Understander) -> InProcess:
    out = InProcess(texts=len(texts))
    for _, text in texts[:50]:  # warm-up: first calls fill caches (regexes, lexicon look-ups)
        u.understand(text)
    understand_ms: list[float] = []
    dym_ms: list[float] = []
    worst = 0.0
    for kind, text in texts:
        t0 = time.thread_time()
        u.understand(text)
        t1 = time.thread_time()
        u.did_you_mean(text)
        t2 = time.thread_time()
        a, b = (t1 - t0) * 1000, (t2 - t1) * 1000
        understand_ms.append(a)
        dym_ms.append(b)
        out.by_kind_max_ms[kind] = round(max(out.by_kind_max_ms.get(kind, 0.0), a, b), 3)
        if max(a, b) > worst:
            worst, out.slowest = max(a, b), text
        for token in tokenize(text):
            cost = u.fuzzy.lookup(token.norm)
            out.most_keys = max(out.most_keys, cost.keys)
            out.most_candidates = max(out.most_candidates, cost.candidates)
    out.understand = _stats(understand_ms)
    out.did_you_mean = _stats(dym_ms)
    return out


def hostile_paths(seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(200):
        word = rng.choice(["a" * 200, _letters(rng, 200), "ñ" * 200, _letters(rng, 120)])
        out += [
            "/?" + urlencode({"q": word}),
            "/therapists/search?" + urlencode({"q": word}),
            "/therapists/search?" + urlencode({"q": word, "understand": "false"}),
            "/therapists/near?" + urlencode({"q": word, "zip": "97214"}),
            "/suggest?" + urlencode({"q": word[:50]}),
        ]
    return out


@dataclass
class Served:
    health_alone: dict[str, float] = field(default_factory=dict)
    health_under_attack: dict[str, float] = field(default_factory=dict)
    probes_alone: int = 0
    probes_under_attack: int = 0
    hostile_requests: int = 0
    hostile_per_second: float = 0.0
    hostile_latency: dict[str, float] = field(default_factory=dict)
    hostile_failures: int = 0
    health_failures: int = 0
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)


class Connection:
    """One kept-alive connection to the server."""

    def __init__(self, base_url: str) -> None:
        url = urlsplit(base_url)
        self.conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=30)

    def get(self, path: str) -> int:
        try:
            self.conn.request("GET", path)
            resp = self.conn.getresponse()
            resp.read()
            return resp.status
        except (OSError, http.client.HTTPException):
            self.conn.close()
            return 0

    def close(self) -> None:
        self.conn.close()


def probe(base_url: str, stop: threading.Event, ms: list[float], limit: int) -> int:
    """``/health`` every 20 ms until ``stop`` (or ``limit`` probes); returns failures."""
    conn = Connection(base_url)
    failures = 0
    try:
        while not stop.is_set() and len(ms) < limit:
            t0 = time.perf_counter()
            if conn.get("/health") != 200:
                failures += 1
            ms.append((time.perf_counter() - t0) * 1000)
            stop.wait(PROBE_EVERY_S)
    finally:
        conn.close()
    return failures


def over_http(args: argparse.Namespace, data_dir: Path) -> Served:
    out = Served()
    paths = hostile_paths(args.seed)
    with serve_ours(data_dir) as server:
        base = server.base_url
        warm = Connection(base)
        for p in paths[:10]:
            warm.get(p)
        warm.close()
        limit = int(args.seconds / PROBE_EVERY_S) + 1
        alone: list[float] = []
        stop = threading.Event()
        timer = threading.Timer(min(5.0, args.seconds), stop.set)
        timer.start()
        out.health_failures += probe(base, stop, alone, limit)
        timer.cancel()

        stop = threading.Event()
        sent = [0] * args.hostile_clients
        failed = [0] * args.hostile_clients
        hostile_ms: list[list[float]] = [[] for _ in range(args.hostile_clients)]

        def attacker(k: int) -> None:
            conn = Connection(base)
            i = k
            try:
                while not stop.is_set() and sum(sent) < MAX_REQUESTS:
                    t0 = time.perf_counter()
                    if conn.get(paths[i % len(paths)]) >= 500:
                        failed[k] += 1
                    hostile_ms[k].append((time.perf_counter() - t0) * 1000)
                    sent[k] += 1
                    i += args.hostile_clients
            finally:
                conn.close()

        threads = [
            threading.Thread(target=attacker, args=(k,)) for k in range(args.hostile_clients)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        under: list[float] = []
        timer = threading.Timer(args.seconds, stop.set)
        timer.start()
        time.sleep(0.5)  # the attackers are sending
        out.health_failures += probe(base, stop, under, limit)
        stop.set()
        timer.cancel()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        out.load_average = load_average()
    out.health_alone, out.probes_alone = _stats(alone), len(alone)
    out.health_under_attack, out.probes_under_attack = _stats(under), len(under)
    out.hostile_requests = sum(sent)
    out.hostile_failures = sum(failed)
    out.hostile_per_second = round(sum(sent) / elapsed, 1)
    out.hostile_latency = _stats([m for ms in hostile_ms for m in ms])
    return out


def summary(d: dict[str, Any]) -> str:
    p = d["in_process"]
    lines = [
        f"Adversarial texts — {d['machine']}",
        f"  {'OK' if d['ok'] else 'MISSED: ' + '; '.join(d['problems'])}",
        f"  in process: {p['texts']:,} texts of <= {MAX_QUERY_CHARS} characters",
        f"    understand    p50 {p['understand']['p50_ms']} ms, p99 {p['understand']['p99_ms']} "
        f"ms, max {p['understand']['max_ms']} ms (target <= {TEXT_TARGET_MS:g} ms)",
        f"    did_you_mean  p50 {p['did_you_mean']['p50_ms']} ms, p99 "
        f"{p['did_you_mean']['p99_ms']} ms, max {p['did_you_mean']['max_ms']} ms",
        f"    typo index    at most {p['most_keys']} deletion strings and "
        f"{p['most_candidates']} candidates for one word",
        f"    slowest kind  {max(p['by_kind_max_ms'], key=p['by_kind_max_ms'].get)} "
        f"({max(p['by_kind_max_ms'].values())} ms)",
    ]
    s = d.get("served")
    if s:
        lines += [
            f"  over HTTP: {d['args']['hostile_clients']} hostile clients, "
            f"{s['hostile_requests']:,} requests ({s['hostile_per_second']}/s, p50 "
            f"{s['hostile_latency']['p50_ms']} ms, p99 {s['hostile_latency']['p99_ms']} ms), "
            f"{s['hostile_failures']} answered 5xx",
            f"    /health alone          {s['probes_alone']} probes: p50 "
            f"{s['health_alone']['p50_ms']} ms, p99 {s['health_alone']['p99_ms']} ms, max "
            f"{s['health_alone']['max_ms']} ms",
            f"    /health under attack   {s['probes_under_attack']} probes: p50 "
            f"{s['health_under_attack']['p50_ms']} ms, p99 {s['health_under_attack']['p99_ms']} "
            f"ms, max {s['health_under_attack']['max_ms']} ms (target p99 <= "
            f"{HEALTH_TARGET_MS:g} ms); load average {s['load_average'][0]:.2f}",
        ]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.adversarial", description=__doc__.split("\n\n")[0]
    )
    p.add_argument("--texts", type=int, default=3000, help="nasty texts timed (default 3000)")
    p.add_argument("--seconds", type=float, default=20.0, help="attack length (default 20)")
    p.add_argument("--hostile-clients", type=int, default=2, help="attacking clients (default 2)")
    p.add_argument("--in-process-only", action="store_true", help="skip the server phase")
    p.add_argument("--fixtures", type=Path, default=FIXTURES)
    p.add_argument("--seed", type=int, default=24)
    p.add_argument("--json", type=Path, help="also write the figures here")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    geocoder = Geocoder.from_jsonl(args.fixtures / "locations.jsonl.gz")
    texts = nasty_texts(args.texts, args.seed)
    assert all(len(t) <= MAX_QUERY_CHARS for _, t in texts)
    d: dict[str, Any] = {"in_process": asdict(in_process(texts, understander_for(geocoder)))}
    if not args.in_process_only:
        with tempfile.TemporaryDirectory(prefix="adversarial-") as tmp:
            build_index(args.fixtures, Path(tmp))
            d["served"] = asdict(over_http(args, Path(tmp)))
    problems = []
    worst = max(d["in_process"]["understand"]["max_ms"], d["in_process"]["did_you_mean"]["max_ms"])
    if worst > TEXT_TARGET_MS:
        problems.append(f"a text took {worst} ms (target {TEXT_TARGET_MS:g})")
    s = d.get("served")
    if s and s["health_under_attack"]["p99_ms"] > HEALTH_TARGET_MS:
        problems.append(f"/health p99 {s['health_under_attack']['p99_ms']} ms under attack")
    if s and (s["hostile_failures"] or s["health_failures"]):
        problems.append(f"{s['hostile_failures'] + s['health_failures']} requests failed")
    d |= {"ok": not problems, "problems": problems, "machine": machine(), "date": today()}
    d["code"] = code_fingerprint()
    d["args"] = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    print(summary(d))
    if args.json is not None:
        args.json.write_text(json.dumps(d, indent=2) + "\n", encoding="utf-8")
    return 0 if d["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
