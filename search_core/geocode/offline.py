"""The offline geocoder: ZIP codes, cities and states resolved from the Location records with a
few dict lookups, "did you mean" for unknown cities, and typeahead (see :mod:`search_core.geocode`
for the accepted forms)."""

from __future__ import annotations

import difflib
import heapq
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from search_core.documents import Location
from search_core.errors import InvalidQuery, NotFound
from search_core.geocode.names import (
    MAX_TEXT,
    STATE_KEYS,
    check_text,
    long_key,
    name_key,
    states_starting,
    tokens,
)
from search_core.geocode.place import Place
from search_core.geocode.records import (
    LocationRow,
    city_place,
    derive_states,
    location_row,
    read_jsonl,
    state_place,
    zip_place,
)
from search_core.vocabulary import US_STATES

MAX_SUGGESTIONS = 50
SHORT_PREFIX = 2
"""City suggestions of prefixes up to this long are computed when the geocoder is built."""
SUGGESTED_NAMES = 3
SUGGESTION_CUTOFF = 0.75
"""difflib similarity a city name needs to be offered as "did you mean"."""

_ZIP = re.compile(r"^(\d{5})(?:-?\d{4})?$")
_TRAILING_ZIP = re.compile(r"[\s,]+(\d{5})(?:-\d{4})?$")
_DIGITS = re.compile(r"^[\d\s-]+$")
_COUNTRIES = frozenset({"us", "usa", "unitedstates", "unitedstatesofamerica", "america"})


def _rank(place: Place) -> tuple[bool, int, str, str]:
    """Sort key: known population first, largest first; then state and slug for stability."""
    return (place.population is None, -(place.population or 0), place.state, place.slug)


def _join(labels: list[str]) -> str:
    return " or ".join(labels)


