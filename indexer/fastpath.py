"""The fast path of therapist validation: the common, well-formed record checked in compiled
code and turned straight into its index document, without the pydantic model.

:func:`therapist_index_doc` reads a source line with a strict schema of its own (pydantic-core,
every check compiled: types without coercion, lengths, patterns, vocabularies as literals) and
returns what ``therapist_doc(Therapist.model_validate_json(line))`` returns, or ``None`` when it
cannot decide. The strict schema accepts a value only in the form the model keeps as it is:
no surrounding whitespace to strip, no control character, a phone already in E.164, an email
with a lower-case domain, a URL of a plain form that ``web_url`` returns unchanged, a date as
``YYYY-MM-DD``. Everything else (anything the model would normalise, refuse, or that takes a
rule across fields) is left to the model, which accepts or rejects the line with its own
reason. So the fast path only ever accepts what the model accepts, with the same document, and
every reject and its message are the model's (tests/test_fastpath.py checks both on every
fixture record and on records broken on purpose).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from pydantic_core import SchemaValidator, ValidationError
from pydantic_core import core_schema as cs

from search_core.contact import MAX_EMAIL_CHARS, MAX_URL_CHARS, avatar_path
from search_core.documents import CONTROL_CLASS, MAX_OFFICES
from search_core.slugs import city_slug
from search_core.vocabulary import (
    AGE_GROUPS,
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


def _rust(python_class: str) -> str:
    """A character class of Python's ``re`` (``\\x00``, ``\\u202a``) in Rust regex syntax."""
    return re.sub(r"\\[xu]([0-9a-fA-F]+)", lambda m: f"\\x{{{m.group(1)}}}", python_class)


_TEXT_CONTROLS = _rust(CONTROL_CLASS)
_LINE_CONTROLS = f"\\t\\n\\r{_TEXT_CONTROLS}"


def _kept_as_is(controls: str, empty: bool = False) -> str:
    """Text the model keeps unchanged: neither starts nor ends with whitespace (Unicode's, what
    pydantic strips), no control character."""
    body = f"[^\\s{controls}](?:[^{controls}]*[^\\s{controls}])?"
    return f"^(?:{body})?$" if empty else f"^{body}$"


_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = rf"(?:{_LABEL}\.)+[a-z]{{2,63}}"
_PATH = r"(?:/[A-Za-z0-9._~%/+=,;:-]*)?(?:\?[A-Za-z0-9._~%/+=&,;:-]*)?"
PATTERNS = {
    "id": r"^[a-z0-9][a-z0-9_-]{0,63}$",
    "slug": r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "zip": r"^[0-9]{5}$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "line": _kept_as_is(_LINE_CONTROLS),
    "line_or_empty": _kept_as_is(_LINE_CONTROLS, empty=True),
    "text": _kept_as_is(_TEXT_CONTROLS),
    # E.164 as us_phone writes it: area code and exchange 2-9 first, not N11
    "phone": r"^\+1[2-9](?:[02-9][0-9]|1[02-9])[2-9](?:[02-9][0-9]|1[02-9])[0-9]{4}$",
    # one address, the local part as email_address allows it, the domain in lower case
    "email": rf"^[A-Za-z0-9_+'-]+(?:\.[A-Za-z0-9_+'-]+)*@{_HOST}$",
    # a plain URL: scheme in lower case, a host name without port or user, a simple path
    "web": rf"^https?://{_HOST}{_PATH}$",
    "photo": rf"^(?:https://{_HOST}{_PATH}|/avatars/[a-z0-9][a-z0-9_-]{{0,63}}\.svg)$",
}
"""What the strict schema accepts of each kind of string (Rust regex syntax)."""


def _str(kind: str, shortest: int | None = None, longest: int | None = None) -> cs.StringSchema:
    return cs.str_schema(
        pattern=PATTERNS[kind],
        min_length=shortest,
        max_length=longest,
        strict=True,
        regex_engine="rust-regex",
    )


def _of(values: list[str]) -> cs.LiteralSchema:
    return cs.literal_schema(list(values))


def _list(item: cs.CoreSchema, shortest: int = 0, longest: int | None = None) -> cs.ListSchema:
    return cs.list_schema(item, min_length=shortest, max_length=longest, strict=True)


def _number(low: float, high: float) -> cs.FloatSchema:
    return cs.float_schema(ge=low, le=high, strict=True)


def _int(low: int, high: int) -> cs.IntSchema:
    return cs.int_schema(ge=low, le=high, strict=True)


def _fields(
    required: dict[str, cs.CoreSchema], optional: dict[str, cs.CoreSchema] | None = None
) -> cs.TypedDictSchema:
    fields = {k: cs.typed_dict_field(v, required=True) for k, v in required.items()}
    fields |= {k: cs.typed_dict_field(v, required=False) for k, v in (optional or {}).items()}
    return cs.typed_dict_schema(fields, extra_behavior="forbid", strict=True)


