"""Is a process still running? For the files a killed load leaves, named by its pid."""

from __future__ import annotations

import os


def running(pid: int) -> bool:
    """Whether a process ``pid`` exists (someone else's counts: it may still use its file)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
