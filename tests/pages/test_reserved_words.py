"""A key that is also a word of the API's paths reaches the right route (issue 24).

``/profile/search`` once asked ``GET /therapists/search`` (the search route, matched before
``/therapists/{therapist_id}``) and failed with a 500; ``/profile/near`` showed the near route's
400. Every word of every API path is tried here as each key of each page and each API route
with a ``{parameter}``; the words come from the app's own routes, so a route added later is
covered too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_api.pages import places, reading, search
from search_core.settings import Settings
from tests.pages.conftest import BROWSER

PARAM = re.compile(r"\{[^}]+\}")


def _api_templates() -> list[str]:
    """The API's GET paths, in the order the app matches them."""
    paths = create_app(Settings()).openapi()["paths"]
    return [path for path, operations in paths.items() if "get" in operations]


def _page_templates() -> list[str]:
    """The pages' paths with a ``{key}``."""
    routes = [r for module in (search, places, reading) for r in module.router.routes]
    return [r.path for r in routes if isinstance(r, APIRoute) and PARAM.search(r.path)]


def reserved_words() -> list[str]:
    """Every fixed segment of every API path: ``therapists``, ``search``, ``near``, ..."""
    words = {
        part for path in API_PATHS for part in path.split("/") if part and not PARAM.search(part)
    }
    return sorted(words)


API_PATHS = _api_templates()
WORDS = reserved_words()
PAGES = _page_templates()
API_TEMPLATES = [path for path in API_PATHS if PARAM.search(path)]


def test_the_words_are_read_from_the_routes() -> None:
    # the two that once went wrong are among them, and so are the pages' keyed paths
    assert {"search", "near", "comments", "recent"} <= set(WORDS)
    assert {"/profile/{therapist_id}", "/blog/{slug}", "/cities/{slug}"} <= set(PAGES)
    assert "/therapists/{therapist_id}" in API_TEMPLATES


@pytest.fixture(scope="module")
def app_client(small_index: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(small_index), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("template", PAGES)
def test_a_page_keyed_by_a_path_word_is_a_404_page(app_client: TestClient, template: str) -> None:
    for word in WORDS:
        url = PARAM.sub(word, template)
        r = app_client.get(url, headers=BROWSER)
        assert r.status_code == 404, (url, r.status_code, r.text[:200])
        assert r.headers["content-type"].startswith("text/html"), url
        assert "Page not found" in r.text, url


def _served_by(path: str) -> str | None:
    """The template of the first API path that ``path`` matches (the route that answers)."""
    for template in API_PATHS:
        if re.fullmatch(PARAM.sub("[^/]+", template), path):
            return template
    return None


@pytest.mark.parametrize("template", API_TEMPLATES)
def test_an_api_key_that_is_a_path_word_is_a_404_or_the_fixed_route(
    app_client: TestClient, template: str
) -> None:
    """``/articles/comments`` is an unknown article (404); ``/therapists/search`` is the search
    route itself, answered as such; neither is ever a 500."""
    for word in WORDS:
        path = PARAM.sub(word, template)
        r = app_client.get(path)
        assert r.status_code < 500, (path, r.status_code, r.text[:200])
        if _served_by(path) == template:
            assert r.status_code == 404, (path, r.status_code, r.text[:200])
            assert r.json()["error"] == "not_found", path


def test_a_malformed_key_is_a_404_page(app_client: TestClient) -> None:
    """A key the API refuses as malformed names no record: the page says not found."""
    for url in ("/profile/NOT-AN-ID", "/blog/Not_A_Slug", "/profile/" + "t" * 65):
        r = app_client.get(url, headers=BROWSER)
        assert r.status_code == 404, (url, r.status_code)
        assert "Page not found" in r.text, url
