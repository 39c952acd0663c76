"""The words of a typed query, folded for matching but tied to what was typed.

Every :class:`Token` keeps its span in the original text, so a piece of the parse can quote the
words it came from exactly as typed ("Habla Español"), and whether it was typed in capitals (a
two-letter state code or an ambiguous abbreviation like "DO" counts only then).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_TOKEN = re.compile(r"\$?\d+(?:[.,]\d+)?|[^\W\d_]+(?:['\u2019][^\W\d_]+)*|[<]", re.UNICODE)
_POSSESSIVE = re.compile(r"['\u2019]s$|s['\u2019]$")


def fold(text: str) -> str:
    """Lower case, accents and apostrophes removed: ``"Español's"`` → ``"espanols"``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return folded.lower().replace("'", "")


def stem(word: str) -> str:
    """A plural-tolerant key: ``"teens"``, ``"therapies"``, ``"classes"`` → ``"teen"``,
    ``"therapy"``, ``"class"``. Applied alike to the lexicon and the query, so it need only
    be consistent, not linguistically right."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("sses"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class Token:
    norm: str
    """Folded word (possessive dropped), or the digits of a number."""
    start: int
    end: int
    upper: bool
    """Typed in capitals (two letters or more)."""
    number: float | None = None
    dollar: bool = False

    @property
    def key(self) -> str:
        return stem(self.norm)


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``: words, numbers (``$100`` → 100 with ``dollar``) and ``<``."""
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        raw = m.group(0)
        # isdecimal, not isdigit: "³" is a digit to isdigit but neither \d nor float() takes
        # it, so it comes as a word (folded to "3").
        if raw[0] == "$" or raw[0].isdecimal():
            digits = raw.lstrip("$")
            value = float(digits.replace(",", "")) if "," in digits else float(digits)
            out.append(Token(digits, m.start(), m.end(), False, value, raw[0] == "$"))
            continue
        norm = fold(_POSSESSIVE.sub("", raw))
        if not norm:
            continue
        upper = len(raw) >= 2 and raw.isupper()
        out.append(Token(norm, m.start(), m.end(), upper))
    return out


def span_text(text: str, tokens: list[Token], i: int, j: int) -> str:
    """The typed text of ``tokens[i:j]``."""
    return text[tokens[i].start : tokens[j - 1].end]
