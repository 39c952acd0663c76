"""The words of risk, written for this product: how people type that they, or someone close to
them, may be harmed now (English and Spanish), and the words that make such a word a topic.

Patterns are regular expressions over the folded words of the text joined by single spaces
(accents and apostrophes gone: "don't" is "dont", "daño" is "dano"), after the few misspellings
of :data:`SPELLINGS` and the close misspellings of :data:`FUZZY_WORDS` are mended. Each row:
(pattern, kind, issue slug it filters by, strength):

* ``STRONG``: risk now, in the first person ("kill myself", "i want to die", "kms", "he hits
  me", "quiero morir") or of someone close, in the present ("my son is cutting himself"). Always
  a crisis, whatever else the text says.
* ``TOPIC``: a word that names the subject ("suicide", "self harm", "domestic violence",
  "overdose"). A crisis unless the text is about the subject rather than a person at risk: a
  :data:`CONTEXT` word ("prevention", "training", "research", "suicide loss", "survivors").
"""

from __future__ import annotations

from typing import Final, Literal

CrisisKind = Literal["suicide", "self_harm", "overdose", "violence", "abuse"]
SEVERITY: tuple[CrisisKind, ...] = ("suicide", "overdose", "violence", "self_harm", "abuse")
"""Kinds, the one to name first when several are recognised."""

STRONG: Final = True
TOPIC: Final = False

ISSUE_OF: dict[CrisisKind, str] = {
    "suicide": "suicidal-thoughts",
    "self_harm": "self-harm",
    "overdose": "substance-use",
    "violence": "anger-management",
    "abuse": "domestic-violence",
}
"""The issue a crisis searches therapists for: the closest specialty of the vocabulary."""

SPELLINGS: dict[str, str] = {
    "kil": "kill",
    "kll": "kill",
    "kiil": "kill",
    "kilk": "kill",
    "mysef": "myself",
    "myslef": "myself",
    "mysefl": "myself",
    "myselfe": "myself",
    "wana": "wanna",
    "wanan": "wanna",
    "wnat": "want",
    "wnt": "want",
    "don": "dont",
    "anymroe": "anymore",
    "sucide": "suicide",
    "sucidal": "suicidal",
    "selfharm": "self harm",
    "selfharming": "self harming",
    "killmyself": "kill myself",
    "endit": "end it",
}
"""Misspellings too short or too odd for the edit-distance mending below."""

FUZZY_WORDS: tuple[str, ...] = (
    "suicide",
    "suicidal",
    "suicidio",
    "suicidarme",
    "suicidarse",
    "overdose",
    "overdosed",
    "overdosing",
    "myself",
    "himself",
    "herself",
    "themselves",
    "anymore",
    "matarme",
    "morirme",
)
"""Words mended when typed one edit off (two from 8 letters), with the same first letter, and
not an ordinary word themselves ("putting" is never "cutting", "amused" never "abused": those
are not here)."""

_SELF = r"(?:myself|my self|my own self)"
_OTHER = r"(?:himself|herself|themselves|themself)"
_WANT = (
    r"(?:want to|wants to|wanted to|wanna|going to|gonna|ready to|plan to|planning to|"
    r"planning on|plans to|trying to|tried to|try to|need to|thinking about|thinking of|"
    r"think about|thought about|thoughts of|thoughts about|talks about|talking about|"
    r"talked about|urge to|urges to|feel like|feeling like|might)"
)
_HURT = (
    r"(?:cut|cutting|cuts|hurt|hurting|hurts|harm|harming|harms|burn|burning|burns|"
    r"scratch|scratching|hit|hitting|punch|punching|starve|starving)"
)
_PERSON = (
    r"(?:he|she|they|husband|wife|boyfriend|girlfriend|partner|spouse|ex|dad|mom|father|mother|"
    r"stepdad|stepmom|stepfather|stepmother|parent|parents|brother|sister|uncle|boss|bf|gf|"
    r"someone|somebody|cousin|grandpa|grandfather|neighbor|neighbour|teacher|coach|babysitter|"
    r"stepbrother|stepsister|roommate|fiance|fiancee)"
)
_ATTACK = (
    r"(?:hits|hit|beats|beat|chokes|choked|strangles|strangled|kicks|kicked|punches|punched|"
    r"slaps|slapped|rapes|raped|abuses|abused|threatens|threatened|hurts|hurt|attacks|attacked|"
    r"pushes|pushed|shoves|shoved|molests|molested)"
)
_ATTACKING = (
    r"(?:hitting|beating|choking|strangling|kicking|punching|slapping|raping|abusing|"
    r"threatening|hurting|attacking|pushing|shoving|touching|stalking|following)"
)
_KIN = (
    r"(?:(?:my|the|our) (?:baby|babies|child|children|kid|kids|son|daughter|wife|husband|partner|"
    r"family|mom|dad|mother|father|boyfriend|girlfriend|newborn|infant|brother|sister|boss|"
    r"coworker|roommate|ex|neighbor|neighbour|parents|teacher|classmate))"
)
"""Someone close whom a person may fear harming ("hurt my baby"; never "hurt my knee")."""
_GOING_ON = r"(?:is |keeps |keeps on |wont stop |doesnt stop |never stops |always |still |been )"
_KIN_ES = r"(?:esposo|marido|novio|pareja|papa|padre|mama|madre|padrastro|madrastra|ex|el|ella)"

