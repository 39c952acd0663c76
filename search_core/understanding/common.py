"""Ordinary English words: never typo-corrected into a vocabulary term, and never a bare city
name on their own ("normal", "hope", "independence"). Kept short: the words a searcher might
type around a request, and words one edit away from a vocabulary term ("sorry" ≠ "worry",
"danger" ≠ "anger", "madness" ≠ "sadness")."""

from __future__ import annotations

_COMMON_WORDS_TEXT = """
    about above after again against all almost alone already always among another anyone
    anything anywhere around ask away back bad because been before being better between big
    both bring brief call came care case cause change city close come coming could country
    danger day days dear does done down during each early easy else enough even ever every
    face fact fall family far fast feel feeling feelings felt few fine first five free friend
    friendly friends full gave give given going gone grand great group grow hand happy hard
    have having head hear heard heart here high hold home hope house however human idea into
    just keep kind knew know last late later least leave left less life like line little live
    lives living long lost love made make makes making many matter maybe mean means mind
    mission more most mother father much must name need never next night normal nothing
    number often okay once only open orange other others over own paradise part past pay
    place plan point power pretty quite rather real really reason right room said same saw
    say says second seem seen self send sense set several shall short show side since small
    soon sorry sort speak start state still story such sure talk tell than thank thanks their
    them then there these they thing things think this those though three through time times
    today together told tomorrow took tried true trust truly trying turn under union united
    university until upon used using very wait walk wanted water ways well went were what
    when where while whole whose why wife husband son daughter wish without woman women men
    word words work working world worse worst would year years young yourself madness sadly
    mouse house spouse liberty independence victory pleasant joy justice commerce industry
    lake river mountain valley beach park springs spring hills heights falls grove garden
    gardens harbor bay port north south east west central new old fort mount saint
"""
COMMON_WORDS: frozenset[str] = frozenset(_COMMON_WORDS_TEXT.split())
