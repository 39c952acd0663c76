"""Writers of one kind take turns (search_core.embedded.kindlock), with real subprocesses: an
edit made while a full load runs waits for it and lands in the new version (it used to go to
the old one and be lost at the switch); a second load gives up with a message naming the
first; a rollback never goes to a version whose load died before it served."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_core.faults import PAUSE_AT, PAUSE_SECONDS, RESUME_FILE
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


def edit_while_paused(
    data: Path, source: DataSet, phase: str, resume: Path, *edit: str
) -> tuple[subprocess.Popen[str], subprocess.Popen[str], str]:
    """A load paused at ``phase`` until ``resume`` exists, and the command ``edit`` started
    meanwhile: once the edit says it waits for the load (it is still running then), the load
    is resumed. Returns both processes, finished, and the edit's stderr. Nothing here depends
    on how long anything takes: the load stays paused until the edit is seen waiting."""
    load, _ = paused_load(data, source, phase, seconds=600, **{RESUME_FILE: str(resume)})
    try:
        proc = subprocess.Popen(
            [*faults.COMMAND, *edit],
            env=faults.env(data),
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        said = Lines(proc.stderr)
        said.wait_for(r"waits for a full load", timeout=120)
        assert proc.poll() is None, "the edit is still waiting"
    finally:
        resume.touch()
    stderr = said.rest()
    assert proc.wait(timeout=120) == 0, stderr
    assert load.wait(timeout=120) == 0
    return load, proc, stderr


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

    edit = ("upsert", "--kind", faults.KIND, str(doc))
    edit_while_paused(data, new, "write", tmp_path / "resume", *edit)
    shown = get(data, str(edited["id"]))  # a new process: what a restart serves
    assert shown is not None and shown["bio"] == edited["bio"]
    assert get(data, new.ids[1]) is not None, "the load's own records are there too"


def test_a_delete_during_a_load_is_not_undone_by_the_switch(
    data: Path, sets: tuple[DataSet, DataSet], tmp_path: Path
) -> None:
    _, new = sets
    delete = ("delete", "--kind", faults.KIND, new.ids[0])
    edit_while_paused(data, new, "read", tmp_path / "resume", *delete)
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
