"""Words that carry no search meaning in a therapist directory: removed from the text search,
and never able to empty a result page.

Single words, then phrases ("i need someone to help me with"): a phrase is matched like any
lexicon phrase, longest first, so "marriage counselor" (a profession) still beats "counselor".
"""

from __future__ import annotations

_FILLER_WORDS_TEXT = """
    a an the for in near nearby around close to of on at by from with within who that which
    is are am be can could would will should do does me my i im i'm we us our you your
    and or also plus any some someone somebody person people one
    need needs want wants wanted looking look find finding search searching get getting seek
    seeking help helps helping helpful please
    best good great top rated recommended experienced local nice kind caring
    therapist therapists counselor counselors counsellor counsellors psychotherapist
    psychotherapists therapy therapies counseling counselling psychotherapy session sessions
    provider providers practitioner practitioners clinician clinicians doctor doctors dr
    specialist specialists specializing specialized specializes specialises specialise
    expert experts treatment treat treating treats deal dealing struggling struggle suffering
    takes take taking accepts accept accepted accepting insurance insured network covered
    coverage plan
    speaks speak speaking spoken language languages fluent bilingual habla hablo hable que en
    con para issues issue problem problems help
    feel feeling feels felt very really so always lately been have has having but
    what how why when where too much many more anymore just what's
    childhood
"""
FILLER_WORDS: frozenset[str] = frozenset(_FILLER_WORDS_TEXT.split())

FILLER_PHRASES: tuple[str, ...] = (
    "i need someone to help me with",
    "i need someone to help me",
    "someone to help me with",
    "someone to help with",
    "someone to talk to",
    "i need help with",
    "i need a",
    "looking for a",
    "looking for",
    "help me with",
    "help with",
    "talk therapy",
    "growing up",
    "talk to someone",
    "mental health",
    "in network",
    "in network with",
    "takes insurance",
    "who takes",
    "who accepts",
    "who speaks",
    "that takes",
    "near by",
    "in or near",
    "in or around",
    "at or near",
    "close to",
    "in my area",
    "my area",
    "area",
)
