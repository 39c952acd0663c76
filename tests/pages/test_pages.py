"""The pages over HTTP on the real fixture index, as a browser with JavaScript off uses them:
plain GET forms and links. Each page's content is compared with what the JSON API answers."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

from search_api.pages.render import PAGE_CSP
from tests.pages.parse import Page

JSON = {"Accept": "application/json"}


def html(site: TestClient, url: str, status: int = 200) -> Page:
    r = site.get(url)
    assert r.status_code == status, (url, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == PAGE_CSP
    assert "Traceback" not in r.text
    return Page(r.text)


def api(site: TestClient, path: str, **params: Any) -> Any:
    r = site.get(path, params=params, headers=JSON)
    assert r.status_code == 200, r.text
    return r.json()


PAGES = [
    "/",
    "/?q=anxiety&near=97214",
    "/advanced",
    "/profile/t0002155",
    "/states",
    "/states/oregon",
    "/cities/portland-or",
    "/blog",
    "/blog?q=anxiety",
    "/blog/generalized-anxiety-and-cbt",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders(site: TestClient, url: str) -> None:
    page = html(site, url)
    assert page.all("main") and page.all("header") and page.all("footer")
    assert page.all("script", src="/static/site.js")
    assert not [a for t, a in page.elements if any(k.startswith("on") for k in a)]
    assert not [a for t, a in page.elements if "style" in a]
    inline = [a for a in page.all("script") if "src" not in a]
    assert all(a.get("type") == "application/ld+json" for a in inline)


def test_static_files_are_served(site: TestClient) -> None:
    for name, kind in (("site.js", "javascript"), ("site.css", "css"), ("person.svg", "svg")):
        r = site.get(f"/static/{name}")
        assert r.status_code == 200 and kind in r.headers["content-type"]


def test_pages_stay_out_of_the_openapi_document(site: TestClient) -> None:
    paths = api(site, "/openapi.json")["paths"]
    assert not [p for p in paths if p == "/" or p.split("/")[1] in ("profile", "states", "blog")]
    assert "/therapists/search" in paths


def test_home_without_a_query_shows_the_form(site: TestClient) -> None:
    page = html(site, "/")
    (box,) = page.all("input", id="q")
    assert box["role"] == "combobox" and box["aria-controls"] == "q-suggestions"
    assert page.all("form", action="/", method="get")


@pytest.mark.parametrize(
    ("url", "sidebar"),
    [
        ("/", False),
        ("/?q=anxiety&near=97214", False),
        ("/advanced", False),
        ("/profile/t0002155", False),
        ("/cities/portland-or", False),
        ("/blog", True),
        ("/blog/generalized-anxiety-and-cbt", True),
    ],
)
def test_recent_comments_only_beside_articles(site: TestClient, url: str, sidebar: bool) -> None:
    page = html(site, url)
    recent = api(site, "/articles/comments/recent", size=5)["items"]
    links = [f"/blog/{c['article_slug']}#comment-{c['comment_id']}" for c in recent]
    assert bool(page.all("aside")) == sidebar
    assert all(link in page.hrefs() for link in links) == sidebar


def _profile_ids(page: Page) -> list[str]:
    ids = []
    for href in page.hrefs("/profile/"):
        pid = urlsplit(href).path.removeprefix("/profile/")
        if pid not in ids:
            ids.append(pid)
    return ids


def test_search_shows_the_api_hits_in_order_with_facet_counts(site: TestClient) -> None:
    page = html(site, "/?q=anxiety&near=97214")
    found = api(site, "/therapists/search", q="anxiety", near="97214", size=10)
    assert _profile_ids(page) == [h["therapist"]["id"] for h in found["items"]]
    assert found["total_online"] > 0
    assert (
        f"{found['total_in_person']} therapists within 25 mi of {found['location']['label']} · "
        f"{found['total_online']} more offer online sessions in Oregon"
    ) in page.text
    for facet, buckets in found["facets"].items():
        boxes = [a["value"] for a in page.all("input", type="checkbox", name=facet)]
        assert boxes == [b["value"] for b in buckets], facet
        for b in buckets:
            assert f"{b['label']} ({b['count']})" in page.text
    first = found["items"][0]
    assert first["nearest_office"]["office"]["city"] in page.text
    assert "<mark>" in site.get("/?q=anxiety&near=97214").text


def test_ticking_a_filter_without_javascript(site: TestClient) -> None:
    """The form submitted with a filter ticked (and every empty field, as a browser sends
    them): the box comes back ticked, the hits and the other facets' counts change."""
    before = html(site, "/?q=anxiety&near=97214&radius=&sort=relevance&lat=&lon=")
    after = html(site, "/?q=anxiety&near=97214&radius=&sort=relevance&lat=&lon=&gender=male")
    found = api(site, "/therapists/search", q="anxiety", near="97214", gender="male")
    assert after.checked("gender") == ["male"] and before.checked("gender") == []
    assert _profile_ids(after) == [h["therapist"]["id"] for h in found["items"]]
    assert f"{found['total_in_person']:,} therapist" in after.text
    counts = {b["value"]: b["count"] for b in found["facets"]["issues"]}
    assert f"Anxiety ({counts['anxiety']})" in after.text
    assert before.text != after.text


