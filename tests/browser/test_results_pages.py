"""Result pages that say what they list (in person apart from online), a phone's Filters
button, a bad or ambiguous place that keeps the form, a search that matches nothing, and the
API documentation working with no network beyond this machine."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import Watched

pw = pytest.importorskip("playwright.sync_api")
expect = pw.expect


def no_errors(w: Watched) -> None:
    assert w.errors == [], w.errors


def _top(locator: Any) -> float:
    box = locator.bounding_box()
    assert box is not None
    return float(box["y"])


def test_phone_filters_button_opens_the_facets_above_the_results(phone: Watched) -> None:
    page = phone.page
    page.goto("/?q=anxiety&near=97214")
    button = page.locator("summary.filters-button")
    first_hit = page.locator(".hit").first
    expect(button).to_be_visible()
    expect(button).to_have_text("Filters")
    female = page.get_by_role("checkbox", name=re.compile(r"^Female \("))
    expect(female).to_be_hidden()
    assert _top(button) < _top(first_hit)
    button.tap()
    expect(female).to_be_visible()
    assert _top(female) < _top(first_hit)
    female.tap()
    page.wait_for_url(re.compile(r"gender=female"))
    # the live results keep the panel open, with the choice counted on the button
    expect(page.locator("summary.filters-button")).to_have_text("Filters (2 chosen)")
    expect(page.get_by_role("checkbox", name=re.compile(r"^Female \("))).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    no_errors(phone)


def test_phone_filters_button_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(
        base_url=base_url, viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/?q=anxiety&near=97214")
        female = page.get_by_role("checkbox", name=re.compile(r"^Female \("))
        expect(female).to_be_hidden()
        page.locator("summary.filters-button").click()
        female.check()
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(r"gender=female"))
    finally:
        context.close()


def test_wide_screen_shows_the_facets_without_a_button(desktop: Watched) -> None:
    page = desktop.page
    page.goto("/?q=anxiety&near=97214")
    expect(page.locator("summary.filters-button")).to_be_hidden()
    expect(page.get_by_role("checkbox", name=re.compile(r"^Female \("))).to_be_visible()
    expect(page.get_by_role("complementary")).to_have_count(0)  # no comments sidebar
    no_errors(desktop)


def test_advanced_search_fields_have_no_gaps(desktop: Watched) -> None:
    page = desktop.page
    page.goto("/advanced")
    fields = page.locator("form.advanced > .field")
    assert fields.count() >= 6
    for i in range(6):
        box = fields.nth(i).bounding_box()
        assert box is not None and box["height"] < 100, (i, box)
    no_errors(desktop)


def test_heading_says_in_person_apart_from_online(desktop: Watched) -> None:
    page = desktop.page
    answer = page.request.get("/therapists/search?q=anxiety&near=97214&size=0").json()
    in_person, online = answer["total_in_person"], answer["total_online"]
    assert in_person > 0 and online > 0 and in_person + online == answer["total"]
    page.goto("/?q=anxiety&near=97214")
    expect(page.get_by_role("status")).to_have_text(
        f"{in_person} therapists within 25 mi of 97214 (Portland, OR) · "
        f"{online} more offer online sessions in Oregon"
    )
    # the count beside a facet value is what choosing it lists
    label = page.get_by_role("checkbox", name=re.compile(r"^Male \(")).locator("..")
    shown = int(re.search(r"\((\d+)\)", label.inner_text()).group(1))  # type: ignore[union-attr]
    label.click()
    page.wait_for_url(re.compile(r"gender=male"))
    chosen = page.request.get("/therapists/search?q=anxiety&near=97214&gender=male&size=0")
    assert chosen.json()["total"] == shown
    no_errors(desktop)


def test_bad_place_keeps_the_form_and_the_query(desktop: Watched) -> None:
    page = desktop.page
    response = page.goto("/?q=anxiety&near=Portlnd")
    assert response is not None and response.status == 404
    expect(page.get_by_label("What are you looking for?")).to_have_value("anxiety")
    near = page.get_by_label("Near (ZIP code or city)")
    expect(near).to_have_value("Portlnd")
    expect(near).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#near-error")).to_contain_text("We could not find the place “Portlnd”")
    page.locator("#near-error").get_by_role("link", name="Portland, OR").click()
    page.wait_for_url(re.compile(r"near=Portland%2C\+OR"))
    expect(page.get_by_role("status")).to_contain_text("within 25 mi of Portland, OR")
    page.goto("/?q=anxiety&near=00000")
    expect(page.locator("#near-error")).to_contain_text("“00000”")
    page.get_by_label("Near (ZIP code or city)").fill("97214")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=anxiety&near=97214"))
    expect(page.get_by_role("status")).to_contain_text("97214 (Portland, OR)")
    # the two pages' own status (404: the place is unknown) is all the console says
    assert all("status of 404" in e for e in desktop.errors), desktop.errors


def test_ambiguous_city_offers_the_others(desktop: Watched) -> None:
    page = desktop.page
    page.goto("/?city=Springfield")
    expect(page.get_by_role("status")).to_contain_text("Springfield, MO")
    page.get_by_role("link", name="Springfield, IL", exact=True).click()
    page.wait_for_url(re.compile(r"near=Springfield%2C\+IL"))
    expect(page.get_by_role("status")).to_contain_text("of Springfield, IL")
    no_errors(desktop)


def test_nonsense_says_nothing_matched_with_ways_on(desktop: Watched) -> None:
    page = desktop.page
    page.goto("/?q=xyzzy+plugh")
    expect(page.get_by_role("status")).to_have_text("No therapists match “xyzzy plugh”")
    assert page.locator(".hit").count() == 0
    ways = page.locator(".no-match")
    expect(ways.get_by_role("link", name="Anxiety")).to_be_visible()
    expect(ways.get_by_role("link", name="Browse therapists by state and city")).to_be_visible()
    no_errors(desktop)


def _offline(browser: Any, base_url: str) -> tuple[Any, Watched, list[str]]:
    """A page whose requests to anything but this server are aborted (no internet)."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    blocked: list[str] = []
    here = urlparse(base_url).netloc

    def only_here(route: Any) -> None:
        if urlparse(route.request.url).netloc == here:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_here)
    return context, Watched(context.new_page()), blocked


def test_swagger_ui_works_offline(browser: Any, base_url: str) -> None:
    context, watched, blocked = _offline(browser, base_url)
    try:
        page = watched.page
        page.goto("/docs")
        search = page.locator(".opblock-summary-path", has_text="/therapists/search").first
        expect(search).to_be_visible()
        search.click()
        expect(page.get_by_text("Hits per page").first).to_be_visible()
        assert blocked == []
        no_errors(watched)
    finally:
        context.close()


def test_redoc_works_offline(browser: Any, base_url: str) -> None:
    context, watched, blocked = _offline(browser, base_url)
    try:
        page = watched.page
        page.goto("/redoc")
        heading = page.get_by_role("heading", name=re.compile("Advanced therapist search"))
        expect(heading.first).to_be_visible()
        assert blocked == []
        no_errors(watched)
    finally:
        context.close()
