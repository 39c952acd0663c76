"""The online list's first hits (online therapists licensed in a state, anywhere, no facets)
are kept per index version and day: the same page as a fresh search, a copy each time, and
forgotten when an upsert reloads the index."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from cli.main import main
from search_core.embedded.backend import EmbeddedBackend
from search_core.embedded.online_memo import KEY
from search_core.embedded.therapist_search import EmbeddedTherapistSearch
from search_core.queries import GeoFilter, TherapistFilters, TherapistQuery
from search_core.settings import Settings


def _online(text: str | None, sort: str = "relevance") -> TherapistQuery:
    return TherapistQuery(
        text=text,
        filters=TherapistFilters(telehealth=True, licensed_in="OR"),
        sort=sort,  # type: ignore[arg-type]
        size=20,
        facets=False,
    )


def test_remembered_online_hits_are_the_hits(small_index: Settings) -> None:
    backend = EmbeddedBackend(small_index)
    opened = backend.reader.get("therapists")
    for q in (_online(None), _online("anxiety"), _online(None, sort="recent")):
        first = backend.core.search_therapists(q)
        assert q.model_dump_json() in {k[0] for k in opened.counts[KEY]}
        again = backend.core.search_therapists(q)
        fresh = EmbeddedTherapistSearch(opened, backend.tuning).search(q, "mi")
        assert fresh.items, "the small set has online therapists in Oregon"
        for page in (first, again):
            assert page.total == fresh.total
            assert [h.therapist.id for h in page.items] == [h.therapist.id for h in fresh.items]
            assert [h.highlights for h in page.items] == [h.highlights for h in fresh.items]
        assert again is not first and again.items is not first.items


def test_only_the_online_list_is_kept(small_index: Settings) -> None:
    backend = EmbeddedBackend(small_index)
    near = GeoFilter(lat=45.52, lon=-122.68, radius_km=40)
    backend.core.search_therapists(_online(None).model_copy(update={"near": near}))
    backend.core.search_therapists(_online(None).model_copy(update={"facets": True}))
    backend.core.search_therapists(_online(None).model_copy(update={"offset": 20}))
    assert not backend.reader.get("therapists").counts.get(KEY)


def test_an_upsert_is_listed(tmp_path: Path, small_dir: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", index_workers=0)
    assert (
        main(["index", "--from", str(small_dir), "--kind", "therapists", "--quiet"], settings) == 0
    )
    backend = EmbeddedBackend(settings)
    q = _online("qxanthropy")
    assert backend.core.search_therapists(q).items == []
    with gzip.open(small_dir / "therapists.jsonl.gz", "rt") as fh:
        record = json.loads(next(fh))
    changed = dict(record, bio="Qxanthropy and more.", telehealth=True, licensed_states=["OR"])
    (tmp_path / "one.json").write_text(json.dumps(changed))
    assert main(["upsert", "--kind", "therapists", str(tmp_path / "one.json")], settings) == 0
    assert [h.therapist.id for h in backend.core.search_therapists(q).items] == [record["id"]]
