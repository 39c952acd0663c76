"""Result pages that say what they list (issue 25): a bad place keeps the form, a text with
nothing recognisable says so with ways on, a bare city name offers its namesakes, distances
to one decimal; and every sentence the pages and the API write agrees with its count."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient
from jinja2 import Environment

from search_api.pages import render, wording
from search_core.queries import GeoFilter, TherapistFilters
from search_core.understanding.relax import plan_request
from search_core.wording import counted
from tests.pages.parse import Page
from tests.pages.test_pages import api, html

COUNTS = [0, 1, 2, 5, 21, 1000, 1234]


def _field(page: Page, name: str) -> dict[str, Any]:
    (field,) = [a for a in page.all("input") if a.get("name") == name]
    return field


@pytest.mark.parametrize(
    ("url", "status", "field", "needle"),
    [
        ("/?q=anxiety&near=00000", 404, "near", "We could not find the place “00000”"),
        ("/?q=anxiety&near=Portlnd", 404, "near", "Did you mean one of these?"),
        ("/?q=anxiety&max_fee=abc", 422, None, "max_fee"),
    ],
)
def test_a_refused_search_keeps_the_form_and_the_query(
    site: TestClient, url: str, status: int, field: str | None, needle: str
) -> None:
    page = html(site, url, status)
    assert _field(page, "q")["value"] == "anxiety"
    query = dict(parse_qsl(urlsplit(url).query))
    assert _field(page, "near").get("value") == query.get("near", "")
    assert (_field(page, "near").get("aria-invalid") == "true") == (field == "near")
    assert needle in page.text
    assert page.all("button", type="submit")


def test_a_misspelt_place_links_the_close_names(site: TestClient) -> None:
    page = html(site, "/?q=anxiety&near=Portlnd", 404)
    assert "/?q=anxiety&near=Portland%2C+OR" in page.hrefs()


def test_nothing_recognisable_says_so_with_ways_on(site: TestClient) -> None:
    page = html(site, "/?q=xyzzy+plugh")
    assert "No therapists match “xyzzy plugh”" in page.text
    assert "Nothing in the directory matches “xyzzy plugh”" in page.text
    assert not page.hrefs("/profile/")
    popular = api(site, "/therapists/search", size=0)["facets"]["issues"][:3]
    for bucket in popular:
        assert f"/?issues={bucket['value']}" in page.hrefs()
    assert "/states" in page.hrefs() and "4,000" not in page.text


def test_a_bare_city_name_offers_its_namesakes(site: TestClient) -> None:
    page = html(site, "/?city=Springfield")
    assert "Other places called Springfield" in page.text
    assert "/?near=Springfield%2C+IL" in page.hrefs()


def test_distances_to_one_decimal(site: TestClient) -> None:
    page = html(site, "/?q=anxiety&zip=97214&radius=27.0916&unit=km")
    assert "within 27.1 km of 97214" in page.text
    assert not re.search(r"\d\.\d\d+ (mi|km)", page.text)
    profile = html(site, "/profile/t0002155?lat=45.5142&lon=-122.6364&unit=mi&place=97214")
    assert re.search(r"\b\d+\.\d mi away", profile.text)
    assert "Offices distances" not in profile.text and "Distances from 97214" in profile.text


# ---------------------------------------------------------------------------- grammar


def _agrees(sentence: str) -> None:
    """No "1 therapists", no "2 therapist", no "1 more offer", no "N more offers"."""
    for m in re.finditer(r"\b(\d[\d,]*) (?:more |online )?(\w+)", sentence):
        n, word = int(m.group(1).replace(",", "")), m.group(2)
        if word in ("therapist", "comment", "article", "year", "city"):
            assert n == 1, sentence
        if word in ("therapists", "comments", "articles", "years", "cities"):
            assert n != 1, sentence
        if word == "offers":
            assert n == 1, sentence
        if word == "offer":
            assert n != 1, sentence


@pytest.mark.parametrize("n", COUNTS)
def test_counted_nouns(n: int) -> None:
    for noun in ("therapist", "comment", "article", "year", "city", "online therapist"):
        _agrees(counted(n, noun))
    assert counted(1, "city") == "1 city" and counted(2, "city") == "2 cities"
    assert counted(1234, "therapist") == "1,234 therapists"


@pytest.mark.parametrize("in_person", COUNTS)
@pytest.mark.parametrize("online", COUNTS)
def test_results_heading_over_counts(in_person: int, online: int) -> None:
    location = {"label": "97214 (Portland, OR)", "radius": 16.832, "unit": "mi"}
    results = {
        "total": in_person + online,
        "total_in_person": in_person,
        "total_online": online,
        "online_state": "OR" if online else None,
        "location": location,
    }
    heading = wording.results_heading(results, "anxiety", {"OR": "Oregon"})
    _agrees(heading)
    assert "within 16.8 mi of 97214 (Portland, OR)" in heading
    assert heading.startswith("No therapists" if in_person == 0 else f"{in_person:,} therapist")
    if online:
        assert "Oregon" in heading and "online sessions" in heading
    else:
        assert "online" not in heading
    plain = wording.results_heading({**results, "location": None}, "anxiety", {})
    _agrees(plain)


def _template(source: str) -> Any:
    env: Environment = render.ENV
    return env.from_string(source)


@pytest.mark.parametrize("n", COUNTS)
def test_page_sentences_over_counts(n: int) -> None:
    """The sentences of the page templates that print a count, rendered with ``n`` (each
    template's own sentence, with its variables set to ``n``)."""
    sentences = {
        "article.html": '"comments-title">{{ a.comments | length | counted("comment") }}</h2>',
        "articles.html": '{{ hit.comment_count | counted("comment") }}</p>',
        "cities.html": '{{ state.therapists | counted("therapist") }} with an office in '
        '{{ state.name }}, in {{ cities | length | counted("city") }}.',
        "profile.html": '{{ t.years_in_practice | counted("year") }} in practice',
        "city.html": '{{ results.total | counted("therapist") }} in and near {{ city.name }}',
    }
    values = {
        "a": {"comments": [0] * n},
        "hit": {"comment_count": n},
        "state": {"therapists": n, "name": "Oregon"},
        "cities": [0] * n,
        "t": {"years_in_practice": n},
        "results": {"total": n},
        "city": {"name": "Portland"},
    }
    for name, sentence in sentences.items():
        assert sentence in (render.TEMPLATES / name).read_text(), name
        _agrees(_template(sentence).render(**values))


def test_templates_count_with_the_filter() -> None:
    """Every count a template prints next to a noun goes through ``counted``."""
    for path in render.TEMPLATES.glob("*.html"):
        source = path.read_text()
        bare = re.findall(r"\}\}\s+(therapists|comments|articles|years|cities)\b", source)
        assert bare == [], (path.name, bare)
        assert 'else "s"' not in source, path.name


@pytest.mark.parametrize("shown", COUNTS)
def test_relaxation_messages_over_counts(shown: int) -> None:
    near = GeoFilter(lat=30.27, lon=-97.74, radius_km=40.2335, label="Austin, TX")
    filters = TherapistFilters(languages=["spanish"], issues=["relationship-issues"])
    for step in plan_request(filters, near, "gentle", state="TX"):
        _agrees(step.message(shown))


def test_the_pages_heading_is_the_wording_of_the_answer(site: TestClient) -> None:
    for query in ({"city": "Springfield"}, {"q": "anxiety", "near": "97214"}, {"zip": "59801"}):
        found = api(site, "/therapists/search", **query, size=0)
        names = {s["state"]: s["name"] for s in api(site, "/browse/states")["items"]}
        expected = wording.results_heading(found, query.get("q", ""), names)
        params = "&".join(f"{k}={v}" for k, v in query.items())
        assert expected in html(site, f"/?{params}").text
        _agrees(expected)
