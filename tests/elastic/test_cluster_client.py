"""The cluster clients as installed: the options we pass exist in the client the dependency
floor allows, a cluster URL without a port is a clear message (through the CLI, as a user
meets it), and a 200 that is not whole is refused (bodies as the OpenSearch node sent them)."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from elasticsearch import AsyncElasticsearch

from search_core.elastic.client import CLIENT_FLOOR, client_options
from search_core.elastic.errors import require_complete
from search_core.errors import BackendTimeout, PartialResults
from search_core.settings import PROJECT_ROOT, Settings

_SCRIPT = Path(sys.executable).with_name("therapist-search")
COMMAND = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "cli"]


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text)[:2])


def test_the_dependency_floor_has_the_options_we_pass() -> None:
    # retry_backoff_base/_cap exist from elasticsearch-py 9.5: a floor below it lets pip keep
    # a 9.4 whose constructor raises TypeError on them, and then every request fails.
    deps = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    (spec,) = [d for d in deps if d.startswith("elasticsearch")]
    floor = re.search(r">=\s*([\d.]+)", spec)
    assert floor is not None, spec
    assert _release(floor.group(1)) >= CLIENT_FLOOR, f"{spec}: needs >= 9.5 for retry_backoff_*"
    assert _release(version("elasticsearch")) >= CLIENT_FLOOR


@pytest.mark.parametrize("retries", [True, False])
def test_the_installed_client_takes_every_option(tmp_path: Path, retries: bool) -> None:
    settings = Settings(
        engine="elasticsearch", data_dir=tmp_path, elasticsearch_url="http://127.0.0.1:9200"
    )

    options = client_options(settings, retries)
    assert options["retry_on_timeout"] is retries
    assert (options["max_retries"] > 0) is retries

    async def build() -> None:
        client = AsyncElasticsearch(**options)  # a floor below 9.5 raises TypeError here
        await client.close()

    asyncio.run(build())


@pytest.mark.parametrize(
    ("engine", "variable"),
    [("elasticsearch", "ELASTICSEARCH_URL"), ("opensearch", "OPENSEARCH_URL")],
)
@pytest.mark.parametrize("url", ["http://localhost", "localhost:9200"])
def test_a_cluster_url_without_a_port_or_scheme_is_a_clear_message(
    tmp_path: Path, engine: str, variable: str, url: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEARCH_", "OPENSEARCH_"))}
    env.pop("ELASTICSEARCH_URL", None)
    env.update(SEARCH_ENGINE=engine, SEARCH_DATA_DIR=str(tmp_path), **{variable: url})
    done = subprocess.run(
        [*COMMAND, "versions"],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert f"{variable}='{url}'" in done.stderr
    assert "http://localhost:9200" in done.stderr or ":9200" in done.stderr


# The answers below are the OpenSearch node's own: a search over an alias spanning an index
# whose mapping makes the decay fail on its shard, and a search cut short by its `timeout`.
PARTIAL = {
    "took": 35,
    "timed_out": False,
    "_shards": {
        "total": 3,
        "successful": 2,
        "skipped": 0,
        "failed": 1,
        "failures": [
            {
                "shard": 0,
                "index": "t2",
                "node": "weKjqcGxSrawH8d6ClQ7uQ",
                "reason": {
                    "type": "parsing_exception",
                    "reason": "field [d] is of type [keyword], but only numeric types are "
                    "supported.",
                },
            }
        ],
    },
    "hits": {"total": {"value": 1, "relation": "eq"}, "max_score": 1.0, "hits": []},
}
TIMED_OUT = {
    "took": 2,
    "timed_out": True,
    "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
    "hits": {"total": {"value": 3, "relation": "eq"}, "max_score": 1.0, "hits": []},
}
WHOLE = {**TIMED_OUT, "timed_out": False}


def test_failed_shards_are_refused_naming_the_failure() -> None:
    with pytest.raises(PartialResults, match=r"1 of 3 shards failed \(parsing_exception"):
        require_complete(PARTIAL, "search therapists")


def test_a_timed_out_answer_is_refused() -> None:
    with pytest.raises(BackendTimeout, match="timed out part-way"):
        require_complete(TIMED_OUT, "search therapists")


def test_a_whole_answer_passes() -> None:
    require_complete(WHOLE, "search therapists")
