"""The site in a real Chromium: typeahead, live filters, paging and Back, profiles, browsing,
articles and comments; with JavaScript off; at a 360 px wide phone; axe-core's checks."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import AXE, Watched

pw = pytest.importorskip("playwright.sync_api")
expect = pw.expect


def no_errors(w: Watched) -> None:
    """No script error and no CSP refusal on the page."""
    assert w.errors == [], w.errors


def test_typeahead_keyboard_pick(desktop: Watched) -> None:
    page = desktop.page
    page.goto("/")
    box = page.get_by_role("combobox", name="What are you looking for?")
    box.press_sequentially("anx", delay=30)
    options = page.locator("#q-suggestions").get_by_role("option")
    expect(options.first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(options.first).to_contain_text("Anxiety")
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "q-option-0")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/\?issues=anxiety$"))
    expect(page.get_by_role("checkbox", name=re.compile(r"^Anxiety \([\d,]+\)"))).to_be_checked()
    no_errors(desktop)


def test_typeahead_drops_answers_for_an_old_prefix(desktop: Watched) -> None:
    """The answer for "p" is held back until "por" has been answered (a slow network): when it
    arrives late, the list must keep what "por" suggests."""
    page = desktop.page
    held: list[Any] = []

    def hold_first(route: Any) -> None:
        if "q=p&" in route.request.url and not held:
            held.append(route)
        else:
            route.continue_()

    page.route("**/suggest?*", hold_first)
    page.goto("/")
    box = page.locator("#q")
    box.press_sequentially("p")
    for _ in range(1500):  # up to 30 s: the machine may be busy
        if held:
            break
        page.wait_for_timeout(20)
    assert held, "the answer for 'p' was asked"
    box.press_sequentially("or", delay=5)
    first_for_por = page.request.get("/suggest?q=por&size=8").json()["suggestions"][0]["label"]
    expect(page.locator("#q-suggestions").get_by_role("option").first).to_contain_text(
        first_for_por
    )
    with page.expect_response(lambda r: "q=p&" in r.url):
        held[0].continue_()
    page.wait_for_timeout(400)  # the late answer has arrived; give the page time to misuse it
    shown = [
        t.split("\n")[0]
        for t in page.locator("#q-suggestions").get_by_role("option").all_inner_texts()
    ]
    answer = page.request.get("/suggest?q=por&size=8").json()
    assert shown == [s["label"] for s in answer["suggestions"]]


def _count(page: Any, label: str) -> int:
    text = page.get_by_role("checkbox", name=re.compile(rf"^{label} \(")).locator("..").inner_text()
    return int(re.search(r"\(([\d,]+)\)", text).group(1).replace(",", ""))  # type: ignore[union-attr]


def test_live_filter_counts_paging_and_back(desktop: Watched) -> None:
    page = desktop.page
    page.goto("/?q=anxiety")
    status = page.get_by_role("status")
    before = status.inner_text()
    depression = _count(page, "Depression")
    page.get_by_role("checkbox", name=re.compile(r"^Female \(")).check()
    page.wait_for_url(re.compile(r"gender=female"))
    expect(status).not_to_have_text(before)
    assert _count(page, "Depression") < depression
    expect(page.locator("#announce")).to_have_text(status.inner_text())
    expect(page.get_by_role("button", name="Apply filters")).to_be_hidden()  # JS applies them
    filtered = status.inner_text()
    page.get_by_role("link", name="Next").click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(page.get_by_role("link", name="2", exact=True)).to_have_attribute("aria-current", "page")
    page.go_back()
    page.wait_for_url(re.compile(r"gender=female$"))
    expect(status).to_have_text(filtered)
    page.go_back()
    expect(page.get_by_role("checkbox", name=re.compile(r"^Female \("))).not_to_be_checked()
    expect(page.get_by_role("status")).to_have_text(before)
    no_errors(desktop)


def test_open_a_profile_from_the_results(desktop: Watched) -> None:
    page = desktop.page
    page.goto("/?q=anxiety&near=97214")
    first = page.locator(".hit h3 a").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.get_by_text(re.compile(r"\d+\.\d mi away")).first).to_be_visible()
    expect(page.get_by_text("Licensed in")).to_be_visible()
    no_errors(desktop)


def test_a_profile_can_be_called_emailed_and_booked(desktop: Watched) -> None:
    """t0000004 (Rosemary Daniels) lists a phone, an email, a website and a booking link, and
    offers a free consultation (fixtures/small)."""
    page = desktop.page
    page.goto("/profile/t0000004")
    call = page.get_by_role("link", name="(540) 555-0135")
    expect(call).to_be_visible()
    expect(call).to_have_attribute("href", "tel:+15405550135")
    email = page.get_by_role("link", name="info@rosemarydaniels.example.net")
    expect(email).to_have_attribute("href", "mailto:info@rosemarydaniels.example.net")
    book = page.get_by_role("link", name="Book a free consultation")
    expect(book).to_be_visible()
    expect(book).to_have_attribute("href", "https://schedule.example.net/p/t0000004")
    expect(book).to_have_attribute("rel", "noopener nofollow")
    avatar = page.locator("img.photo.large")
    expect(avatar).to_have_attribute("src", "/avatars/t0000004.svg")
    # the SVG was loaded and drawn (not refused by the page's Content Security Policy)
    assert avatar.evaluate("img => img.complete && img.naturalWidth") == 128
    no_errors(desktop)


def test_browse_state_then_city(desktop: Watched) -> None:
    page = desktop.page
    page.goto("/")
    page.get_by_role("link", name="Browse locations").click()
    page.get_by_role("link", name="Oregon", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Therapists in Oregon")
    page.get_by_role("link", name="Portland", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Therapists in Portland, OR")
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs.get_by_role("link", name="Oregon")).to_have_attribute("href", "/states/oregon")
    assert page.locator(".hit").count() > 0
    no_errors(desktop)


def test_search_articles_by_author_and_read_comments(desktop: Watched) -> None:
    page = desktop.page
    page.goto("/blog")
    page.get_by_label("Search articles").fill("Ebony White")
    page.get_by_label("In", exact=True).select_option("author")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"field=author"))
    hits = page.locator(".article-hit")
    expect(hits.first).to_contain_text("Ebony White")
    hits.first.get_by_role("link").click()
    expect(page.get_by_role("heading", name=re.compile(r"\d+ comments?"))).to_be_visible()
    assert page.locator(".comment").count() >= 1
    expect(page.get_by_role("complementary")).to_contain_text("Recent comments")
    page.get_by_role("link", name="Ebony White, LCSW").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ebony White")
    no_errors(desktop)


def test_everything_works_with_javascript_off(no_js: Watched) -> None:
    page = no_js.page
    page.goto("/")
    expect(page.get_by_role("button", name="Use my location")).to_be_hidden()
    page.get_by_label("What are you looking for?").fill("anxiety")
    page.get_by_label("Near (ZIP code or city)").fill("97214")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=anxiety&near=97214"))
    before = page.get_by_role("status").inner_text()
    page.get_by_role("checkbox", name=re.compile(r"^Female \(")).check()
    page.wait_for_timeout(200)
    assert "gender" not in page.url  # nothing happens until the form is submitted
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"gender=female"))
    assert page.get_by_role("status").inner_text() != before
    page.get_by_role("link", name="Next").click()
    page.wait_for_url(re.compile(r"page=2"))
    page.go_back()
    page.wait_for_url(re.compile(r"gender=female"))
    page.goto("/states/oregon")
    page.get_by_role("link", name="Portland", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Therapists in Portland, OR")
    page.goto("/blog?q=Ebony+White&field=author")
    page.locator(".article-hit a").first.click()
    assert page.locator(".comment").count() >= 1


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width}px wide at a 360px viewport"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?q=anxiety&near=97214",
        "/?q=xyzzy+plugh",
        "/?city=Springfield",
        "/advanced",
        "/profile/t0002155",
        "/states",
        "/cities/portland-or",
        "/blog?q=anxiety",
        "/blog/generalized-anxiety-and-cbt",
    ],
)
def test_phone_width(phone: Watched, url: str) -> None:
    page = phone.page
    page.goto(url)
    _no_sideways_scroll(page)
    no_errors(phone)


def test_phone_typeahead_and_filters(phone: Watched) -> None:
    page = phone.page
    page.goto("/")
    page.locator("#q").press_sequentially("972", delay=20)
    option = page.locator("#q-suggestions").get_by_role("option").first
    expect(option).to_contain_text("97201")
    option.tap()
    page.wait_for_url(re.compile(r"near=97201"))
    page.locator("summary.filters-button").tap()  # the filters open from a button on a phone
    page.get_by_role("checkbox", name=re.compile(r"^Accepting new clients")).tap()
    page.wait_for_url(re.compile(r"accepting_new_clients=true"))
    _no_sideways_scroll(page)
    no_errors(phone)


AXE_PAGES = [
    "/",
    "/?q=anxiety&near=97214",
    "/?q=xyzzy+plugh",
    "/?q=anxiety&near=Portlnd",
    "/?city=Springfield",
    "/advanced",
    "/profile/t0002155",
    "/profile/t0000004",
    "/states",
    "/states/oregon",
    "/cities/portland-or",
    "/blog?q=anxiety",
    "/blog/generalized-anxiety-and-cbt",
    "/no-such-page",
]


def test_axe_finds_no_serious_violations(axe_page: Watched) -> None:
    page = axe_page.page
    found = {}
    for url in AXE_PAGES:
        page.goto(url)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']})"
        )
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if bad:
            found[url] = bad
    assert found == {}


def test_use_my_location(browser: Any, base_url: str) -> None:
    context = browser.new_context(
        base_url=base_url,
        geolocation={"latitude": 45.5142, "longitude": -122.6364},
        permissions=["geolocation"],
    )
    try:
        page = context.new_page()
        page.goto("/?q=anxiety&near=10001")
        page.get_by_role("button", name="Use my location").click()
        page.wait_for_url(re.compile(r"lat=45\.514"))
        assert "near=" not in page.url
        expect(page.locator(".hit").first.get_by_text(re.compile(r"mi away"))).to_be_visible()
        expect(page.get_by_role("status")).not_to_contain_text("10001")
    finally:
        context.close()
