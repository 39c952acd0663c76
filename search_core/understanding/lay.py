"""Everyday words people type for the controlled vocabularies, written for this product.

Each row: phrases, the facet, its slug(s), and whether the phrase is *sure* (it can only mean
that term: a hard filter) or *loose* (it hints at the term: a boost, the words stay in the text).
Plurals, possessives, case and accents are tolerated by the matcher, so only one form is listed.
"""

from __future__ import annotations

from typing import Final

LayRow = tuple[tuple[str, ...], str, tuple[str, ...], bool]

SURE: Final = True
LOOSE: Final = False

AGE_WORDS: tuple[LayRow, ...] = (
    (
        ("toddler", "preschooler", "preschool", "little one", "young child", "infant"),
        "age_groups",
        ("toddlers",),
        SURE,
    ),
    (
        (
            "kid",
            "child",
            "children",
            "my son",
            "my daughter",
            "elementary school",
            "tween",
            "pediatric",
        ),
        "age_groups",
        ("children",),
        SURE,
    ),
    (
        (
            "teen",
            "teenager",
            "teenage",
            "teenaged",
            "my teenager",
            "adolescent",
            "adolescence",
            "high school",
            "high schooler",
            "youth",
        ),
        "age_groups",
        ("teens",),
        SURE,
    ),
    (
        ("adult", "grown up", "young adult", "adult child of", "adult children of"),
        "age_groups",
        ("adults",),
        SURE,
    ),
    (
        (
            "elderly",
            "senior",
            "older adult",
            "older people",
            "retiree",
            "geriatric",
            "aging",
            "elder",
        ),
        "age_groups",
        ("elders",),
        SURE,
    ),
)

POPULATION_WORDS: tuple[LayRow, ...] = (
    (
        ("gay", "lesbian", "bisexual", "lgbtq+", "lgbt+", "queer friendly", "lgbtq friendly"),
        "populations",
        ("lgbtq",),
        SURE,
    ),
    (
        ("veteran", "military", "army", "navy", "marine", "air force", "service member"),
        "populations",
        ("veterans",),
        SURE,
    ),
    (
        ("first responder", "police", "police officer", "firefighter", "paramedic", "emt"),
        "populations",
        ("first-responders",),
        SURE,
    ),
    (
        ("black", "latino", "latina", "latinx", "hispanic", "asian american", "poc"),
        "populations",
        ("bipoc",),
        LOOSE,
    ),
    (("immigrant", "refugee", "asylum seeker"), "populations", ("immigrants",), SURE),
    (
        ("college student", "college", "university student", "grad student"),
        "populations",
        ("college-students",),
        SURE,
    ),
    (("athlete", "sports", "sport psychology"), "populations", ("athletes",), SURE),
    (
        ("nurse", "healthcare worker", "health care worker", "medical professional"),
        "populations",
        ("healthcare-workers",),
        SURE,
    ),
    (
        ("couple", "married couple", "marriage", "partner", "spouse"),
        "populations",
        ("couples",),
        SURE,
    ),
    (("family", "whole family"), "populations", ("families",), SURE),
    (
        ("christian", "faith based", "religious", "catholic", "jewish", "muslim", "church"),
        "populations",
        ("faith-based",),
        SURE,
    ),
)

INSURANCE_WORDS: tuple[LayRow, ...] = (
    (
        (
            "blue cross blue shield",
            "blue shield",
            "bluecross",
            "blue cross of",
            "anthem blue cross",
        ),
        "insurance",
        ("bcbs",),
        SURE,
    ),
    (
        ("unitedhealth", "united health care", "united health"),
        "insurance",
        ("united-healthcare",),
        SURE,
    ),
    (("medi cal", "masshealth", "apple health"), "insurance", ("medicaid",), SURE),
    (("kaiser permanente", "kp"), "insurance", ("kaiser",), SURE),
    (("emblem",), "insurance", ("emblemhealth",), SURE),
    (("magellan",), "insurance", ("magellan",), SURE),
    (("oscar",), "insurance", ("oscar",), SURE),
    (("molina",), "insurance", ("molina",), SURE),
    (("oxford",), "insurance", ("oxford",), SURE),
    (("beacon", "beacon health"), "insurance", ("carelon",), SURE),
    (("harvard pilgrim health care",), "insurance", ("harvard-pilgrim",), SURE),
)

