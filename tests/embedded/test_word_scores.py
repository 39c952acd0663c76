"""The scores of words that only rank, remembered per searcher and therapist
(search_core/embedded/word_scores.py): a location search whose kept therapists were all scored
before reads their scores from there, and its page is the page of its own scoring pass; a
search with a therapist not scored yet searches; an edit forgets them; an analyst's tuning
never keeps them; the memory budget forgets the least recently used."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from cli.main import main
from search_core.embedded.backend import EmbeddedBackend
from search_core.embedded.columns import Columns
from search_core.embedded.therapist_search import EmbeddedTherapistSearch
from search_core.embedded.word_scores import WordScores
from search_core.queries import GeoFilter, TherapistFilters, TherapistQuery
from search_core.results import SearchPage, TherapistHit
from search_core.settings import Settings
from search_core.tuning import Tuning

PORTLAND = GeoFilter(lat=45.52, lon=-122.68, radius_km=60)
WIDE = GeoFilter(lat=40.71, lon=-74.0, radius_km=500)  # the Northeast


def _ranked(words: str, near: GeoFilter, **filters: object) -> TherapistQuery:
    return TherapistQuery(
        rank_text=words,
        near=near,
        filters=TherapistFilters.model_validate(filters),
        size=25,
        facets=True,
    )


def _columns(backend: EmbeddedBackend) -> Columns:
    opened = backend.reader.get("therapists")
    assert opened.columns is not None
    return opened.columns.get(opened.index)[1]


def _same(page: SearchPage[TherapistHit], fresh: SearchPage[TherapistHit]) -> None:
    assert page.total == fresh.total and page.facets == fresh.facets
    assert [h.therapist.id for h in page.items] == [h.therapist.id for h in fresh.items]
    assert [h.score for h in page.items] == pytest.approx([h.score for h in fresh.items], abs=1e-9)


QUERIES = [
    _ranked("anxiety", PORTLAND),
    _ranked("cognitive behavioral therapy", WIDE),
    _ranked("couples counseling", WIDE, accepting_new_clients=True),
    _ranked("grief trauma", PORTLAND, telehealth=True),
]


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: f"{q.rank_text}@{q.near.radius_km}")
def test_remembered_scores_give_the_areas_page(small_index: Settings, q: TherapistQuery) -> None:
    backend = EmbeddedBackend(small_index)
    columns = _columns(backend)
    opened = backend.reader.get("therapists")
    before = backend.core.search_therapists(q)  # scored in the area, and kept
    assert len(columns.words) >= 1
    after = backend.core.search_therapists(q)  # read from what was kept
    fresh = EmbeddedTherapistSearch(opened, backend.tuning).search(q, "mi")  # never remembers
    assert after.total > 0
    _same(before, fresh)
    _same(after, fresh)


def test_the_same_words_elsewhere_or_wider_are_scored_again(small_index: Settings) -> None:
    """After a narrow search: the same words with fewer filters, in a wider circle and
    elsewhere (therapists not scored yet), then narrower again: each page is its own pass's."""
    backend = EmbeddedBackend(small_index)
    opened = backend.reader.get("therapists")
    asked = [
        _ranked("depression anxiety", PORTLAND, telehealth=True, accepting_new_clients=True),
        _ranked("depression anxiety", PORTLAND),
        _ranked("depression anxiety", PORTLAND.model_copy(update={"radius_km": 300})),
        _ranked("depression anxiety", WIDE),
        _ranked("depression anxiety", PORTLAND, telehealth=True),
        _ranked("depression anxiety", WIDE, gender=["female"]),
    ]
    for q in asked:
        page = backend.core.search_therapists(q.model_copy(update={"size": 200}))
        fresh = EmbeddedTherapistSearch(opened, backend.tuning).search(
            q.model_copy(update={"size": 200}), "mi"
        )
        assert fresh.total > 0
        _same(page, fresh)
    kept = _columns(backend).words
    assert len(kept) == 1


def test_the_array_holds_each_therapists_score(small_index: Settings) -> None:
    """A remembered score is the therapist's score in an area's own pass: 500 of the
    Northeast's therapists, ranked by words, compared one by one."""
    backend = EmbeddedBackend(small_index)
    q = _ranked("depression anxiety", WIDE).model_copy(update={"size": 500})
    backend.core.search_therapists(q)
    remembered = backend.core.search_therapists(q)
    fresh = EmbeddedTherapistSearch(backend.reader.get("therapists"), backend.tuning).search(
        q, "mi"
    )
    assert len(fresh.items) > 100
    _same(remembered, fresh)
    assert len({round(h.score, 6) for h in fresh.items}) > 10  # the words do rank


def test_an_edit_forgets_them(tmp_path: Path, small_dir: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", index_workers=0)
    assert (
        main(["index", "--from", str(small_dir), "--kind", "therapists", "--quiet"], settings) == 0
    )
    backend = EmbeddedBackend(settings)
    q = _ranked("qxanthropy", WIDE)
    backend.core.search_therapists(q)
    assert len(_columns(backend).words) == 1
    with gzip.open(small_dir / "therapists.jsonl.gz", "rt") as fh:
        record = json.loads(next(fh))
    changed = dict(record, bio="Qxanthropy and more.")
    (tmp_path / "one.json").write_text(json.dumps(changed))
    assert main(["upsert", "--kind", "therapists", str(tmp_path / "one.json")], settings) == 0
    page = backend.core.search_therapists(q)  # the reloaded searcher: scored in the area
    assert page.items[0].therapist.id == record["id"]  # the new word ranks it first
    assert page == backend.core.search_therapists(q).model_copy(update={"took_ms": page.took_ms})


def test_an_analysts_tuning_keeps_none(small_index: Settings) -> None:
    backend = EmbeddedBackend(small_index)
    lab = Tuning.model_validate({**backend.tuning.model_dump(), "phrase_boost": 3.0})
    backend.core.search_therapists(_ranked("eating disorders", WIDE), tuning=lab)
    assert len(_columns(backend).words) == 0


def test_the_budget_forgets_the_least_recently_used() -> None:
    words = WordScores(budget_bytes=2 * 400)
    rows = np.array([3, 5, 7])
    for key in ("a", "b"):
        words.keep(key, rows, np.array([1.0, 2.0, 3.0]), 100)
    assert words.scores("a", rows) is not None  # "a" used: "b" is the least recent
    assert words.scores("a", np.array([3, 4])) is None  # row 4 was never scored
    words.keep("c", rows[:1], np.array([9.0]), 100)
    assert words.scores("b", rows) is None
    got = words.scores("a", rows)
    assert got is not None and got.tolist() == [1.0, 2.0, 3.0]
    assert words.scores("c", rows[:1]) is not None and words.scores("c", rows) is None
    assert len(words) == 2
    words.keep("too big", rows, np.zeros(3), 1_000)  # more than the budget: not kept
    assert len(words) == 2 and words.scores("too big", rows) is None
