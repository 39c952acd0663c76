"""Pieces of an understanding made from readings: a vocabulary sense, crisis words, and the
text with its typos corrected."""

from __future__ import annotations

from search_core.filters import FILTER_VOCABULARIES
from search_core.understanding.crisis import CrisisSpan, issue_of
from search_core.understanding.lexicon import Sense
from search_core.understanding.model import Correction, FilterValue, Piece
from search_core.understanding.text import Token

Reading = tuple[int, str, object]
"""(tokens used, what: "lex" | "place" | "price" | "distance" | "near_me", payload)."""


FILLER_SENSE = Sense("filler", "", (), False, "")


def own_reading(readings: list[Reading]) -> bool:
    """A reading that starts with a negation word and means something itself ("no waitlist",
    "not expensive", "no more than $100", "non binary")."""
    return any(
        what != "lex" or (isinstance(p, Sense) and p.kind != "filler") for _, what, p in readings
    )


def corrected_text(text: str, tokens: list[Token], fixed: dict[int, Correction]) -> str | None:
    if not fixed:
        return None
    out, pos = [], 0
    for k in sorted(fixed):
        out += [text[pos : tokens[k].start], fixed[k].corrected]
        pos = tokens[k].end
    return "".join([*out, text[pos:]])


def crisis_piece(span: CrisisSpan, typed: str) -> Piece:
    """Crisis words filter by their issue ("kill myself": Suicidal Thoughts)."""
    slug = issue_of(span.kind)
    label = FILTER_VOCABULARIES["issues"].label(slug)
    return Piece(kind="issue", text=typed, filter={"issues": slug}, label=label, hard=True)


def sense_piece(sense: Sense, typed: str, was: str | None) -> Piece:
    if sense.kind == "filler":
        return Piece(kind="filler", text=typed, corrected_from=was)
    value: FilterValue = (
        sense.values[0] if len(sense.values) == 1 else [str(v) for v in sense.values]
    )
    return Piece(
        kind=sense.kind,
        text=typed,
        filter={sense.param: value} if sense.hard else {},
        label=sense.label,
        hard=sense.hard,
        corrected_from=was,
        hint={} if sense.hard else {sense.param: value},
    )
