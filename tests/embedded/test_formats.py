"""Index versions built by an older release are refused with a message to reindex, by the
reader (searches, HTTP 503) and by the writer (edits), instead of being read the old way."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_core.embedded.backend import EmbeddedBackend
from search_core.embedded.formats import REINDEX, IndexFormatTooOld
from search_core.embedded.sourcefile import DATA_FILE, INDEX_FILE
from search_core.embedded.store import VERSION_META, VersionStore
from search_core.embedded.writer import EmbeddedWriter
from search_core.errors import BackendUnavailable
from search_core.queries import GeoFilter, TherapistQuery
from search_core.settings import Settings


@pytest.fixture
def copied(small_index: Settings, tmp_path: Path) -> Settings:
    """A private copy of the small index (the session's one stays as it is)."""
    shutil.copytree(small_index.data_dir, tmp_path / "data")
    return Settings(data_dir=tmp_path / "data", index_workers=0)


def _serving(settings: Settings, kind: str = "therapists") -> Path:
    store = VersionStore(settings.index_dir, kind)
    version = store.current_version()
    assert version is not None
    return store.path(version)


def _drop_from_meta(settings: Settings, *keys: str) -> None:
    meta_file = _serving(settings) / VERSION_META
    meta = json.loads(meta_file.read_text())
    for key in keys:
        del meta[key]
    meta_file.write_text(json.dumps(meta))


def _search(settings: Settings) -> None:
    backend = EmbeddedBackend(settings)
    backend.core.search_therapists(
        TherapistQuery(text="anxiety", near=GeoFilter(lat=45.52, lon=-122.68, radius_km=40))
    )


def test_a_version_of_this_release_is_served(copied: Settings) -> None:
    _search(copied)  # the copy itself is of this release's format: no refusal


def test_a_version_without_facet_masks_is_refused_saying_to_reindex(copied: Settings) -> None:
    _drop_from_meta(copied, "facet_masks")
    with pytest.raises(IndexFormatTooOld, match="older release") as refused:
        _search(copied)
    assert REINDEX in str(refused.value) and "therapists" in str(refused.value)
    assert isinstance(refused.value, BackendUnavailable)  # the API's 503


def test_a_version_with_another_mask_layout_is_refused(copied: Settings) -> None:
    meta_file = _serving(copied) / VERSION_META
    meta = json.loads(meta_file.read_text())
    meta["facet_masks"]["issues"] = list(reversed(meta["facet_masks"]["issues"]))
    meta_file.write_text(json.dumps(meta))
    with pytest.raises(IndexFormatTooOld, match="another value layout"):
        _search(copied)


def test_a_version_keeping_documents_in_tantivy_is_refused(copied: Settings) -> None:
    for name in (DATA_FILE, INDEX_FILE):
        (_serving(copied) / name).unlink()
    with pytest.raises(IndexFormatTooOld, match=r"without sources\.dat"):
        _search(copied)


def test_an_edit_of_an_old_version_is_refused_and_changes_nothing(copied: Settings) -> None:
    _drop_from_meta(copied, "next_seq")
    before = (_serving(copied) / VERSION_META).read_bytes()
    assert next(iter(EmbeddedBackend(copied).reader.sources("articles")))  # still of this format
    with pytest.raises(IndexFormatTooOld, match=REINDEX.split()[0]):
        EmbeddedWriter(copied).delete("therapists", "t0000001")
    assert (_serving(copied) / VERSION_META).read_bytes() == before


def test_the_api_answers_503_with_the_reindex_message(copied: Settings) -> None:
    _drop_from_meta(copied, "facet_masks")
    with TestClient(create_app(copied)) as client:
        r = client.get("/therapists/near", params={"zip": "97214"})
        assert r.status_code == 503
        body = r.json()
        assert body["error"] == "engine_unavailable"
        assert "older release" in body["message"] and REINDEX in body["message"]
        assert client.get("/articles/search", params={"q": "anxiety"}).status_code == 200
