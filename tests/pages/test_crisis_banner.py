"""The crisis banner on the server-rendered pages (JavaScript off): first in the page, every
line a call or text link, the same lines as the API's `crisis`; none for a subject search."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.pages.parse import Page

JSON = {"Accept": "application/json"}


def page(site: TestClient, url: str) -> tuple[Page, str]:
    r = site.get(url)
    assert r.status_code == 200, r.text[:500]
    return Page(r.text), r.text


@pytest.mark.parametrize(
    ("url", "api"),
    [
        ("/?q=i+want+to+kill+myself", "/therapists/search?q=i+want+to+kill+myself"),
        ("/?q=quiero+morir&near=77002", "/therapists/search?q=quiero+morir&near=77002"),
        ("/?q=my+dad+hits+me", "/therapists/search?q=my+dad+hits+me"),
        ("/blog?q=i+want+to+kill+myself", "/articles/search?q=i+want+to+kill+myself"),
    ],
)
def test_the_banner_comes_first_with_the_api_lines(site: TestClient, url: str, api: str) -> None:
    parsed, raw = page(site, url)
    crisis = site.get(api, headers=JSON).json()["crisis"]
    assert crisis is not None
    assert 'id="crisis"' in raw
    start = raw.index('id="crisis"')
    assert start < raw.index("<h1>") < raw.index("<form")
    hrefs = [a.get("href") for tag, a in parsed.elements if tag == "a"]
    for resource in crisis["resources"]:
        assert resource["name"].replace("&", "&amp;") in raw
        for link in (resource["tel"], resource["sms"]):
            if link:
                assert link in hrefs, link
    assert crisis["message"] in parsed.text


@pytest.mark.parametrize(
    "url",
    [
        "/?q=suicide+prevention+training",
        "/?q=anxiety&near=97214",
        "/blog?q=suicide",
        "/blog?q=self+harm",
    ],
)
def test_no_banner_for_a_subject_search(site: TestClient, url: str) -> None:
    _, raw = page(site, url)
    assert 'id="crisis"' not in raw
