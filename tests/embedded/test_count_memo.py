"""The online list's counts (a page of at most one hit, most recent first, no highlighting) are
kept per index version: the same answer as a fresh search, a copy each time, and forgotten when
an upsert reloads the index."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from cli.main import main
from search_core.embedded.backend import EmbeddedBackend
from search_core.embedded.therapist_search import EmbeddedTherapistSearch
from search_core.queries import GeoFilter, TherapistFilters, TherapistQuery
from search_core.settings import Settings


def _count(text: str | None, near: GeoFilter | None = None) -> TherapistQuery:
    return TherapistQuery(
        text=text,
        filters=TherapistFilters(telehealth=True),
        near=near,
        sort="recent",
        size=1,
        facets=True,
        highlight=False,
    )


def test_a_remembered_count_is_the_count(small_index: Settings) -> None:
    backend = EmbeddedBackend(small_index)
    opened = backend.reader.get("therapists")
    for q in (_count("anxiety"), _count(None, GeoFilter(lat=45.52, lon=-122.68, radius_km=40))):
        first = backend.core.search_therapists(q)
        assert len(opened.counts) >= 1
        again = backend.core.search_therapists(q)
        fresh = EmbeddedTherapistSearch(opened, backend.tuning).search(q, "mi")
        for page in (first, again):
            assert page.total == fresh.total and page.facets == fresh.facets
            assert [h.therapist.id for h in page.items] == [h.therapist.id for h in fresh.items]
        assert again is not first and again.facets is not first.facets


def test_pages_are_not_kept(small_index: Settings) -> None:
    backend = EmbeddedBackend(small_index)
    backend.core.search_therapists(_count("anxiety").model_copy(update={"size": 10}))
    backend.core.search_therapists(_count("anxiety").model_copy(update={"sort": "relevance"}))
    assert not backend.reader.get("therapists").counts


def test_an_upsert_is_counted(tmp_path: Path, small_dir: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", index_workers=0)
    assert (
        main(["index", "--from", str(small_dir), "--kind", "therapists", "--quiet"], settings) == 0
    )
    backend = EmbeddedBackend(settings)
    q = _count("qxanthropy")
    assert backend.core.search_therapists(q).total == 0
    with gzip.open(small_dir / "therapists.jsonl.gz", "rt") as fh:
        record = json.loads(next(fh))
    changed = dict(record, bio="Qxanthropy and more.", telehealth=True)
    (tmp_path / "one.json").write_text(json.dumps(changed))
    assert main(["upsert", "--kind", "therapists", str(tmp_path / "one.json")], settings) == 0
    assert backend.core.search_therapists(q).total == 1
