"""Typed results: hits, facets and pages, the same whichever engine answered."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from search_core.crisis_help import Crisis
from search_core.documents import Article, Office, Therapist
from search_core.filters import facets

T = TypeVar("T")

if TYPE_CHECKING:
    FacetName = str
else:
    FacetName = Literal[facets()]
"""The facets a therapist search counts: the filters with a vocabulary (GET /vocabularies)."""

SuggestionType = Literal[
    "therapist", "issue", "therapy_type", "insurance", "language", "city", "zip", "article"
]
"""What a typeahead suggestion stands for."""


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class FacetBucket(_Result):
    value: str = Field(description="The filter value (a slug of GET /vocabularies).")
    label: str = Field(description="The value for people.")
    count: int = Field(
        description="Hits with this value, given every *other* chosen filter: the total a "
        "search with this value chosen instead would list (in person and online alike)."
    )
    selected: bool = Field(False, description="True when the request chose this value.")


class NearestOffice(_Result):
    office: Office = Field(description="The office.")
    distance: float = Field(description="Distance to this office, in the request's unit.")
    unit: str = Field(description="`mi` or `km`, as the request asked.")


class TherapistHit(_Result):
    therapist: Therapist = Field(description="The therapist, as GET /therapists/{id} has it.")
    score: float | None = Field(
        None, description="Relevance (engine specific; compare within one response only)."
    )
    nearest_office: NearestOffice | None = Field(
        None, description="The therapist's office nearest the search's location, if any."
    )
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
    comment_count: int = Field(0, description="Comments on the article.")
    score: float | None = Field(
        None, description="Relevance (engine specific; compare within one response only)."
    )
    highlights: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Matched fragments per field (title, content, author); matches wrapped in "
        "<mark>, text HTML-escaped.",
    )


class ResolvedLocation(_Result):
    """Where a search was centred, as understood (echo it to the user: "near Portland, OR")."""

    label: str | None = Field(
        description='The place for people ("97214 (Portland, OR)"); null for coordinates.'
    )
    lat: float = Field(description="Latitude of the centre.")
    lon: float = Field(description="Longitude of the centre.")
    radius: float = Field(description="Radius searched, in `unit` (after any widening).")
    unit: str = Field(description="`mi` or `km`, as the request asked.")
    from_text: bool = Field(
        False, description='True when taken from the search text ("anxiety therapist near 97214").'
    )
    alternatives: list[str] = Field(
        default_factory=list,
        description="Other places a bare city name could mean, most populous first "
        '(`city=Springfield` searches Springfield, MO; these are "Springfield, MA", '
        '"Springfield, IL", ...): pass one as `city` to search there instead. Empty when the '
        "name was unambiguous or named its state.",
    )


class SearchPage(_Result, Generic[T]):
    items: list[T] = Field(description="This page's hits, best first (empty for `size=0`).")
    total: int = Field(description="Hits in all, not only on this page.")
    offset: int = Field(description="Position of the first hit of this page (0-based).")
    size: int = Field(description="Hits asked for per page.")
    facets: dict[FacetName, list[FacetBucket]] = Field(
        default_factory=dict,
        description="Per filter (the keys are the filter parameters with a vocabulary), its "
        "values with hit counts, most first; empty with `facets=false` and for articles.",
    )
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page.")
    took_ms: float = Field(0.0, description="Time the server took, in milliseconds.")
    warnings: list[str] = Field(
        default_factory=list, description="What the engine could not do as asked, in words."
    )
    engine: str = Field("", description="`embedded` or `elasticsearch`: which engine answered.")
    location: ResolvedLocation | None = Field(
        None, description="Where the search was centred; null without a location."
    )


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

    original: str = Field(description="The search text as sent.")
    pieces: list[ShownPiece] = Field(description="What was read from it, in text order.")
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

    understanding: ShownUnderstanding | None = Field(
        None, description="How `q` was read (null with `understand=false` or without `q`)."
    )
    relaxed: Relaxation | None = Field(
        None, description="What was loosened because the request as read had no hits."
    )
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
    total_in_person: int = Field(
        0,
        description="Of `total`, the hits the request matched itself (with a location: "
        "therapists with an office within the radius), listed first.",
    )
    total_online: int = Field(
        0,
        description="Of `total`, the therapists listed after those because they see clients "
        "online and are licensed in `online_state` (no office within the radius; `online` on "
        "their hits). `total = total_in_person + total_online`.",
    )
    online_state: str | None = Field(
        None,
        description="The state (two-letter code) whose licensed online therapists follow the "
        "in-person hits; null when none do.",
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

    article_slug: str = Field(description="The article commented on (GET /articles/{slug}).")
    article_title: str = Field(description="Its title.")
    comment_id: str = Field(description="The comment's id.")
    author_name: str = Field(description="Who wrote the comment.")
    date: str = Field(description="When (ISO 8601).")
    text: str = Field(description="The comment, plain text.")


class PlaceCount(_Result):
    """A state or city with the number of therapists who have an office there."""

    slug: str = Field(description='Its slug ("oregon", "portland-or").')
    name: str = Field(description='Its name ("Oregon", "Portland").')
    state: str = Field(description="Two-letter state code.")
    therapists: int = Field(description="Therapists with an office there.")
    lat: float | None = Field(None, description="Latitude of its centre, when known.")
    lon: float | None = Field(None, description="Longitude of its centre, when known.")


class Suggestion(_Result):
    type: SuggestionType = Field(
        description="What the suggestion stands for. issue, therapy_type, insurance and "
        "language stand for a filter value: choosing one searches with issues, therapy_types, "
        "insurance or languages set to `value` (as `target` does)."
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
    suggestions: list[Suggestion] = Field(
        description="Best first; empty when nothing has been typed."
    )
    corrected_prefix: str | None = Field(
        None,
        description="Set when the last word had a typo: the suggestions after those for the "
        'prefix as typed are for this one ("anxeity" → "anxiety"). One edit is forgiven in '
        "a word of 4 letters or more.",
    )
    crisis: Crisis | None = Field(
        None,
        description="Set when what has been typed so far already says someone may be harmed "
        'now ("i want to die", "he won\'t stop hitting me"), by the same rules as the '
        "search's `crisis`: a search box shows its first resource at the top of the list, as "
        "the way to help, before any suggestion. Null otherwise.",
    )
    took_ms: float = Field(0.0, description="Time the server took, in milliseconds.")
