"""Embedded engine: articles (mixed into EmbeddedBackend)."""

from __future__ import annotations


class ArticlesMethods:
    pass
