"""One source record against its document model: accepted as an index document, or rejected
with a one-line reason that says which field is wrong and how."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from indexer.fastpath import therapist_index_doc
from search_core.documents import MODELS
from search_core.errors import IndexingError
from search_core.index_docs import TO_INDEX_DOC


def describe(error: ValidationError) -> str:
    """A validation error as one line: ``offices.0.zip: String should match pattern ...``."""
    parts = []
    for e in error.errors(include_url=False):
        loc = ".".join(str(p) for p in e["loc"])
        parts.append(f"{loc}: {e['msg']}" if loc else _in_record(str(e["msg"])))
    return "; ".join(parts)


def _in_record(message: str) -> str:
    """A JSON syntax error's position in a one-line record is a column: the line is the
    file's, said by whoever reports it (``at line 1 column 10`` would read as the file's)."""
    return message.replace(" at line 1 column ", " at column ")


def validate(kind: str, text: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """One record → (index document, None) or (None, the reason it was rejected).

    A therapist goes the fast path first (:mod:`indexer.fastpath`); the model decides what
    that cannot, so the outcome and the reasons are the model's either way."""
    if kind == "therapists":
        doc = therapist_index_doc(text)
        if doc is not None:
            return doc, None
    return validate_model(kind, text)


def validate_model(kind: str, text: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """:func:`validate` by the document model alone (the reference of the fast path)."""
    try:
        record = MODELS[kind].model_validate_json(text)
    except ValidationError as exc:
        return None, describe(exc)
    return TO_INDEX_DOC[kind](record), None  # type: ignore[operator]


def validate_one(kind: str, text: bytes) -> dict[str, Any]:
    """Validate and transform one record (single-record upserts); raises IndexingError."""
    doc, reason = validate(kind, text)
    if doc is None:
        raise IndexingError(f"invalid {kind[:-1]} record: {reason}")
    return doc
