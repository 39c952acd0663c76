"""The index format this release reads, and the refusal of versions built by older releases.

A version of this release's format has its documents in ``sources.dat`` (see
:mod:`.sourcefile`), and its ``version.json`` records the document numbering (``next_seq``)
and the facet mask layout the searches read (``facet_masks``, equal to the code's). Older
versions kept the documents in Tantivy's store, or had no masks; rather than keep a second,
slower code path alive for them, the reader and the writer refuse them and say how to rebuild
(a full load writes a new version in this format and moves the pointer to it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from search_core.embedded.schema import EmbeddedSchema
from search_core.embedded.sourcefile import has_source_file
from search_core.errors import BackendUnavailable

REINDEX = "therapist-search index --from DIR"
"""The command that rebuilds every index in this release's format."""


class IndexFormatTooOld(BackendUnavailable):
    """The serving version was built by an older release (HTTP 503, like any engine that
    cannot serve): it must be rebuilt."""


def outdated_because(schema: EmbeddedSchema, path: Path, meta: dict[str, Any]) -> str | None:
    """Why the version at ``path`` (its ``version.json`` is ``meta``) is older than this
    release's format; ``None`` when it is of this format."""
    if not has_source_file(path):
        return "its documents are kept inside Tantivy, without sources.dat"
    if "next_seq" not in meta or "facet_masks" not in meta:
        return "its version.json records no document numbering or facet mask layout"
    layout = {k: list(v) for k, v in schema.mask_layout.items()}
    if meta["facet_masks"] != layout:
        return "its facet masks have another value layout than this release's"
    return None


def check_format(schema: EmbeddedSchema, version: str, path: Path, meta: dict[str, Any]) -> None:
    """Refuse a version older than this release's format, saying to reindex."""
    why = outdated_because(schema, path, meta)
    if why is not None:
        raise IndexFormatTooOld(
            f"the {schema.kind} index {version} was built by an older release ({why}); "
            f"this release does not read it: reindex with `{REINDEX}`"
        )
