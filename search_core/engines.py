"""The factory: the engine the settings name, behind the protocols of
:mod:`search_core.backend`. The only module that knows every engine; each engine is imported
when chosen, so a cluster engine loads without ``tantivy`` and the embedded one without the
cluster clients. Nothing under an engine imports this module (tests/test_imports.py)."""

from __future__ import annotations

from search_core.backend import IndexWriter, SearchBackend
from search_core.settings import Settings


def make_backend(settings: Settings) -> SearchBackend:
    """The reading side of the engine ``settings.engine`` names."""
    if settings.engine == "embedded":
        from search_core.embedded.backend import EmbeddedBackend

        return EmbeddedBackend(settings)
    if settings.engine == "opensearch":
        from search_core.opensearch.backend import OpenSearchBackend

        return OpenSearchBackend(settings)
    from search_core.elastic.backend import ElasticBackend

    return ElasticBackend(settings)


def make_writer(settings: Settings) -> IndexWriter:
    """The writing side of the engine ``settings.engine`` names."""
    if settings.engine == "embedded":
        from search_core.embedded.writer import EmbeddedWriter

        return EmbeddedWriter(settings)
    if settings.engine == "opensearch":
        from search_core.opensearch.writer import OpenSearchWriter

        return OpenSearchWriter(settings)
    from search_core.elastic.writer import ElasticWriter

    return ElasticWriter(settings)
