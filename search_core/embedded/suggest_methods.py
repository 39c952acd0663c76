"""Embedded engine: suggest (mixed into EmbeddedBackend)."""

from __future__ import annotations


class SuggestMethods:
    pass