PATTERNS: tuple[tuple[str, CrisisKind, bool], ...] = (
    # --- suicide, first person
    (rf"(?:kill|killing|end|ending|take|taking) (?:{_SELF}|my (?:own )?life)", "suicide", STRONG),
    (r"kms|unalive myself|off myself", "suicide", STRONG),
    (
        rf"{_WANT} (?:die|be dead|dying|suicide|end it all|end it|disappear forever)",
        "suicide",
        STRONG,
    ),
    (r"(?:commit|committing|commiting) suicide", "suicide", STRONG),
    (r"wish (?:i|id) (?:was|were|could be|were|had) (?:dead|died|never born)", "suicide", STRONG),
    (r"wish i could (?:die|disappear)|wish i wasnt (?:alive|born|here)", "suicide", STRONG),
    (r"better off (?:dead|without me)|no reason to live|nothing to live for", "suicide", STRONG),
    (r"(?:end|ending) (?:it all|everything)", "suicide", STRONG),
    (
        r"(?:dont|do not|no longer|doesnt|dont really|never|dont ever|not) "
        r"(?:want|wanna|wanting) (?:to )?"
        r"(?:live|be alive|exist|wake up|be here any ?more|go on|keep living|keep going)",
        "suicide",
        STRONG,
    ),
    (
        r"(?:hope|wish|pray) (?:i|id) (?:dont|never|wont|wouldnt|do not|didnt) wake up|"
        r"(?:sleep|go to sleep|fall asleep) and never wake up",
        "suicide",
        STRONG,
    ),
    (
        rf"{_WANT} (?:(?:end|ending) things(?= *$| (?:for good|forever|tonight|now|today))|"
        r"ending it(?: all)?|disappear(?! (?:from|for|off))|not be here|not exist|"
        r"stop existing|sleep forever|not wake up|death(?! of)|be gone forever|give up on life)|"
        r"want (?:it all|everything|my life) to (?:end|be over)",
        "suicide",
        STRONG,
    ),
    (
        rf"(?:hang|hanging|shoot|shooting|drown|drowning|poison|poisoning|suffocate|"
        rf"suffocating) (?:{_SELF}|{_OTHER})|"
        rf"(?:kill|killing|end|ending|take|taking) (?:{_OTHER}|(?:his|her|their) (?:own )?life)|"
        rf"gun to my head|use it on {_SELF}",
        "suicide",
        STRONG,
    ),
    (
        r"(?:jump|jumping) (?:off|from) (?:a|the|my|this) (?:bridge|building|roof|cliff|"
        r"balcony|overpass)|(?:jump|jumping|step|stepping|walk|walking) in front of (?:a|the) "
        r"(?:train|bus|car|truck)",
        "suicide",
        STRONG,
    ),
    (
        r"(?:done with|tired of|sick of) (?:life|living)"
        r"(?! (?:coach|coaching|coaches|insurance|skills|style|lessons|in))|"
        r"life (?:isnt|is not|aint) worth (?:living|it *$)|"
        r"(?:no|dont see the|cant see the|whats the|what is the) point (?:in|of) "
        r"(?:living|life|going on|being alive)|"
        r"(?:nobody|no one|noone) would (?:miss|notice|care)(?: about)? (?:me )?if i "
        r"(?:was|were|died|disappeared)|(?:happier|better off) if i (?:was|were) (?:dead|gone)|"
        r"(?:a|such a) burden (?:to|on) (?:everyone|everybody|my family|them|the people)",
        "suicide",
        STRONG,
    ),
    (r"(?:tired|sick) of (?:living|being alive|life)|cant go on(?: any ?more)?", "suicide", STRONG),
    (
        r"(?:i am|im|i m|i feel|feel|feeling|been feeling|i was) (?:so |really |very )?suicidal",
        "suicide",
        STRONG,
    ),
    (
        r"(?:me )?quiero (?:morir|morirme|matarme|suicidarme|desaparecer)|"
        r"me quiero (?:matar|suicidar)",
        "suicide",
        STRONG,
    ),
    (
        r"suicidarme|matarme|quitarme la vida|acabar con (?:mi vida|todo)|ganas de morir(?:me)?",
        "suicide",
        STRONG,
    ),
    (
        r"no quiero (?:vivir|seguir viviendo|estar aqui|existir)|pienso en (?:morir|el suicidio)",
        "suicide",
        STRONG,
    ),
    # --- suicide, the subject
    (
        r"suicidal(?: thoughts?| ideation| feelings?| thinking)?|suicide(?: attempts?)?|"
        r"suicidality|unalive|suicidio|suicida|pensamientos suicidas",
        "suicide",
        TOPIC,
    ),
    # --- self-harm
    (rf"{_HURT} {_SELF}|{_WANT} {_HURT} {_SELF}", "self_harm", STRONG),
    (
        rf"(?:is|are|keeps|keep|been|started|has been|have been|was) {_HURT} {_OTHER}|"
        rf"{_HURT} {_OTHER}",
        "self_harm",
        STRONG,
    ),
    (
        r"(?:i|im|i m|ive been|i have been|i keep|i started|started) cutting(?: again)?",
        "self_harm",
        STRONG,
    ),
    (
        r"me corto|me estoy cortando|cortarme|me (?:lastimo|hago dano)|lastimarme|hacerme dano|"
        r"se corta|se esta cortando",
        "self_harm",
        STRONG,
    ),
    (
        r"self (?:harm|harming|injury|injuring|injurious|mutilation)(?: behaviou?rs?)?|"
        r"autolesion(?:es)?|"
        r"cutting(?! (?:edge|back|down|off|out|ties|through|corners|hair|weight|"
        r"carbs|sugar|costs))",
        "self_harm",
        TOPIC,
    ),
    # --- overdose
    (
        r"overdosed|overdosing|(?:took|taken|swallowed|take|taking) (?:too many|a bunch of|"
        r"a (?:whole )?bottle of|a handful of|all (?:my|of my|the|of the)) "
        r"(?:pills|meds|medication|medications|tablets|sleeping pills)",
        "overdose",
        STRONG,
    ),
    (rf"{_WANT} overdose|tome (?:muchas|demasiadas) pastillas", "overdose", STRONG),
    (r"overdose|sobredosis", "overdose", TOPIC),
    # --- harm to others
    (
        rf"{_WANT} (?:kill|hurt|harm|shoot|stab|strangle|murder|hurting|harming|killing) "
        rf"(?:him|her|them|someone|somebody|people|everyone|{_KIN})",
        "violence",
        STRONG,
    ),
    (
        r"(?:afraid|scared|terrified|worried) (?:that )?(?:i|ill|i will|i might|i could|im going "
        rf"to|i am going to) (?:hurt|harm|kill|shake|hit|smother) (?:{_KIN}|someone|somebody|"
        r"people|(?:him|her|them)(?! (?:feelings|chances|career|reputation|business|pride|ego)))",
        "violence",
        STRONG,
    ),
    (
        r"homicidal(?: thoughts?| ideation| urges?)?|quiero matarlo|quiero matarla",
        "violence",
        TOPIC,
    ),
    # --- abuse
    (rf"(?:my )?{_PERSON} (?:keeps |always |still )?{_ATTACK} me(?! up\b)", "abuse", STRONG),
    (rf"(?:my )?{_PERSON} {_GOING_ON}{_ATTACKING} me", "abuse", STRONG),
    (
        rf"(?:my )?{_PERSON} (?:keeps |always |still )?(?:touches|touched) me"
        r"(?! (?:deeply|so|with|by|emotionally|a lot|too|more))",
        "abuse",
        STRONG,
    ),
    (
        rf"(?:threatened|threatens|threatening|threats) (?:to )?(?:kill|hurt|beat|shoot|stab) me|"
        rf"(?:afraid|scared|terrified) (?:that )?{_PERSON} (?:will|is going to|is gonna|might|"
        r"wants to|would|could) (?:kill|hurt|beat|shoot|stab) me",
        "abuse",
        STRONG,
    ),
    (
        r"(?:dont|do not|never) feel safe (?:at home|in my (?:own )?home|with (?:him|her|them|my "
        r"\w+))|(?:not|unsafe|isnt safe) (?:safe )?(?:at home|in my home)|"
        r"(?:afraid|scared|terrified) to go (?:back )?home",
        "abuse",
        STRONG,
    ),
    (
        rf"{_PERSON} (?:wont|doesnt|will not|does not|never) let me (?:leave|go out|see|talk to)|"
        r"(?:i was|i got|just got|ive been|i have been) raped",
        "abuse",
        STRONG,
    ),
    (
        r"(?:being|been|getting|am|im|i m) (?:sexually |physically )?(?:abused|beaten|beat up|"
        r"molested|raped|choked|"
        r"strangled|hit|assaulted)",
        "abuse",
        STRONG,
    ),
    (rf"(?:afraid|scared|terrified) of my {_PERSON}", "abuse", STRONG),
    (
        rf"(?:mi )?{_KIN_ES} me (?:pega|golpea|maltrata|amenaza|viola|abusa|toca|toco|manosea|"
        r"violo)|abusa de mi|me (?:violaron|abusaron)|abusaron de mi|"
        rf"(?:tengo )?miedo (?:de|a) mi {_KIN_ES}|no me siento (?:segura|seguro) en (?:mi )?casa",
        "abuse",
        STRONG,
    ),
    (
        rf"(?:abusive|violent) (?:{_PERSON}|relationship|home|marriage)|"
        r"domestic (?:violence|abuse)|intimate partner (?:violence|abuse)|child abuse|"
        r"violencia domestica|maltrato",
        "abuse",
        TOPIC,
    ),
)

