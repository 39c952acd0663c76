"""Typed results: hits, facets and pages, the same whichever engine answered."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from search_core.crisis_help import Crisis
from search_core.documents import Article, Office, Therapist

T = TypeVar("T")


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class FacetBucket(_Result):
    value: str
    label: str
    count: int = Field(description="Hits with this value, given every *other* chosen filter.")
    selected: bool = False


class NearestOffice(_Result):
    office: Office
    distance: float = Field(description="Distance to this office, in the request's unit.")
    unit: str


class TherapistHit(_Result):
    therapist: Therapist
    score: float | None = Field(
        None, description="Relevance (engine specific; compare within one response only)."
    )
    nearest_office: NearestOffice | None = None
    highlights: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Matched fragments per field; matches wrapped in <mark>, text HTML-escaped.",
    )
    online: bool = Field(
        False,
        description="True: shown because the therapist sees clients online and is licensed in "
        "the searcher's state, with no office within the radius (listed after the in-person "
        "hits; nearest_office then says how far the nearest office is).",
    )


class ArticleHit(_Result):
    article: Article = Field(
        description="A preview: body cut to 300 characters, no comments "
        "(GET /articles/{slug} has them all)"
    )
    comment_count: int = 0
    score: float | None = None
    highlights: dict[str, list[str]] = Field(default_factory=dict)


class ResolvedLocation(_Result):
    """Where a search was centred, as understood (echo it to the user: "near Portland, OR")."""

    label: str | None
    lat: float
    lon: float
    radius: float
    unit: str
    from_text: bool = Field(
        False, description='True when taken from the search text ("anxiety therapist near 97214").'
    )


class SearchPage(_Result, Generic[T]):
    items: list[T]
    total: int = Field(description="Hits in all, not only on this page.")
    offset: int
    size: int
    facets: dict[str, list[FacetBucket]] = Field(default_factory=dict)
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page.")
    took_ms: float = 0.0
    warnings: list[str] = Field(default_factory=list)
    engine: str = ""
    location: ResolvedLocation | None = None


class ShownPiece(_Result):
    """One understood piece of the search text: show it as a removable chip."""

    kind: str = Field(
        description="issue, therapy_type, age_group, population, language, insurance, gender, "
        "profession, telehealth, in_person, accepting, price, place, name or filler"
    )
    text: str = Field(description="The words it came from, as typed.")
    label: str = Field(description='What was understood, for people ("Spanish", "Portland, OR").')
    filter: dict[str, str | int | float | bool | list[str]] = Field(
        description="What it set, as this API's query parameters "
        '({"languages": "spanish"}, {"city": "Portland, OR"}); empty for filler and boost-only '
        "words."
    )
    hard: bool = Field(description="True: a filter; false: it only boosts (words kept as text).")
    corrected_from: str | None = Field(None, description="The typed word when a typo was forgiven.")


class ShownUnderstanding(_Result):
    """How the search text was read (``understand=true``, the default)."""

    original: str
    pieces: list[ShownPiece]
    text: str | None = Field(description="The words left for full-text search.")
    corrected_query: str | None = Field(
        None,
        description='The text with typos corrected, when any was: "showing results for …"; '
        "offer `original` with understand=false to search it as typed.",
    )
    notes: list[str] = Field(default_factory=list, description="What was decided, in words.")


class Relaxation(_Result):
    """The search as understood had no hits; this is what was loosened to show some."""

    steps: list[str] = Field(
        description="Kinds of the steps applied, in order: widen_radius, "
        "add_telehealth_in_state, drop_filter, loosen_text, drop_text."
    )
    message: str = Field(description="For people: what had no hits and what is shown instead.")


class TherapistPage(SearchPage[TherapistHit]):
    """A page of therapists, with how the search text was understood and relaxed."""

    understanding: ShownUnderstanding | None = None
    relaxed: Relaxation | None = None
    did_you_mean: str | None = Field(
        None, description="A corrected search text to offer when nothing matched."
    )
    crisis: Crisis | None = Field(
        None,
        description="Set when `q` says someone may be harmed now (suicide, self-harm, an "
        "overdose, abuse, harm to others; in English or Spanish, misspelt or in slang): show "
        "its message and resources before the results, with their tel: and sms: links. The "
        "results are then therapists for the matching issue (Suicidal Thoughts, Self-Harm...) "
        "near the place given, and no word is matched as a name. Null otherwise, and for a "
        "subject search ('suicide prevention training', 'grief after suicide loss'). Read even "
        "with understand=false.",
    )


class ArticlePage(SearchPage[ArticleHit]):
    """A page of articles."""

    crisis: Crisis | None = Field(
        None,
        description="Set when `q` says, in the first person or of someone close now, that "
        "someone may be harmed ('i want to kill myself', 'my son is cutting himself'): show "
        "it before the results. A topic search ('suicide', 'self harm') is someone reading "
        "about it: null.",
    )


class CommentHit(_Result):
    """A comment with the article it belongs to (the recent-comments sidebar)."""

    article_slug: str
    article_title: str
    comment_id: str
    author_name: str
    date: str
    text: str


class PlaceCount(_Result):
    """A state or city with the number of therapists who have an office there."""

    slug: str
    name: str
    state: str
    therapists: int
    lat: float | None = None
    lon: float | None = None


class Suggestion(_Result):
    type: str = Field(
        description="therapist | issue | therapy_type | insurance | language | city | zip | "
        "article. issue, therapy_type, insurance and language stand for a filter value: "
        "choosing one searches with issues, therapy_types, insurance or languages set to "
        "`value` (as `target` does)."
    )
    label: str = Field(description="What to show in the drop-down")
    value: str = Field(
        description="Id, slug or filter value the suggestion stands for (a slug of "
        "GET /vocabularies for the filter kinds)"
    )
    target: str = Field(
        description="API path to follow when the suggestion is chosen, e.g. "
        "/therapists/search?insurance=bcbs"
    )


class SuggestPage(_Result):
    prefix: str = Field(
        description="The prefix these suggestions answer (echoed as sent), so "
        "a client can drop answers that arrive out of order"
    )
    suggestions: list[Suggestion]
    corrected_prefix: str | None = Field(
        None,
        description="Set when the last word had a typo: the suggestions after those for the "
        'prefix as typed are for this one ("anxeity" → "anxiety"). One edit is forgiven in '
        "a word of 4 letters or more.",
    )
    took_ms: float = 0.0
