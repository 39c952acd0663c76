"""Version directories and the atomic pointer."""

from __future__ import annotations

from pathlib import Path

import pytest

from search_core.embedded.store import POINTER, VersionStore
from search_core.errors import IndexingError, NotFound


def sealed(store: VersionStore, docs: int) -> str:
    version, _ = store.new_version()
    store.seal(version, {"doc_count": docs})
    return version


def test_versions_sort_by_creation_and_pointer_moves(tmp_path: Path) -> None:
    store = VersionStore(tmp_path, "therapists")
    assert store.current_version() is None and store.versions() == []
    a = sealed(store, 10)
    b = sealed(store, 20)
    assert a < b
    store.point_to(b)
    assert store.current_version() == b
    assert [v.current for v in store.versions()] == [False, True]
    assert not list(store.dir.glob(".*.tmp"))  # the temporary pointer file was renamed away


def test_unfinished_version_is_invisible_and_cannot_be_served(tmp_path: Path) -> None:
    store = VersionStore(tmp_path, "therapists")
    done = sealed(store, 5)
    store.point_to(done)
    half, _ = store.new_version()  # a load that died before sealing
    assert [v.version for v in store.versions()] == [done]
    with pytest.raises(IndexingError, match="not complete"):
        store.point_to(half)
    assert store.current_version() == done


def test_prune_keeps_the_newest_and_never_the_serving(tmp_path: Path) -> None:
    store = VersionStore(tmp_path, "articles")
    versions = [sealed(store, i) for i in range(5)]
    store.point_to(versions[1])  # serving an old one after a rollback
    removed = store.prune(keep=2)
    left = [v.version for v in store.versions()]
    assert versions[1] in left and len(left) == 2
    assert set(removed) | set(left) == set(versions)


def test_rollback_to_previous_and_to_named(tmp_path: Path) -> None:
    store = VersionStore(tmp_path, "locations")
    a, b, c = (sealed(store, n) for n in (1, 2, 3))
    for served in (a, b, c):  # each load's version served in turn
        store.point_to(served)
    assert store.rollback().version == b
    assert store.rollback().version == a
    with pytest.raises(NotFound, match="no earlier version"):
        store.rollback()
    assert store.rollback(to=c).version == c
    with pytest.raises(NotFound, match="no complete version 'v1'"):
        store.rollback(to="v1")


def test_serving_version_cannot_be_discarded(tmp_path: Path) -> None:
    store = VersionStore(tmp_path, "locations")
    a = sealed(store, 1)
    store.point_to(a)
    with pytest.raises(IndexingError, match="refusing"):
        store.discard(a)
    assert (store.dir / POINTER).is_file()


def test_rollback_skips_a_version_that_never_served_and_prune_removes_it(tmp_path: Path) -> None:
    store = VersionStore(tmp_path, "locations")
    a = sealed(store, 1)
    store.point_to(a)
    never = sealed(store, 2)  # its load died after sealing, before the pointer moved
    c = sealed(store, 3)
    store.point_to(c)
    assert store.rollback().version == a
    store.point_to(c)
    assert never in store.prune(keep=5)
    assert [v.version for v in store.versions()] == [a, c]
