"""The committed workload (``benchmarks/workload.json``) as typed requests and URLs."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from benchmarks.common import ROOT

WORKLOAD = ROOT / "benchmarks" / "workload.json"
CATEGORIES = (
    "full_search",
    "near_me",
    "browse_states",
    "browse_cities",
    "browse_city",
    "articles",
    "typeahead",
)
LABELS = {
    "full_search": "full directory search (text + place + radius + filters + facets)",
    "near_me": "near me (coordinates or ZIP + radius, no text, facets)",
    "browse_states": "browse: /browse/states",
    "browse_cities": "browse: /browse/states/{s}/cities",
    "browse_city": "browse: /browse/cities/{slug}",
    "articles": "article search (all / title / content / author)",
    "typeahead": "typeahead (prefixes of 1–6 characters)",
}


@dataclass(frozen=True)
class Request:
    category: str
    path: str
    params: tuple[tuple[str, str], ...]

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.params if k == name), None)

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.params if k == name]

    @property
    def url(self) -> str:
        """Path and query string, as a client sends it."""
        path = quote(self.path, safe="/")
        return f"{path}?{urlencode(self.params)}" if self.params else path


@dataclass(frozen=True)
class Workload:
    requests: tuple[Request, ...]
    mix: dict[str, int]

    def of(self, category: str) -> list[Request]:
        return [r for r in self.requests if r.category == category]

    def mixed(self, n: int, seed: int = 1) -> list[Request]:
        """``n`` requests drawn with the mix's weights, each category walked in order."""
        rng = random.Random(seed)
        cats = list(self.mix)
        weights = [self.mix[c] for c in cats]
        pos = dict.fromkeys(cats, 0)
        pools = {c: self.of(c) for c in cats}
        out = []
        for c in rng.choices(cats, weights, k=n):
            pool = pools[c]
            out.append(pool[pos[c] % len(pool)])
            pos[c] += 1
        return out


def load(path: Path = WORKLOAD) -> Workload:
    data = json.loads(path.read_text(encoding="utf-8"))
    reqs = tuple(
        Request(r["category"], r["path"], tuple((str(k), str(v)) for k, v in r["params"]))
        for r in data["requests"]
    )
    unknown = {r.category for r in reqs} - set(CATEGORIES)
    if unknown:
        raise ValueError(f"{path}: unknown categories {sorted(unknown)}")
    return Workload(reqs, {str(k): int(v) for k, v in data["mix"].items()})


def warm_up(
    call: Callable[[Request], object],
    requests: Sequence[Request],
    min_n: int,
    budget_s: float,
    clock: Callable[[], float] = time.perf_counter,
) -> int:
    """Each distinct request of ``requests`` once, in order, before a timing: what is timed is
    then warm, as the targets ask. A system's caches that fill per distinct request (ours: a
    state's list of cities, the typeahead of a one- or two-letter prefix) are filled here,
    not during the timing (a category of 45 states with 30 requests of warm-up left 15 cold
    ones among the timed samples: its p99). Both systems get the same: a slow one stops after
    ``budget_s`` once it has had ``min_n``. Returns the number of calls made."""
    seen: set[str] = set()
    deadline = clock() + budget_s
    made = 0
    for r in requests:
        if made >= min_n and clock() > deadline:
            break
        if r.url in seen:
            continue
        seen.add(r.url)
        call(r)
        made += 1
    return made
