"""A test-only fault hook: stop a full load or an edit at a chosen phase so a test can kill it
there.

With ``SEARCH_FAULT_PAUSE_AT=<phase>`` in its environment, a load prints
``fault-pause: <phase> pid=<pid>`` on stderr when it reaches that phase and sleeps (for
``SEARCH_FAULT_PAUSE_SECONDS``, default 120) so that the fault tests
(tests/reliability/test_faults.py, test_edit_kills.py) can ``kill -9`` it at a known point. With
``SEARCH_FAULT_RESUME_FILE`` too, it goes on as soon as that file exists: a test resumes it
when what it waits for has happened, whatever the time that took on a busy machine. Without the
variable (always, outside those tests) :func:`pause_at` only reads the environment. It is not
a setting: nothing else reads it, and it changes nothing but timing.

The phases of a full load, in order (``load`` is :func:`indexer.load.load_kind`, ``build`` the
embedded engine's :class:`~search_core.embedded.writer.EmbeddedBuild`):

``decompress``
    a ``.jsonl.gz`` source has been decompressed into a temporary file next to the indexes;
    the new version's directory exists, empty (load).
``read``
    the first pass (positions, ids, document order) is done (load).
``write``
    the second pass has handed its first batch of documents to the engine (load).
``commit``
    the engine has committed the new version's segments; the version is not sealed (build).
``seal``
    the new version is sealed (``version.json``); the pointer has not moved (build).
``switch``
    the pointer's temporary file is written, not yet renamed over ``CURRENT`` (store).
``prune``
    the pointer has moved to the new version; older versions are not yet pruned (build).

The phases of an edit (an upsert of one or more records, or a delete, on the embedded engine:
:meth:`~search_core.embedded.writer.EmbeddedWriter.upsert_many` and ``delete``), in order:

``edit-staged``
    the write lock is held and the whole edit is handed to the engine's writer; nothing of it
    is on disk yet.
``edit-sources``
    (upserts) the stored records are on disk (``sources.dat`` and ``sources.idx``, synced);
    the engine has not committed, so no search or look-up sees them.
``edit-commit``
    the engine has committed: the edit is visible; ``version.json`` (document count, next
    document number) is not updated yet.
``edit-meta``
    ``version.json``'s temporary file is written, not yet renamed over it.
``edit-done``
    everything is written; the command has not said so yet.
"""

from __future__ import annotations

import os
import sys
import time

PAUSE_AT = "SEARCH_FAULT_PAUSE_AT"
PAUSE_SECONDS = "SEARCH_FAULT_PAUSE_SECONDS"
RESUME_FILE = "SEARCH_FAULT_RESUME_FILE"
PHASES = ("decompress", "read", "write", "commit", "seal", "switch", "prune")
EDIT_PHASES = ("edit-staged", "edit-sources", "edit-commit", "edit-meta", "edit-done")

_paused: set[str] = set()


def pause_at(phase: str) -> None:
    """Print a marker and sleep when ``SEARCH_FAULT_PAUSE_AT`` names ``phase`` (once per
    process and phase); otherwise return at once."""
    if os.environ.get(PAUSE_AT) != phase or phase in _paused:
        return
    _paused.add(phase)
    print(f"fault-pause: {phase} pid={os.getpid()}", file=sys.stderr, flush=True)
    until = time.monotonic() + float(os.environ.get(PAUSE_SECONDS, "120"))
    resume = os.environ.get(RESUME_FILE)
    while (left := until - time.monotonic()) > 0:
        if resume and os.path.exists(resume):
            return
        time.sleep(min(0.05, left) if resume else left)
