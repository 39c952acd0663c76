"""Who the therapy is for, and the words left over that only rank.

**Couples.** "marriage counselor", "couples therapist", "for my wife and me", "our marriage",
"me and my boyfriend" mean therapy for a couple, which a therapist shows in any of four ways:
couples counseling among the methods, couples among the clients, a couples issue (couples
conflict, infidelity) or the marriage and family therapist licence. They are read as one
``any_of`` group (:data:`COUPLES`), not as one of those fields alone. A child named inside a
couples story ("my wife and i fight about our son") is part of the story, not the client: the
age group it would set is dropped (:func:`couples_story`).

**A life stage in the past.** "abused as a child", "when i was a teenager", "since we were kids",
"when i was 12 years old": an age that says when something happened, not whom the therapy is for (an
adult looking back on their childhood is an adult client). It sets no age group
(:func:`past_stage`); "childhood" and "growing up" are read the same way.

**Leftover words.** A word no reading took is searched as required text only when it is likely
to be in the data for a reason — a name, a specialty word of a bio. Ordinary words a person
writes around the request (:data:`EVERYDAY`: family words, feelings, "affordable", "office",
a stray letter) only rank (:func:`split_leftover`): they can never shrink the page, and no "No
therapists matching …" notice is raised for them. Unless nothing else was asked ("mom" alone):
then they are the request, searched as words like any.
"""

from __future__ import annotations

from typing import Literal

from search_core.understanding.common import COMMON_WORDS
from search_core.understanding.couples import COUPLES
from search_core.understanding.filler import FILLER_WORDS
from search_core.understanding.model import Piece
from search_core.understanding.text import Token

_CHILD_WORDS = frozenset({"son", "daughter", "kid", "kids", "child", "children", "baby", "teen",
                          "teenager", "toddler", "stepson", "stepdaughter"})  # fmt: skip

_EVERYDAY_TEXT = """
    mom mother mum dad father parent parents daughter son sons daughters kid kids baby wife
    husband boyfriend girlfriend bf gf fiance fiancee spouse partner sister brother sibling
    siblings grandma grandpa grandmother grandfather aunt uncle cousin friend friends family
    boss coworker roommate dog cat pet
    affordable cheap cost costs price prices fee fees pay paying money free expensive budget
    office offices clinic clinics practice center centre location place places nearby close
    closest local locally area town city downtown neighborhood neighbourhood
    appointment appointments available availability soon asap urgent urgently today tonight
    tomorrow week weekend weekends evening evenings morning mornings night nights hours
    friendly compassionate caring understanding patient gentle warm kind smart honest
    trustworthy empathetic supportive nonjudgmental judgmental professional qualified
    licensed certified credentialed real actual good great best nice decent someone
    talk talking listen listens listener chat vent open understand understands
    going through dealing cope coping handle handling manage managing fight fighting fights
    argue arguing arguments cry crying falling apart stuck broken lost hard tough rough
    time times life lives thing things stuff lot lots bit little pretty kinda sorta
    please thanks thank hi hello hey ok okay yes yeah lol idk tbh
    wanting needing wondering trying tried recommend recommendation recommendations review
    reviews rated rating ratings insurance covered cover covers copay
    new old young older younger year years month months age aged
    woman man women men girl boy girls boys lady guy person people
    she he her him his hers they them their it its this that there here
    dr drs mr mrs ms miss see like id prefer would rather preferably ideally
    cant dont wont ive youre theyre didnt doesnt isnt wasnt couldnt wouldnt shouldnt havent
    hasnt arent werent aint was had gets got stop stopped myself himself herself themselves
    ourselves nobody noone everyone everybody anybody likes hate hates keeps terrible awful
    horrible everything something might committed fought
    terapeuta terapeutas psicologo psicologa consejero consejera tengo siento mi mis busco
    necesito ayuda muy mucho mucha estoy tiene tienen hijo hija hijos hijas esposo esposa mama
    papa familia
"""
EVERYDAY = frozenset(_EVERYDAY_TEXT.split())
"""Ordinary words a person writes around a request: they only rank, never shrink the page."""


def likely_in_data(word: str) -> bool:
    """Whether a leftover word is worth requiring: not an ordinary word, not a stray letter
    (names and specialty words are; "daughter", "affordable", "s" are not)."""
    w = word.lower().replace("'", "").replace("\u2019", "")  # "can't" is "cant"
    if len(w) <= 2 or not w.isalpha():
        return False
    return w not in EVERYDAY and w not in COMMON_WORDS and w not in FILLER_WORDS


def split_leftover(words: list[str]) -> tuple[list[str], list[str]]:
    """(required, rank only) of the words no reading took, in their order."""
    required = [w for w in words if likely_in_data(w)]
    ranked = [w for w in words if not likely_in_data(w)]
    return required, ranked


def is_couples(piece: Piece) -> bool:
    return piece.filter.get("any_of") == COUPLES or piece.filter.get("populations") == "couples"


def couples_story(pieces: list[Piece]) -> tuple[list[Piece], list[str]]:
    """With a couples reading, the children named in the story set no age group ("my wife and
    i fight about our son"): those pieces become plain words, with a note."""
    if not any(p.hard and is_couples(p) for p in pieces):
        return pieces, []
    out: list[Piece] = []
    notes: list[str] = []
    for p in pieces:
        words = set(p.text.lower().replace("'", " ").split())
        if p.kind == "age_group" and p.hard and words & _CHILD_WORDS:
            notes.append(f"{p.text}: a couples search, so not an age group filter")
            p = Piece(kind="filler", text=p.text)
        out.append(p)
    return out, notes


_STAGE_SKIPPABLE = frozenset({"a", "an", "little", "young", "small", "very", "only", "just"})
_PAST = frozenset({"as", "was", "were"})


def past_stage(norms: list[str], i: int) -> bool:
    """Whether the age word at ``norms[i]`` names a time in the past ("as a child", "when i
    was a little kid", "since we were teens"), past a few small words."""
    j = i - 1
    while j >= 0 and norms[j] in _STAGE_SKIPPABLE:
        j -= 1
    return j >= 0 and norms[j] in _PAST


CONJUNCTION: Literal["require", "rank"] = "require"
"""Several issues (or therapy types) named without "or": ``require`` asks for all of them
(``all_of``, relaxed to any of them when no therapist has them all); ``rank`` keeps "any of
them" and ranks by all their labels. Measured on the judgments (docs/understanding.md)."""
CONJUNCTION_FACETS = ("issues", "therapy_types")
_EITHER = frozenset({"or", "either", "nor", "any"})


def with_conjunction(
    pieces: list[Piece], tokens: list[Token], mode: Literal["require", "rank"] = CONJUNCTION
) -> list[Piece]:
    """The pieces, each of several issues (therapy types) also required (``all_of``) when the
    text names two or more of them and no "or" joins them ("anxiety, ocd and insomnia")."""
    if mode != "require" or any(t.norm in _EITHER for t in tokens):
        return pieces
    out = list(pieces)
    for facet in CONJUNCTION_FACETS:
        at = [
            k for k, p in enumerate(pieces)
            if p.hard and isinstance(p.filter.get(facet), str)
        ]  # fmt: skip
        slugs = {str(pieces[k].filter[facet]) for k in at}
        if len(slugs) < 2:
            continue
        for k in at:
            p = out[k]
            cond = f"{facet}:{p.filter[facet]}"
            out[k] = p.model_copy(update={"filter": {**p.filter, "all_of": cond}})
    return out
