"""Where a place stands in a search text, and which place it is.

Read at one token position, the longest reading wins:

* a ZIP code (``97214``, ``97214-1234``), always;
* a city followed by its state (``Portland, OR``, ``portland or``, ``Portland Oregon``): any
  city, however small, since the state makes it unambiguous;
* a state name (``texas``, ``New York state``), or a two-letter code: ``tx``, ``ny`` in any
  case, but a code that is also a word ("in", "or", "me", "ok", ...: :data:`WORD_LIKE_CODES`)
  only right after "in"/"near", after a city, or typed in capitals at the end of the text
  ("therapist OR"; "anxiety OR depression" is an operator, not Oregon);
* a bare city name only for a sizeable city (:data:`MIN_POPULATION_BARE_CITY`), and, when all
  its words are ordinary words ("normal", "independence"), only after "in"/"near"; when several
  cities share the name the most populous is taken and a note says so. A name that is also a
  state ("new york", "washington") is the city, as the search box has done so far.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from search_core.geocode import Place, name_key
from search_core.understanding.place_names import Alias
from search_core.understanding.places import MIN_POPULATION_BARE_CITY, Gazetteer
from search_core.understanding.text import Token
from search_core.vocabulary import US_STATES

MAX_CITY_WORDS = 4
CITY_OVER_STATE = 1_000_000
"""A bare state name is the state ("wyoming", "washington"), unless a city of that name is this
large ("new york": the city); a note offers the other reading."""
TITLES = frozenset({"dr", "drs", "doctor", "mr", "mrs", "ms", "miss"})
"""Before a name, never a bare place name ("dr hollywood", "dr houston")."""
PLACE_MARKERS = frozenset({"in", "near", "around", "nearby", "by", "from", "of"})
CODE_MARKERS = frozenset({"in", "near", "around"})
WORD_LIKE_CODES = frozenset(
    {"in", "or", "me", "ok", "hi", "oh", "la", "pa", "de", "co", "ma", "al", "id", "ms", "md",
     "mi", "ne", "ar", "ut", "va", "wa", "ga", "mo", "sd"}
)  # fmt: skip
"""Two-letter state codes that are also words or abbreviations ("or", "me", "ok", "mi" for
miles, "ms", "co-parenting"): states only after "in"/"near" or in capitals at the end.
The other codes ("tx", "ny", "fl") are states in any case, anywhere."""
STATE_NAME_KEYS: dict[str, str] = {name_key(n): c for c, n in US_STATES.items()}
"""``"newyork"`` → ``"NY"``: state names only (codes are handled apart, being short words)."""
STATE_CODES: dict[str, str] = {c.lower(): c for c in US_STATES}
_ABBREVIATED = {"saint": "st", "sainte": "ste", "fort": "ft", "mount": "mt"}


def words_key(words: Sequence[str]) -> str:
    """:func:`~search_core.geocode.name_key` of already folded words, without its regexes
    (the parser asks for a few dozen keys a query): ``["saint", "louis"]`` → ``"stlouis"``."""
    return "".join(_ABBREVIATED.get(w, w) for w in words)


def state_code(words: Sequence[str]) -> str | None:
    """The state these folded words name in full ("new", "york" → "NY"), else None."""
    return STATE_NAME_KEYS.get(words_key(words))


@dataclass(frozen=True)
class PlaceMatch:
    length: int
    place: Place | None
    """None: a ZIP code typed but unknown (its words are still taken out of the text)."""
    qualified: bool = False
    notes: list[str] = field(default_factory=list)
    alternatives: tuple[str, ...] = ()
    """Other places the name could mean (a namesake neighbourhood, borough or city)."""
    radius_mi: float | None = None
    """Set for a neighbourhood: searched within this radius of its centre."""
    twins: frozenset[str] = frozenset()
    """For a local name, the slugs of the city records that are this same place
    (:attr:`~search_core.understanding.place_names.Alias.twins`)."""


def _alpha(tokens: list[Token], i: int, n: int) -> bool:
    return i + n <= len(tokens) and all(t.number is None for t in tokens[i : i + n])


def _state_after(tokens: list[Token], norms: list[str], j: int) -> tuple[int, str] | None:
    """A state right after a city: name (up to 3 words) or two-letter code in any case."""
    for m in (3, 2, 1):
        if _alpha(tokens, j, m):
            code = state_code(norms[j : j + m])
            if code is not None:
                return m, code
    if j < len(norms) and len(norms[j]) == 2 and norms[j] in STATE_CODES:
        return 1, STATE_CODES[norms[j]]
    return None


def _zip_at(tokens: list[Token], text: str, gaz: Gazetteer, i: int) -> PlaceMatch | None:
    t = tokens[i]
    if t.number is None or t.dollar or len(t.norm) != 5 or not t.norm.isdigit():
        return None
    n = 1
    plus4 = tokens[i + 1] if i + 1 < len(tokens) else None
    if plus4 and len(plus4.norm) == 4 and plus4.norm.isdigit() and text[t.end : plus4.start] == "-":
        n = 2
    place = gaz.zip_place(t.norm)
    notes = [] if place else [f"{t.norm}: no such ZIP code is known; it was left out"]
    return PlaceMatch(n, place, True, notes)


def find_place(
    tokens: list[Token],
    norms: list[str],
    text: str,
    gaz: Gazetteer,
    i: int,
    ordinary: frozenset[str],
) -> PlaceMatch | None:
    """The longest place reading starting at ``tokens[i]``, or None.

    ``norms`` are the folded (and typo-corrected) words; ``ordinary`` the words that are not
    names on their own (vocabulary, filler, common words)."""
    z = _zip_at(tokens, text, gaz, i)
    if z is not None:
        return z
    prev = norms[i - 1] if i > 0 else ""
    marked = prev in PLACE_MARKERS
    best: PlaceMatch | None = None
    for n in range(min(MAX_CITY_WORDS, len(tokens) - i), 0, -1):
        if not _alpha(tokens, i, n):
            continue
        words = norms[i : i + n]
        key = words_key(words)
        cities = gaz.cities_named(key)
        state = _state_after(tokens, norms, i + n)
        if cities and state is not None:
            city = gaz.city_in_state(key, state[1])
            if city is not None and (best is None or n + state[0] > best.length):
                best = PlaceMatch(n + state[0], city, True)
        code = state_code(words)
        if code is not None:
            if i + n < len(norms) and norms[i + n] == "state":
                cand = _state(gaz, code, n + 1)
            elif cities and (cities[0].population or 0) >= CITY_OVER_STATE:
                cand = _bare(cities, n, words, marked, set())  # "new york": the city
                if cand is not None:
                    cand.notes[:] = [
                        f"{' '.join(words)}: took the city {cities[0].label}; "
                        f'type "{US_STATES[code]} state" for the whole state'
                    ]
            else:
                cand = _state(gaz, code, n)
                if cand is not None and cities and _sizeable(cities[0]):
                    cand.notes.append(
                        f"{' '.join(words)}: took the state {US_STATES[code]}; type "
                        f'"{cities[0].label}" for the city'
                    )
            if cand is not None and (best is None or cand.length > best.length):
                best = cand
            continue
        if cities and prev not in TITLES and (best is None or n > best.length):
            cand = _bare(cities, n, words, marked, ordinary)
            if cand is not None:
                best = cand
        named = gaz.aliases_named(key)
        short = key in WORD_LIKE_CODES and not (marked or tokens[i].upper)  # "la": in LA
        if named and prev not in TITLES and not short:
            named_words = not all(w in ordinary for w in words) and key not in WORD_LIKE_CODES
            free = named_words or (n > 1 and named[0].neighbourhood)  # "back bay", "south loop"
            near = prev in CODE_MARKERS  # not "of": "fear of heights"
            cand = _alias(named, cities, n, state, near, free, norms[i + n : i + n + 6])
            if cand is not None and (best is None or cand.length > best.length or (
                cand.length == best.length and _heavier(cand, best)
            )):  # fmt: skip
                best = cand
    last = i + 1 == len(tokens) or tokens[i + 1].number is not None
    code_ok = (
        prev in CODE_MARKERS
        or norms[i] not in WORD_LIKE_CODES
        or (tokens[i].upper and last)  # "therapist OR", not "anxiety OR depression"
    )
    if best is None and code_ok and len(norms[i]) == 2 and norms[i] in STATE_CODES:
        best = _state(gaz, STATE_CODES[norms[i]], 1)
    return best


def _alias(
    named: Sequence[Alias],
    cities: Sequence[Place],
    n: int,
    state: tuple[int, str] | None,
    marked: bool,
    free: bool,
    after: list[str],
) -> PlaceMatch | None:
    """A borough, neighbourhood, local name, county or nickname: with its city or a state after
    it, that one ("capitol hill denver", "capitol hill dc"); alone, the heaviest, when it
    follows "in"/"near", or may stand alone (:meth:`Alias.bare_ok`) and is not made of
    ordinary words (a nickname may be: "bay area"; a neighbourhood of two words or more too:
    "back bay"), and outweighs a city of the same name ("manhattan": Manhattan, NY, not
    Manhattan, KS; "bushwick" is never a small town elsewhere)."""
    city: tuple[int, Alias] | None = None  # the neighbourhood's city or borough after it
    for m in range(len(after), 0, -1) if any(a.within for a in named) else ():
        key = words_key(after[:m])
        found = next((a for a in named if key in a.within), None)
        if found is not None:
            city = (m, found)
            break
    in_state = next((a for a in named if a.place.state == state[1]), None) if state else None
    if city is not None and (in_state is None or state is None or city[0] > state[0]):
        m, found = city  # "capitol hill washington dc"; "georgetown washington": DC's
        return _match(found, named, (), n + m + _its_state(after[m:], found), True)
    if state is not None:
        return _match(in_state, named, (), n + state[0], True) if in_state is not None else None
    top = named[0]
    if not marked and not (top.bare_ok() and (top.nickname or free)):
        return None
    if cities and (cities[0].population or 0) >= top.weight:
        return None
    return _match(top, named, cities, n, False)


def _its_state(words: list[str], alias: Alias) -> int:
    """How many of ``words`` name the alias's state ("capitol hill seattle *wa*"), else 0."""
    for m in (3, 2, 1):
        if len(words) >= m and state_code(words[:m]) == alias.place.state:
            return m
    return 1 if words and STATE_CODES.get(words[0]) == alias.place.state else 0


