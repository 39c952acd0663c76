"""Typed search requests: what the API, analysts' scripts and the CLI hand to an engine.

Limits are part of the contract and are enforced here, so every caller gets the same answer.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    create_model,
    field_validator,
    model_validator,
)

from search_core.filters import FILTER_VOCABULARIES, Filter
from search_core.filters import entries as filter_entries
from search_core.filters import facets as facet_names
from search_core.filters import flags as flag_names
from search_core.paging import MAX_CURSOR_DEPTH, Cursor
from search_core.vocabulary import US_STATES

MAX_QUERY_CHARS = 200
MAX_PAGE_SIZE = 50
MAX_RESULT_WINDOW = 1000
"""Deepest result reachable with ``page``/``size`` (page × size); go further with ``cursor``."""
MAX_RADIUS_KM = 500.0
DEFAULT_RADIUS_MI = 25.0
MAX_FILTER_VALUES = 20

MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
"""Dates a filter accepts: every engine stores dates as nanosecond timestamps (1677..2262), and
no article of this directory is older or newer; outside, a clear 422 rather than an overflow."""


def _iso_date_text(value: object) -> object:
    """Dates come as YYYY-MM-DD: pydantic alone would also read "0.0" as a Unix timestamp."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError(f"expected a date as YYYY-MM-DD, got {value[:40]!r}")
    return value


def _date_in_range(value: dt.date) -> dt.date:
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(
            f"date {value.isoformat()} is out of range: from {MIN_DATE.isoformat()} "
            f"to {MAX_DATE.isoformat()}"
        )
    return value


FilterDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date_text),
    AfterValidator(_date_in_range),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            # The range as a pattern, so that schema-driven clients and fuzzers see it too.
            "pattern": r"^(19[0-9]{2}|20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$",
            "description": f"YYYY-MM-DD, from {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}",
        }
    ),
]
"""A calendar date a filter may hold (see :data:`MIN_DATE`, :data:`MAX_DATE`)."""

SortOrder = Literal["relevance", "distance", "recent"]
Unit = Literal["mi", "km"]


