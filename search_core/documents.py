"""The validated document models: Therapist (with offices), Location, Article (with comments).

These are the records the fixtures hold and the indexer loads, one JSON object a line. Controlled
fields hold vocabulary slugs (see :mod:`search_core.vocabulary`); an unknown slug is a validation
error, so a typo in a data feed is rejected with its reason instead of creating a phantom facet.

Free text (names, addresses, bios, titles, comments) may not hold control characters: C0 (tab,
line feed and carriage return only in multi-line text: bios, summaries, bodies, comments), DEL,
C1, and the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) that
make text display other than it reads. A record with one is refused with the reason, like any
invalid record. Records read back from an index (validated with :data:`STORED`) have them
removed instead, so that an index built before this rule never serves one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializationInfo,
    StringConstraints,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_validator,
)

from search_core.contact import SHOW_AVATARS, Email, Phone, PhotoUrl, WebUrl, avatar_path
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

STORED: dict[str, Any] = {"stored": True}
"""Validation context of records read back from an index: control characters are removed."""
_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_IN_TEXT = re.compile(f"[{_CONTROLS}]")
_IN_LINE = re.compile(f"[\\t\\n\\r{_CONTROLS}]")
_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 9: "TAB", 10: "LF", 13: "CR", 27: "ESC", 127: "DEL"}


def _character(c: str) -> str:
    name = _NAMES.get(ord(c)) or unicodedata.name(c, "")
    return f"U+{ord(c):04X}" + (f" ({name})" if name else "")


def _no_controls(pattern: re.Pattern[str], what: str) -> AfterValidator:
    ascii_controls = bytes(c for c in range(128) if pattern.match(chr(c)))

    def check(value: str, info: ValidationInfo) -> str:
        if value.isascii():  # most text: a byte scan is 15 times faster than the pattern
            raw = value.encode()
            if len(raw.translate(None, ascii_controls)) == len(raw):
                return value
        found = pattern.search(value)
        if found is None:
            return value
        if info.context and info.context.get("stored"):
            return pattern.sub("", value)
        raise ValueError(
            f"control character {_character(found.group())} at character {found.start() + 1}: "
            f"not allowed{what}"
        )

    return AfterValidator(check)


_LINE = _no_controls(_IN_LINE, " in one-line text")
_TEXT = _no_controls(_IN_TEXT, "")

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), _LINE
]
Bio = Annotated[str, StringConstraints(min_length=1, max_length=20_000), _TEXT]
CommentText = Annotated[str, StringConstraints(min_length=1, max_length=5_000), _TEXT]
Summary = Annotated[str, StringConstraints(min_length=1, max_length=1_000), _TEXT]
Body = Annotated[str, StringConstraints(min_length=1, max_length=200_000), _TEXT]


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
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Office(_Model):
    id: Id
    street: ShortText
    city: ShortText
    state: StateCode
    zip: ZipCode
    location: GeoPoint


class Therapist(_Model):
    id: Id
    slug: Slug
    name: ShortText
    credentials: list[str] = Field(min_length=1, max_length=6)
    profession: Annotated[str, _one_of(PROFESSIONS)]
    gender: Annotated[str, _one_of(GENDERS)]
    pronouns: Annotated[str, StringConstraints(max_length=30), _LINE] = ""
    bio: Bio
    issues: Annotated[list[str], _in(ISSUES)] = Field(min_length=1, max_length=25)
    therapy_types: Annotated[list[str], _in(THERAPY_TYPES)] = Field(max_length=15)
    age_groups: Annotated[list[str], _in(AGE_GROUPS)] = Field(min_length=1)
    populations: Annotated[list[str], _in(POPULATIONS)] = []
    languages: Annotated[list[str], _in(LANGUAGES)] = Field(min_length=1)
    insurance: Annotated[list[str], _in(INSURANCE)] = []
    fee_min: int = Field(ge=0, le=2000, description="Lowest fee per session, USD")
    fee_max: int = Field(ge=0, le=2000, description="Highest fee per session, USD")
    sliding_scale: bool
    telehealth: bool
    licensed_states: list[StateCode] = Field(min_length=1)
    accepting_new_clients: bool
    last_confirmed: dt.date
    years_in_practice: int = Field(ge=0, le=70)
    offices: list[Office] = Field(default_factory=list, max_length=MAX_OFFICES)
    # How to reach the therapist: all optional (see search_core.contact for the checks).
    phone: Phone = Field(
        None,
        description="US phone number in E.164, e.g. `+15035550123` (for `tel:` links; pages "
        "show it as (503) 555-0123). Accepted in any usual US form when loading.",
    )
    email: Email = Field(None, description="Email address, for `mailto:` links.")
    website: WebUrl = Field(None, description="The therapist's own website (http or https).")
    booking_url: WebUrl = Field(
        None, description="Where to book an appointment or a consultation online (http or https)."
    )
    free_consultation: bool = Field(
        False, description="Offers a free first consultation (often 15 minutes, by phone or video)."
    )
    photo_url: PhotoUrl = Field(
        None,
        description="The therapist's photo (https). Always set in API answers: a therapist "
        "without a photo gets the path of a generated initials avatar, `/avatars/{id}.svg` "
        "(relative to the API's address).",
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
        if (
            self.photo_url
            and self.photo_url.startswith("/")
            and (self.photo_url != avatar_path(self.id))
        ):
            raise ValueError(
                f"photo_url {self.photo_url!r}: a path on this site must be the therapist's own "
                f"avatar, {avatar_path(self.id)}; a photo elsewhere needs an https URL"
            )
        return self

    @field_serializer("photo_url")
    def _photo_or_avatar(self, value: str | None, info: SerializationInfo) -> str | None:
        """Answers serialised with the :data:`~search_core.contact.SHOW_AVATARS` context (the
        API's) name the generated avatar for a therapist without a photo; a plain dump keeps
        the record as it is."""
        if value is None and isinstance(info.context, dict) and info.context.get(SHOW_AVATARS):
            return avatar_path(self.id)
        return value

    @property
    def in_person(self) -> bool:
        return bool(self.offices)


LocationKind = Literal["state", "city", "zip"]


class Location(_Model):
    """A US state, city or ZIP code. Parents: ZIP → city → state."""

    id: Id
    kind: LocationKind
    name: ShortText
    slug: Slug
    state: StateCode
    state_name: ShortText
    county: ShortText | None = None
    population: int | None = Field(default=None, ge=0)
    location: GeoPoint
    parent: Slug | None = None
    zip: ZipCode | None = None
    city: ShortText | None = None

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
    name: ShortText
    therapist_id: Id | None = None


class Comment(_Model):
    id: Id
    author_name: ShortText
    date: dt.datetime
    text: CommentText


class Article(_Model):
    id: Id
    slug: Slug
    title: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), _LINE
    ]
    author: ArticleAuthor
    published: dt.date
    topics: Annotated[list[str], _in(ARTICLE_TOPICS)] = Field(min_length=1)
    summary: Summary
    body: Body
    comments: list[Comment] = []


DocumentKind = Literal["therapists", "locations", "articles"]
MODELS: dict[str, type[_Model]] = {
    "therapists": Therapist,
    "locations": Location,
    "articles": Article,
}
