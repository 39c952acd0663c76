"""Number patterns in a search text: a budget ("under $100", "less than 150 dollars",
"$90 or less"), a distance ("within 10 miles") and an age ("my 8 year old", "age 15").
Pure functions over folded tokens."""

from __future__ import annotations

from search_core.understanding.text import Token

MAX_FEE = 2000
PRICE_CUES: tuple[tuple[str, ...], ...] = (
    ("no", "more", "than"),
    ("not", "more", "than"),
    ("less", "than"),
    ("cheaper", "than"),
    ("lower", "than"),
    ("up", "to"),
    ("at", "most"),
    ("budget", "of"),
    ("under",),
    ("below",),
    ("max",),
    ("maximum",),
    ("budget",),
    ("<",),
)
PRICE_AFTER: tuple[tuple[str, ...], ...] = (
    ("or", "less"),
    ("or", "under"),
    ("or", "below"),
    ("or", "cheaper"),
    ("and", "under"),
    ("and", "below"),
    ("max",),
    ("tops",),
)
CURRENCY = frozenset({"dollar", "dollars", "usd", "buck", "bucks"})
PER: tuple[tuple[str, ...], ...] = (
    ("a", "session"),
    ("per", "session"),
    ("an", "hour"),
    ("per", "hour"),
    ("per", "visit"),
    ("a", "visit"),
    ("session",),
)
NOT_MONEY = frozenset(
    {"mile", "miles", "mi", "km", "kilometers", "minute", "minutes", "year", "years", "yr",
     "yrs", "old", "month", "months", "week", "weeks", "hour", "hours"}
)  # fmt: skip
DISTANCE_UNITS: dict[str, str] = {
    "mile": "mi", "miles": "mi", "mi": "mi", "km": "km", "kilometers": "km", "kilometres": "km",
}  # fmt: skip


def _starts(norms: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(norms[i : i + len(phrase)]) == phrase


def _first(norms: list[str], i: int, options: tuple[tuple[str, ...], ...]) -> int:
    for p in options:
        if _starts(norms, i, p):
            return len(p)
    return 0


def _money_tail(norms: list[str], j: int) -> int:
    """Words after the number that belong to the price: "dollars", "or less", "a session"."""
    n = 0
    if j < len(norms) and norms[j] in CURRENCY:
        n += 1
    n += _first(norms, j + n, PRICE_AFTER)
    n += _first(norms, j + n, PER)
    return n


def price_at(tokens: list[Token], norms: list[str], i: int) -> tuple[int, int] | None:
    """(tokens used, max fee) when a budget starts at ``tokens[i]``."""
    cue = _first(norms, i, PRICE_CUES)
    j = i + cue
    if j >= len(tokens) or tokens[j].number is None:
        return None
    num = tokens[j]
    assert num.number is not None
    if num.number > MAX_FEE or (j + 1 < len(norms) and norms[j + 1] in NOT_MONEY):
        return None
    tail = _money_tail(norms, j + 1)
    if cue or num.dollar or tail:
        if not cue and not num.dollar and len(num.norm) == 5:
            return None  # a ZIP code
        return cue + 1 + tail, int(num.number)
    return None


def distance_at(tokens: list[Token], norms: list[str], i: int) -> tuple[int, float, str] | None:
    """(tokens used, radius, unit) for "within 10 miles", "10 mi", "under 20 km"."""
    j = i + 1 if norms[i] in {"within", "under", "less", "inside"} else i
    if j > i and norms[i] == "less" and j < len(norms) and norms[j] == "than":
        j += 1
    if j + 1 >= len(tokens) or tokens[j].number is None or tokens[j].dollar:
        return None
    unit = DISTANCE_UNITS.get(norms[j + 1])
    value = tokens[j].number
    if unit is None or value is None or value <= 0:
        return None
    used = j + 2 - i
    if j + 2 < len(norms) and norms[j + 2] in {"away", "radius"}:
        used += 1
    return used, value, unit


AGE_BANDS: tuple[tuple[int, str], ...] = (
    (5, "toddlers"),
    (12, "children"),
    (17, "teens"),
    (64, "adults"),
    (120, "elders"),
)
"""Upper age of each age group of the vocabulary (Toddlers 0 to 5, ... Older Adults 65+)."""
_YEARS_OLD: tuple[tuple[str, ...], ...] = (
    ("year", "old"),
    ("years", "old"),
    ("yr", "old"),
    ("yrs", "old"),
    ("yo",),
)


_NUMBERS_TEXT = """zero one two three four five six seven eight nine ten eleven twelve thirteen
fourteen fifteen sixteen seventeen eighteen nineteen"""
NUMBER_WORDS = {w: n for n, w in enumerate(_NUMBERS_TEXT.split())}
"""Ages spelled out ("my nine year old")."""


def age_at(tokens: list[Token], norms: list[str], i: int) -> tuple[int, str] | None:
    """(tokens used, age group slug) for "8 year old", "15 yo", "nine year old", "age 70",
    "aged 4"."""
    if norms[i] in NUMBER_WORDS and _first(norms, i + 1, _YEARS_OLD):
        age = NUMBER_WORDS[norms[i]]
        return 1 + _first(norms, i + 1, _YEARS_OLD), next(s for t, s in AGE_BANDS if age <= t)
    if norms[i] in {"age", "aged"} and i + 1 < len(tokens):
        num, used = tokens[i + 1], 2
    elif tokens[i].number is not None:
        tail = _first(norms, i + 1, _YEARS_OLD)
        if not tail:
            return None
        num, used = tokens[i], 1 + tail
    else:
        return None
    if num.number is None or num.dollar or not 0 <= num.number <= 120:
        return None
    age = int(num.number)
    return used, next(slug for top, slug in AGE_BANDS if age <= top)