LANGUAGE_WORDS: tuple[LayRow, ...] = (
    (("chinese",), "languages", ("mandarin", "cantonese"), SURE),
    (("espanol", "castellano"), "languages", ("spanish",), SURE),
    (("creole", "haitian"), "languages", ("haitian-creole",), SURE),
    (("signing", "deaf"), "languages", ("asl",), SURE),
    (("brazilian",), "languages", ("portuguese",), SURE),
    (("iranian",), "languages", ("farsi",), SURE),
)

PROFESSION_WORDS: tuple[LayRow, ...] = (
    (("clinical psychologist", "psychology"), "profession", ("psychologist",), SURE),
    (("psychiatry", "psychiatric doctor", "shrink"), "profession", ("psychiatrist",), SURE),
    (
        ("prescriber", "someone who can prescribe", "prescribe"),
        "profession",
        ("psychiatrist", "psychiatric-nurse-practitioner"),
        SURE,
    ),
    (
        ("clinical social worker", "licensed clinical social worker", "social work"),
        "profession",
        ("clinical-social-worker",),
        SURE,
    ),
    (
        (
            "marriage counselor",
            "marriage and family therapist",
            "family therapist",
            "marriage therapist",
        ),
        "profession",
        ("marriage-family-therapist",),
        SURE,
    ),
    (
        (
            "licensed professional counselor",
            "licensed counselor",
            "mental health counselor",
            "professional counselor",
            "licensed mental health counselor",
        ),
        "profession",
        ("professional-counselor",),
        SURE,
    ),
    (
        ("nurse practitioner", "psychiatric nurse", "psychiatric np", "np"),
        "profession",
        ("psychiatric-nurse-practitioner",),
        SURE,
    ),
    (
        (
            "addiction counselor",
            "drug counselor",
            "alcohol counselor",
            "substance abuse counselor",
            "addiction specialist",
        ),
        "profession",
        ("addiction-counselor",),
        SURE,
    ),
    (
        ("art therapist", "music therapist", "drama therapist", "dance therapist"),
        "profession",
        ("creative-arts-therapist",),
        SURE,
    ),
)

# Flags: phrases → (param, value).
TELEHEALTH_PHRASES = (
    "online",
    "virtual",
    "video",
    "telehealth",
    "telemedicine",
    "teletherapy",
    "remote",
    "zoom",
    "video call",
    "over video",
    "from home",
    "e therapy",
    "virtually",
    "tele health",
    "over the phone",
)
IN_PERSON_PHRASES = ("in person", "face to face", "in office", "office visit", "in-person")
ACCEPTING_PHRASES = (
    "accepting new clients",
    "accepting new patients",
    "taking new clients",
    "taking new patients",
    "accepting clients",
    "accepting patients",
    "new clients",
    "new patients",
    "availability",
    "available",
    "openings",
    "open slots",
    "not on a waitlist",
    "no waitlist",
)
SLIDING_PHRASES = (
    "sliding scale",
    "sliding fee",
    "income based",
    "reduced fee",
    "low fee",
    "pay what you can",
)
AFFORDABLE_PHRASES = (
    "cheap",
    "affordable",
    "inexpensive",
    "low cost",
    "budget",
    "cheaper",
    "not expensive",
    "low price",
    "reasonable price",
    "reasonably priced",
)

GENDER_WORDS: dict[str, str] = {
    "female": "female",
    "woman": "female",
    "lady": "female",
    "feminine": "female",
    "male": "male",
    "masculine": "male",
    "nonbinary": "non-binary",
    "non binary": "non-binary",
    "genderqueer": "non-binary",
    "enby": "non-binary",
}
"""Words that name the therapist's gender on their own (unless they follow "for": "therapist
for women" names the client)."""
GENDER_NOUNS: dict[str, str] = {
    "man": "male",
    "guy": "male",
    "gentleman": "male",
    "woman": "female",
    "lady": "female",
    "gal": "female",
}
"""Nouns that name the therapist's gender only before a therapist word ("man therapist")."""
