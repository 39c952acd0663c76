"""Cluster writers of one kind take turns (search_core.elastic.kindlock), with real
subprocesses on the live node: an edit made while a full load runs waits for it and lands in
the new index (it used to go to the old one and be lost at the alias switch, the command saying
it succeeded); a second load gives up naming the first, leaving the first's index alone; a lock
whose holder died is taken over once its lease has run out."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from search_core.elastic.kindlock import LEASE_S, locks_index
from search_core.engines import make_backend
from search_core.faults import PAUSE_AT, PAUSE_SECONDS
from search_core.settings import PROJECT_ROOT, Settings
from tests.cluster.live import (
    COMMAND,
    cluster_env,
    cluster_settings,
    drop,
    http,
    indices,
    run,
    run_cli,
)
from tests.reliability.faults import DataSet, Lines, small_lines, two_sets

OLD, NEW = 120, 180


pytestmark = pytest.mark.opensearch


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> tuple[DataSet, DataSet]:
    return two_sets(tmp_path_factory.mktemp("cluster-turn-sets"), OLD, NEW)


@pytest.fixture
def loaded(
    opensearch_url: str, tmp_path: Path, sets: tuple[DataSet, DataSet]
) -> Iterator[Settings]:
    """The old set loaded under a prefix of this test's own."""
    settings = cluster_settings(opensearch_url, tmp_path)
    try:
        done = run_cli(settings, "index", "--from", str(sets[0].folder), "--quiet")
        assert done.returncode == 0, done.stderr
        yield settings
    finally:
        drop(opensearch_url, settings.elasticsearch_index_prefix)


def paused_load(
    settings: Settings, source: DataSet, phase: str, seconds: float, **extra: str
) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [*COMMAND, "index", "--from", str(source.folder), "--quiet"],
        env=cluster_env(settings, **{PAUSE_AT: phase, PAUSE_SECONDS: str(seconds)}, **extra),
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        Lines(proc.stderr).wait_for(rf"^fault-pause: {phase} pid={proc.pid}$", timeout=120)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return proc


def bio_of(settings: Settings, therapist_id: str) -> str:
    async def get() -> str:
        backend = make_backend(settings)
        try:
            return (await backend.get_therapist(therapist_id)).bio
        finally:
            await backend.close()

    return run(get())


def test_an_edit_during_a_load_waits_and_lands_in_the_new_index(
    loaded: Settings, sets: tuple[DataSet, DataSet], tmp_path: Path
) -> None:
    _, new = sets
    edited = json.loads(small_lines()[OLD])  # one of the new set's therapists
    edited["bio"] = "An edit made while the load ran: quixotically kept."
    doc = tmp_path / "edit.json"
    doc.write_text(json.dumps(edited))

    load = paused_load(loaded, new, "write", seconds=10)
    edit = run_cli(loaded, "upsert", "--kind", "therapists", str(doc))
    assert load.wait(timeout=120) == 0
    assert edit.returncode == 0, edit.stderr
    assert bio_of(loaded, str(edited["id"])) == edited["bio"], "the edit was not lost"
    assert "waits for a full load" in edit.stderr, edit.stderr
    assert bio_of(loaded, new.ids[1]), "the load's own records are there too"


def test_a_second_load_gives_up_naming_the_first_and_a_dead_holder_is_taken_over(
    loaded: Settings, sets: tuple[DataSet, DataSet]
) -> None:

    old, new = sets
    url = str(loaded.opensearch_url)
    prefix = loaded.elasticsearch_index_prefix
    before = set(indices(url, prefix))
    first = paused_load(loaded, new, "read", seconds=120)
    try:
        running = set(indices(url, prefix))
        (first_index,) = running - before - {locks_index(prefix)}
        second = run_cli(
            loaded, "index", "--from", str(old.folder), "--quiet", SEARCH_WRITE_WAIT_S="1"
        )
        assert second.returncode == 1
        assert f"a full load (pid {first.pid} on" in second.stderr, second.stderr
        assert "changed nothing" in second.stderr
        assert set(indices(url, prefix)) == running, "the first load's index was left alone"
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()

    # The killed load never released its lock: until its lease runs out, a load gives up.
    held = run_cli(loaded, "index", "--from", str(old.folder), "--quiet", SEARCH_WRITE_WAIT_S="0")
    assert held.returncode == 1 and "changed nothing" in held.stderr
    # Age the lease as time would (rather than waiting LEASE_S seconds).
    lock_url = f"{url}/{locks_index(prefix)}/_doc/therapists"
    status, doc = http(lock_url)
    assert status == 200 and doc["_source"]["pid"] == first.pid
    stale = {**doc["_source"], "heartbeat": doc["_source"]["heartbeat"] - LEASE_S - 1}
    assert http(f"{lock_url}?refresh=true", "PUT", stale)[0] == 200
    rerun = run_cli(loaded, "index", "--from", str(old.folder), "--quiet")
    assert rerun.returncode == 0, rerun.stderr
    assert "taking over the write lock" in rerun.stderr
    assert http(lock_url)[0] == 404, "released at the end"
    assert first_index not in indices(url, prefix), "the next load pruned the killed one's index"
