"""``kill -9`` of the real ``therapist-search upsert`` and ``delete`` commands at every step of
an edit, again and again, and what a user sees afterwards.

Each round starts the command in a subprocess with ``SEARCH_FAULT_PAUSE_AT=<step>`` (the
test-only hook of :mod:`search_core.faults`; the steps are ``EDIT_PHASES``), waits until it
says it is stopped there, and sends ``SIGKILL``. Then a fresh app (a restart) looks at the
killed edit: it must be whole (every record of the batch as sent, or the record deleted) or
absent (every record as before), never part of it. Then another edit is made and reported (the
command returns 0): an upsert of a few records, some of them just touched by the killed one.
That is the edit that used to reuse the killed one's document numbers. Then a fresh app checks
everything:

* paging through every therapist (``/therapists/search`` and its cursor) gives each id once,
  and each one's record is the one expected (bio included);
* ``GET /therapists/<id>`` of every id touched in the round gives that id's expected record,
  or a 404 for a deleted one;
* a search for the word each edit put in its bios finds exactly the records that hold it;
* no temporary file is left.

A record that reads as another one, or a search hit under the wrong id, is *misfiled*; a
reported edit that is not there is *lost*; a killed edit applied in part is *torn*.

Rerun (``--kills`` per step and kind of edit, ``--batch`` records per killed upsert)::

    .venv/bin/python -m tests.reliability.edit_kills --kills 10 --batch 1000

The test (tests/reliability/test_edit_kills.py) runs one kill per step. Figures:
docs/reliability.md.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from fastapi.testclient import TestClient

from cli.main import main
from search_api.app import create_app
from search_core.faults import EDIT_PHASES, PAUSE_AT
from search_core.settings import PROJECT_ROOT, Settings
from tests.reliability import faults

DELETE_PHASES = tuple(p for p in EDIT_PHASES if p != "edit-sources")
"""A delete has no stored record to write."""
VISIBLE_FROM = "edit-commit"
"""The first step at which a killed edit has landed (the engine's commit)."""
LOCATIONS = 200
"""Location records loaded (text search needs a locations index)."""
FOLLOW_UP = 5
"""Records of the reported upsert after each kill."""


@dataclass
class Step:
    """What the kills at one step of one kind of edit did."""

    edit: str
    phase: str
    tried: int = 0
    whole: int = 0
    absent: int = 0
    torn: int = 0
    misfiled: int = 0
    lost: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def bad(self) -> int:
        return self.torn + self.misfiled + self.lost


def marker(n: int) -> str:
    """A word no fixture text holds, one per edit (letters only: no tokenizer splits it)."""
    return "zq" + "".join("bcdfghjklm"[int(d)] for d in str(n)) + "x"


class Harness:
    """A data folder serving ``base`` therapists, the records it should hold, and the kills."""

    def __init__(self, root: Path, batch: int, seed: int = 24) -> None:
        self.root = root
        self.batch = batch
        self.rng = random.Random(seed)
        self.data = root / "data"
        self.settings = Settings(data_dir=self.data, index_workers=0)
        lines = faults.small_lines()
        base = max(batch, 20) + 100
        self.spare = [orjson.loads(line) for line in lines[base:]]
        source = root / "base"
        faults.write_set(source, lines[:base])
        with gzip.open(PROJECT_ROOT / "fixtures/small/locations.jsonl.gz", "rb") as fh:
            places = [next(fh) for _ in range(LOCATIONS)]
        (source / "locations.jsonl").write_bytes(b"".join(places))
        assert self._quiet(["index", "--from", str(source), "--quiet"]) == 0
        self.records: dict[str, dict[str, Any] | None] = {}
        self.bios: dict[str, str] = {}
        for line in lines[:base]:
            record = orjson.loads(line)
            self.records[record["id"]] = record
            self.bios[record["id"]] = record["bio"]
        self.edits = 0

    def _quiet(self, args: list[str]) -> int:
        with contextlib.redirect_stdout(io.StringIO()):
            return main(args, self.settings)

    def present(self) -> list[str]:
        return sorted(i for i, r in self.records.items() if r is not None)

    # --- edits ------------------------------------------------------------------------------

    def _batch(self, size: int, must: list[str]) -> tuple[str, list[dict[str, Any]]]:
        """``size`` records under a new marker word: updates of present therapists (``must``
        first) and a few new ones."""
        self.edits += 1
        word = marker(self.edits)
        new = max(1, size // 10) if self.spare else 0
        pick = [i for i in must if self.records.get(i)]
        others = [i for i in self.present() if i not in pick]
        pick += self.rng.sample(others, min(len(others), size - new - len(pick)))
        out = [dict(self.records[i] or {}, bio=f"{self.bios[i]} {word}") for i in pick]
        for _ in range(new):
            record = self.spare.pop()
            self.bios[record["id"]] = record["bio"]
            out.append(dict(record, bio=f"{record['bio']} {word}"))
        return word, out

    def _file(self, records: list[dict[str, Any]]) -> Path:
        path = self.root / f"edit-{self.edits}.jsonl"
        path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
        return path

    def _killed(self, args: list[str], phase: str) -> None:
        """The command, stopped at ``phase`` and killed there."""
        proc = subprocess.Popen(
            [*faults.COMMAND, *args],
            env=faults.env(self.data, **{PAUSE_AT: phase}),
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            faults.Lines(proc.stderr).wait_for(rf"^fault-pause: {phase} pid={proc.pid}$", 60)
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL, proc.returncode

    def kill_upsert(self, step: Step) -> list[str]:
        word, records = self._batch(self.batch, [])
        self._killed(["upsert", "--kind", "therapists", str(self._file(records))], step.phase)
        ids = [r["id"] for r in records]
        with self.client() as client:
            seen = [self._read(client, i, step) for i in ids]
        pairs = zip(seen, records, strict=True)
        landed = [r is not None and r.get("bio") == s["bio"] for r, s in pairs]
        if all(landed):
            step.whole += 1
            self.records.update({r["id"]: r for r in records})
        elif not any(landed):
            step.absent += 1
        else:
            step.torn += 1
            step.problems.append(f"{sum(landed)} of {len(ids)} records of {word} landed")
            self.records.update({r["id"]: r for r, hit in zip(records, landed, strict=True) if hit})
        return ids

    def kill_delete(self, step: Step) -> list[str]:
        doc_id = self.rng.choice(self.present())
        self._killed(["delete", "--kind", "therapists", doc_id], step.phase)
        with self.client() as client:
            gone = client.get(f"/therapists/{doc_id}").status_code == 404
        if gone:
            step.whole += 1
            self.records[doc_id] = None
        else:
            step.absent += 1
        return [doc_id]

    def follow_up(self, touched: list[str], step: Step) -> list[str]:
        """A reported upsert of records the killed edit touched (and one new)."""
        _, records = self._batch(FOLLOW_UP, touched[:2])
        done = self._quiet(["upsert", "--kind", "therapists", str(self._file(records))])
        if done != 0:
            step.lost += len(records)
            step.problems.append(f"the upsert after the kill exited {done}")
            return []
        self.records.update({r["id"]: r for r in records})
        return [r["id"] for r in records]

    # --- checks -----------------------------------------------------------------------------

    def client(self) -> TestClient:
        return TestClient(create_app(self.settings), raise_server_exceptions=False)

    def _read(self, client: TestClient, doc_id: str, step: Step) -> dict[str, Any] | None:
        got = client.get(f"/therapists/{doc_id}")
        if got.status_code == 404:
            return None
        record: dict[str, Any] = got.json()
        if got.status_code != 200 or record.get("id") != doc_id:
            step.misfiled += 1
            step.problems.append(f"GET {doc_id}: {got.status_code} {str(record.get('id'))!r}")
            return None
        return record

    def check(self, touched: list[str], step: Step) -> None:
        with self.client() as client:
            self._check_all(client, step)
            for doc_id in dict.fromkeys(touched):
                want = self.records.get(doc_id)
                got = self._read(client, doc_id, step)
                if (got is None) != (want is None) or (got and want and got["bio"] != want["bio"]):
                    step.lost += 1
                    step.problems.append(f"GET {doc_id}: not as last written")
            for word in {marker(self.edits - 1), marker(self.edits)}:
                self._check_word(client, word, step)
        left = [str(p) for p in self.data.rglob("*.tmp")]
        if left:
            step.problems.append(f"left behind: {left}")
            step.lost += 1

    def _check_all(self, client: TestClient, step: Step) -> None:
        seen: dict[str, str] = {}
        params: dict[str, Any] = {"size": 50, "understand": "false", "facets": "false"}
        while True:
            page = client.get("/therapists/search", params=params)
            assert page.status_code == 200, page.text
            body = page.json()
            for item in body["items"]:
                t = item["therapist"]
                if t["id"] in seen:
                    step.misfiled += 1
                    step.problems.append(f"{t['id']} listed twice")
                seen[t["id"]] = t["bio"]
            if not body.get("next_cursor") or not body["items"]:
                break
            params = {**params, "cursor": body["next_cursor"]}
        want = {i: r["bio"] for i, r in self.records.items() if r is not None}
        if seen != want:
            wrong = sorted(i for i in set(seen) | set(want) if seen.get(i) != want.get(i))
            step.misfiled += len(wrong)
            step.problems.append(f"listing differs for {wrong[:5]}")

    def _check_word(self, client: TestClient, word: str, step: Step) -> None:
        want = {i for i, r in self.records.items() if r is not None and word in r["bio"]}
        params = {"q": word, "understand": "false", "size": 50, "facets": "false"}
        page = client.get("/therapists/search", params=params).json()
        hits = {h["therapist"]["id"] for h in page["items"] if word in h["therapist"]["bio"]}
        if page["total"] != len(want) or not hits <= want or len(hits) != len(page["items"]):
            step.misfiled += 1
            step.problems.append(f"search {word}: {page['total']} hits, want {len(want)}")

    # --- the run ----------------------------------------------------------------------------

    def round(self, step: Step) -> None:
        step.tried += 1
        kill = self.kill_upsert if step.edit == "upsert" else self.kill_delete
        touched = kill(step)
        touched += self.follow_up(touched, step)
        self.check(touched, step)


def steps() -> list[Step]:
    return [Step("upsert", p) for p in EDIT_PHASES] + [Step("delete", p) for p in DELETE_PHASES]


def run(root: Path, kills: int, batch: int) -> list[Step]:
    harness = Harness(root, batch)
    out = steps()
    for _ in range(kills):
        for step in out:
            harness.round(step)
    return out


def table(result: list[Step]) -> str:
    rows = ["| edit | killed at | kills | whole | absent | torn | misfiled | lost |"]
    rows.append("|---|---|---|---|---|---|---|---|")
    for s in result:
        rows.append(
            f"| {s.edit} | `{s.phase}` | {s.tried} | {s.whole} | {s.absent} | {s.torn} | "
            f"{s.misfiled} | {s.lost} |"
        )
    return "\n".join(rows)


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=10, help="kills per step and edit")
    parser.add_argument("--batch", type=int, default=1000, help="records per killed upsert")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="edit-kills-") as tmp:
        result = run(Path(tmp), args.kills, args.batch)
    print(table(result))
    kills = sum(s.tried for s in result)
    bad = sum(s.bad for s in result)
    print(
        f"\n{kills} kills ({args.kills} per step), batches of {args.batch}, "
        f"{time.monotonic() - started:.0f} s; torn, misfiled or lost: {bad}"
    )
    for s in result:
        for p in s.problems[:3]:
            print(f"  {s.edit} {s.phase}: {p}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(cli())