_STATE = _of(list(US_STATES))
_BOOL = cs.bool_schema(strict=True)
_OFFICE = _fields(
    {
        "id": _str("id"),
        "street": _str("line", 1, 200),
        "city": _str("line", 1, 200),
        "state": _STATE,
        "zip": _str("zip"),
        "location": _fields({"lat": _number(-90, 90), "lon": _number(-180, 180)}),
    }
)
_THERAPIST = SchemaValidator(
    _fields(
        {
            "id": _str("id"),
            "slug": _str("slug", None, 120),
            "name": _str("line", 1, 200),
            "credentials": _list(_of(list(CREDENTIALS)), 1, 6),
            "profession": _of(PROFESSIONS.slugs),
            "gender": _of(GENDERS.slugs),
            "bio": _str("text", 1, 20_000),
            "issues": _list(_of(ISSUES.slugs), 1, 25),
            "therapy_types": _list(_of(THERAPY_TYPES.slugs), 0, 15),
            "age_groups": _list(_of(AGE_GROUPS.slugs), 1),
            "languages": _list(_of(LANGUAGES.slugs), 1),
            "fee_min": _int(0, 2000),
            "fee_max": _int(0, 2000),
            "sliding_scale": _BOOL,
            "telehealth": _BOOL,
            "licensed_states": _list(_STATE, 1),
            "accepting_new_clients": _BOOL,
            "last_confirmed": _str("date"),
            "years_in_practice": _int(0, 70),
        },
        {
            "pronouns": _str("line_or_empty", None, 30),
            "populations": _list(_of(POPULATIONS.slugs)),
            "insurance": _list(_of(INSURANCE.slugs)),
            "offices": _list(_OFFICE, 0, MAX_OFFICES),
            "phone": cs.nullable_schema(_str("phone")),
            "email": cs.nullable_schema(_str("email", None, MAX_EMAIL_CHARS)),
            "website": cs.nullable_schema(_str("web", None, MAX_URL_CHARS)),
            "booking_url": cs.nullable_schema(_str("web", None, MAX_URL_CHARS)),
            "free_consultation": _BOOL,
            "photo_url": cs.nullable_schema(_str("photo", None, MAX_URL_CHARS)),
        },
    )
)


def _labels(vocab: Vocabulary) -> dict[str, str]:
    return {slug: vocab.label(slug) for slug in vocab.slugs}


_PROFESSIONS = _labels(PROFESSIONS)
_ISSUES = _labels(ISSUES)
_THERAPY_TYPES = _labels(THERAPY_TYPES)
_AGE_GROUPS = _labels(AGE_GROUPS)
_POPULATIONS = _labels(POPULATIONS)
_LANGUAGES = _labels(LANGUAGES)
_INSURANCE = _labels(INSURANCE)


@functools.lru_cache(maxsize=1 << 16)
def _city_slug(city: str, state: str) -> str:
    return city_slug(city, state)


def _distinct(*lists: list[str]) -> bool:
    return all(len(set(values)) == len(values) for values in lists)


def therapist_index_doc(line: bytes) -> dict[str, Any] | None:
    """The index document of a therapist source line the model accepts as it stands, or
    ``None`` when the model must decide (see the module's docstring)."""
    try:
        r = _THERAPIST.validate_json(line)
    except ValidationError:
        return None
    tid = r["id"]
    issues, therapy_types, age_groups = r["issues"], r["therapy_types"], r["age_groups"]
    populations, languages = r.get("populations", []), r["languages"]
    insurance, offices = r.get("insurance", []), r.get("offices", [])
    telehealth, photo = r["telehealth"], r.get("photo_url")
    email = r.get("email")
    if (
        not _distinct(issues, therapy_types, age_groups, populations, languages, insurance)
        or r["fee_min"] > r["fee_max"]
        or not (offices or telehealth)
        or (len(offices) > 1 and len({o["id"] for o in offices}) != len(offices))
        or (photo is not None and photo[0] == "/" and photo != avatar_path(tid))
        or (email is not None and email.index("@") > 64)
    ):
        return None
    confirmed = r["last_confirmed"]
    try:
        dt.date.fromisoformat(confirmed)
    except ValueError:
        return None
    profession = r["profession"]
    return {
        "id": tid,
        "slug": r["slug"],
        "name": r["name"],
        "credentials": r["credentials"],
        "profession": profession,
        "profession_label": _PROFESSIONS[profession],
        "gender": r["gender"],
        "pronouns": r.get("pronouns", ""),
        "bio": r["bio"],
        "issues": issues,
        "issue_labels": [_ISSUES[v] for v in issues],
        "therapy_types": therapy_types,
        "therapy_type_labels": [_THERAPY_TYPES[v] for v in therapy_types],
        "age_groups": age_groups,
        "age_group_labels": [_AGE_GROUPS[v] for v in age_groups],
        "populations": populations,
        "population_labels": [_POPULATIONS[v] for v in populations],
        "languages": languages,
        "language_labels": [_LANGUAGES[v] for v in languages],
        "insurance": insurance,
        "insurance_labels": [_INSURANCE[v] for v in insurance],
        "fee_min": r["fee_min"],
        "fee_max": r["fee_max"],
        "sliding_scale": r["sliding_scale"],
        "telehealth": telehealth,
        "in_person": bool(offices),
        "licensed_states": r["licensed_states"],
        "accepting_new_clients": r["accepting_new_clients"],
        "last_confirmed": confirmed,
        "years_in_practice": r["years_in_practice"],
        "offices": [
            {
                "id": o["id"],
                "street": o["street"],
                "city": o["city"],
                "city_slug": _city_slug(o["city"], o["state"]),
                "state": o["state"],
                "zip": o["zip"],
                "location": o["location"],
            }
            for o in offices
        ],
        "phone": r.get("phone"),
        "email": email,
        "website": r.get("website"),
        "booking_url": r.get("booking_url"),
        "free_consultation": r.get("free_consultation", False),
        "photo_url": photo,
    }