def test_paging_links_keep_the_search(site: TestClient) -> None:
    page = html(site, "/?q=therapist&near=Portland%2C+OR")
    nxt = [a["href"] for a in page.all("a", rel="next")]
    assert nxt, "a second page exists"
    query = dict(parse_qsl(urlsplit(str(nxt[0])).query))
    assert query == {"q": "therapist", "near": "Portland, OR", "page": "2"}
    second = html(site, str(nxt[0]))
    found = api(site, "/therapists/search", q="therapist", near="Portland, OR", page=2, size=10)
    assert _profile_ids(second) == [h["therapist"]["id"] for h in found["items"]]
    assert second.all("a", rel="prev")
    assert next(a for a in second.all("a") if a.get("aria-current") == "page")["href"] == nxt[0]


def test_profile_shows_every_field_and_distances(site: TestClient) -> None:
    t = api(site, "/therapists/t0002155")
    page = html(site, "/profile/t0002155?lat=45.5142&lon=-122.6364&unit=mi&place=97214")
    for office in t["offices"]:
        assert office["street"] in page.text and office["zip"] in page.text
    assert "mi away" in page.text and "Distances from 97214" in page.text
    assert ", ".join(t["licensed_states"]) in page.text
    assert t["name"] in page.text and all(c in page.text for c in t["credentials"])
    assert f"${t['fee_min']}" in page.text
    plain = html(site, "/profile/t0002155")
    assert "away" not in plain.text


def test_profile_json_ld_is_a_schema_org_person(site: TestClient) -> None:
    import json

    page = html(site, "/profile/t0002155")
    data = json.loads(page.script_text)
    assert data["@type"] == "Person" and data["name"] == api(site, "/therapists/t0002155")["name"]
    assert data["workLocation"][0]["@type"] == "MedicalBusiness"


def test_browse_state_to_city(site: TestClient) -> None:
    states = html(site, "/states")
    assert "/states/oregon" in states.hrefs()
    cities = html(site, "/states/oregon")
    listed = api(site, "/browse/states/OR/cities")["items"]
    assert [h for h in cities.hrefs("/cities/")] == [f"/cities/{c['slug']}" for c in listed]
    city = html(site, "/cities/portland-or")
    found = api(site, "/browse/cities/portland-or", size=10)["results"]
    assert _profile_ids(city) == [h["therapist"]["id"] for h in found["items"]]
    crumbs = city.hrefs()
    assert "/states" in crumbs and "/states/oregon" in crumbs
    (canonical,) = city.all("link", rel="canonical")
    assert str(canonical["href"]).endswith("/cities/portland-or")
    assert html(site, "/states/OR").all("link", rel="canonical")[0]["href"] == (
        "http://testserver/states/oregon"
    )


