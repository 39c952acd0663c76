"""The writing contract, specified once for every engine: a load serves one new complete
version, a build stays invisible until it is checked and swapped in, versions are listed,
pruned and rolled back, and single-record upserts and deletes are visible at once to an
already open backend.

Everything goes through the :class:`~search_core.backend.IndexWriter` and
:class:`~search_core.backend.SearchBackend` protocols (``writer`` and ``backend`` fixtures,
parametrized by engine) and the load pipeline, on slices of the committed small fixture set.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from indexer.validation import validate_one
from search_core import browsing
from search_core.backend import IndexWriter, SearchBackend, VersionView
from search_core.documents import Therapist
from search_core.engines import make_writer
from search_core.errors import BackendUnavailable, IndexingError, NotFound
from search_core.queries import TherapistQuery
from search_core.settings import Settings
from search_core.slugs import city_slug
from tests.conftest import Run
from tests.contract.conftest import Load

Lines = dict[str, list[bytes]]
EVERYONE = TherapistQuery(facets=False, highlight=False)


def current(writer: IndexWriter, kind: str = "therapists") -> VersionView:
    (serving,) = [v for v in writer.versions(kind) if v.current]
    return serving


def total(run: Run[Any], backend: SearchBackend, q: TherapistQuery = EVERYONE) -> int:
    found: int = run(backend.search_therapists(q)).total
    return found


def ids_of(lines: list[bytes]) -> list[str]:
    return [str(json.loads(line)["id"]) for line in lines]


# ---------------------------------------------------------------------------- full loads


def test_a_load_serves_one_complete_version_per_kind(
    writer: IndexWriter,
    backend: SearchBackend,
    run: Run[Any],
    load: Load,
    source_lines: Lines,
) -> None:
    sizes = {"therapists": 120, "locations": 300, "articles": 25}
    for kind, n in sizes.items():
        report = load(kind, source_lines[kind][:n])
        assert (report.indexed, report.rejected) == (n, 0)
        (only,) = writer.versions(kind)
        assert only.current and only.doc_count == n
        assert only.version == report.version and only.version.startswith("v")
        stamp = run(backend.version(kind))  # engine-shaped, but it names the version
        assert stamp is not None and only.version in stamp
    assert total(run, backend) == sizes["therapists"]


def test_stored_records_equal_their_source_records(
    backend: SearchBackend, run: Run[Any], load: Load, source_lines: Lines
) -> None:
    lines = source_lines["therapists"][:200]
    load("therapists", lines)
    for line in lines[::20]:
        record = Therapist.model_validate_json(line)
        assert run(backend.get_therapist(record.id)) == record


def test_a_rerun_on_the_same_input_serves_a_new_version_with_the_same_records(
    writer: IndexWriter,
    backend: SearchBackend,
    run: Run[Any],
    load: Load,
    source_lines: Lines,
) -> None:
    lines = source_lines["therapists"][:60]
    first = load("therapists", lines).version
    before = [run(backend.get_therapist(i)) for i in ids_of(lines)]
    second = load("therapists", lines).version
    assert first is not None and second is not None and second > first
    assert [v.version for v in writer.versions("therapists")] == [first, second]
    assert current(writer).version == second
    assert [run(backend.get_therapist(i)) for i in ids_of(lines)] == before


def test_a_build_is_invisible_until_it_finishes(
    writer: IndexWriter,
    backend: SearchBackend,
    run: Run[Any],
    load: Load,
    source_lines: Lines,
) -> None:
    lines = source_lines["therapists"][:70]
    serving = load("therapists", lines[:20]).version
    build = writer.build("therapists")
    for line in lines:
        build.add(validate_one("therapists", line))
    assert total(run, backend) == 20  # the half-built version is not served
    assert [v.version for v in writer.versions("therapists")] == [serving]
    finished = build.finish(70)
    assert finished.current and finished.doc_count == 70
    assert total(run, backend) == 70
    assert current(writer).version == finished.version != serving


def test_a_wrong_expected_count_refuses_the_swap(
    writer: IndexWriter,
    backend: SearchBackend,
    run: Run[Any],
    load: Load,
    source_lines: Lines,
) -> None:
    lines = source_lines["therapists"][:20]
    serving = load("therapists", lines).version
    build = writer.build("therapists")
    for line in lines[:10]:
        build.add(validate_one("therapists", line))
    with pytest.raises(IndexingError, match="expected 11"):
        build.finish(11)
    assert [v.version for v in writer.versions("therapists")] == [serving]
    assert build.version != serving
    assert total(run, backend) == 20


# ---------------------------------------------------------------------------- versions


def test_rollback_serves_the_previous_version_then_a_named_one(
    writer: IndexWriter,
    backend: SearchBackend,
    run: Run[Any],
    load: Load,
    source_lines: Lines,
) -> None:
    lines = source_lines["therapists"]
    older = load("therapists", lines[:60]).version
    newer = load("therapists", lines[:30]).version
    assert total(run, backend) == 30

    back = writer.rollback("therapists")
    assert (back.version, back.doc_count, back.current) == (older, 60, True)
    assert current(writer).version == older
    assert total(run, backend) == 60
    with pytest.raises(NotFound, match="no earlier version"):
        writer.rollback("therapists")

    assert writer.rollback("therapists", newer).version == newer
    assert total(run, backend) == 30
    with pytest.raises(NotFound, match="no complete version 'v20000101t000000-000001'"):
        writer.rollback("therapists", "v20000101t000000-000001")
    assert current(writer).version == newer


def test_keep_versions_prunes_the_oldest(
    engine_settings: Settings, load: Load, source_lines: Lines
) -> None:
    keeping_two = make_writer(engine_settings.model_copy(update={"keep_versions": 2}))
    try:
        made = [
            load("therapists", source_lines["therapists"][:20], keeping_two).version
            for _ in range(4)
        ]
        versions = keeping_two.versions("therapists")
        assert [v.version for v in versions] == made[-2:]
        assert [v.current for v in versions] == [False, True]
    finally:
        keeping_two.close()


# ---------------------------------------------------------------------------- single records


def test_upsert_replaces_or_adds_and_is_visible_at_once(
    writer: IndexWriter,
    backend: SearchBackend,
    run: Run[Any],
    load: Load,
    source_lines: Lines,
) -> None:
    lines = source_lines["therapists"][:50]
    load("therapists", lines)
    assert total(run, backend) == 50  # the backend is open before the edits

    edited = {**json.loads(lines[3]), "name": "Zebulon Quartz"}
    edited["accepting_new_clients"] = not edited["accepting_new_clients"]
    writer.upsert("therapists", validate_one("therapists", json.dumps(edited).encode()))
    stored = run(backend.get_therapist(edited["id"]))
    assert stored == Therapist.model_validate(edited)
    assert total(run, backend) == 50  # replaced, not added
    found = run(backend.search_therapists(TherapistQuery(text="zebulon quartz", facets=False)))
    assert [h.therapist.id for h in found.items] == [edited["id"]]

    new = {**edited, "id": "t7777777", "slug": "brand-new-lcsw-7777777"}
    writer.upsert("therapists", validate_one("therapists", json.dumps(new).encode()))
    assert total(run, backend) == 51
    assert run(backend.get_therapist("t7777777")).slug == "brand-new-lcsw-7777777"


def test_delete_is_visible_at_once_and_says_whether_the_record_was_there(
    writer: IndexWriter,
    backend: SearchBackend,
    run: Run[Any],
    load: Load,
    source_lines: Lines,
) -> None:
    lines = source_lines["therapists"][:50]
    load("therapists", lines)
    gone = ids_of(lines)[7]
    assert run(backend.get_therapist(gone)).id == gone

    assert writer.delete("therapists", gone) is True
    with pytest.raises(NotFound):
        run(backend.get_therapist(gone))
    assert total(run, backend) == 49
    assert writer.delete("therapists", gone) is False
    assert writer.delete("therapists", "t0000000") is False


def test_edits_before_the_first_load_are_refused(writer: IndexWriter, source_lines: Lines) -> None:
    doc = validate_one("therapists", source_lines["therapists"][0])
    with pytest.raises(BackendUnavailable, match="no therapists index has been built yet"):
        writer.upsert("therapists", doc)
    with pytest.raises(BackendUnavailable, match="no therapists index has been built yet"):
        writer.delete("therapists", str(doc["id"]))
    assert list(writer.versions("therapists")) == []


def test_browse_pages_follow_an_upsert(
    writer: IndexWriter,
    backend: SearchBackend,
    run: Run[Any],
    load: Load,
    source_lines: Lines,
) -> None:
    """The use cases above the engine (state and city lists, city pages) see an edit at once:
    the embedded engine's version moves with it, and nothing is remembered above a cluster."""
    lines = source_lines["therapists"][:50]
    first = next(t for t in map(json.loads, lines) if t["offices"])
    office = first["offices"][0]
    slug = city_slug(office["city"], office["state"])
    places = [
        line
        for line in source_lines["locations"]
        if (r := json.loads(line))["kind"] == "state" or r["slug"] == slug
    ]
    load("therapists", lines)
    load("locations", places)

    def seen() -> tuple[int, int, int]:
        states = {p.state: p.therapists for p in run(browsing.states(backend))}
        cities = {p.slug: p.therapists for p in run(browsing.cities(backend, office["state"]))}
        _, page = run(browsing.city_page(backend, slug, size=1))
        return states[office["state"]], cities[slug], page.total

    before = seen()
    assert seen() == before  # asked again (remembered on the embedded engine)
    new = {**first, "id": "t7777777", "slug": "brand-new-lcsw-7777777"}
    writer.upsert("therapists", validate_one("therapists", json.dumps(new).encode()))
    assert seen() == (before[0] + 1, before[1] + 1, before[2] + 1)
