"""``kill -9`` of the real upsert and delete commands at every step of an edit (one kill per
step; the loop with many is ``python -m tests.reliability.edit_kills``, see that module): after
each kill and a restart every id reads as itself, every reported edit is there, and the killed
edit is whole or absent: absent when killed before the engine's commit, whole from it on."""

from __future__ import annotations

from pathlib import Path

from search_core.faults import EDIT_PHASES
from tests.reliability import edit_kills

BATCH = 40


def test_an_edit_killed_at_any_step_is_whole_or_absent_and_nothing_is_misfiled(
    tmp_path: Path,
) -> None:
    result = edit_kills.run(tmp_path, kills=1, batch=BATCH)
    print("\n" + edit_kills.table(result))
    assert [(s.edit, s.phase) for s in result] == [
        *(("upsert", p) for p in EDIT_PHASES),
        *(("delete", p) for p in EDIT_PHASES if p != "edit-sources"),
    ]
    for step in result:
        assert step.tried == 1
        assert (step.torn, step.misfiled, step.lost) == (0, 0, 0), (step, step.problems)
        landed = EDIT_PHASES.index(step.phase) >= EDIT_PHASES.index(edit_kills.VISIBLE_FROM)
        assert (step.whole, step.absent) == ((1, 0) if landed else (0, 1)), step
