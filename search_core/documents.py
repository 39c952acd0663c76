"""The validated document models: Therapist (with offices), Location, Article (with comments).

These are the records the fixtures hold and the indexer loads, one JSON object a line. Controlled
fields hold vocabulary slugs (see :mod:`search_core.vocabulary`); an unknown slug is a validation
error, so a typo in a data feed is rejected with its reason instead of creating a phantom facet.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from search_core.vocabulary import (
    AGE_GROUPS,
    ARTICLE_TOPICS,
    CREDENTIALS,
    GENDERS,
    INSURANCE,
    ISSUES,
    LANGUAGES,
    POPULATIONS,
    PROFESSIONS,
    THERAPY_TYPES,
    US_STATES,
    Vocabulary,
)

MAX_OFFICES = 5
"""Offices a therapist may list. The embedded engine keeps one geo slot per office."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ZipCode = Annotated[str, StringConstraints(pattern=r"^\d{5}$")]


def _state(code: str) -> str:
    if code not in US_STATES:
        raise ValueError(f"unknown US state code {code!r}")
    return code


StateCode = Annotated[str, AfterValidator(_state)]


def _in(vocab: Vocabulary) -> AfterValidator:
    def check(values: list[str]) -> list[str]:
        unknown = [v for v in values if v not in vocab]
        if unknown:
            raise ValueError(f"unknown {vocab.name} value(s): {', '.join(map(repr, unknown))}")
        if len(set(values)) != len(values):
            raise ValueError(f"duplicate {vocab.name} value(s)")
        return values

    return AfterValidator(check)


def _one_of(vocab: Vocabulary) -> AfterValidator:
    def check(value: str) -> str:
        if value not in vocab:
            raise ValueError(f"unknown {vocab.name} value {value!r}")
        return value

    return AfterValidator(check)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class GeoPoint(_Model):
    lat: float = Field(ge=-90, le=90, description="Latitude, degrees north.")
    lon: float = Field(ge=-180, le=180, description="Longitude, degrees east (negative: west).")


class Office(_Model):
    id: Id = Field(description="The office's id, unique within the therapist.")
    street: ShortText = Field(description="Street address.")
    city: ShortText = Field(description="City name.")
    state: StateCode = Field(description="Two-letter state code.")
    zip: ZipCode = Field(description="Five-digit ZIP code.")
    location: GeoPoint = Field(description="Where the office is.")


def _slugs(what: str, vocab: str) -> str:
    return f"{what}: slugs of the `{vocab}` vocabulary (GET /vocabularies has their labels)."


class Therapist(_Model):
    id: Id = Field(description="Stable id (GET /therapists/{id}).")
    slug: Slug = Field(description="The name as a URL slug (not unique: use the id).")
    name: ShortText = Field(description="Full name.")
    credentials: list[str] = Field(
        min_length=1, max_length=6, description='Licences and degrees ("LCSW", "PhD").'
    )
    profession: Annotated[str, _one_of(PROFESSIONS)] = Field(
        description=_slugs("The profession", "profession")
    )
    gender: Annotated[str, _one_of(GENDERS)] = Field(description=_slugs("Gender", "gender"))
    pronouns: Annotated[str, StringConstraints(max_length=30)] = Field(
        "", description='Pronouns as the therapist gives them ("she/her"); may be empty.'
    )
    bio: Annotated[str, StringConstraints(min_length=1, max_length=20_000)] = Field(
        description="The therapist's own description, plain text; paragraphs split by a blank line."
    )
    issues: Annotated[list[str], _in(ISSUES)] = Field(
        min_length=1, max_length=25, description=_slugs("Issues treated", "issues")
    )
    therapy_types: Annotated[list[str], _in(THERAPY_TYPES)] = Field(
        max_length=15, description=_slugs("Therapy types offered", "therapy_types")
    )
    age_groups: Annotated[list[str], _in(AGE_GROUPS)] = Field(
        min_length=1, description=_slugs("Age groups seen", "age_groups")
    )
    populations: Annotated[list[str], _in(POPULATIONS)] = Field(
        [], description=_slugs("Populations served", "populations")
    )
    languages: Annotated[list[str], _in(LANGUAGES)] = Field(
        min_length=1, description=_slugs("Languages spoken", "languages")
    )
    insurance: Annotated[list[str], _in(INSURANCE)] = Field(
        [], description=_slugs("Insurance accepted", "insurance")
    )
    fee_min: int = Field(ge=0, le=2000, description="Lowest fee per session, USD")
    fee_max: int = Field(ge=0, le=2000, description="Highest fee per session, USD")
    sliding_scale: bool = Field(description="Offers a sliding scale (fees by income).")
    telehealth: bool = Field(description="Sees clients online (video or phone).")
    licensed_states: list[StateCode] = Field(
        min_length=1,
        description="Two-letter codes of the states the therapist is licensed in (where they "
        "may see clients online).",
    )
    accepting_new_clients: bool = Field(description="Takes new clients now.")
    last_confirmed: dt.date = Field(description="When the listing was last confirmed current.")
    years_in_practice: int = Field(ge=0, le=70, description="Years in practice.")
    offices: list[Office] = Field(
        default_factory=list,
        max_length=MAX_OFFICES,
        description="Where the therapist sees clients in person; empty: online only.",
    )

    @field_validator("credentials")
    @classmethod
    def _known_credentials(cls, values: list[str]) -> list[str]:
        unknown = [v for v in values if v not in CREDENTIALS]
        if unknown:
            raise ValueError(f"unknown credential(s): {', '.join(map(repr, unknown))}")
        return values

    @model_validator(mode="after")
    def _consistent(self) -> Therapist:
        if self.fee_min > self.fee_max:
            raise ValueError("fee_min is greater than fee_max")
        if not self.offices and not self.telehealth:
            raise ValueError("a therapist with no office must offer telehealth")
        ids = [o.id for o in self.offices]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate office id")
        return self

    @property
    def in_person(self) -> bool:
        return bool(self.offices)


