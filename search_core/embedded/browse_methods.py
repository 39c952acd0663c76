"""Embedded engine: browse (mixed into EmbeddedBackend)."""

from __future__ import annotations


class BrowseMethods:
    pass
