"""Writers of one kind take turns (search_core.embedded.kindlock), with real subprocesses: an
edit made while a full load runs waits for it and lands in the new version (it used to go to
the old one and be lost at the switch); a second load gives up with a message naming the
first; a rollback never goes to a version whose load died before it served."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_core.faults import PAUSE_AT, PAUSE_SECONDS
from search_core.settings import PROJECT_ROOT, Settings
from tests.reliability import faults
from tests.reliability.faults import DataSet, Lines

OLD, NEW = 120, 180


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> tuple[DataSet, DataSet]:
    return faults.two_sets(tmp_path_factory.mktemp("turn-sets"), OLD, NEW)


@pytest.fixture
def data(tmp_path: Path, sets: tuple[DataSet, DataSet]) -> Path:
    folder = tmp_path / "data"
    done = faults.load(folder, sets[0])
    assert done.returncode == 0, done.stderr
    return folder


def paused_load(
    data: Path, source: DataSet, phase: str, seconds: float, **extra: str
) -> tuple[subprocess.Popen[str], Lines]:
    """A load that sleeps ``seconds`` at ``phase`` and then goes on to finish."""
    proc = subprocess.Popen(
        [*faults.COMMAND, "index", "--from", str(source.folder), "--quiet"],
        env=faults.env(data, **{PAUSE_AT: phase, PAUSE_SECONDS: str(seconds)}, **extra),
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = Lines(proc.stderr)
    lines.wait_for(rf"^fault-pause: {phase} pid={proc.pid}$")
    return proc, lines


def get(data: Path, therapist_id: str) -> dict[str, object] | None:
    """The therapist as a freshly started app serves it (None: 404)."""
    with TestClient(create_app(Settings(data_dir=data, index_workers=0))) as client:
        r = client.get(f"/therapists/{therapist_id}")
        if r.status_code == 404:
            return None
        assert r.status_code == 200, r.text
        body: dict[str, object] = r.json()
        return body


def test_an_edit_during_a_load_waits_and_lands_in_the_new_version(
    data: Path, sets: tuple[DataSet, DataSet], tmp_path: Path
) -> None:
    _, new = sets
    edited = orjson.loads(faults.small_lines()[OLD])  # one of the new set's therapists
    edited["bio"] = "An edit made while the load ran: quixotically kept."
    doc = tmp_path / "edit.json"
    doc.write_bytes(orjson.dumps(edited))

    load, _ = paused_load(data, new, "write", seconds=3)
    started = time.monotonic()
    edit = faults.run_cli(data, "upsert", "--kind", faults.KIND, str(doc))
    waited = time.monotonic() - started
    assert load.wait(timeout=60) == 0
    assert edit.returncode == 0, edit.stderr
    assert "waits for a full load" in edit.stderr, edit.stderr
    assert waited > 1.0, "the edit waited for the load"
    shown = get(data, str(edited["id"]))  # a new process: what a restart serves
    assert shown is not None and shown["bio"] == edited["bio"]
    assert get(data, new.ids[1]) is not None, "the load's own records are there too"


def test_a_delete_during_a_load_is_not_undone_by_the_switch(
    data: Path, sets: tuple[DataSet, DataSet]
) -> None:
    _, new = sets
    load, _ = paused_load(data, new, "read", seconds=2)
    gone = faults.run_cli(data, "delete", "--kind", faults.KIND, new.ids[0])
    assert load.wait(timeout=60) == 0
    assert gone.returncode == 0, gone.stderr
    assert get(data, new.ids[0]) is None
    assert get(data, new.ids[1]) is not None


def test_a_second_load_gives_up_naming_the_first(data: Path, sets: tuple[DataSet, DataSet]) -> None:
    old, new = sets
    before = faults.current(data)
    first, _ = paused_load(data, new, "read", seconds=60)
    try:
        second = subprocess.run(
            [*faults.COMMAND, "index", "--from", str(old.folder), "--quiet"],
            env=faults.env(data, SEARCH_WRITE_WAIT_S="1"),
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1
        assert f"a full load (pid {first.pid}" in second.stderr, second.stderr
        assert "changed nothing" in second.stderr
        assert faults.current(data) == before
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    rerun = faults.load(data, old)  # the lock died with its holder
    assert rerun.returncode == 0, rerun.stderr


def test_rollback_skips_a_version_that_never_served(
    data: Path, sets: tuple[DataSet, DataSet]
) -> None:
    old, new = sets
    first = faults.current(data)
    killed, _ = paused_load(data, new, "seal", seconds=60)
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait()
    never = [v for v, done in faults.version_dirs(data).items() if done and v != first]
    assert len(never) == 1, "sealed, never served"
    assert faults.load(data, new).returncode == 0
    assert never[0] not in faults.version_dirs(data), "the next load removed it"
    back = faults.run_cli(data, "rollback", "--kind", faults.KIND)
    assert back.returncode == 0, back.stderr
    assert faults.current(data) == first
    assert get(data, old.ids[0]) is not None and get(data, new.ids[0]) is None
