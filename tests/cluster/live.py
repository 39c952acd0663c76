"""Helpers of the live cluster tests: settings for the session's OpenSearch node under an index
prefix of the test's own, raw HTTP to the node (to cause faults the way an operator or a broken
cluster would), the CLI as a subprocess, and clean-up of every index under a prefix."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from search_core.settings import PROJECT_ROOT, Settings

T = TypeVar("T")
_SCRIPT = Path(sys.executable).with_name("therapist-search")
COMMAND = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "cli"]
SMALL = PROJECT_ROOT / "fixtures" / "small"


def new_prefix() -> str:
    return f"t-{uuid.uuid4().hex[:10]}"


def cluster_settings(url: str, data_dir: Path, prefix: str | None = None) -> Settings:
    return Settings(
        engine="opensearch",
        opensearch_url=url,
        opensearch_request_timeout=60.0,
        data_dir=data_dir,
        index_workers=0,
        elasticsearch_index_prefix=prefix or new_prefix(),
        elasticsearch_replicas=0,
    )


def cluster_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of a CLI subprocess working on ``settings``' cluster and prefix."""
    out = {k: v for k, v in os.environ.items() if not k.startswith(("SEARCH_", "OPENSEARCH_"))}
    out.update(
        SEARCH_ENGINE="opensearch",
        OPENSEARCH_URL=str(settings.opensearch_url),
        SEARCH_ELASTICSEARCH_INDEX_PREFIX=settings.elasticsearch_index_prefix,
        SEARCH_ELASTICSEARCH_REPLICAS="0",
        SEARCH_DATA_DIR=str(settings.data_dir),
        SEARCH_INDEX_WORKERS="0",
        **extra,
    )
    return out


def run_cli(settings: Settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args],
        env=cluster_env(settings, **env),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def http(url: str, method: str = "GET", body: Any = None) -> tuple[int, Any]:
    """One raw request to the node: (status, decoded body)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("content-type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def indices(url: str, prefix: str) -> list[str]:
    status, found = http(f"{url}/_cat/indices/{prefix}-*?format=json&h=index")
    assert status == 200, found
    return sorted(row["index"] for row in found)


def drop(url: str, prefix: str) -> None:
    """Delete every index under ``prefix`` (by name: wildcard deletes may be refused)."""
    for index in indices(url, prefix):
        http(f"{url}/{index}", "DELETE")


def therapist_lines() -> list[dict[str, Any]]:
    with gzip.open(SMALL / "therapists.jsonl.gz", "rb") as fh:
        return [json.loads(line) for line in fh.read().split(b"\n") if line.strip()]


def write_therapists(folder: Path, records: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(folder / "therapists.jsonl.gz", "wb") as fh:
        fh.write(b"".join(json.dumps(r).encode() + b"\n" for r in records))
    return folder


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)
