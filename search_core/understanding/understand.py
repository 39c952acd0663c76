"""Search text → :class:`~.model.Understanding`: filters, a place, forgiven typos, and the
words left for full-text search.

One pass over the tokens, left to right; at each position the longest reading wins among a
lexicon phrase, a place, a budget and a distance. Ties: a place beats filler ("OR" typed in
capitals is Oregon), and beats a vocabulary phrase only right after "in"/"near". Before the
pass, every word that no dictionary knows is corrected to the closest lexicon or city word
(see :mod:`.fuzzy`); a word that is known exactly is never corrected, so exact matches win,
and a correction that no reading takes is undone (the word is searched as typed, where the
tuning's ``fuzziness`` may still forgive it: names). The pass ends in :func:`.assembly.assemble`,
which makes the pieces read into the answer; :mod:`.understanders` builds and keeps the
:class:`Understander` of a geocoder.

``understand=false`` is the caller's business: it skips this module and sends the text and
explicit filters as they are (for analysts and exact searches).
"""

from __future__ import annotations

from collections.abc import Iterable

from search_core.filters import FILTER_VOCABULARIES
from search_core.queries import MAX_QUERY_CHARS, GeoFilter, TherapistFilters
from search_core.understanding.assembly import assemble
from search_core.understanding.common import COMMON_WORDS
from search_core.understanding.crisis import read_crisis
from search_core.understanding.filler import FILLER_WORDS
from search_core.understanding.find_place import PlaceMatch, find_place
from search_core.understanding.fuzzy import FuzzyIndex, Match
from search_core.understanding.lexicon import Lexicon, Sense
from search_core.understanding.merge import place_piece
from search_core.understanding.model import (
    Correction,
    FoundPlace,
    Piece,
    Understanding,
)
from search_core.understanding.negation import CUES, read_negation
from search_core.understanding.patterns import age_at, distance_at, price_at
from search_core.understanding.pieces import (
    FILLER_SENSE,
    corrected_text,
    crisis_piece,
    own_reading,
    sense_piece,
)
from search_core.understanding.places import Gazetteer
from search_core.understanding.text import Token, span_text, tokenize
from search_core.understanding.whom import EVERYDAY, past_stage
from search_core.vocabulary import US_STATES

MAX_TOKENS = 40
NEAR_ME: tuple[tuple[str, ...], ...] = (
    ("near", "me"),
    ("close", "to", "me"),
    ("around", "me"),
    ("near", "my", "location"),
    ("near", "my", "home"),
    ("in", "my", "area"),
    ("nearby",),
    ("near", "by"),
)
CLIENT_MARKERS = frozenset({"for", "with", "to"})
MARKED = frozenset({"in", "near", "around"})

Reading = tuple[int, str, object]
"""(tokens used, what: "lex" | "place" | "price" | "distance" | "near_me", payload)."""


STATE_WORDS: tuple[str, ...] = tuple(w for name in US_STATES.values() for w in name.lower().split())
"""The words of the state names ("new", "york", ...), known words and typo targets."""