class Geocoder:
    """Resolves ZIP codes, cities and states from Location records, offline."""

    def __init__(self, states: list[Place], cities: list[Place], zips: list[Place]) -> None:
        self._zips: dict[str, Place] = {}
        for z in zips:
            self._zips.setdefault(z.name, z)
        self._zip_codes = sorted(self._zips)

        self._cities: list[Place] = sorted(
            {c.slug: c for c in reversed(cities)}.values(), key=_rank
        )
        self._by_slug = {c.slug: c for c in self._cities}
        self._by_key: dict[str, list[Place]] = defaultdict(list)
        self._by_state_key: dict[tuple[str, str], Place] = {}
        self._state_key_names: dict[str, list[str]] = defaultdict(list)
        prefix: set[tuple[str, int]] = set()
        for rank, c in enumerate(self._cities):  # best first, so first seen wins
            words = tokens(c.name)
            key = "".join(words)
            if (key, c.state) not in self._by_state_key:
                self._by_state_key[(key, c.state)] = c
                self._state_key_names[c.state].append(key)
            self._by_key[key].append(c)
            prefix.add((key, rank))
            prefix.add((long_key(words), rank))
        self._prefix = sorted(prefix)
        self._prefix_keys = [k for k, _ in self._prefix]
        self._all_keys = sorted(self._by_key)
        # The best cities of every one- and two-character prefix, ready: a short prefix
        # spans thousands of keys, and typing starts with one.
        short: dict[str, set[int]] = defaultdict(set)
        for key, rank in self._prefix:
            for n in range(1, SHORT_PREFIX + 1):
                if len(key) >= n:
                    short[key[:n]].add(rank)
        self._short = {k: heapq.nsmallest(MAX_SUGGESTIONS, ranks) for k, ranks in short.items()}

        self._states = {s.state: s for s in states}
        missing = set(US_STATES) - set(self._states)
        if missing:
            self._states.update(derive_states(missing, self._cities, list(self._zips.values())))

    @classmethod
    def from_locations(cls, locations: Iterable[Location | Mapping[str, Any]]) -> Geocoder:
        """Build from Location records or their JSON dicts (as the locations index returns them).

        Dicts are read as they are, without a second pydantic validation (the indexer validated
        them; that would double start-up time), but a record missing a field or naming an
        unknown kind or state raises ValueError. States are optional.
        """
        by_kind: dict[str, list[LocationRow]] = defaultdict(list)
        for loc in locations:
            row = location_row(loc)
            by_kind[row.kind].append(row)
        city_names = {c.slug: c.name for c in by_kind["city"]}
        return cls(
            states=[state_place(s) for s in by_kind["state"]],
            cities=[city_place(c) for c in by_kind["city"]],
            zips=[zip_place(z, city_names) for z in by_kind["zip"]],
        )

    @classmethod
    def from_jsonl(cls, path: str | Path) -> Geocoder:
        """Build from a ``locations.jsonl`` file (gzipped if its name ends in ``.gz``)."""
        return cls.from_locations(read_jsonl(Path(path)))

    def __len__(self) -> int:
        return len(self._zips) + len(self._cities) + len(self._states)

    def cities(self) -> list[Place]:
        """Every city, most populous first (a copy: the caller may keep or change it)."""
        return list(self._cities)

    # --- direct lookups --------------------------------------------------------------------

    def zip(self, code: str) -> Place:
        """The ZIP code ``code`` (``"97214"`` or ``"97214-1234"``)."""
        match = _ZIP.match(code.strip()) if isinstance(code, str) else None
        if match is None:
            raise InvalidQuery(f"a ZIP code has 5 digits, got {code!r}")
        place = self._zips.get(match[1])
        if place is None:
            raise NotFound(f"unknown ZIP code {match[1]}")
        return place

    def city(self, slug: str) -> Place:
        """The city with this slug (``"portland-or"``)."""
        place = self._by_slug.get(slug)
        if place is None:
            raise NotFound(f"unknown city {slug!r}")
        return place

    def state(self, code_or_name: str) -> Place:
        """The state ``"OR"``, ``"or"`` or ``"Oregon"``."""
        code = STATE_KEYS.get(name_key(code_or_name))
        if code is None:
            raise NotFound(f"unknown US state {code_or_name!r}")
        place = self._states.get(code)
        if place is None:
            raise NotFound(f"no locations known in {US_STATES[code]}")
        return place

    # --- free text -------------------------------------------------------------------------

    def resolve(self, text: str) -> Place:
        """The place ``text`` names; see the module docstring for the accepted forms."""
        return self._resolve(text, suggest=True)

    def resolves(self, text: str) -> bool:
        """Whether :meth:`resolve` finds a place for ``text``: the same look-ups, without the
        suggestions an unknown name gets (which compare it with every city name, tens of
        milliseconds), so it is cheap either way."""
        try:
            self._resolve(text, suggest=False)
        except (NotFound, InvalidQuery):
            return False
        return True

    def _resolve(self, text: str, suggest: bool) -> Place:
        original = check_text(text)
        if _DIGITS.match(original):
            return self.zip(original.replace(" ", ""))
        rest = original
        trailing = _TRAILING_ZIP.search(original)
        if trailing is not None and trailing[1] in self._zips:
            return self._zips[trailing[1]]
        if trailing is not None:  # "Portland, OR 00000": fall back to the city
            rest = original[: trailing.start()]

        parts = [p for p in (tokens(part) for part in rest.split(",")) if p]
        while len(parts) > 1 and "".join(parts[-1]) in _COUNTRIES:
            parts.pop()
        if not parts:
            raise InvalidQuery(f"nothing to look up in {original!r}")
        if len(parts) == 1:
            return self._resolve_words(parts[0], original, suggest)
        state = STATE_KEYS.get("".join(parts[-1]))
        if state is None:
            typed = rest.rsplit(",", 1)[1].strip()
            raise NotFound(f"unknown US state {typed!r} in {original!r}")
        return self._city_in_state("".join(parts[0]), state, original, suggest)

    def namesakes(self, text: str) -> list[Place]:
        """The other cities a bare city name could mean, most populous first: ``"Springfield"``
        resolves to Springfield, MO, and these are Springfield, MA, Springfield, IL, ... (one
        per state). Empty for a ZIP code, a state, a name with its state, or a name only one
        city has."""
        if not isinstance(text, str) or "," in text or _DIGITS.match(text.strip()):
            return []
        words = tokens(text)
        key = "".join(words)
        if not key or key in STATE_KEYS or len(self._by_key.get(key, ())) < 2:
            return []
        first = self._by_key[key][0]
        seen = {first.state}
        out: list[Place] = []
        for city in self._by_key[key][1:]:
            if city.state not in seen:
                seen.add(city.state)
                out.append(city)
        return out

    def _resolve_words(self, words: list[str], text: str, suggest: bool) -> Place:
        """One comma-free part: a state, "City ST"/"City State Name", or a bare city."""
        if len(words) > 1 and words[-1] in _COUNTRIES:
            words = words[:-1]
        key = "".join(words)
        if STATE_KEYS.get(key) in self._states:
            return self._states[STATE_KEYS[key]]
        guess: tuple[str, str] | None = None  # the first "City ST" reading, for suggestions
        for n in (3, 2, 1):  # longest state name first: "Charleston West Virginia"
            state = STATE_KEYS.get("".join(words[-n:])) if len(words) > n else None
            if state is None:
                continue
            city = self._by_state_key.get(("".join(words[:-n]), state))
            if city is not None:
                return city
            guess = guess or ("".join(words[:-n]), state)
        if key in self._by_key:
            return self._by_key[key][0]
        if key in STATE_KEYS:
            return self.state(key)  # raises: no locations known in that state
        near_key, state = guess or (key, None)
        raise self._not_found(text, near_key, state, suggest)

    def _city_in_state(self, key: str, state: str, text: str, suggest: bool) -> Place:
        city = self._by_state_key.get((key, state))
        if city is None:
            raise self._not_found(text, key, state, suggest)
        return city

    def _not_found(self, text: str, key: str, state: str | None, suggest: bool) -> NotFound:
        labels = self._close_labels(key, state) if suggest else []
        hint = f"; did you mean {_join(labels)}?" if labels else ""
        return NotFound(f"no city {text!r}{hint}", suggestions=tuple(labels))

    def _close_labels(self, key: str, state: str | None) -> list[str]:
        """Up to three labels of cities whose key is close to ``key``: same state first."""
        labels: list[str] = []
        if state is not None:
            near = difflib.get_close_matches(
                key, self._state_key_names.get(state, []), SUGGESTED_NAMES, SUGGESTION_CUTOFF
            )
            labels = [self._by_state_key[(k, state)].label for k in near]
        if len(labels) < SUGGESTED_NAMES:
            for k in difflib.get_close_matches(
                key, self._all_keys, SUGGESTED_NAMES, SUGGESTION_CUTOFF
            ):
                label = self._by_key[k][0].label
                if label not in labels:
                    labels.append(label)
        return labels[:SUGGESTED_NAMES]

    # --- typeahead -------------------------------------------------------------------------

    def suggest(self, prefix: str, limit: int = 10) -> list[Place]:
        """Places starting with ``prefix``: ZIP codes for digits, else cities by population.

        ``"port"`` → Portland, OR; Portland, ME; Port Arthur, TX; … ``"portland, o"`` and
        ``"portland or"`` keep the cities of states whose code or name starts with the text after
        the comma (or that is exactly the last word). ``"972"`` → 97201, 97202, …
        """
        if not 1 <= limit <= MAX_SUGGESTIONS:
            raise InvalidQuery(f"limit must be between 1 and {MAX_SUGGESTIONS}, got {limit}")
        text = prefix.strip() if isinstance(prefix, str) else ""
        if len(text) > MAX_TEXT:
            raise InvalidQuery(f"a place is at most {MAX_TEXT} characters, got {len(text)}")
        if not text:
            return []
        if _DIGITS.match(text):
            return self._suggest_zips(text.replace(" ", "").split("-")[0], limit)
        if "," in text:
            head, _, tail = text.rpartition(",")
            return self._suggest_cities(name_key(head), states_starting(name_key(tail)), limit)
        found = self._suggest_cities(name_key(text), None, limit)
        words = tokens(text)
        for n in (3, 2, 1):  # "portland or"
            state = STATE_KEYS.get("".join(words[-n:])) if len(words) > n else None
            if state is not None and len(found) < limit:
                more = self._suggest_cities("".join(words[:-n]), {state}, limit)
                found += [p for p in more if p not in found][: limit - len(found)]
        return found

    def _suggest_zips(self, digits: str, limit: int) -> list[Place]:
        if len(digits) > 5:
            return []
        start = bisect_left(self._zip_codes, digits)
        out: list[Place] = []
        for code in self._zip_codes[start : start + limit]:
            if not code.startswith(digits):
                break
            out.append(self._zips[code])
        return out

    def _suggest_cities(self, key: str, states: set[str] | None, limit: int) -> list[Place]:
        if not key:
            return []
        if states is None and len(key) <= SHORT_PREFIX:
            return [self._cities[r] for r in self._short.get(key, [])[:limit]]
        lo = bisect_left(self._prefix_keys, key)
        hi = bisect_left(self._prefix_keys, key + "{", lo)  # "{" sorts after every [a-z0-9]
        ranks = {rank for _, rank in self._prefix[lo:hi]}
        if states is not None:
            ranks = {r for r in ranks if self._cities[r].state in states}
        return [self._cities[r] for r in heapq.nsmallest(limit, ranks)]
