"""Crisis help: the lines to show first when a search says someone may be harmed now.

:func:`crisis_help` turns what understanding recognised
(:class:`search_core.understanding.model.CrisisSignal`) into the ``crisis`` object of an API
page: the kinds and words recognised, a sentence for people, and the resources in the order to
show them, each with ready ``tel:`` and ``sms:`` links. The numbers are the national US lines;
they are data here, in one place, so a review can check them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from search_core.understanding.crisis_words import CrisisKind
from search_core.understanding.model import CrisisSignal

__all__ = ["Crisis", "CrisisResource", "crisis_help"]


class CrisisResource(BaseModel):
    """One line to call or text."""

    model_config = ConfigDict(frozen=True)
    name: str = Field(description='Who answers ("988 Suicide & Crisis Lifeline").')
    description: str = Field(description='What to do, for people ("Call or text 988, any time").')
    language: Literal["en", "es"] = Field("en", description="The language it answers in.")
    phone: str | None = Field(None, description="The number to call, as dialled (988, 911).")
    text_to: str | None = Field(None, description="The number to text, when it takes texts.")
    text_message: str | None = Field(
        None, description="The word to text, when one is needed (HOME, START, AYUDA)."
    )
    tel: str | None = Field(None, description="A tel: link that calls it (tel:988).")
    sms: str | None = Field(
        None, description="An sms: link with the word filled in (sms:741741?body=HOME)."
    )
    url: str | None = Field(None, description="Its web site, with chat where it offers one.")


class Crisis(BaseModel):
    """Help to show before the results: the search text says someone may be harmed now."""

    model_config = ConfigDict(frozen=True)
    kind: CrisisKind = Field(
        description="What was recognised, the most serious when several: suicide, self_harm, "
        "overdose, violence (harm to others) or abuse."
    )
    kinds: list[CrisisKind] = Field(description="Everything recognised, most serious first.")
    matched: list[str] = Field(description="The words it was recognised in, as typed.")
    first_person: bool = Field(
        description="Risk said of oneself or of someone close now ('kill myself', 'my son is "
        "cutting himself'), not only the name of the subject ('suicide')."
    )
    message: str = Field(description="The banner's sentence, for people.")
    resources: list[CrisisResource] = Field(
        description="The lines to show, in order: 988 (call or text), Crisis Text Line (text "
        "HOME to 741741), 911 for immediate danger, the Spanish line (988 then 2, or text "
        "AYUDA to 988); for abuse the National Domestic Violence Hotline first, and Childhelp "
        "when a child or teen is involved; for an overdose 911 and Poison Help first."
    )


LIFELINE = CrisisResource(
    name="988 Suicide & Crisis Lifeline",
    description="Call or text 988, any time, free and confidential",
    phone="988",
    text_to="988",
    tel="tel:988",
    sms="sms:988",
    url="https://988lifeline.org",
)
TEXT_LINE = CrisisResource(
    name="Crisis Text Line",
    description="Text HOME to 741741 to reach a trained crisis counselor",
    text_to="741741",
    text_message="HOME",
    sms="sms:741741?body=HOME",
    url="https://www.crisistextline.org",
)
EMERGENCY = CrisisResource(
    name="Emergency services",
    description="Call 911 if you or someone else is in immediate danger",
    phone="911",
    tel="tel:911",
)
LIFELINE_ES = CrisisResource(
    name="988 Lifeline en español",
    description="Llama al 988 y oprime 2, o envía AYUDA por texto al 988",
    language="es",
    phone="988",
    text_to="988",
    text_message="AYUDA",
    tel="tel:988",
    sms="sms:988?body=AYUDA",
)
DOMESTIC_VIOLENCE = CrisisResource(
    name="National Domestic Violence Hotline",
    description="Call 1-800-799-7233 or text START to 88788, any time",
    phone="1-800-799-7233",
    text_to="88788",
    text_message="START",
    tel="tel:+18007997233",
    sms="sms:88788?body=START",
    url="https://www.thehotline.org",
)
CHILDHELP = CrisisResource(
    name="Childhelp National Child Abuse Hotline",
    description="Call or text 1-800-422-4453, any time, for children and for adults worried "
    "about a child",
    phone="1-800-422-4453",
    text_to="1-800-422-4453",
    tel="tel:+18004224453",
    sms="sms:+18004224453",
    url="https://www.childhelphotline.org",
)
POISON_HELP = CrisisResource(
    name="Poison Help",
    description="Call 1-800-222-1222 for advice on an overdose or poisoning, any time",
    phone="1-800-222-1222",
    tel="tel:+18002221222",
    url="https://www.poison.org",
)

MESSAGES: dict[CrisisKind, str] = {
    "suicide": "If you are thinking about suicide, or worried about someone who is, you are "
    "not alone: call or text 988 now, any time.",
    "self_harm": "If you or someone close to you is hurting themselves, help is there now: "
    "call or text 988, any time.",
    "overdose": "If someone may have taken too much, call 911 now. Poison Help and 988 can "
    "help too.",
    "violence": "If you feel you might hurt someone, or someone is in danger, call 911 now; "
    "988 answers any time to talk it through.",
    "abuse": "If someone is hurting you or you are afraid, you deserve to be safe: the "
    "National Domestic Violence Hotline answers any time. In danger now, call 911.",
}
SPANISH_NOTE = " En español: llama al 988 y oprime 2."


def _resources(kind: CrisisKind, signal: CrisisSignal) -> list[CrisisResource]:
    if kind == "abuse":
        first = [DOMESTIC_VIOLENCE, *([CHILDHELP] if signal.child else []), EMERGENCY]
        out = [*first, LIFELINE, TEXT_LINE, LIFELINE_ES]
    elif kind == "overdose":
        out = [EMERGENCY, POISON_HELP, LIFELINE, TEXT_LINE, LIFELINE_ES]
    else:
        out = [LIFELINE, TEXT_LINE, EMERGENCY, LIFELINE_ES]
        if "abuse" in signal.kinds:
            out[3:3] = [DOMESTIC_VIOLENCE, *([CHILDHELP] if signal.child else [])]
    if signal.spanish:
        out.remove(LIFELINE_ES)
        out.insert(0, LIFELINE_ES)
    return out


def crisis_help(signal: CrisisSignal | None) -> Crisis | None:
    """The ``crisis`` object of a page (None when nothing was recognised)."""
    if signal is None or not signal.kinds:
        return None
    kind = signal.kinds[0]
    message = MESSAGES[kind] + (SPANISH_NOTE if signal.spanish else "")
    return Crisis(
        kind=kind,
        kinds=signal.kinds,
        matched=signal.matched,
        first_person=signal.strong,
        message=message,
        resources=_resources(kind, signal),
    )
