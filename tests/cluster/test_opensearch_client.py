"""The OpenSearch engine's client settings and its error map (client exceptions → the product's
errors, each saying what to do), on opensearch-py's own exception types."""

from __future__ import annotations

from pathlib import Path

import opensearchpy
import pytest
from pydantic import SecretStr

from search_core.errors import (
    BackendTimeout,
    BackendUnavailable,
    EngineFailed,
    InvalidQuery,
    MappingError,
)
from search_core.opensearch.client import client_options
from search_core.opensearch.errors import translate
from search_core.settings import Settings

pytestmark = pytest.mark.opensearch


def test_no_url_says_which_setting_is_missing() -> None:
    with pytest.raises(BackendUnavailable, match="OPENSEARCH_URL"):
        client_options(Settings(engine="opensearch"))


def test_a_secured_cluster_gets_credentials_tls_and_the_ca() -> None:
    options = client_options(
        Settings(
            engine="opensearch",
            opensearch_url="https://search.example.org:443",
            opensearch_username="reader",
            opensearch_password=SecretStr("s3cret"),
            opensearch_ca_certs=Path("/etc/ssl/ca.pem"),
            opensearch_request_timeout=7,
            opensearch_max_retries=1,
        )
    )
    assert options["http_auth"] == ("reader", "s3cret")
    assert options["use_ssl"] and options["verify_certs"]
    assert options["ca_certs"] == "/etc/ssl/ca.pem"
    assert (options["timeout"], options["max_retries"], options["retry_on_timeout"]) == (7, 1, True)
    plain = client_options(Settings(engine="opensearch", opensearch_url="http://127.0.0.1:9200"))
    assert "http_auth" not in plain and "use_ssl" not in plain


def _api(status: int, kind: str, reason: str) -> opensearchpy.TransportError:
    cls = opensearchpy.exceptions.HTTP_EXCEPTIONS.get(status, opensearchpy.TransportError)
    body = {"error": {"root_cause": [{"type": kind, "reason": reason}], "type": kind}}
    return cls(status, kind, body)


@pytest.mark.parametrize(
    ("exc", "product_error", "needle"),
    [
        (opensearchpy.ConnectionTimeout("TIMEOUT", "read timed out", None), BackendTimeout, "time"),
        (opensearchpy.ConnectionError("N/A", "refused", None), BackendUnavailable, "unreachable"),
        (opensearchpy.SSLError("N/A", "bad cert", None), BackendUnavailable, "OPENSEARCH_CA"),
        (_api(401, "security_exception", "no user"), BackendUnavailable, "OPENSEARCH_USERNAME"),
        (_api(404, "index_not_found_exception", "no such index"), BackendUnavailable, "index"),
        # A 400 for a body the service built is the cluster's doing (503), not the caller's ...
        (_api(400, "parsing_exception", "unknown query [foo]"), EngineFailed, "unknown query"),
        (
            _api(
                400,
                "exception",
                "[fuzzy] queries cannot be executed when "
                "'search.allow_expensive_queries' is set to false.",
            ),
            EngineFailed,
            "search.allow_expensive_queries is false",
        ),
        # ... except what the caller can change: a page beyond the result window.
        (
            _api(400, "illegal_argument_exception", "Result window is too large, from + size"),
            InvalidQuery,
            "result window",
        ),
        (_api(429, "es_rejected_execution_exception", "queue full"), BackendUnavailable, "429"),
        (_api(504, "timeout", "gateway"), BackendTimeout, "timed out"),
        (
            _api(400, "mapper_parsing_exception", "No handler for type [rank_feature]"),
            MappingError,
            "no field type rank_feature",
        ),
    ],
)
def test_client_errors_become_product_errors(
    exc: Exception, product_error: type[Exception], needle: str
) -> None:
    got = translate(exc, "search therapists")
    assert type(got) is product_error
    assert needle.lower() in str(got).lower() and "search therapists" in str(got)
