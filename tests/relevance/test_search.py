from __future__ import annotations

import pytest

from search_core.relevance.checks import UnsupportedTuning
from search_core.relevance.judgments import JudgmentList
from search_core.relevance.lab import Lab
from search_core.relevance.search import grid, grid_search, sample, split_holdout
from search_core.tuning import Tuning


def test_grid_and_sample() -> None:
    space = {"phrase_boost": [0, 1, 2], "tie_breaker": [0.0, 0.5]}
    assert len(grid(space)) == 6
    assert grid(space)[1] == {"phrase_boost": 0, "tie_breaker": 0.5}
    picked = sample(space, 4, seed=3)
    assert len(picked) == 4 and len({tuple(p.values()) for p in picked}) == 4
    assert picked == sample(space, 4, seed=3)


def test_holdout_is_stable_and_disjoint() -> None:
    qids = [f"q{i}" for i in range(200)]
    train, hold = split_holdout(qids, 0.3)
    assert set(train).isdisjoint(hold) and len(train) + len(hold) == 200
    assert 40 < len(hold) < 80
    assert split_holdout(qids, 0.3) == (train, hold)


def test_grid_search_finds_a_tuning_at_least_as_good(lab: Lab, judged: JudgmentList) -> None:
    arts = judged.by_target("articles")
    base = Tuning.load()
    result = grid_search(
        lab, arts, base, {"article_fields.title": [1.0, 6.0], "phrase_boost": [0.0, 2.0]}, name="t"
    )
    assert len(result.trials) == 5  # the base and 4 combinations
    assert result.best.score >= result.base.score
    assert result.trials == sorted(result.trials, key=lambda t: -t.score)
    assert result.best.tuning.name in ("t", base.name)
    same = [t for t in result.trials if t.changes == {"article_fields.title": 3.0}]
    assert not same  # 3.0 was not asked for


def test_a_knob_the_engine_cannot_honour_fails_before_any_trial(
    lab: Lab, judged: JudgmentList
) -> None:
    with pytest.raises(UnsupportedTuning, match=r"therapist_fields\.nope"):
        grid_search(lab, judged, Tuning(), {"therapist_fields.nope": [1.0]})
