"""What a judged query asks for, in the fixtures' own terms: the ``need`` of a query file line.

    {"qid": "t-grief-teens", "query": "grief counselor for teens",
     "need": {"aspects": [{"any": ["issues:grief-loss"]}, {"any": ["age_groups:teens"]}]}}

A *condition* is ``facet:value``: a list facet (``issues``, ``therapy_types``, ``age_groups``,
``populations``, ``languages``, ``insurance``, ``licensed_states``, ``credentials``),
``profession``/``gender``, a flag (``telehealth:true``, ``in_person``, ``sliding_scale``,
``accepting_new_clients``) or a price (``max_fee:100``: a session can cost 100 or less).
The grading rules are in ``relevance/JUDGING.md`` and :mod:`search_core.relevance.rules`.
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from search_core.filters import FILTER_VOCABULARIES
from search_core.filters import entries as filter_entries
from search_core.queries import FLAGS
from search_core.relevance.judgments import Location, QuerySpec, _Model
from search_core.vocabulary import ARTICLE_TOPICS, CREDENTIALS, US_STATES

LIST_FACETS = (
    *(e.name for e in filter_entries() if e.kind == "facet" and e.many),
    "licensed_states",
    "credentials",
)
SINGLE_FACETS = {e.name: e.name for e in filter_entries() if e.kind == "facet" and not e.many}
MAX_FEE = "max_fee"
SETS = ("lab", "searchbox")
"""The query sets: ``lab`` (the first 86 queries, which the gate guards) and ``searchbox``
(what people type into the one search box: words anywhere, typos, places anywhere)."""


def check_condition(cond: str) -> str:
    facet, sep, value = cond.partition(":")
    if not sep or not value:
        raise ValueError(f"a condition is facet:value, got {cond!r}")
    if facet in FLAGS:
        if value not in ("true", "false"):
            raise ValueError(f"{cond!r}: a flag is true or false")
        return cond
    if facet == "licensed_states":
        if value not in US_STATES:
            raise ValueError(f"{cond!r}: unknown state")
        return cond
    if facet == "credentials":
        if value not in CREDENTIALS:
            raise ValueError(f"{cond!r}: unknown credential")
        return cond
    if facet == MAX_FEE:
        if not value.isdigit() or int(value) <= 0:
            raise ValueError(f"{cond!r}: a price is a whole number of dollars")
        return cond
    vocab = FILTER_VOCABULARIES.get(facet)
    if vocab is None:
        raise ValueError(f"{cond!r}: unknown facet {facet!r}")
    if value not in vocab:
        raise ValueError(f"{cond!r}: unknown {facet} value")
    return cond


class Aspect(_Model):
    """One thing the searcher wants; met when any of its conditions holds."""

    any: list[str] = Field(min_length=1)
    hard: bool = False
    """A must: a therapist missing it is no use at all (a language, a gender asked for)."""

    @field_validator("any")
    @classmethod
    def _conditions(cls, v: list[str]) -> list[str]:
        return [check_condition(c) for c in v]


class Need(_Model):
    aspects: list[Aspect] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)
    """Conditions that make a therapist who meets no aspect still partly relevant."""
    none: list[str] = Field(default_factory=list)
    """Conditions the searcher ruled out ("no DBT": ``therapy_types:dbt``): a therapist meeting
    one is no use at all (grade 0)."""
    near: Location | None = None
    """The area the searcher means ("... portland" → Portland, OR, 25 mi), whatever the
    search box makes of the text; default: the query's own ``location``."""
    name: str | None = None
    """A therapist's name: the query looks for that person, wherever they are."""
    state: str | None = None
    """A state the searcher means ("therapists in texas", "tx"): a therapist with an office
    there, or licensed there and seeing clients online."""
    article: str | None = None
    """The id of the article the query names (by title)."""
    topics: list[str] = Field(default_factory=list)
    related_topics: list[str] = Field(default_factory=list)
    author: str | None = None

    @field_validator("related", "none")
    @classmethod
    def _related(cls, v: list[str]) -> list[str]:
        return [check_condition(c) for c in v]

    @field_validator("state")
    @classmethod
    def _state(cls, v: str | None) -> str | None:
        if v is not None and v not in US_STATES:
            raise ValueError(f"unknown state {v!r}")
        return v

    @field_validator("topics", "related_topics")
    @classmethod
    def _topics(cls, v: list[str]) -> list[str]:
        unknown = [t for t in v if t not in ARTICLE_TOPICS]
        if unknown:
            raise ValueError(f"unknown article topic(s): {', '.join(unknown)}")
        return v


class JudgedQuery(QuerySpec):
    """A line of the query file: the query, what it needs, and why it is in the set."""

    need: Need
    note: str = ""
    set: str = "lab"
    """Which set the query belongs to (:data:`SETS`): figures are given per set."""
    satisfiable: bool | None = None
    """Whether some therapist (article) of the fixtures grades 2 or better by the rules:
    stored for readers, checked by the tests against the rules."""

    @model_validator(mode="after")
    def _need_fits(self) -> JudgedQuery:
        n = self.need
        if self.target == "therapists":
            if (n.near is not None or n.state) and n.name:
                raise ValueError("a name query looks for the person anywhere: no near")
            if n.state and (n.near is not None or self.location is not None):
                raise ValueError("a state need is the area: no near or location with it")
            if n.article or n.topics or n.related_topics or n.author:
                raise ValueError("a therapist query's need has no article, topics or author")
        elif n.aspects or n.related or n.name or n.near or n.state:
            raise ValueError("an article query's need has no aspects, related, name or near")
        if self.target == "therapists" and not (n.aspects or n.name or n.state or self.area()):
            raise ValueError("a therapist query's need has aspects, a name or an area")
        if self.set not in SETS:
            raise ValueError(f"unknown set {self.set!r} (one of {', '.join(SETS)})")
        return self

    def area(self) -> Location | None:
        """Where the searcher wants a therapist (None: anywhere)."""
        if self.need.name:
            return None
        return self.need.near or self.location

    def spec(self) -> QuerySpec:
        return QuerySpec.model_validate(self.definition())
