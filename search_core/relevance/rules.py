"""The grading rules of ``relevance/JUDGING.md``, as pure functions of a need and a document.

Therapists (``grade_therapist``):

1. With a location: no office within the search radius → 0 (the search never shows them).
   With a state: an office in the state, or licensed there and seeing clients online (then at
   most 2); else 0.
2. A name query: same name → 3, same surname → 1, else 0.
3. A hard aspect not met → 0. Every aspect met *strongly* → 3; every aspect met → 2; some
   aspect met → 1; none met but a ``related`` condition holds → 1; else 0. An issue is met
   strongly when it is one of the therapist's first three issues (their named specialties, the
   ones the bio leads with); any other condition is met strongly when it holds.
4. With a location, the distance to the nearest office caps the grade: beyond
   :data:`NEAR_KM` at most 2, beyond :data:`FAR_KM` at most 1. A query with a location and
   no aspects grades by distance alone: within :data:`WALK_KM` 3, within NEAR_KM 2, else 1;
   a state and no aspects: an office there 3, online and licensed there 2.

Articles (``grade_article``): the article named → 3; by the author asked for → 3; its first
topic among ``topics`` → 3; another of its topics among them → 2; a topic among
``related_topics`` → 1; else 0. The best rule that applies wins.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from search_core.geo import distance_km
from search_core.queries import FLAGS, GeoFilter
from search_core.relevance.needs import MAX_FEE, SINGLE_FACETS, Need

WALK_KM = 5.0
NEAR_KM = 15.0
FAR_KM = 30.0
TOP_ISSUES = 3
Doc = dict[str, Any]
_CREDENTIALS = re.compile(r",.*$")


def fold(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.findall(r"[a-z0-9]+", plain.lower())


def nearest_km(doc: Doc, near: GeoFilter) -> float | None:
    offices = doc.get("offices") or []
    if not offices:
        return None
    return min(
        distance_km(near.lat, near.lon, o["location"]["lat"], o["location"]["lon"]) for o in offices
    )


def condition(cond: str, doc: Doc) -> str | None:
    """``"strong"``, ``"weak"`` or None: how ``doc`` meets ``facet:value``."""
    facet, _, value = cond.partition(":")
    if facet in FLAGS:
        return "strong" if bool(doc.get(facet)) == (value == "true") else None
    if facet in SINGLE_FACETS:
        return "strong" if doc.get(facet) == value else None
    if facet == MAX_FEE:
        fee = doc.get("fee_min")
        return "strong" if fee is not None and fee <= int(value) else None
    values = doc.get(facet) or []
    if value not in values:
        return None
    if facet == "issues" and values.index(value) >= TOP_ISSUES:
        return "weak"
    return "strong"


def _aspect(conds: list[str], doc: Doc) -> str | None:
    found = [condition(c, doc) for c in conds]
    if "strong" in found:
        return "strong"
    return "weak" if "weak" in found else None


def _name_grade(name: str, doc: Doc) -> tuple[int, str]:
    want, have = fold(name), fold(doc.get("name", ""))
    if not want or not have:
        return 0, "no name"
    if want == have or (set(want) <= set(have) and want[-1] == have[-1]):
        return 3, "the therapist named"
    if want[-1] == have[-1]:
        return 1, "same surname"
    return 0, "another name"


def in_state(doc: Doc, state: str) -> str | None:
    """``"office"`` or ``"online"``: how a therapist serves someone in ``state``, else None."""
    if any(o.get("state") == state for o in doc.get("offices") or []):
        return "office"
    if doc.get("telehealth") and state in (doc.get("licensed_states") or []):
        return "online"
    return None


def grade_therapist(need: Need, doc: Doc, near: GeoFilter | None) -> tuple[int, str]:
    """(grade, why) of one therapist for one need, ``near`` the query's area if it has one."""
    if need.state:
        how = in_state(doc, need.state)
        if how is None:
            return 0, f"neither an office in nor online to {need.state}"
        cap = 3 if how == "office" else 2
        if not need.aspects:
            return cap, f"{how} in {need.state}"
        grade, why = grade_therapist(need.model_copy(update={"state": None}), doc, None)
        if grade > cap:
            grade, why = cap, why + f"; capped at {cap}: online only"
        return grade, f"{why}; {how} in {need.state}"
    km = nearest_km(doc, near) if near is not None else None
    where = ""
    if near is not None:
        if km is None:
            return 0, "no office (online only): outside the area"
        if km > near.radius_km:
            return 0, f"nearest office {km:.1f} km: outside the area"
        where = f"; {km:.1f} km"
    ruled_out = [c for c in need.none if condition(c, doc)]
    if ruled_out:
        return 0, f"has {', '.join(ruled_out)} (ruled out)"
    if need.name:
        grade, why = _name_grade(need.name, doc)
        return grade, why + where
    if not need.aspects:
        if km is None:
            return 0, "nothing asked"
        grade = 3 if km <= WALK_KM else 2 if km <= NEAR_KM else 1
        return grade, f"location only{where}"
    met: list[str] = []
    missing: list[str] = []
    strong = 0
    for a in need.aspects:
        how = _aspect(a.any, doc)
        label = "|".join(a.any)
        if how is None:
            if a.hard:
                return 0, f"lacks {label} (a must)"
            missing.append(label)
            continue
        met.append(label if how == "strong" else f"{label} (not top {TOP_ISSUES})")
        strong += how == "strong"
    n = len(need.aspects)
    if not met:
        related = [c for c in need.related if condition(c, doc)]
        if related:
            return 1, f"related: {', '.join(related)}{where}"
        return 0, f"lacks {', '.join(missing)}"
    grade = 3 if strong == n else 2 if len(met) == n else 1
    why = "has " + ", ".join(met) + (f"; lacks {', '.join(missing)}" if missing else "")
    if km is not None:
        cap = 3 if km <= NEAR_KM else 2 if km <= FAR_KM else 1
        if grade > cap:
            grade, why = cap, why + f"; capped at {cap} by distance"
    return grade, why + where


def author_name(article: Doc) -> str:
    """The author's name without credentials: ``"Ebony White, LCSW"`` → ``"Ebony White"``."""
    return _CREDENTIALS.sub("", (article.get("author") or {}).get("name", "")).strip()


def grade_article(need: Need, doc: Doc) -> tuple[int, str]:
    found: list[tuple[int, str]] = [(0, "no rule applies")]
    if need.article and doc.get("id") == need.article:
        found.append((3, "the article named"))
    if need.author and fold(author_name(doc)) == fold(need.author):
        found.append((3, f"by {need.author}"))
    topics: list[str] = doc.get("topics") or []
    if topics and topics[0] in need.topics:
        found.append((3, f"main topic {topics[0]}"))
    shared = [t for t in topics if t in need.topics]
    if shared:
        found.append((2, f"topic {shared[0]}"))
    related = [t for t in topics if t in need.related_topics]
    if related:
        found.append((1, f"related topic {related[0]}"))
    return max(found, key=lambda g: g[0])
