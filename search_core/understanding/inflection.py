"""Other forms of a word that says what a person does or what happened.

The lay words are written once, often as the "-ing" form a person uses of what goes on
("cheating", "crying", "divorcing", "panicking"). People write the other forms as often: "he
cheated", "she cheats on me", "i cried all night", "we got divorced", "i panicked".
:func:`verb_forms` gives those forms; the lexicon reads each as the word it comes from when it
is a real English word, no other reading has it, and it is not one of the most common words
(:data:`MAX_ZIPF`: "cut", "check", "parent" say too many other things).
"""

from __future__ import annotations

from collections.abc import Set

from search_core.understanding.english import english_words

_VOWELS = frozenset("aeiou")
MAX_ZIPF = 4.4
"""A form at least this frequent in English (``wordfreq``'s Zipf scale: "cheat" 4.1, "cried"
4.2, "cut" 5.2, "check" 5.3) is not read as the issue: it says too many other things."""


def too_common(word: str) -> bool:
    return word in english_words(MAX_ZIPF)


AMBIGUOUS = frozenset({"transition", "transitioned"})
"""Forms that say something else as often ("i transitioned to a new job")."""


def _base(word: str, english: Set[str]) -> str | None:
    """The word an "-ing" form is made from ("cheating" → "cheat", "cutting" → "cut",
    "divorcing" → "divorce", "crying" → "cry", "panicking" → "panic"), when it is an English
    word."""
    stem = word[:-3]
    candidates = [stem, stem + "e"]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        candidates.insert(0, stem[:-1])
    if stem.endswith("ck"):
        candidates.append(stem[:-1])
    return next((c for c in candidates if c in english), None)


def _past(base: str) -> list[str]:
    if base.endswith("e"):
        return [base + "d"]
    if base.endswith("y") and len(base) > 2 and base[-2] not in _VOWELS:
        return [base[:-1] + "ied"]
    if base.endswith("c"):
        return [base + "ked"]
    forms = [base + "ed"]
    if len(base) >= 3 and base[-1] not in _VOWELS | {"w", "x", "y"} and base[-2] in _VOWELS:
        forms.append(base + base[-1] + "ed")  # stop → stopped
    return forms


def verb_forms(word: str, english: Set[str]) -> list[str]:
    """The other forms of an "-ing" word (one folded word) that are English words: its base and
    past ("cheating" → cheat, cheated; the base's "-s" form is matched by the plural folding).
    A noun gives none: its verb often says something else ("drug" → "drugged", "fear" →
    "feared")."""
    if len(word) <= 5 or not word.endswith("ing"):
        return []
    base = _base(word, english)
    if base is None:
        return []
    forms = [base, *(p for p in _past(base) if p in english)]
    return [f for f in forms if f not in AMBIGUOUS]
