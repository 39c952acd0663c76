"""City pages are answered again from memory while neither index changes (the use case's memo,
kept per version of the therapists and locations indexes): the same page as a fresh search, and
a new one after an upsert moves a therapist into the city."""

from __future__ import annotations

import asyncio
import gzip
import json
from pathlib import Path
from typing import Any

from cli.main import main
from search_core.browsing import CityPage, city_page, remembered
from search_core.embedded.backend import EmbeddedBackend
from search_core.settings import Settings


def page_of(backend: EmbeddedBackend, slug: str, size: int = 10) -> CityPage:
    return asyncio.run(city_page(backend, slug, size=size))


def a_city(backend: EmbeddedBackend) -> str:
    return next(iter(backend.core.place_counts("city")))


def _first(path: Path, **match: str) -> dict[str, Any]:
    with gzip.open(path, "rt") as fh:
        for line in fh:
            record: dict[str, Any] = json.loads(line)
            if all(record.get(k) == v for k, v in match.items()):
                return record
    raise AssertionError(f"no record with {match} in {path}")


def _ids(backend: EmbeddedBackend, slug: str, size: int = 50) -> tuple[int, list[str]]:
    _, page = page_of(backend, slug, size=size)
    return page.total, [h.therapist.id for h in page.items]


def test_a_remembered_city_page_is_the_page(small_index: Settings) -> None:
    backend = EmbeddedBackend(small_index)
    slug = a_city(backend)
    first = page_of(backend, slug)
    assert len(remembered(backend))
    again = page_of(backend, slug)
    fresh = page_of(EmbeddedBackend(small_index), slug)
    assert first[0] == again[0] == fresh[0]
    pages = [p[1].model_dump(exclude={"took_ms"}) for p in (first, again, fresh)]
    assert pages[0] == pages[1] == pages[2]
    assert again[1].items is not first[1].items


def test_an_upsert_changes_the_city_page(tmp_path: Path, small_dir: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", index_workers=0)
    for kind in ("therapists", "locations"):
        assert main(["index", "--from", str(small_dir), "--kind", kind, "--quiet"], settings) == 0
    backend = EmbeddedBackend(settings)
    slug = a_city(backend)
    city = _first(small_dir / "locations.jsonl.gz", slug=slug)
    total, ids = _ids(backend, slug)
    assert _ids(backend, slug) == (total, ids)  # remembered
    with gzip.open(small_dir / "therapists.jsonl.gz", "rt") as fh:
        outsider = next(r for r in map(json.loads, fh) if r["id"] not in ids and r["offices"])
    office = dict(
        outsider["offices"][0], city=city["name"], state=city["state"], location=city["location"]
    )
    moved = dict(outsider, offices=[office])
    (tmp_path / "one.json").write_text(json.dumps(moved))
    assert main(["upsert", "--kind", "therapists", str(tmp_path / "one.json")], settings) == 0
    after_total, after_ids = _ids(backend, slug)
    assert after_total == total + 1 and outsider["id"] in after_ids
