"""One Settings object, read from the environment when asked for, never at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """Every setting, with its environment variable (prefix ``SEARCH_``)."""

    model_config = SettingsConfigDict(env_prefix="SEARCH_", extra="ignore", env_ignore_empty=True)
    """A variable set to nothing (``SEARCH_ENGINE=``) is as if unset: the default holds."""

    engine: Literal["embedded", "elasticsearch", "opensearch"] = Field(
        "embedded", description="Which engine serves and indexes: SEARCH_ENGINE."
    )
    data_dir: Path = Field(
        Path("data"), description="Root for indexes and reject reports: SEARCH_DATA_DIR."
    )
    mappings_dir: Path = Field(
        PROJECT_ROOT / "mappings", description="Index settings and mappings: SEARCH_MAPPINGS_DIR."
    )
    keep_versions: int = Field(
        3, ge=1, le=50, description="Index versions kept per kind, current included."
    )
    write_wait_s: float = Field(
        30.0,
        ge=0,
        le=3600,
        description="Seconds a full load or a rollback waits for another writer of its kind "
        "(a load, an edit) before it gives up, changing nothing.",
    )
    max_reject_ratio: float = Field(
        0.05,
        ge=0,
        le=1,
        description="A full load that rejects more than this share of records is not swapped in.",
    )
    writer_heap_mb: int = Field(
        600, ge=16, le=4096, description="Embedded engine indexing memory budget (MB)."
    )
    writer_threads: int = Field(
        0, ge=0, le=16, description="Embedded indexing threads; 0 lets Tantivy choose."
    )
    index_workers: int = Field(
        0,
        ge=0,
        le=64,
        description="Processes that validate and encode records in a full load; 0 picks one "
        "per core for large files and none for small ones.",
    )

    engine_threads: int = Field(
        1,
        ge=1,
        le=64,
        description="Embedded engine calls run at once per server process "
        "(SEARCH_ENGINE_THREADS); more wait their turn. Python holds the GIL for most of a "
        "search, so more threads contend for it: use `serve --workers N` (a process per core) "
        "to use more cores.",
    )

    tuning_file: Path = Field(
        PROJECT_ROOT / "tunings" / "default.json",
        description="Relevance tuning the API serves with: SEARCH_TUNING_FILE.",
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser, as JSON: "
        'SEARCH_CORS_ORIGINS=\'["https://example.org"]\'; ["*"] allows any.',
    )
    public_base_url: str | None = Field(
        None,
        pattern=r"^https?://[^/?#\s]+/?$",
        description="The site's public address (SEARCH_PUBLIC_BASE_URL), e.g. "
        "https://find.example.org: canonical links and JSON-LD URLs use it and its host is "
        "trusted. Unset: the address the server was reached on (its socket's host and port), "
        "never the request's Host header.",
    )
    trusted_hosts: list[str] = Field(
        default_factory=list,
        description="Host header values answered besides the public base URL's host and the "
        "address the server listens on (with localhost for a loopback address), as JSON: "
        'SEARCH_TRUSTED_HOSTS=\'["example.org", "*.example.org", "example.org:8443"]\'; '
        '["*"] answers any. Other hosts get a 400.',
    )
    cache_seconds: int = Field(
        300, ge=0, le=86400, description="Cache-Control max-age of browse and detail responses."
    )
    analyst_key: SecretStr | None = Field(
        None,
        description="Key analysts send in X-Analyst-Key to search with their own tuning: "
        "SEARCH_ANALYST_KEY.",
    )
    online_geocoder: bool = Field(
        False,
        description="Geocode street addresses online (geopy Nominatim); ZIPs and cities "
        "are always geocoded offline.",
    )

    elasticsearch_url: str | None = Field(
        None, validation_alias=AliasChoices("ELASTICSEARCH_URL", "SEARCH_ELASTICSEARCH_URL")
    )
    elasticsearch_api_key: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("ELASTICSEARCH_API_KEY", "SEARCH_ELASTICSEARCH_API_KEY"),
        description="Elasticsearch API key (base64 id:key, as Kibana shows it); wins over "
        "username/password.",
    )
    elasticsearch_username: str | None = Field(
        None,
        validation_alias=AliasChoices("ELASTICSEARCH_USERNAME", "SEARCH_ELASTICSEARCH_USERNAME"),
        description="Elasticsearch basic-auth user (with ELASTICSEARCH_PASSWORD).",
    )
    elasticsearch_password: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("ELASTICSEARCH_PASSWORD", "SEARCH_ELASTICSEARCH_PASSWORD"),
        description="Elasticsearch basic-auth password.",
    )
    elasticsearch_ca_certs: Path | None = Field(
        None,
        validation_alias=AliasChoices("ELASTICSEARCH_CA_CERTS", "SEARCH_ELASTICSEARCH_CA_CERTS"),
        description="CA certificate (PEM) that signed the cluster's HTTPS certificate.",
    )
    elasticsearch_request_timeout: float = Field(
        10.0, gt=0, le=600, description="Seconds to wait for an Elasticsearch answer."
    )
    elasticsearch_max_retries: int = Field(
        3,
        ge=0,
        le=10,
        description="Retries of a failed request (connection errors, timeouts, 429/502/503/504), "
        "and of bulk items rejected with 429, with exponential back-off.",
    )
    opensearch_url: str | None = Field(
        None,
        validation_alias=AliasChoices("OPENSEARCH_URL", "SEARCH_OPENSEARCH_URL"),
        description="OpenSearch cluster of SEARCH_ENGINE=opensearch (e.g. http://localhost:9200).",
    )
    opensearch_username: str | None = Field(
        None,
        validation_alias=AliasChoices("OPENSEARCH_USERNAME", "SEARCH_OPENSEARCH_USERNAME"),
        description="OpenSearch basic-auth user (with OPENSEARCH_PASSWORD).",
    )
    opensearch_password: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("OPENSEARCH_PASSWORD", "SEARCH_OPENSEARCH_PASSWORD"),
        description="OpenSearch basic-auth password.",
    )
    opensearch_ca_certs: Path | None = Field(
        None,
        validation_alias=AliasChoices("OPENSEARCH_CA_CERTS", "SEARCH_OPENSEARCH_CA_CERTS"),
        description="CA certificate (PEM) that signed the OpenSearch cluster's HTTPS certificate.",
    )
    opensearch_request_timeout: float = Field(
        10.0, gt=0, le=600, description="Seconds to wait for an OpenSearch answer (then 504)."
    )
    opensearch_max_retries: int = Field(
        3,
        ge=0,
        le=10,
        description="Retries of a failed OpenSearch request (connection errors, timeouts, "
        "502/503/504) and of bulk items rejected with 429.",
    )

    elasticsearch_index_prefix: str = Field(
        "therapist-search",
        pattern=r"^[a-z0-9][a-z0-9_-]{0,100}$",
        description="Indices are named <prefix>-<kind>-<version>, aliases <prefix>-<kind>.",
    )
    elasticsearch_shards: int = Field(1, ge=1, le=64, description="Primary shards per index.")
    elasticsearch_replicas: int = Field(
        1, ge=0, le=5, description="Replicas per shard (0 for a single-node cluster)."
    )
    elasticsearch_bulk_chunk_size: int = Field(
        500, ge=1, le=10_000, description="Documents per _bulk request in a full load."
    )

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def rejects_dir(self) -> Path:
        return self.data_dir / "rejects"


def settings_problems(error: ValidationError) -> list[str]:
    """What is wrong with the environment, one line a setting: the variable and what it
    should hold (``SEARCH_ENGINE: Input should be 'embedded', 'elasticsearch' or
    'opensearch'``). The values are not repeated: some are secrets."""
    lines = []
    for e in error.errors(include_url=False, include_input=False):
        where = str(e["loc"][0]) if e["loc"] else ""
        variable = f"SEARCH_{where.upper()}" if where in Settings.model_fields else where
        lines.append(f"{variable}: {e['msg']}")
    return lines