class _Query(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GeoFilter(_Query):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    radius_km: float = Field(gt=0, le=MAX_RADIUS_KM)
    label: str | None = None


def check_condition(name: str, cond: str) -> tuple[str, str]:
    """``facet:slug`` → (facet, slug), or a ValueError naming what is wrong."""
    facet, _, slug = cond.partition(":")
    vocab = FILTER_VOCABULARIES.get(facet)
    if vocab is None or not slug:
        raise ValueError(
            f"{name}: {cond[:60]!r} is not facet:value (facets: {', '.join(FILTER_VOCABULARIES)})"
        )
    if slug not in vocab:
        raise ValueError(
            f"{name}: unknown {facet} value {slug[:40]!r}; see GET /vocabularies for the "
            "allowed values"
        )
    return facet, slug


def split_conditions(conds: list[str]) -> dict[str, list[str]]:
    """``["issues:anxiety", "issues:ocd", "therapy_types:dbt"]`` → values per facet."""
    out: dict[str, list[str]] = {}
    for cond in conds:
        facet, _, slug = cond.partition(":")
        out.setdefault(facet, []).append(slug)
    return out


class _FilterRules(_Query):
    """Filters; several values of one facet mean any of them (OR), facets combine with AND.

    The fields are the entries of :mod:`search_core.filters` (see :data:`TherapistFilters`):
    a facet is a list of slugs, a flag yes/no/either, ``max_fee`` an amount, ``licensed_in`` a
    state; ``none_of`` holds conditions ``facet:slug`` a therapist must have none of (a
    negation: "no DBT", "non-religious"), ``all_of`` conditions it must have every one of
    ("anxiety and insomnia"), ``any_of`` groups of conditions joined by ``|`` of which it meets
    at least one each, across facets ("couples")."""

    @model_validator(mode="after")
    def _known_values(self) -> _FilterRules:
        for name in ("none_of", "all_of", "any_of"):
            conds: list[str] = getattr(self, name)
            if len(conds) > MAX_FILTER_VALUES:
                raise ValueError(f"{name}: at most {MAX_FILTER_VALUES} values")
            for group in conds:
                for cond in group.split("|") if name == "any_of" else [group]:
                    check_condition(name, cond)
        for facet, vocab in FILTER_VOCABULARIES.items():
            values: list[str] = getattr(self, facet)
            if len(values) > MAX_FILTER_VALUES:
                raise ValueError(f"{facet}: at most {MAX_FILTER_VALUES} values")
            unknown = [v for v in values if v not in vocab]
            if unknown:
                raise ValueError(
                    f"unknown {facet} value(s) {', '.join(map(repr, unknown))}; "
                    f"see GET /vocabularies for the allowed values"
                )
        licensed_in: str | None = getattr(self, "licensed_in", None)
        if licensed_in is not None and licensed_in not in US_STATES:
            raise ValueError(f"licensed_in: unknown US state code {licensed_in!r}")
        return self

    def conditions(self) -> bool:
        """Whether any of ``none_of``, ``all_of``, ``any_of`` is set."""
        return bool(
            getattr(self, "none_of", [])
            or getattr(self, "all_of", [])
            or getattr(self, "any_of", [])
        )

    def facet_values(self, facet: str) -> list[str]:
        values: list[str] = getattr(self, facet)
        return values

    def value(self, name: str) -> object:
        """The value of the filter ``name`` (any kind)."""
        return getattr(self, name)

    def without(self, facet: str) -> TherapistFilters:
        return self.model_copy(update={facet: []})  # type: ignore[return-value]


def _field(entry: Filter) -> tuple[Any, Any]:
    """The typed field of one filter entry."""
    if entry.kind in ("facet", "conditions"):
        return list[str], []
    if entry.kind == "fee":
        low, high = entry.bounds or (0, 0)
        return int | None, Field(None, ge=low, le=high)
    if entry.kind == "state":
        return str | None, None
    return bool | None, None


if TYPE_CHECKING:

    class TherapistFilters(_FilterRules):
        """The typed view of the registry's filters, for the type checker alone: at run time
        the class is built from :func:`search_core.filters.entries`, so a new filter needs no
        line here (code that handles every filter reads it by name: :meth:`facet_values`,
        :meth:`value`)."""

        issues: list[str] = []
        therapy_types: list[str] = []
        age_groups: list[str] = []
        populations: list[str] = []
        languages: list[str] = []
        insurance: list[str] = []
        profession: list[str] = []
        gender: list[str] = []
        max_fee: int | None = None
        sliding_scale: bool | None = None
        telehealth: bool | None = None
        in_person: bool | None = None
        licensed_in: str | None = None
        accepting_new_clients: bool | None = None
        none_of: list[str] = []
        all_of: list[str] = []
        any_of: list[str] = []

else:
    TherapistFilters = create_model(
        "TherapistFilters",
        __base__=_FilterRules,
        __module__=__name__,
        __doc__=_FilterRules.__doc__,
        **{e.name: _field(e) for e in filter_entries()},
    )


FACETS: tuple[str, ...] = facet_names()
FLAGS: tuple[str, ...] = flag_names()
"""The yes/no filters of :class:`TherapistFilters`."""


class OnlineAlso(_Query):
    """Also therapists who see clients online and are licensed in ``state``, ranked after
    every in-person hit (see :func:`search_core.online_plan.listing`)."""

    state: str
    text: str | None = Field(None, max_length=MAX_QUERY_CHARS)
    """The words that select the online list (the query's own may add labels that rank)."""

    @field_validator("state")
    @classmethod
    def _known_state(cls, v: str) -> str:
        if v not in US_STATES:
            raise ValueError(f"online state: unknown US state code {v!r}")
        return v


class TherapistQuery(_Query):
    text: str | None = Field(None, max_length=MAX_QUERY_CHARS)
    text_match: Literal["all", "any"] = "all"
    """``all``: every word (but filler) must match; ``any``: one of them is enough (the search
    box's relaxation step when every word would empty the page)."""
    rank_text: str | None = Field(None, max_length=MAX_QUERY_CHARS)
    """Words that rank and never select: the labels of the filters the search box read from
    the text (every filtered hit has them), searched as optional clauses so that the tuning's
    ``minimum_should_match`` counts the searcher's own words alone."""
    filters: TherapistFilters = TherapistFilters()
    near: GeoFilter | None = None
    sort: SortOrder = "relevance"
    offset: int = Field(0, ge=0)
    size: int = Field(10, ge=1, le=MAX_PAGE_SIZE)
    cursor: Cursor | None = Field(
        None,
        description="Set when paging by cursor: offset "
        "then comes from it and may go past the result window.",
    )
    facets: bool = True
    highlight: bool = True
    online: OnlineAlso | None = None
    """Continue the page with the online therapists licensed in a state (with ``near``); the
    engine answers it in the same call (:mod:`search_core.online_plan`)."""

    @field_validator("text")
    @classmethod
    def _blank_is_none(cls, v: str | None) -> str | None:
        return v.strip() or None if v is not None else None

    @model_validator(mode="after")
    def _window(self) -> TherapistQuery:
        if self.sort == "distance" and self.near is None:
            raise ValueError("sort=distance needs a location (lat/lon, zip or city)")
        if self.cursor is not None and self.offset + self.size > MAX_CURSOR_DEPTH:
            raise ValueError(
                f"cursor paging stops at {MAX_CURSOR_DEPTH} results; narrow the search"
            )
        if self.cursor is None and self.offset + self.size > MAX_RESULT_WINDOW:
            raise ValueError(
                f"page beyond the result window: offset + size must be at most "
                f"{MAX_RESULT_WINDOW}; use the cursor of the last page to go deeper"
            )
        return self


class ArticleQuery(_Query):
    text: str | None = Field(None, max_length=MAX_QUERY_CHARS)
    field: Literal["all", "title", "content", "author"] = "all"
    text_match: Literal["all", "any"] = "all"
    """``any``: an article needs one of the words (asked when none has them all)."""
    topics: list[str] = []
    author: str | None = None
    published_from: FilterDate | None = None
    published_to: FilterDate | None = None
    sort: Literal["relevance", "newest"] = "relevance"
    offset: int = Field(0, ge=0)
    size: int = Field(10, ge=1, le=MAX_PAGE_SIZE)
    highlight: bool = True


class SuggestQuery(_Query):
    prefix: str = Field(min_length=1, max_length=50)
    size: int = Field(8, ge=1, le=20)
