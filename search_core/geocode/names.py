"""How place names are folded into matching keys: case, accents, punctuation and spacing
ignored, and "St."/"Saint", "Ste."/"Sainte", "Ft."/"Fort", "Mt."/"Mount" alike."""

from __future__ import annotations

import re
import unicodedata

from search_core.errors import InvalidQuery
from search_core.vocabulary import US_STATES

MAX_TEXT = 100
"""Longest text :meth:`Geocoder.resolve` accepts."""

_APOSTROPHES = re.compile(r"['\u2018\u2019`\u00b4]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SHORT = {"saint": "st", "sainte": "ste", "fort": "ft", "mount": "mt"}
_LONG = {short: long for long, short in _SHORT.items()}


def tokens(text: str) -> list[str]:
    """Words of a place name, folded: ``"St. Mary's, Ga."`` → ``["st", "marys", "ga"]``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", folded.lower())).split()
    return [_SHORT.get(w, w) for w in words]


def name_key(text: str) -> str:
    """The matching key of a place name: ``"Saint Louis"``, ``"st. louis"`` → ``"stlouis"``."""
    return "".join(tokens(text))


def long_key(words: list[str]) -> str:
    """The key with abbreviations spelt out (``"saintlouis"``), so a typed "sain" finds it."""
    return "".join(_LONG.get(w, w) for w in words)


def check_text(text: str) -> str:
    """The place text stripped; InvalidQuery unless it is text of 1 to MAX_TEXT characters."""
    if not isinstance(text, str):
        raise InvalidQuery(f"a place must be text, got {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise InvalidQuery("a place is needed: a ZIP code, a city or a state")
    if len(stripped) > MAX_TEXT:
        raise InvalidQuery(f"a place is at most {MAX_TEXT} characters, got {len(stripped)}")
    return stripped


def _state_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for code, name in US_STATES.items():
        keys[code.lower()] = code
        keys[name_key(name)] = code
    return keys


STATE_KEYS: dict[str, str] = _state_keys()
"""``"or"`` and ``"oregon"`` → ``"OR"``."""


def states_starting(key: str) -> set[str]:
    """States whose lower-case code or name key starts with ``key`` (all of them if empty)."""
    return {code for k, code in STATE_KEYS.items() if k.startswith(key)}