def test_article_search_by_author_and_the_article_page(site: TestClient) -> None:
    page = html(site, "/blog?q=Ebony+White&field=author&topics=&published_from=&sort=relevance")
    found = api(site, "/articles/search", q="Ebony White", field="author", size=10)
    slugs = [h["article"]["slug"] for h in found["items"]]
    listed = [h for h in page.hrefs("/blog/") if "#" not in h]
    assert slugs and listed == [f"/blog/{s}" for s in slugs]
    article = api(site, f"/articles/{slugs[0]}")
    shown = html(site, f"/blog/{slugs[0]}")
    assert f"/profile/{article['author']['therapist_id']}" in shown.hrefs()
    for c in article["comments"]:
        assert c["text"] in shown.text and c["author_name"] in shown.text
    assert shown.all("aside")  # recent comments
    assert "Recent comments" in shown.text


def test_article_topic_and_date_filters(site: TestClient) -> None:
    page = html(site, "/blog?topics=anxiety&published_from=2020-01-01&published_to=2030-01-01")
    found = api(
        site,
        "/articles/search",
        topics="anxiety",
        published_from="2020-01-01",
        published_to="2030-01-01",
    )
    assert f"{found['total']} article" in page.text
    listed = [h for h in page.hrefs("/blog/") if "#" not in h]
    assert listed == [f"/blog/{h['article']['slug']}" for h in found["items"]]


def test_unknown_page_is_an_html_404_for_browsers_and_json_for_clients(site: TestClient) -> None:
    page = html(site, "/no-such-page", 404)
    assert "Page not found" in page.text
    r = site.get("/no-such-page", headers=JSON)
    assert r.status_code == 404 and r.json()["error"] == "not_found"


@pytest.mark.parametrize(
    ("url", "status", "needle"),
    [
        ("/?issues=bogus", 422, "unknown issues value(s) 'bogus'"),
        ("/?sort=sideways", 422, "sort"),
        ("/profile/t0000000x", 404, "t0000000x"),
        ("/cities/atlantis-zz", 404, "atlantis"),
        ("/states/zz", 404, "zz"),
        ("/blog/no-such-article", 404, "no-such-article"),
        ("/blog?published_from=2024-01-01&published_to=2020-01-01", 422, "is after"),
    ],
)
def test_bad_input_shows_the_api_message(
    site: TestClient, url: str, status: int, needle: str
) -> None:
    page = html(site, url, status)
    assert needle.lower() in page.text.lower()


def test_engine_outage_is_a_try_again_page(tmp_path: Any) -> None:
    from search_api.app import create_app
    from search_core.settings import Settings
    from tests.pages.conftest import BROWSER

    empty = Settings(data_dir=tmp_path / "nothing", index_workers=0)
    with TestClient(create_app(empty), raise_server_exceptions=False, headers=BROWSER) as c:
        for url in ("/", "/?q=anxiety", "/states", "/blog"):
            r = c.get(url)
            assert r.status_code == 503, (url, r.text[:300])
            assert "try again" in Page(r.text).text and "Traceback" not in r.text
            assert r.headers["retry-after"]


def test_escaping_of_hostile_records(hostile_site: TestClient) -> None:
    from tests.pages.conftest import AUTHOR, NAME

    for url in (
        "/?q=kxqzhostile",
        "/profile/t9999999",
        "/blog?q=kxqzhostile",
        "/blog/kxqzhostile-article",
        "/",
    ):
        r = hostile_site.get(url)
        assert r.status_code == 200, url
        body = r.text
        assert "<script>alert" not in body and "<img src=x" not in body, url
        assert "<b>Mallory" not in body and 'href="javascript:' not in body, url
    search = Page(hostile_site.get("/?q=kxqzhostile").text)
    assert NAME in search.text and "&lt;script&gt;" in hostile_site.get("/?q=kxqzhostile").text
    assert "<mark>Kxqzhostile</mark>" in hostile_site.get("/?q=kxqzhostile").text
    art = Page(hostile_site.get("/blog/kxqzhostile-article").text)
    assert AUTHOR in art.text and "javascript:alert(2)" in art.text


def test_json_ld_cannot_close_its_script_block(hostile_site: TestClient) -> None:
    import json

    body = hostile_site.get("/profile/t9999999").text
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert block is not None
    assert "<" not in block.group(1)
    assert json.loads(block.group(1))["description"].endswith("</script> end.")
