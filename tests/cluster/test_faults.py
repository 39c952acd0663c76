"""Faults only a cluster has, caused for real on a second throwaway local OpenSearch node (the
session's node is never disturbed): a node that freezes (SIGSTOP of its process group) is a 504
once the request timeout passes, a node that dies while a request waits on it is a 503 with a
message, and the same running service answers again when the node resumes or comes back."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_core.elastic.text import query_analyzers
from search_core.elastic.therapist_query import search_body
from search_core.elastic.writer import ElasticWriter
from search_core.engines import make_writer
from search_core.mappings import load_mapping
from search_core.queries import GeoFilter, TherapistQuery
from search_core.tuning import Tuning
from tests.api.conftest import assert_error
from tests.cluster.conftest import Partial, Spare

pytestmark = pytest.mark.opensearch


def node_sockets(port: int) -> list[tuple[str, int]]:
    """(state, receive queue) of each TCP socket on the node's side of ``port`` (from
    ``/proc/net/tcp*``): bytes not yet read for a connection, connections not yet accepted
    for the listening socket."""
    out = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if int(cols[1].rsplit(":", 1)[1], 16) == port:
                out.append((cols[3], int(cols[4].split(":")[1], 16)))
    return out


def request_waits_on(port: int) -> bool:
    """A request waits at the frozen node listening on ``port``: its bytes sit unread in a
    connection the node accepted (ESTABLISHED, ``01``, with a receive queue), or it came on a
    new connection the node has not accepted yet (the LISTEN socket's, ``0A``, queue)."""
    return any(state in ("01", "0A") and waiting > 0 for state, waiting in node_sockets(port))


def test_a_frozen_node_is_a_504_and_the_service_answers_when_it_resumes(
    spare_node: Spare,
) -> None:
    settings = spare_node.settings.model_copy(
        update={"opensearch_request_timeout": 2.0, "opensearch_max_retries": 0}
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.get("/therapists/search", params={"q": "anxiety"}).status_code == 200
        spare_node.node.pause()
        try:
            frozen = client.get("/therapists/search", params={"q": "depression"})
        finally:
            spare_node.node.resume()
        body = assert_error(frozen, 504, "opensearch", "in time")
        assert body["error"] == "engine_timeout"
        assert client.get("/therapists/search", params={"q": "grief"}).status_code == 200


def test_a_cluster_refusing_expensive_queries_is_a_503_naming_the_setting(
    spare_node: Spare,
) -> None:
    """Near-me (nested + script) and name typos (fuzzy) are "expensive queries": a cluster that
    refuses them is misconfigured for this engine, which says so (not a 400 blaming the
    request)."""
    setting = "search.allow_expensive_queries"

    def put(value: bool | None) -> None:
        body = json.dumps({"transient": {setting: value}}).encode()
        req = urllib.request.Request(
            f"{spare_node.node.url}/_cluster/settings",
            data=body,
            method="PUT",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as r:
            assert r.status == 200

    with TestClient(create_app(spare_node.settings), raise_server_exceptions=False) as client:
        put(False)
        try:
            near = client.get("/therapists/near", params={"lat": 40.7, "lon": -74.0})
            typo = client.get("/therapists/search", params={"q": "patrica perkins"})
        finally:
            put(None)
        for refused in (near, typo):
            body = assert_error(refused, 503, setting, "true")
            assert body["error"] == "engine_failed"
        again = client.get("/therapists/near", params={"lat": 40.7, "lon": -74.1})
        assert again.status_code == 200, again.text


def test_a_node_that_dies_mid_request_is_a_503_and_the_service_recovers(
    spare_node: Spare,
) -> None:
    settings = spare_node.settings.model_copy(update={"opensearch_request_timeout": 60.0})
    node = spare_node.node
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.get("/therapists/search", params={"q": "couples"}).status_code == 200
        answers: list[Any] = []
        node.pause()
        asking = threading.Thread(
            target=lambda: answers.append(client.get("/therapists/search", params={"q": "trauma"}))
        )
        try:
            asking.start()
            deadline = time.monotonic() + 10
            while not request_waits_on(node.port) and time.monotonic() < deadline:
                time.sleep(0.05)
            # Seen waiting at the node, or at least still unanswered after that long: the
            # frozen node cannot have answered it (and a request not sent yet would meet the
            # dead node, a 503 all the same).
            assert asking.is_alive() and not answers, answers
            node.kill()  # the node dies with the request unanswered
            asking.join(timeout=120)
        finally:
            if node.process is not None and node.process.poll() is None:
                node.resume()
        (died,) = answers
        body = assert_error(died, 503, "opensearch")
        assert body["error"] == "engine_unavailable"
        assert_error(client.get("/therapists/search", params={"q": "stress"}), 503)
        node.restart()
        back = client.get("/therapists/search", params={"q": "panic"})
        assert back.status_code == 200, back.text
        assert back.json()["engine"] == "opensearch"


def test_the_partial_index_fixture_answers_200_with_a_failed_shard(
    partial_index: Partial,
) -> None:
    """The fixture the partial-answer tests stand on: the cluster itself answers HTTP 200 with
    ``_shards.failed`` for a search with a location (read here with the raw client)."""
    writer = make_writer(partial_index.settings)
    assert isinstance(writer, ElasticWriter)
    body = search_body(
        TherapistQuery(near=GeoFilter(lat=45.5152, lon=-122.6784, radius_km=20.0)),
        Tuning(),
        query_analyzers(load_mapping(partial_index.settings.mappings_dir, "therapists")),
        dt.date.today(),
    )
    try:
        alias = writer.admin.alias("therapists")
        resp = writer.loop.run(writer.client.search(index=alias, body=body))
    finally:
        writer.close()
    shards = resp["_shards"]
    assert shards["total"] == 2 and shards["failed"] == 1, shards
    assert partial_index.broken_index in str(shards["failures"])
    assert resp["hits"]["hits"]  # the healthy shard's hits: a partial answer
