"""URL slugs shared by the fixtures, the indexer and the API, so links agree everywhere."""

from __future__ import annotations

import re
import unicodedata

from search_core.vocabulary import US_STATES

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """``"Coeur d'Alene"`` → ``"coeur-d-alene"``; accents folded, everything else a hyphen."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub("-", folded.lower()).strip("-")


def state_slug(state: str) -> str:
    """``"OR"`` → ``"oregon"``."""
    return slugify(US_STATES[state])


def city_slug(city: str, state: str) -> str:
    """``("Portland", "OR")`` → ``"portland-or"``."""
    return f"{slugify(city)}-{state.lower()}"
