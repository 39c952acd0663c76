"""The links the pages build: chips of the understood query (issue 16's contract), removing a
chip's words, paging."""

from __future__ import annotations

from typing import Any

from search_api.pages import links
from search_api.pages.search import chips

UNDERSTOOD: dict[str, Any] = {
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
}


def test_chips_skip_filler_and_link_to_the_search_without_their_words() -> None:
    q = str(UNDERSTOOD["original"])
    made = chips(UNDERSTOOD, q, [("q", q), ("radius", "10")])
    assert [c["label"] for c in made] == ["Female", "Anxiety"]
    assert made[0]["remove"] == "/?radius=10&q=therapist+for+anxeity+portland"
    assert made[1]["remove"] == "/?radius=10&q=female+therapist+for+portland"
    assert made[1]["corrected_from"] == "anxeity"


def test_no_understanding_no_chips() -> None:
    assert chips(None, "anxiety", []) == []
    assert chips({}, "anxiety", []) == []


def test_removing_the_last_words_drops_q() -> None:
    only = {
        "pieces": [
            {
                "kind": "issue",
                "text": "anxiety",
                "label": "Anxiety",
                "filter": {"issues": "anxiety"},
            }
        ]
    }
    assert chips(only, "Anxiety", [("q", "Anxiety")])[0]["remove"] == "/"


def test_without_words_matches_whole_words_case_blind() -> None:
    assert links.without_words("Female therapist for anxiety", "female") == (
        "therapist for anxiety"
    )
    assert links.without_words("emdr for ptsd", "ptsd  ") == "emdr for"
    assert links.without_words("anxiety", "anx") == "anxiety"


def test_page_numbers_show_gaps() -> None:
    assert links.page_numbers(1, 1) == [1]
    assert links.page_numbers(5, 20) == [1, None, 3, 4, 5, 6, 7, None, 20]
    assert links.last_page(0, 10) == 1 and links.last_page(5000, 10) == 100


def test_changing_anything_but_the_page_goes_back_to_page_one() -> None:
    items = [("q", "a"), ("page", "3")]
    assert links.with_changes("/", items, gender="male") == "/?q=a&gender=male"
    assert links.with_changes("/", items, page="4") == "/?q=a&page=4"
