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
CONTROL_CLASS = _CONTROLS
"""The characters refused in all text, as the inside of a character class of ``re`` (tab, line
feed and carriage return are also refused in one-line text)."""
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
    known = frozenset(vocab.slugs)  # a set look-up per value: this runs for every record loaded

    def check(values: list[str]) -> list[str]:
        unknown = [v for v in values if v not in known]
        if unknown:
            raise ValueError(f"unknown {vocab.name} value(s): {', '.join(map(repr, unknown))}")
        if len(set(values)) != len(values):
            raise ValueError(f"duplicate {vocab.name} value(s)")
        return values

    return AfterValidator(check)


def _one_of(vocab: Vocabulary) -> AfterValidator:
    known = frozenset(vocab.slugs)

    def check(value: str) -> str:
        if value not in known:
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
    pronouns: Annotated[str, StringConstraints(max_length=30), _LINE] = Field(
        "", description='Pronouns as the therapist gives them ("she/her"); may be empty.'
    )
    bio: Bio = Field(
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
    text: CommentText = Field(description="The comment, plain text.")


class Article(_Model):
    id: Id = Field(description="Stable id.")
    slug: Slug = Field(description="Its slug (GET /articles/{slug}).")
    title: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), _LINE
    ] = Field(description="The title.")
    author: ArticleAuthor = Field(description="Who wrote it.")
    published: dt.date = Field(description="Publication date.")
    topics: Annotated[list[str], _in(ARTICLE_TOPICS)] = Field(
        min_length=1, description=_slugs("Topics", "article_topics")
    )
    summary: Summary = Field(description="A short summary, plain text.")
    body: Body = Field(description="The article, plain text; paragraphs split by a blank line.")
    comments: list[Comment] = Field([], description="Comments on the article.")


MODELS: dict[str, type[_Model]] = {
    "therapists": Therapist,
    "locations": Location,
    "articles": Article,
}
