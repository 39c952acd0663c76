"""Grid or random search over chosen knobs, scored by one metric on a judgment list.

Each trial is a tuning: the base tuning with some knobs changed (validated, and checked against
the engine before anything runs). Article queries only depend on the knobs article search reads,
so their rankings are reused across trials that change therapist-only knobs.

``holdout`` sets aside a share of the queries (chosen by a hash of their id: the same every
time) that the search never looks at; the best tuning's score on them tells whether the gain
is real or fitted to the judged queries.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from search_core.errors import InvalidQuery
from search_core.relevance.checks import check
from search_core.relevance.evaluate import EvalReport, depth_for, evaluate
from search_core.relevance.judgments import JudgmentList
from search_core.relevance.knobs import KnobValue, with_knobs
from search_core.relevance.lab import Lab, Run
from search_core.relevance.metrics import DEFAULT_REL, evaluable
from search_core.tuning import Tuning

MAX_TRIALS = 5_000
ARTICLE_KNOBS = (
    "article_fields",
    "phrase_boost",
    "phrase_slop",
    "minimum_should_match",
    "fuzziness",
    "fuzzy_min_length",
    "fuzzy_boost",
    "fuzzy_scope",
    "synonyms",
    "tie_breaker",
)
"""The tuning fields article search reads (the rest are therapist-only)."""
Space = Mapping[str, Sequence[KnobValue]]
Progress = Callable[[int, int, "Trial"], None]


@dataclass
class Trial:
    changes: dict[str, KnobValue]
    tuning: Tuning = field(repr=False)
    score: float
    means: dict[str, float]
    holdout: float | None = None


@dataclass
class SearchResult:
    metric: str
    base: Trial
    trials: list[Trial]
    """Best first."""
    train_queries: list[str]
    holdout_queries: list[str]

    @property
    def best(self) -> Trial:
        return self.trials[0]

    @property
    def gain(self) -> float:
        return self.best.score - self.base.score

    def to_dict(self) -> dict[str, Any]:
        def trial(t: Trial) -> dict[str, Any]:
            return {
                "changes": t.changes,
                "score": t.score,
                "holdout": t.holdout,
                "means": t.means,
            }

        return {
            "metric": self.metric,
            "queries": len(self.train_queries),
            "holdout_queries": len(self.holdout_queries),
            "base": trial(self.base),
            "best": trial(self.best),
            "gain": self.gain,
            "trials": [trial(t) for t in self.trials],
        }


def grid(space: Space) -> list[dict[str, KnobValue]]:
    """Every combination of the knobs' values (in the order given)."""
    paths = list(space)
    combos = [
        dict(zip(paths, values, strict=True)) for values in itertools.product(*space.values())
    ]
    if len(combos) > MAX_TRIALS:
        raise InvalidQuery(f"{len(combos)} combinations; at most {MAX_TRIALS} (use random search)")
    return combos


def sample(space: Space, n: int, seed: int = 0) -> list[dict[str, KnobValue]]:
    """``n`` distinct combinations drawn at random (seeded) from the grid of ``space``."""
    size = 1
    for values in space.values():
        size *= len(values)
    rng = random.Random(seed)
    if size <= max(n, 1) * 4 and size <= MAX_TRIALS:
        combos = grid(space)
        rng.shuffle(combos)
        return combos[:n]
    seen: set[tuple[Any, ...]] = set()
    out: list[dict[str, KnobValue]] = []
    while len(out) < min(n, size):
        combo = {p: rng.choice(list(v)) for p, v in space.items()}
        key = tuple(combo.values())
        if key not in seen:
            seen.add(key)
            out.append(combo)
    return out


def split_holdout(qids: Sequence[str], share: float) -> tuple[list[str], list[str]]:
    """(train, holdout): a query is held out when the hash of its id falls under ``share``."""
    if not 0 <= share < 1:
        raise InvalidQuery("holdout is a share of the queries, from 0 to below 1")

    def bucket(q: str) -> float:
        return int(hashlib.blake2b(q.encode(), digest_size=4).hexdigest(), 16) / 2**32

    hold = [q for q in qids if bucket(q) < share]
    return [q for q in qids if q not in set(hold)], hold


class _Runner:
    """Runs trials, reusing article rankings when no article knob changed."""

    def __init__(self, lab: Lab, judgments: JudgmentList, depth: int) -> None:
        self.lab = lab
        self.depth = depth
        self.specs = {t: judgments.by_target(t) for t in ("therapists", "articles")}
        self._cache: dict[tuple[str, str], Run] = {}

    def run(self, tuning: Tuning) -> Run:
        out: Run = {}
        for target, subset in self.specs.items():
            if not subset.queries:
                continue
            if target == "articles":
                key = (target, tuning.model_dump_json(include=set(ARTICLE_KNOBS)))
            else:
                key = (target, tuning.model_dump_json(exclude={"name", "article_fields"}))
            if key not in self._cache:
                specs = [subset.queries[q] for q in evaluable(subset)]
                self._cache[key] = self.lab.run(specs, tuning, self.depth)
            out.update(self._cache[key])
        return out


def search(
    lab: Lab,
    judgments: JudgmentList,
    base: Tuning,
    combos: Sequence[Mapping[str, KnobValue]],
    *,
    metric: str = "ndcg@10",
    k: int = 10,
    rel: int = DEFAULT_REL,
    holdout: float = 0.0,
    name: str | None = None,
    progress: Progress | None = None,
) -> SearchResult:
    """Score the base tuning and each combination of knob changes; best first."""
    tunings = [with_knobs(base, c, name=name or f"{base.name}-searched") for c in combos]
    for t in tunings:  # refuse before spending time on any trial
        check(t, lab.engine)
    train, hold = split_holdout(evaluable(judgments), holdout)
    metrics = [metric]
    runner = _Runner(lab, judgments, depth_for(metrics, k))

    def score(changes: Mapping[str, KnobValue], tuning: Tuning) -> Trial:
        run = runner.run(tuning)
        train_report = evaluate(
            lab, judgments.subset(train), tuning, k=k, metrics=metrics, rel=rel, run=run
        )
        hold_report: EvalReport | None = None
        if hold:
            hold_report = evaluate(
                lab, judgments.subset(hold), tuning, k=k, metrics=metrics, rel=rel, run=run
            )
        return Trial(
            dict(changes),
            tuning,
            train_report.mean(metric),
            train_report.means,
            hold_report.mean(metric) if hold_report is not None else None,
        )

    base_trial = score({}, base)
    trials: list[Trial] = []
    for i, (changes, tuning) in enumerate(zip(combos, tunings, strict=True), 1):
        trials.append(score(changes, tuning))
        if progress is not None:
            progress(i, len(tunings), trials[-1])
    ranked = sorted([base_trial, *trials], key=lambda t: -t.score)  # stable: base wins ties
    return SearchResult(metric, base_trial, ranked, train, hold)


def grid_search(
    lab: Lab, judgments: JudgmentList, base: Tuning, space: Space, **kw: Any
) -> SearchResult:
    return search(lab, judgments, base, grid(space), **kw)


def random_search(
    lab: Lab,
    judgments: JudgmentList,
    base: Tuning,
    space: Space,
    n: int = 20,
    seed: int = 0,
    **kw: Any,
) -> SearchResult:
    return search(lab, judgments, base, sample(space, n, seed), **kw)