CONTEXT: tuple[str, ...] = (
    # about the subject: professional, academic, public-health words
    r"prevention|postvention|training|trainings|course|courses|ceu|ceus|certification|"
    r"certificate|workshop|webinar|conference|research|researcher|study|studies|statistics|"
    r"stats|rates|awareness|education|educational|curriculum|article|articles|book|books|"
    r"paper|journal|policy|protocol|screening|assessment|gatekeeper|qpr|documentary|"
    r"for (?:clinicians|professionals|therapists|counselors|teachers|schools|educators)",
    # after a loss, or looking back
    r"suicide loss|loss (?:to|from|by) suicide|lost (?:\w+ ){1,3}to suicide|"
    r"(?:died|death|deaths) (?:by|of|from) suicide|committed suicide|bereaved by suicide|"
    r"bereavement|survivor|survivors|after (?:a |the |his |her |my |their |our )?suicide|"
    r"suicide grief|grief (?:after|from) suicide|healing from|recovering from|recovery from|"
    r"history of|in the past",
)
"""Words that make a TOPIC match about the subject, not a person at risk (no banner)."""

CHILD = (
    r"child|children|kid|kids|son|daughter|teen|teens|teenager|teenage|my (?:step)?"
    r"(?:dad|mom|father|mother|parents?)|stepdad|stepfather|nino|nina|hijo|hija|papa|padrastro|"
    r"child abuse|i m (?:1[0-7]|[5-9])|im (?:1[0-7]|[5-9])"
)
"""A child or teen is involved: Childhelp is apt for abuse."""

SPANISH = (
    r"quiero|morir|morirme|matar|matarme|matarlo|matarla|suicidar|suicidarme|suicidio|suicida|"
    r"suicidas|corto|cortando|cortarme|corta|lastimo|lastimarme|dano|pega|golpea|maltrata|"
    r"maltrato|amenaza|viola|abusa|sobredosis|vida|vivir|viviendo|pastillas|autolesion|"
    r"autolesiones|violencia|pienso|ganas|pensamientos|existir|desaparecer|todo|miedo|segura|"
    r"seguro|toca|toco|manosea|violo|violaron|abusaron"
)
"""Spanish words of the patterns: a match made of them puts the Spanish line first."""
