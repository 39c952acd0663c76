"""Tokenizing typed text (search_core/understanding/text.py)."""

from __future__ import annotations

from search_core.understanding.text import tokenize


def test_superscript_digit_is_a_word_not_a_number() -> None:
    """'³' passes ``str.isdigit`` but not ``float()``: found by the long schema fuzzing run
    (a 500 on /therapists/search?q=ñ©³...&understand=true)."""
    tokens = tokenize("ñ©³@ÇH x²")
    assert all(t.number is None for t in tokens)
    assert [t.norm for t in tokens] == ["n", "3", "ch", "x2"]


def test_decimal_digits_of_other_scripts_are_numbers() -> None:
    assert [t.number for t in tokenize("$100 and ٣")] == [100.0, None, 3.0]