class Understander:
    """Holds what reading a text needs, built once per gazetteer (about 0.2 s: the typo index,
    see :mod:`.understanders`); then :meth:`understand` is pure."""

    def __init__(
        self, gazetteer: Gazetteer, lex: Lexicon, fuzzy: FuzzyIndex, known_words: Iterable[str] = ()
    ) -> None:
        self.gaz = gazetteer
        self.lex = lex
        self.fuzzy = fuzzy
        """The typo index over the words a typo is corrected to (see :mod:`.understanders`)."""
        self._vocab_words = self.lex.words
        self.known = frozenset(
            {*self.lex.words, *FILLER_WORDS, *COMMON_WORDS, *EVERYDAY, *STATE_WORDS, *known_words}
        )
        self.ordinary = frozenset({*self.lex.words, *FILLER_WORDS, *COMMON_WORDS})

    # --- typos ---------------------------------------------------------------------------

    def _correct(
        self, tokens: list[Token], text: str, protected: frozenset[int] = frozenset()
    ) -> tuple[list[str], dict[int, Correction]]:
        norms = [t.norm for t in tokens]
        fixed: dict[int, Correction] = {}
        looked_up: dict[str, Match | None] = {}  # a word typed twice is looked up once
        for i, t in enumerate(tokens):
            w = t.norm
            if i in protected or t.number is not None or w in self.known or t.key in self.known:
                continue
            if self.gaz.is_place_word(w):
                continue
            if w not in looked_up:
                looked_up[w] = self.fuzzy.best(w)
            m = looked_up[w]
            if m is None:
                continue
            norms[i] = m.word
            kind = "vocabulary" if m.word in self._vocab_words else "place"
            fixed[i] = Correction(typed=text[t.start : t.end], corrected=m.word, kind=kind)
        return norms, fixed

    def did_you_mean(self, text: str) -> str | None:
        """The text with its typos corrected, or None when nothing is to correct: the
        "did you mean" of a typeahead box (``"anxeity"`` → ``"anxiety"``)."""
        text = (text or "")[:MAX_QUERY_CHARS]
        tokens = tokenize(text)[:MAX_TOKENS]
        _, fixed = self._correct(tokens, text, read_crisis(text, tokens).protected)
        return corrected_text(text, tokens, fixed)

    # --- readings at one position ----------------------------------------------------------

    def _lexicon_at(self, tokens: list[Token], keys: list[str], i: int) -> Reading | None:
        prev = keys[i - 1] if i > 0 else ""
        for n in range(min(self.lex.max_len, len(tokens) - i), 0, -1):
            senses = self.lex.senses(tuple(keys[i : i + n]))
            valid = [
                s
                for s in senses
                if not (s.upper_only and not tokens[i].upper)
                and not (s.client_sensitive and prev in CLIENT_MARKERS)
            ]
            if valid:
                best = next((s for s in valid if s.kind != "filler"), valid[0])
                return n, "lex", best
        return None

    def _readings(
        self, tokens: list[Token], norms: list[str], keys: list[str], text: str, i: int
    ) -> list[Reading]:
        out: list[Reading] = []
        for phrase in NEAR_ME:
            if tuple(norms[i : i + len(phrase)]) == phrase:
                if phrase[-1] == "me" and tokens[i + len(phrase) - 1].upper:
                    break  # "near ME": Maine
                out.append((len(phrase), "near_me", None))
                break
        lex = self._lexicon_at(tokens, keys, i)
        if lex is not None and lex[0] > 1 and norms[i] in MARKED:  # "in french | quarter"
            later = find_place(tokens, norms, text, self.gaz, i + 1, self.ordinary)
            lex = (1, "lex", FILLER_SENSE) if later and later.length >= lex[0] else lex
        if lex is not None:
            out.append(lex)
        place = find_place(tokens, norms, text, self.gaz, i, self.ordinary)
        if place is not None:
            out.append((place.length, "place", place))
        price = price_at(tokens, norms, i)
        if price is not None:
            out.append((price[0], "price", price[1]))
        dist = distance_at(tokens, norms, i)
        if dist is not None:
            out.append((dist[0], "distance", dist[1:]))
        age = age_at(tokens, norms, i)
        if age is not None:
            out.append((age[0], "age", age[1]))
        return out

    def _negation(
        self, tokens: list[Token], norms: list[str], keys: list[str], text: str, i: int
    ) -> tuple[list[Piece], int] | None:
        def sense_at(j: int) -> tuple[int, Sense] | None:
            found = self._lexicon_at(tokens, keys, j)
            if found is None or not isinstance(found[2], Sense):
                return None
            return found[0], found[2]

        return read_negation(norms, i, sense_at, lambda a, b: span_text(text, tokens, a, b))

    @staticmethod
    def _choose(readings: list[Reading], prev: str) -> Reading:
        def rank(r: Reading) -> tuple[int, int]:
            n, what, _ = r
            if what == "place":
                lex_filler = any(
                    w == "lex" and isinstance(p, Sense) and p.kind == "filler"
                    for _, w, p in readings
                )
                return n, 2 if prev in MARKED or lex_filler else 0
            return n, {"near_me": 3, "distance": 3, "age": 3, "price": 2, "lex": 1}[what]

        return max(readings, key=rank)

    # --- the whole text --------------------------------------------------------------------

    def understand(
        self,
        text: str,
        *,
        explicit_filters: TherapistFilters | None = None,
        caller_location: tuple[float, float] | None = None,
        explicit_near: GeoFilter | None = None,
    ) -> Understanding:
        """Understand ``text``; see the package docstring for the rules."""
        text = (text or "")[:MAX_QUERY_CHARS]
        tokens = tokenize(text)[:MAX_TOKENS]
        crisis = read_crisis(text, tokens)  # first: its words are never corrected
        norms, fixed = self._correct(tokens, text, crisis.protected)
        keys = [Token(n, 0, 0, False).key for n in norms]
        pieces: list[Piece] = []
        notes: list[str] = []
        left: list[str] = []
        found: FoundPlace | None = None
        found_at = -1
        radius: tuple[float, str] | None = None
        i = 0
        while i < len(tokens):
            if (span := crisis.span_at(i)) is not None:
                pieces.append(crisis_piece(span, span_text(text, tokens, i, span.end)))
                i = span.end
                continue
            stop = crisis.next_start(i) or len(tokens)  # no reading runs into crisis words
            readings = self._readings(tokens[:stop], norms[:stop], keys[:stop], text, i)
            if norms[i] in CUES and not own_reading(readings):
                negated = self._negation(tokens[:stop], norms[:stop], keys[:stop], text, i)
                if negated is not None:
                    pieces.extend(negated[0])
                    i = negated[1]
                    continue
                readings = [(1, "lex", FILLER_SENSE)]  # a negation word is never searched
            if not readings:
                # a correction stands only when the corrected word is read as something: a
                # name like "Mario" is not a typo of the city word "maria"
                fixed.pop(i, None)
                left.append(text[tokens[i].start : tokens[i].end])
                i += 1
                continue
            n, what, payload = self._choose(readings, norms[i - 1] if i else "")
            typed = span_text(text, tokens, i, i + n)
            typo = [fixed[k] for k in range(i, i + n) if k in fixed]
            was = typed if typo else None
            if what in ("lex", "age") and _stage_past(what, payload, norms, i):
                pieces.append(Piece(kind="filler", text=typed))  # "abused as a child"
            elif what == "lex" and isinstance(payload, Sense):
                piece = sense_piece(payload, typed, was)
                pieces.append(piece)
                if not payload.hard and payload.kind != "filler":
                    left.extend(norms[i : i + n])
            elif what in ("place", "near_me"):
                match = payload if isinstance(payload, PlaceMatch) else None
                piece, here, more = place_piece(match, typed, was, caller_location)
                notes.extend(more)
                if here is not None and found is not None and not _finer(here, found):
                    notes.append(f"{typed}: only one place is searched; kept {found.label}")
                    piece = _unset(piece)
                elif here is not None:
                    if found is not None:
                        notes.append(f"{typed}: searched around {here.label}, within {found.label}")
                        pieces[found_at] = _unset(pieces[found_at])
                    found, found_at = here, len(pieces)
                pieces.append(piece)
            elif what == "price" and isinstance(payload, int):
                pieces.append(
                    Piece(kind="price", text=typed, filter={"max_fee": payload},
                          label=f"Up to ${payload}", hard=True, corrected_from=was)
                )  # fmt: skip
            elif what == "age" and isinstance(payload, str):
                label = FILTER_VOCABULARIES["age_groups"].label(payload)
                pieces.append(
                    Piece(kind="age_group", text=typed, filter={"age_groups": payload},
                          label=label, hard=True)
                )  # fmt: skip
            elif what == "distance" and isinstance(payload, tuple):
                radius = (float(payload[0]), str(payload[1]))
                pieces.append(
                    Piece(kind="place", text=typed, label=f"Within {payload[0]:g} {payload[1]}",
                          filter={"radius": payload[0], "unit": payload[1]}, hard=True)
                )  # fmt: skip
            i += n
        return assemble(
            text, pieces, notes, left, found, radius, fixed, tokens, explicit_filters,
            explicit_near, crisis,
        )  # fmt: skip


_PRECISION = {"state": 0, "city": 1, "zip": 2, "near_me": 3}


def _stage_past(what: str, payload: object, norms: list[str], i: int) -> bool:
    """An age group read at ``i`` that names a time in the past (see :func:`past_stage`)."""
    is_age = what == "age" or (isinstance(payload, Sense) and payload.kind == "age_group")
    return is_age and past_stage(norms, i)


def _finer(new: FoundPlace, old: FoundPlace) -> bool:
    """A later, more precise place inside the first one's state ("Seattle WA 98101", "oregon
    portland") replaces it; otherwise the first place typed is searched."""
    return new.state == old.state and _PRECISION[new.kind] > _PRECISION[old.kind]


def _unset(piece: Piece) -> Piece:
    """A place piece that is shown but not searched (another place was taken)."""
    return piece.model_copy(update={"filter": {}, "hard": False})
