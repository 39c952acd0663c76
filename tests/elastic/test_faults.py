"""Engine faults become the product's errors, with a message, and the right HTTP status.

Caused for real where possible: *unreachable* is a port on 127.0.0.1 bound but not listening,
*timeout* is a local socket server that accepts and never answers. Error answers of a live
cluster (400, 401, 404, 429, 5xx) cannot be caused here, so :func:`translate` gets the client's
own exception objects for those.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from typing import Any

import elasticsearch
import pytest
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
from fastapi.testclient import TestClient
from pydantic import SecretStr

from search_api.app import create_app
from search_core.elastic.backend import ElasticBackend
from search_core.elastic.client import client_options
from search_core.elastic.errors import translate
from search_core.elastic.writer import ElasticWriter
from search_core.engines import make_backend, make_writer
from search_core.errors import (
    BackendTimeout,
    BackendUnavailable,
    EngineFailed,
    InvalidQuery,
    NotFound,
)
from search_core.queries import TherapistQuery
from search_core.settings import Settings

# ---------------------------------------------------------------------------- servers


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port on 127.0.0.1 where nothing listens: bound by a socket that never listens, and
    held for the test, so that no other program can start listening there meanwhile (a port
    merely found free could be taken by a server of another program on a busy machine)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        yield port


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server on 127.0.0.1 that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        for conn in held:
            conn.close()
        server.close()


def es_settings(tmp_path: Any, port: int, timeout: float = 5.0) -> Settings:
    return Settings(
        engine="elasticsearch",
        data_dir=tmp_path / "data",
        elasticsearch_url=f"http://127.0.0.1:{port}",
        elasticsearch_request_timeout=timeout,
        elasticsearch_max_retries=0,
    )


# ---------------------------------------------------------------------------- real faults


def test_factories_pick_the_elasticsearch_engine(tmp_path: Any, closed_port: int) -> None:
    s = es_settings(tmp_path, closed_port)
    assert isinstance(make_backend(s), ElasticBackend)
    writer = make_writer(s)
    try:
        assert isinstance(writer, ElasticWriter)
    finally:
        writer.close()


def test_unreachable_cluster_is_backend_unavailable(tmp_path: Any, closed_port: int) -> None:
    backend = ElasticBackend(es_settings(tmp_path, closed_port))

    async def go() -> None:
        try:
            with pytest.raises(BackendUnavailable, match="unreachable"):
                await backend.search_therapists(TherapistQuery(text="grief"))
            health = await backend.health()
            assert health["status"] == "unavailable" and health["indexes"]["therapists"] is None
            assert "unreachable" in health["problems"][0]
        finally:
            await backend.close()

    asyncio.run(go())


def test_silent_cluster_is_backend_timeout(tmp_path: Any, silent_server: int) -> None:
    backend = ElasticBackend(es_settings(tmp_path, silent_server, timeout=0.3))

    async def go() -> None:
        try:
            with pytest.raises(BackendTimeout, match="did not answer in time"):
                await backend.get_therapist("t0000001")
        finally:
            await backend.close()

    asyncio.run(go())


def test_writer_faults(tmp_path: Any, silent_server: int, closed_port: int) -> None:
    down = ElasticWriter(es_settings(tmp_path, closed_port))
    try:
        with pytest.raises(BackendUnavailable, match="unreachable"):
            down.versions("therapists")
        with pytest.raises(BackendUnavailable, match="unreachable"):
            down.build("therapists")
        with pytest.raises(BackendUnavailable, match=r"upserted before it: 0 of 2 \(none\)"):
            down.upsert_many("therapists", [{"id": "t1"}, {"id": "t2"}])
    finally:
        down.close()
    slow = ElasticWriter(es_settings(tmp_path, silent_server, timeout=0.3))
    try:
        with pytest.raises(BackendTimeout):
            slow.upsert("therapists", {"id": "t1"})
    finally:
        slow.close()


def test_http_api_answers_503_and_504(tmp_path: Any, silent_server: int, closed_port: int) -> None:
    with TestClient(create_app(es_settings(tmp_path, closed_port))) as client:
        r = client.get("/therapists/search", params={"q": "grief"})
        assert r.status_code == 503, r.text
        assert r.json()["error"] == "engine_unavailable"
        assert "unreachable" in r.json()["message"]
        assert client.get("/health").status_code == 503
    with TestClient(create_app(es_settings(tmp_path, silent_server, timeout=0.3))) as client:
        r = client.get("/therapists/search", params={"q": "grief"})
        assert r.status_code == 504, r.text
        assert r.json()["error"] == "engine_timeout"


def test_missing_url_says_what_to_set(tmp_path: Any) -> None:
    s = Settings(engine="elasticsearch", data_dir=tmp_path, elasticsearch_url=None)
    with pytest.raises(BackendUnavailable, match="ELASTICSEARCH_URL"):
        client_options(s)


def test_credentials_and_tls_options(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    base = es_settings(tmp_path, 9200)
    with_key = base.model_copy(
        update={
            "elasticsearch_api_key": SecretStr("a2V5"),
            "elasticsearch_ca_certs": tmp_path / "ca.crt",
        }
    )
    opts = client_options(with_key)
    assert opts["api_key"] == "a2V5" and opts["ca_certs"] == str(tmp_path / "ca.crt")
    assert "basic_auth" not in opts
    for name, value in {
        "ELASTICSEARCH_URL": "https://es:9200",
        "ELASTICSEARCH_USERNAME": "elastic",
        "ELASTICSEARCH_PASSWORD": "changeme",
        "SEARCH_ELASTICSEARCH_MAX_RETRIES": "5",
    }.items():
        monkeypatch.setenv(name, value)
    user = client_options(Settings())
    assert user["basic_auth"] == ("elastic", "changeme") and user["max_retries"] == 5
    assert user["retry_on_timeout"] is True
    assert "changeme" not in repr(Settings())


# ---------------------------------------------------------------------------- error answers


def api_error(status: int, kind: str, reason: str) -> elasticsearch.ApiError:
    meta = ApiResponseMeta(status, "1.1", HttpHeaders(), 0.01, NodeConfig("http", "es", 9200))
    body = {
        "error": {"root_cause": [{"type": kind, "reason": reason}], "type": kind, "reason": reason},
        "status": status,
    }
    return elasticsearch.ApiError(kind, meta, body)


WINDOW = "Result window is too large, from + size must be less than or equal to: [10000]"
EXPENSIVE = (
    "[joining] queries cannot be executed when 'search.allow_expensive_queries' is set to false."
)


@pytest.mark.parametrize(
    ("status", "kind", "reason", "expected", "needle"),
    [
        # A 400 for a body this service built is the cluster's doing, not the caller's ...
        (400, "parsing_exception", "bad", EngineFailed, "parsing_exception: bad"),
        (400, "exception", EXPENSIVE, EngineFailed, "search.allow_expensive_queries is false"),
        (400, "too_many_clauses", "maxClauseCount is set to 1024", EngineFailed, "max_clause"),
        (400, "script_exception", "runtime error", EngineFailed, "a script failed"),
        # ... except what the caller can cause and change: a page beyond the window.
        (400, "illegal_argument_exception", WINDOW, InvalidQuery, "Result window"),
        (401, "security_exception", "bad", BackendUnavailable, "ELASTICSEARCH_API_KEY"),
        (404, "index_not_found_exception", "bad", BackendUnavailable, "therapist-search index"),
        (429, "es_rejected_execution_exception", "bad", BackendUnavailable, "overloaded"),
        (504, "timeout", "bad", BackendTimeout, "timed out"),
        (500, "illegal_state_exception", "bad", BackendUnavailable, "HTTP 500"),
    ],
)
def test_error_answers_are_translated(
    status: int, kind: str, reason: str, expected: type[Exception], needle: str
) -> None:
    err = translate(api_error(status, kind, reason), "search therapists")
    assert isinstance(err, expected)
    assert not isinstance(err, InvalidQuery) or expected is InvalidQuery
    assert needle in str(err) and "search therapists" in str(err)


def test_product_errors_pass_through() -> None:
    same = NotFound("x")
    assert translate(same, "anything") is same
