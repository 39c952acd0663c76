"""The search-box understanding (issue 16's response contract) on the results page: chips,
the relaxation notice, "showing results for" and "did you mean", the online badge — each
shown only when the API gives it. Rendered by the real templates from an API response
taken from the fixture index, with the contract's fields added."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from search_api.pages.render import ENV
from search_api.pages.search import FLAGS, chips
from tests.pages.parse import Page

CONTRACT = {
    "understanding": {
        "original": "female therapist for anxeity portland",
        "pieces": [
            {
                "kind": "gender",
                "text": "female",
                "label": "Female",
                "filter": {"gender": "female"},
                "hard": True,
                "corrected_from": None,
            },
            {
                "kind": "issue",
                "text": "anxeity",
                "label": "Anxiety",
                "filter": {"issues": "anxiety"},
                "hard": True,
                "corrected_from": "anxeity",
            },
            {
                "kind": "filler",
                "text": "therapist for",
                "label": "",
                "filter": {},
                "hard": False,
                "corrected_from": None,
            },
        ],
        "text": None,
        "corrected_query": "female therapist for anxiety portland",
        "notes": [],
    },
    "relaxed": {
        "steps": ["radius"],
        "message": "No therapists within 25 mi; showing 3 within 50 mi",
    },
    "did_you_mean": "female therapist for anxiety portland",
}


def _render(site: TestClient, extra: dict[str, Any], online: bool) -> Page:
    results = site.get(
        "/therapists/search",
        params={"q": "anxiety", "near": "97214"},
        headers={"Accept": "application/json"},
    ).json()
    results.update(extra)
    if online:
        results["items"][0]["online"] = True
    q = CONTRACT["understanding"]["original"]  # type: ignore[index]
    items = [("q", q)]
    labels = {name: {b["value"]: b["label"] for b in bs} for name, bs in results["facets"].items()}

    class Req:
        class url:
            path = "/"

    html = ENV.get_template("_results.html").render(
        request=Req,
        results=results,
        items=items,
        params={"q": q},
        flags=FLAGS,
        labels=labels,
        chips=chips(results.get("understanding"), q, items),
        profile_query="",
        current=1,
        last=1,
        pages=[1],
    )
    return Page(html)


def test_contract_fields_are_shown(site: TestClient) -> None:
    page = _render(site, CONTRACT, online=True)
    remove = [a["aria-label"] for a in page.all("a") if a.get("class") == "chip-remove"]
    assert remove == ["Remove Female", "Remove Anxiety"]
    assert "(from “anxeity”)" in page.text
    assert "No therapists within 25 mi; showing 3 within 50 mi" in page.text
    assert "Showing results for female therapist for anxiety portland" in page.text
    assert "Search instead for female therapist for anxeity portland" in page.text
    assert any("understand=false" in h for h in page.hrefs("/?"))
    assert "Did you mean" in page.text
    assert page.text.count("Online: licensed in your state") == 1


def test_without_the_contract_fields_nothing_extra_is_shown(site: TestClient) -> None:
    # the API sends the fields as null when there is nothing to say
    page = _render(site, {"understanding": None, "relaxed": None, "did_you_mean": None}, False)
    assert not [a for a in page.all("a") if a.get("class") == "chip-remove"]
    for text in ("Showing results for", "Did you mean", "Online: licensed", "showing 3 within"):
        assert text not in page.text
