"""The ordinary English words a search text may hold: known words, never typo-corrected.

The typo corrector (:mod:`.fuzzy`) turns a word no dictionary knows into the closest word of the
lexicon or of a city name, and a lexicon word can set a filter. A real English word is no typo,
however close it is to one of ours: "thinking" is not "drinking" (Alcohol Use), "putting" is
not "cutting" (Self-Harm), "education" is not "medication", "independent" is not
"codependent". Of the 57,185 alphabetic words of English that ``wordfreq`` lists, 4,158 were
corrected to another word before this list was known (2,732 into a vocabulary word).

The words are those of the ``wordfreq`` package's English list at least as frequent as
:data:`MIN_ZIPF` on its Zipf scale (log10 of the frequency per billion words): about 29,000
words, read in 0.05 s when the first understander is built (the package takes 0.1 s to import).
A typo of a vocabulary word is far rarer than that ("anxeity" 0.0, "theraphy" 1.1, "marrige"
1.5, "pheonix" 2.0, "definately" 2.9), so typos are still corrected.
"""

from __future__ import annotations

from functools import cache

from search_core.understanding.text import fold

MIN_ZIPF = 3.0
"""Words at least this frequent (once per million words of text) are never typo-corrected."""


@cache
def english_words(min_zipf: float = MIN_ZIPF) -> frozenset[str]:
    """The folded English words at least as frequent as ``min_zipf`` ("don't" as "dont")."""
    from wordfreq import get_frequency_list

    out: set[str] = set()
    for centibels, bucket in enumerate(get_frequency_list("en")):
        if 9 - centibels / 100 < min_zipf:  # a bucket's frequency is 10^(-centibels/100)
            break
        out.update(fold(w) for w in bucket)
    return frozenset(out)
