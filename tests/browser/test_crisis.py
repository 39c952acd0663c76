"""Crisis help first, in a real Chromium (issue 25): the banner comes before the results, in
the DOM and on the screen, with call and text links; no therapist is there for a name like a
crisis word; axe-core finds nothing serious. And typeahead's insurance and language picks
apply their filter (part 5)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import AXE, Watched

pw = pytest.importorskip("playwright.sync_api")
expect = pw.expect

CRISIS_PAGES = ["/?q=i+want+to+kill+myself", "/?q=my+teenage+son+is+cutting+himself&near=97214"]


@pytest.mark.parametrize("url", CRISIS_PAGES)
def test_the_crisis_banner_comes_first(desktop: Watched, url: str) -> None:
    page = desktop.page
    page.goto(url)
    banner = page.get_by_role("region", name="Help is available right now")
    expect(banner).to_be_visible()
    expect(banner.get_by_role("link", name="Call 988").first).to_have_attribute("href", "tel:988")
    expect(banner.get_by_role("link", name="Text HOME to 741741")).to_have_attribute(
        "href", "sms:741741?body=HOME"
    )
    expect(banner.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    hits = page.locator(".hit")
    expect(hits.first).to_be_visible()
    # first in the DOM: before the page heading, the search form and every result
    before = page.evaluate(
        """() => {
          const b = document.getElementById('crisis');
          const later = [document.querySelector('h1'), document.getElementById('results'),
                         document.querySelector('.hit')];
          return later.every(e => b.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    )
    assert before
    # and at the top of the screen, above the results
    box, first_hit = banner.bounding_box(), hits.first.bounding_box()
    assert box is not None and first_hit is not None
    assert box["y"] + box["height"] <= first_hit["y"]
    assert box["y"] < 200, "in the first screenful, under the site header"
    names = " ".join(page.locator(".hit h3").all_inner_texts())
    assert not re.search(r"\bHill\b", names)
    assert desktop.errors == []


def test_typeahead_offers_the_help_line_first(desktop: Watched) -> None:
    """Words that say someone may be harmed now put the help line at the top of the list,
    before any suggestion; choosing it opens the page whose banner lists every line."""
    page = desktop.page
    page.goto("/")
    box = page.get_by_role("combobox", name="What are you looking for?")
    box.press_sequentially("he won't stop hitting me", delay=20)
    options = page.locator("#q-suggestions").get_by_role("option")
    expect(options.first).to_contain_text("National Domestic Violence Hotline")
    expect(options.first).to_contain_text("Help now")
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/\?q=he%20won"))
    banner = page.get_by_role("region", name="Help is available right now")
    expect(banner).to_be_visible()
    box = page.get_by_role("combobox", name="What are you looking for?")
    box.fill("")
    box.press_sequentially("anx", delay=30)
    expect(options.first).to_contain_text("Anxiety")
    expect(page.locator("#q-suggestions li[data-type=crisis]")).to_have_count(0)
    assert desktop.errors == []


def test_the_crisis_pages_pass_axe(axe_page: Watched) -> None:
    page = axe_page.page
    found = {}
    for url in [*CRISIS_PAGES, "/blog?q=i+want+to+kill+myself"]:
        page.goto(url)
        expect(page.locator("#crisis")).to_be_visible()
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


@pytest.mark.parametrize(
    ("typed", "label", "param", "facet_label"),
    [
        ("blue", "Blue Cross Blue Shield", "insurance=bcbs", "Blue Cross Blue Shield"),
        ("span", "Spanish", "languages=spanish", "Spanish"),
    ],
)
def test_typeahead_insurance_and_language_apply_their_filter(
    desktop: Watched, typed: str, label: str, param: str, facet_label: str
) -> None:
    page = desktop.page
    page.goto("/")
    page.locator("#q").press_sequentially(typed, delay=30)
    option = page.locator("#q-suggestions").get_by_role("option").filter(has_text=label).first
    expect(option).to_be_visible()
    option.click()
    page.wait_for_url(re.compile(rf"/\?{param}$"))
    checkbox = page.get_by_role("checkbox", name=re.compile(rf"^{facet_label} \([\d,]+\)"))
    expect(checkbox).to_be_checked()
    assert desktop.errors == []
