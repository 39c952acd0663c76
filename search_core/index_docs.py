"""Documents → index documents: the ``_source`` both engines store, shaped as ``mappings/*.json``.

An index document is the validated document plus what search needs and cannot compute at query
time: vocabulary labels as text (so "Chronic Pain" matches a search for chronic pain), each
office's city slug (for browse pages), flags derived from the offices, and comment counts.
"""

from __future__ import annotations

from typing import Any

from search_core.documents import STORED, Article, Location, Therapist
from search_core.slugs import city_slug
from search_core.vocabulary import (
    AGE_GROUPS,
    ARTICLE_TOPICS,
    INSURANCE,
    ISSUES,
    LANGUAGES,
    POPULATIONS,
    PROFESSIONS,
    THERAPY_TYPES,
)

IndexDoc = dict[str, Any]


def therapist_doc(t: Therapist) -> IndexDoc:
    return {
        "id": t.id,
        "slug": t.slug,
        "name": t.name,
        "credentials": list(t.credentials),
        "profession": t.profession,
        "profession_label": PROFESSIONS.label(t.profession),
        "gender": t.gender,
        "pronouns": t.pronouns,
        "bio": t.bio,
        "issues": list(t.issues),
        "issue_labels": ISSUES.labels(t.issues),
        "therapy_types": list(t.therapy_types),
        "therapy_type_labels": THERAPY_TYPES.labels(t.therapy_types),
        "age_groups": list(t.age_groups),
        "age_group_labels": AGE_GROUPS.labels(t.age_groups),
        "populations": list(t.populations),
        "population_labels": POPULATIONS.labels(t.populations),
        "languages": list(t.languages),
        "language_labels": LANGUAGES.labels(t.languages),
        "insurance": list(t.insurance),
        "insurance_labels": INSURANCE.labels(t.insurance),
        "fee_min": t.fee_min,
        "fee_max": t.fee_max,
        "sliding_scale": t.sliding_scale,
        "telehealth": t.telehealth,
        "in_person": bool(t.offices),
        "licensed_states": list(t.licensed_states),
        "accepting_new_clients": t.accepting_new_clients,
        "last_confirmed": t.last_confirmed.isoformat(),
        "years_in_practice": t.years_in_practice,
        "offices": [
            {
                "id": o.id,
                "street": o.street,
                "city": o.city,
                "city_slug": city_slug(o.city, o.state),
                "state": o.state,
                "zip": o.zip,
                "location": {"lat": o.location.lat, "lon": o.location.lon},
            }
            for o in t.offices
        ],
        "phone": t.phone,
        "email": t.email,
        "website": t.website,
        "booking_url": t.booking_url,
        "free_consultation": t.free_consultation,
        "photo_url": t.photo_url,
    }


def location_doc(loc: Location) -> IndexDoc:
    return loc.model_dump(mode="json")


def article_doc(a: Article) -> IndexDoc:
    doc = a.model_dump(mode="json")
    doc["topic_labels"] = ARTICLE_TOPICS.labels(a.topics)
    doc["comment_count"] = len(a.comments)
    return doc


_THERAPIST_FIELDS = frozenset(Therapist.model_fields)
_ARTICLE_FIELDS = frozenset(Article.model_fields)
# (``Model.model_fields`` is a descriptor call each time: a set is read per search hit)


def therapist_from_doc(doc: IndexDoc) -> Therapist:
    """The public document back from a stored index document (derived fields dropped)."""
    data = {k: v for k, v in doc.items() if k in _THERAPIST_FIELDS}
    data["offices"] = [
        {k: v for k, v in o.items() if k != "city_slug"} for o in doc.get("offices", [])
    ]
    return Therapist.model_validate(data, context=STORED)


def article_from_doc(doc: IndexDoc) -> Article:
    return Article.model_validate(
        {k: v for k, v in doc.items() if k in _ARTICLE_FIELDS}, context=STORED
    )


def location_from_doc(doc: IndexDoc) -> Location:
    return Location.model_validate(doc, context=STORED)


TO_INDEX_DOC = {"therapists": therapist_doc, "locations": location_doc, "articles": article_doc}