LocationKind = Literal["state", "city", "zip"]


class Location(_Model):
    """A US state, city or ZIP code. Parents: ZIP → city → state."""

    id: Id = Field(description="Stable id.")
    kind: LocationKind = Field(description="state, city or zip.")
    name: ShortText = Field(description='Its name ("Oregon", "Portland", "97214").')
    slug: Slug = Field(description='Its slug (GET /locations/{slug}: "portland-or").')
    state: StateCode = Field(description="Two-letter code of its state.")
    state_name: ShortText = Field(description='Name of its state ("Oregon").')
    county: ShortText | None = Field(None, description="County, when known.")
    population: int | None = Field(default=None, ge=0, description="Population, when known.")
    location: GeoPoint = Field(description="Its centre.")
    parent: Slug | None = Field(
        None, description="Slug of the place it is in (ZIP → city → state); null for a state."
    )
    zip: ZipCode | None = Field(None, description="The ZIP code, for a ZIP code location.")
    city: ShortText | None = Field(None, description="The city a ZIP code belongs to.")

    @model_validator(mode="after")
    def _shape(self) -> Location:
        if self.kind == "state" and self.parent is not None:
            raise ValueError("a state has no parent")
        if self.kind != "state" and self.parent is None:
            raise ValueError(f"a {self.kind} needs its parent")
        if (self.kind == "zip") != (self.zip is not None):
            raise ValueError("zip is set exactly for ZIP code locations")
        return self


class ArticleAuthor(_Model):
    name: ShortText = Field(description="The author's name, with credentials.")
    therapist_id: Id | None = Field(
        None, description="The author's therapist id (GET /therapists/{id}), when listed."
    )


class Comment(_Model):
    id: Id = Field(description="The comment's id.")
    author_name: ShortText = Field(description="Who wrote it.")
    date: dt.datetime = Field(description="When (ISO 8601).")
    text: Annotated[str, StringConstraints(min_length=1, max_length=5_000)] = Field(
        description="The comment, plain text."
    )


class Article(_Model):
    id: Id = Field(description="Stable id.")
    slug: Slug = Field(description="Its slug (GET /articles/{slug}).")
    title: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)
    ] = Field(description="The title.")
    author: ArticleAuthor = Field(description="Who wrote it.")
    published: dt.date = Field(description="Publication date.")
    topics: Annotated[list[str], _in(ARTICLE_TOPICS)] = Field(
        min_length=1, description=_slugs("Topics", "article_topics")
    )
    summary: Annotated[str, StringConstraints(min_length=1, max_length=1_000)] = Field(
        description="A short summary, plain text."
    )
    body: Annotated[str, StringConstraints(min_length=1, max_length=200_000)] = Field(
        description="The article, plain text; paragraphs split by a blank line."
    )
    comments: list[Comment] = Field([], description="Comments on the article.")


DocumentKind = Literal["therapists", "locations", "articles"]
MODELS: dict[str, type[_Model]] = {
    "therapists": Therapist,
    "locations": Location,
    "articles": Article,
}
