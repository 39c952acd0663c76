"""The ``Host`` header is not trusted (issue 24): untrusted hosts get a 400, redirects are
relative, and canonical and JSON-LD URLs come from the configured public address or the
server's own, never from the header."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from search_api.app import create_app
from search_api.hosts import HostPolicy, split_host
from search_core.settings import Settings

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
EVIL = {"Host": "evil.example"}
PAGES = ["/profile/t0000001", "/states/OR", "/cities/portland-or", "/states"]


@pytest.fixture(scope="module")
def plain(small_index: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(small_index), follow_redirects=False) as c:
        yield c


@pytest.fixture(scope="module")
def any_host(small_index: Settings) -> Iterator[TestClient]:
    """A site that answers any host: what it sends must still not carry the header's."""
    settings = small_index.model_copy(update={"trusted_hosts": ["*"]})
    with TestClient(create_app(settings), follow_redirects=False, headers=BROWSER) as c:
        yield c


@pytest.fixture(scope="module")
def public(small_index: Settings) -> Iterator[TestClient]:
    settings = small_index.model_copy(
        update={"public_base_url": "https://find.example.org", "trusted_hosts": ["*"]}
    )
    with TestClient(create_app(settings), follow_redirects=False, headers=BROWSER) as c:
        yield c


def _article_path(client: TestClient) -> str:
    slug = client.get("/articles/search", headers={"Accept": "application/json"}).json()
    return f"/blog/{slug['items'][0]['article']['slug']}"


def _out_links(html: str) -> list[str]:
    """The canonical link and every URL of the JSON-LD blocks."""
    found = re.findall(r'<link rel="canonical" href="([^"]+)"', html)
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        found += re.findall(r'"url":\s*"([^"]+)"', json.dumps(json.loads(block)))
    return found


def test_an_untrusted_host_is_refused_with_a_400(plain: TestClient) -> None:
    for path in ("/health", "/therapists/search?q=anxiety", "/therapists/search/"):
        r = plain.get(path, headers=EVIL)
        assert r.status_code == 400, path
        body = r.json()
        assert body["error"] == "invalid_host" and "evil.example" in body["message"]
        assert r.headers["x-content-type-options"] == "nosniff"
    page = plain.get("/profile/t0000001", headers={**EVIL, **BROWSER})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "evil.example" not in page.text  # a page does not echo the forged name


def test_the_served_address_is_trusted_by_default(plain: TestClient) -> None:
    assert plain.get("/health").status_code == 200  # TestClient's "testserver"
    assert plain.get("/health", headers={"Host": "testserver:80"}).status_code == 200
    assert plain.get("/health", headers={"Host": "testserver:8080"}).status_code == 400


def test_a_loopback_server_answers_localhost_on_its_port(small_index: Settings) -> None:
    app = create_app(small_index)
    with TestClient(app, base_url="http://127.0.0.1:8123") as c:
        assert c.get("/health").status_code == 200
        assert c.get("/health", headers={"Host": "localhost:8123"}).status_code == 200
        assert c.get("/health", headers={"Host": "[::1]:8123"}).status_code == 200
        assert c.get("/health", headers={"Host": "localhost:9999"}).status_code == 400
        assert c.get("/health", headers={"Host": "example.org:8123"}).status_code == 400


def test_a_trailing_slash_redirect_is_relative(small_index: Settings) -> None:
    settings = small_index.model_copy(update={"trusted_hosts": ["alt.example"]})
    with TestClient(create_app(settings), follow_redirects=False) as c:
        for host in ("testserver", "alt.example"):
            r = c.get("/therapists/search/?q=anxiety", headers={"Host": host})
            assert r.status_code in (307, 308), host
            assert r.headers["location"] == "/therapists/search?q=anxiety", host


@pytest.mark.parametrize("path", [*PAGES, "article"])
def test_page_links_never_carry_the_host_header(any_host: TestClient, path: str) -> None:
    path = _article_path(any_host) if path == "article" else path
    r = any_host.get(path, headers=EVIL)
    assert r.status_code == 200, path
    assert "evil.example" not in r.text, path
    links = _out_links(r.text)
    assert links and all(u.startswith("http://testserver/") for u in links), links


@pytest.mark.parametrize("path", [*PAGES, "article"])
def test_page_links_use_the_public_base_url(public: TestClient, path: str) -> None:
    path = _article_path(public) if path == "article" else path
    r = public.get(path, headers=EVIL)
    assert r.status_code == 200, path
    links = _out_links(r.text)
    assert links and all(u.startswith("https://find.example.org/") for u in links), links


def test_host_patterns() -> None:
    s = Settings(
        trusted_hosts=["example.org", "*.example.net", "api.example.com:8443"],
        public_base_url="https://find.example.io",
    )
    policy = HostPolicy(s)
    scope = {"scheme": "http", "server": ("10.0.0.5", 8000)}
    yes = ["example.org", "EXAMPLE.org:81", "a.example.net", "api.example.com:8443",
           "find.example.io", "10.0.0.5:8000"]  # fmt: skip
    no = ["example.org.evil", "example.net", "api.example.com", "10.0.0.5", "localhost:8000",
          "find.example.io.evil", "", "example.org:x"]  # fmt: skip
    assert [h for h in yes if not policy.trusted(h, scope)] == []
    assert [h for h in no if policy.trusted(h, scope)] == []
    assert split_host("[::1]:8000", "http") == ("::1", 8000)
    assert split_host("Example.org", "https") == ("example.org", 443)


@pytest.mark.parametrize(
    "url", ["ftp://example.org", "https://example.org/path", "example.org", "https://a b"]
)
def test_a_public_base_url_is_an_origin(url: str) -> None:
    with pytest.raises(ValidationError):
        Settings(public_base_url=url)