def _match(
    top: Alias, named: Sequence[Alias], cities: Sequence[Place], n: int, qualified: bool
) -> PlaceMatch:
    """The reading of ``top``, with a note and the alternatives when the name was bare."""
    others: list[str] = []
    if not qualified:
        seen = {top.place.label}
        near = [c for c in cities[:3] if c.slug not in top.twins]  # Astoria, NY: itself
        for label in [a.place.label for a in named[1:4]] + [c.label for c in near[:2]]:
            if label not in seen:
                seen.add(label)
                others.append(label)
    notes = (
        [f"{top.place.name}: took {top.place.label}; also {', '.join(others)}"] if others else []
    )
    return PlaceMatch(n, top.place, qualified, notes, tuple(others), top.radius_mi, top.twins)


def _heavier(cand: PlaceMatch, best: PlaceMatch) -> bool:
    """Whether a name of the gazetteer outweighs a city of the same length of words; never a
    city named with its state that is the same place ("Canoga Park, CA" is that city)."""
    a, b = cand.place, best.place
    if a is None or b is None or (best.qualified and b.slug in cand.twins):
        return False
    return (a.population or 0) > (b.population or 0)


def _sizeable(city: Place) -> bool:
    return (city.population or 0) >= MIN_POPULATION_BARE_CITY


def _state(gaz: Gazetteer, code: str, n: int) -> PlaceMatch | None:
    place = gaz.state_place(code)
    return PlaceMatch(n, place, True) if place is not None else None


def _bare(
    cities: Sequence[Place],
    n: int,
    words: list[str],
    marked: bool,
    ordinary: frozenset[str] | set[str],
) -> PlaceMatch | None:
    found = list(cities)
    top = found[0]
    if not _sizeable(top):
        return None
    if not marked and all(w in ordinary for w in words):
        return None
    notes = []
    if len(found) > 1:
        notes.append(
            f"{top.name}: took {top.label}, the largest of {len(found)} places of that name"
        )
    return PlaceMatch(n, top, False, notes)
