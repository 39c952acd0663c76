"""Query understanding: what a person types in the one search box → a structured request.

``understand(text, geocoder=...)`` finds, anywhere in the text, vocabulary terms and their lay
words (filters or boosts), a place (ZIP, "City, ST", a big city, a state, "near me"), a budget,
a distance; forgives typos; removes filler; and returns an :class:`Understanding` whose pieces
a page can show as removable chips. :func:`plan` lists the relaxation steps for an empty page.
Engine-neutral and pure once built: the engines and routes only read the result.

Hard filter or boost (the README table is in ``docs/understanding.md``):

===================  ===========================================  =========================
kind                 examples                                     effect
===================  ===========================================  =========================
gender               female, woman therapist, male therapist      filter ``gender``
language             spanish speaking, habla español, in Spanish  filter ``languages``
insurance            takes aetna, blue cross, bcbs, medicaid      filter ``insurance``
profession           psychologist, LCSW, marriage counselor       filter ``profession``
age_group            kids, child, my teenager, elderly            filter ``age_groups``
telehealth           online, virtual, video, zoom                 filter ``telehealth``
in_person            in person, face to face                      filter ``in_person``
accepting            accepting new clients, available             filter ``accepting_...``
price                under $100, less than 150 dollars, cheap     filter ``max_fee``
price                sliding scale, income based                  filter ``sliding_scale``
issue                anxiety, depressed, panic attacks, ptsd      filter ``issues``
therapy_type         cbt, emdr, couples counseling                filter ``therapy_types``
population           lgbtq, veterans, christian                   filter ``populations``
couples              marriage counselor, for my wife and me       filter ``any_of`` (group)
negation             no DBT, non-religious, not a psychiatrist    filter ``none_of``
several issues       anxiety, ocd and insomnia                    filter ``all_of`` too
leftover words       daughter, affordable, caring                 rank only (``rank_text``)
issue/population     worry, sad, faith, black, pain, school       boost only (words kept)
place                97214, Portland OR, chicago, texas, near me  ``near`` / ``licensed_in``
filler               therapist, counselor, who, takes, near, my   removed from the text
===================  ===========================================  =========================

Why issues, therapy types and populations filter too: they are the therapist's own declared
specialties, so a filter is what makes "the top 10 satisfy what was asked"; a bio that merely
mentions a word is weaker evidence. Their vocabulary labels also come back as
``boost_phrases`` for a should-clause, and when the page would be empty the relaxation planner
drops them (before the harder gender, insurance and language filters). Loose lay words ("sad",
"worry", "pain") only boost: they hint at a term but do not pin it.
"""

from search_core.understanding.lexicon import AFFORDABLE_MAX_FEE, Kind, Lexicon, lexicon
from search_core.understanding.model import Correction, FoundPlace, Piece, Understanding
from search_core.understanding.places import Gazetteer, GeocoderGazetteer
from search_core.understanding.relax import SOFTNESS, Request, Step, describe, plan, plan_request
from search_core.understanding.understand import Understander
from search_core.understanding.understanders import understand, understander_for

__all__ = [
    "AFFORDABLE_MAX_FEE",
    "SOFTNESS",
    "Correction",
    "FoundPlace",
    "Gazetteer",
    "GeocoderGazetteer",
    "Kind",
    "Lexicon",
    "Piece",
    "Request",
    "Step",
    "Understander",
    "Understanding",
    "describe",
    "lexicon",
    "plan",
    "plan_request",
    "understand",
    "understander_for",
]
