"""Negation: "no DBT", "non-religious", "not a psychologist", "without medication".

A negation word (:data:`CUES`) followed — past a few filler words ("don't want *a*", "no
*more*") — by a vocabulary reading rules that reading out:

* a therapy type, population, gender or profession becomes an exclusion (``none_of``: a
  therapist who has it is left out; the chip reads "not DBT");
* an issue is the person's own problem, never a kind of therapist to leave out: after a
  negation of what they do ("won't sleep", "my son doesn't eat", "i never sleep", "i don't want
  to drink anymore") it is the problem they describe, and is read as asked; after a denial ("not
  depressed, just stressed", "no anxiety", "i don't have adhd") it is dropped;
* online and in person swap ("not online" is in person, "no video" too, "not in person" is
  online);
* anything else (a language, an insurance, an age group, a budget word) is dropped: no
  exclusion makes sense of "no insurance" or "not spanish", and the words are not searched.

The negation words themselves are never search words.

Scope: a negation covers the reading right after it and every reading joined to it by "or" or
"nor" ("no dbt or cbt": neither; "not religious nor christian": neither); "and" or any other
word ends it ("no dbt and anxiety": not DBT, and anxiety is asked for). A phrase that starts
with a negation word and means something of its own ("no waitlist", "not expensive", "no more
than $100", "can't sleep") is read as that phrase, before any negation.
"""

from __future__ import annotations

from collections.abc import Callable

from search_core.filters import entries as filter_entries
from search_core.understanding.lexicon import Sense
from search_core.understanding.model import Piece
from search_core.understanding.pieces import sense_piece

CUES = frozenset(
    {"no", "not", "non", "without", "dont", "never", "avoid", "except", "nor", "anti", "doesnt",
     "nothing", "none", "wont", "rather"}
)  # fmt: skip
"""Words that rule out what follows (folded: "don't" is "dont")."""
SKIPPABLE = frozenset(
    {"a", "an", "the", "any", "want", "wanting", "need", "like", "to", "see", "do", "does",
     "more", "please", "thanks", "interested", "in", "into", "using", "use", "uses", "with",
     "someone", "who", "is", "be", "that", "doing", "type", "kind", "of", "very",
     "too", "really", "should", "would", "prefer", "have", "has", "i", "id", "im", "am",
     "feel", "feeling"}
)  # fmt: skip
"""Words between a negation and what it rules out ("i don't want a ...", "not into ...")."""
MAX_SKIP = 4
CHAIN = frozenset({"or", "nor"})
"""Words that carry a negation on to the next reading."""
EXCLUDABLE = {e.piece: e.name for e in filter_entries() if e.negatable and e.piece}
"""Kinds whose negation is an exclusion (``none_of``), by facet."""
PROBLEM_KINDS = frozenset({"issue"})
"""Kinds a person describes their own trouble with: negated, never an exclusion."""
OF_DOING = frozenset({"dont", "doesnt", "wont", "never"})
"""Negation words that say what someone does not do: "won't sleep" is a sleep problem."""
OF_BEING = frozenset({"have", "has", "am", "is", "im", "be", "being", "feel", "feeling"})
"""Words after which a negated problem is denied, not described ("don't have adhd", "don't feel
depressed")."""
WISHED = ("want", "to")
"""A problem the person does not want to go on with: "don't want to drink anymore"."""
SWAPPED = {"telehealth": ("in_person", "In person"), "in_person": ("telehealth", "Online sessions")}


def negated_piece(sense: Sense, typed: str, between: list[str]) -> Piece:
    """The chip of a negated reading: an exclusion, the other way of meeting, the problem as
    described, or dropped. ``between``: the negation word and the words after it, up to the
    reading."""
    if sense.kind in PROBLEM_KINDS:
        return sense_piece(sense, typed, None) if _described(between) else _dropped(typed)
    facet = EXCLUDABLE.get(sense.kind)
    if facet is not None and sense.hard and sense.param == facet:
        conds = [f"{facet}:{v}" for v in sense.values]
        value: str | list[str] = conds[0] if len(conds) == 1 else conds
        return Piece(kind=sense.kind, text=typed, filter={"none_of": value},
                     label=f"not {sense.label}", hard=True)  # fmt: skip
    if sense.kind in SWAPPED:
        param, label = SWAPPED[sense.kind]
        return Piece(kind=sense.kind, text=typed, filter={param: True}, label=label, hard=True)
    return _dropped(typed)


def _dropped(typed: str) -> Piece:
    return Piece(kind="filler", text=typed)


def _described(between: list[str]) -> bool:
    """Whether a negated problem describes it (see :data:`OF_DOING`, :data:`WISHED`) rather
    than denying it."""
    if between[0] not in OF_DOING:
        return False
    rest = between[1:]
    if tuple(rest[:2]) == WISHED:
        return True
    return not any(w in OF_BEING for w in rest)


def read_negation(
    norms: list[str],
    i: int,
    sense_at: Callable[[int], tuple[int, Sense] | None],
    typed: Callable[[int, int], str],
) -> tuple[list[Piece], int] | None:
    """The pieces of a negation starting at ``norms[i]`` (a cue) and the position after it, or
    None when no vocabulary reading follows (the cue is then only dropped). ``sense_at(j)``:
    the vocabulary reading at ``j`` (its length and sense), ``typed(i, j)``: the text of
    tokens ``i`` to ``j``."""
    out: list[Piece] = []
    start, k = i, i + 1
    cue = norms[i]
    while True:
        j, skipped, found = k, 0, None
        while j < len(norms):
            found = sense_at(j)
            if found is not None and found[1].kind != "filler":
                break  # "not in person": the phrase, before "in" is skipped
            found = None
            if (norms[j] not in SKIPPABLE and norms[j] not in CUES) or skipped == MAX_SKIP:
                break
            j, skipped = j + 1, skipped + 1
        if found is None:
            break
        n, sense = found
        out.append(negated_piece(sense, typed(start, j + n), [cue, *norms[i + 1 : j]]))
        k = j + n
        if k >= len(norms) or norms[k] not in CHAIN:
            break
        start, k = k, k + 1
    if not out:
        return None
    return out, k
