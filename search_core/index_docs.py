"""Documents → index documents: the ``_source`` both engines store, shaped as ``mappings/*.json``.

An index document is the validated document plus what search needs and cannot compute at query
time: vocabulary labels as text (so "Chronic Pain" matches a search for chronic pain), each
office's city slug (for browse pages), flags derived from the offices, and comment counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from search_core.documents import STORED, Article, Location, Office, Therapist
from search_core.filters import Filter
from search_core.filters import entries as filter_entries
from search_core.slugs import city_slug
from search_core.vocabulary import ARTICLE_TOPICS, Vocabulary

IndexDoc = dict[str, Any]


def _labeller(entry: Filter) -> tuple[str, str, Vocabulary] | None:
    if entry.label_field is None or entry.vocabulary is None:
        return None
    return entry.field or entry.name, entry.label_field, entry.vocabulary


_LABELS: dict[str, tuple[str, Vocabulary]] = {
    field: (label_field, vocab)
    for field, label_field, vocab in filter(None, map(_labeller, filter_entries()))
}
"""Document field → the index field of its labels (a filter's ``label_field``) and their
vocabulary: "Chronic Pain" beside ``chronic-pain`` so that words find it."""


def therapist_doc(t: Therapist) -> IndexDoc:
    """The therapist's fields in order, each filter's labels after its values, ``in_person``
    after ``telehealth`` and each office's city slug after its city."""
    doc: IndexDoc = {}
    for key, value in vars(t).items():
        if key == "offices":
            value = [_office(o) for o in t.offices]
        elif isinstance(value, list):
            value = list(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        doc[key] = value
        labelled = _LABELS.get(key)
        if labelled is not None:
            label_field, vocab = labelled
            many = isinstance(value, list)
            doc[label_field] = vocab.labels(value) if many else vocab.label(value)
        if key == "telehealth":
            doc["in_person"] = bool(t.offices)
    return doc


def _office(o: Office) -> IndexDoc:
    return {
        "id": o.id,
        "street": o.street,
        "city": o.city,
        "city_slug": city_slug(o.city, o.state),
        "state": o.state,
        "zip": o.zip,
        "location": {"lat": o.location.lat, "lon": o.location.lon},
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
