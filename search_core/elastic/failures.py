"""Per-document failures of a bulk load, and how a build reports them.

Elasticsearch accepts a ``_bulk`` request and may still refuse some of its documents (a value
that does not fit the mapping, a document too large, a shard that kept answering 429 after
every retry). Those documents are not in the new index: the load must report them as rejects
with their reason, like records that failed validation, and count only what was indexed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from search_core.backend import ItemFailure, ReportsItemFailures

__all__ = ["ItemFailure", "ReportsItemFailures", "describe_item_error", "item_failure"]


def describe_item_error(info: Mapping[str, Any]) -> str:
    """``mapper_parsing_exception: failed to parse field [fee_min] (caused by ...)``."""
    error = info.get("error")
    if isinstance(error, dict):
        text = f"{error.get('type', 'error')}: {error.get('reason', '')}".strip()
        cause = error.get("caused_by")
        if isinstance(cause, dict) and cause.get("reason"):
            text += f" (caused by {cause.get('type', 'error')}: {cause['reason']})"
        return text
    if error:
        return str(error)
    return f"HTTP {info.get('status', '?')}"


def item_failure(item: Mapping[str, Any], seq_of: Mapping[str, int]) -> ItemFailure:
    """One failed item of a ``_bulk`` answer (``{"index": {"_id", "status", "error"}}``)."""
    info: Mapping[str, Any] = next(iter(item.values()))
    doc_id = str(info.get("_id", ""))
    return ItemFailure(
        seq_of.get(doc_id), doc_id, int(info.get("status", 0)), describe_item_error(info)
    )


def bulk_failures(resp: Mapping[str, Any], seq_of: Mapping[str, int]) -> list[ItemFailure]:
    """Every failed item of a ``_bulk`` answer, in request order."""
    out = []
    for item in resp.get("items", []):
        info = next(iter(item.values()))
        if not 200 <= int(info.get("status", 500)) < 300:
            out.append(item_failure(item, seq_of))
    return out
