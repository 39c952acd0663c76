"""Stored documents live in ``sources.dat`` next to the Tantivy index; versions that kept them
inside Tantivy (built before) are refused, saying to reindex."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import orjson
import pytest
import tantivy

from cli.main import EXIT_OK, main
from search_core.documents import MODELS
from search_core.embedded.formats import REINDEX, IndexFormatTooOld
from search_core.embedded.opening import embedded_schema
from search_core.embedded.reader import IndexReader
from search_core.embedded.schema import SOURCE_FIELD
from search_core.embedded.sourcefile import (
    DATA_FILE,
    INDEX_FILE,
    SourceFile,
    SourceWriter,
    has_source_file,
)
from search_core.embedded.store import VersionStore
from search_core.index_docs import TO_INDEX_DOC
from search_core.settings import Settings


def test_entries_written_in_bulk_then_one_by_one(tmp_path: Path) -> None:
    bulk = SourceWriter(tmp_path)
    records = {ord_: f'{{"n":{ord_}}}'.encode() for ord_ in range(3, 3000, 2)}
    for ord_, data in records.items():
        bulk.add(ord_, data)
    bulk.close()
    later = SourceWriter(tmp_path)  # an upsert: appended, entry written in place
    later.add(5, b'{"n":"five again"}')
    later.add(4000, b'{"n":4000}')
    later.close()
    records |= {5: b'{"n":"five again"}', 4000: b'{"n":4000}'}
    stored = SourceFile(tmp_path)
    for ord_ in range(0, 4100):
        assert stored.get(ord_) == records.get(ord_), ord_
    assert (tmp_path / INDEX_FILE).stat().st_size == 4001 * 12


def test_a_build_keeps_documents_out_of_tantivy(
    settings: Settings, small_dir: Path, tmp_path: Path
) -> None:
    lines = gzip.decompress((small_dir / "therapists.jsonl.gz").read_bytes()).splitlines()[:40]
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "therapists.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    assert main(["index", "--from", str(tmp_path / "src"), "--quiet"], settings) == EXIT_OK
    reader = IndexReader(settings)
    opened = reader.get("therapists")
    assert opened.stored is not None
    assert has_source_file(VersionStore(settings.index_dir, "therapists").path(opened.version))
    searcher = opened.searcher()
    _, address = searcher.search(tantivy.Query.all_query(), limit=1).hits[0]
    assert searcher.doc(address).get_first(SOURCE_FIELD) is None
    expected = {
        json.loads(line)["id"]: TO_INDEX_DOC["therapists"](
            MODELS["therapists"].model_validate_json(line)
        )
        for line in lines
    }
    assert {str(d["id"]): d for d in reader.sources("therapists")} == expected


@pytest.fixture
def legacy_version(settings: Settings, small_dir: Path) -> tuple[Settings, list[bytes]]:
    """A version as built before ``sources.dat``: the document inside Tantivy's store."""
    lines = gzip.decompress((small_dir / "therapists.jsonl.gz").read_bytes()).splitlines()[:30]
    store = VersionStore(settings.index_dir, "therapists")
    version, path = store.new_version()
    schema = embedded_schema(settings.mappings_dir, "therapists")
    index = tantivy.Index(schema.schema, path=str(path), reuse=False)
    schema.register(index)
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    for seq, line in enumerate(lines, start=1):
        doc = TO_INDEX_DOC["therapists"](MODELS["therapists"].model_validate_json(line))
        writer.add_json(orjson.dumps(schema.to_tantivy(doc, orjson.dumps(doc), seq)).decode())
    writer.commit()
    writer.wait_merging_threads()
    layout = {k: list(v) for k, v in schema.mask_layout.items()}
    meta = {"kind": "therapists", "doc_count": 30, "next_seq": 31, "facet_masks": layout}
    store.seal(version, meta)
    store.point_to(version)
    return settings, lines


def test_a_legacy_version_is_refused_for_reading_and_editing(
    legacy_version: tuple[Settings, list[bytes]], tmp_path: Path
) -> None:
    settings, lines = legacy_version
    reader = IndexReader(settings)
    first = json.loads(lines[0])
    with pytest.raises(IndexFormatTooOld, match=r"without sources\.dat") as refused:
        reader.get_source("therapists", first["id"])
    assert REINDEX in str(refused.value)

    record = tmp_path / "edit.json"
    record.write_bytes(orjson.dumps(dict(first, name="Renamed Person")))
    assert main(["upsert", "--kind", "therapists", str(record)], settings) != EXIT_OK
    path = VersionStore(settings.index_dir, "therapists").path(reader_version(settings))
    assert not (path / DATA_FILE).exists(), "the refused edit wrote nothing"


def reader_version(settings: Settings) -> str:
    version = VersionStore(settings.index_dir, "therapists").current_version()
    assert version is not None
    return version
