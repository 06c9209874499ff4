"""Text features of chat replies: words, stems, and whether a reply carries substance."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.judgement.reply_words import FILLER, STEM_SUFFIXES, STOP_FOR_TOPIC

EDITED_MARKER = "<This message was edited>"

_URL = re.compile(r"https?://\S+|www\.\S+|\b[\w-]+\.(?:com|org|net|in|io|example)\S*", re.I)
_MENTION = re.compile(
    r"(?<![\w.])@\+?\d[\d ]{6,}\d|(?<![\w.])@[^\W\d_][\w.]*(?:\s+[A-Z][\w.]*){0,2}"
)
_WORD = re.compile(r"[a-z0-9₹%]+(?:['’][a-z]+)?(?:-[a-z0-9]+)*", re.I)


_FILLER_PHRASES = re.compile(
    r"\b(?:same here|me too|following this|good question|well said|so true|saving this|"
    r"all the best|best of luck|good luck|any help on this|any update|bumping this|gentle reminder|"
    r"who may know|"
    r"who might know|who can help|for visibility)\b",
    re.I,
)

# Offers and pointers are substance even when short ("DM me, I can refer you").
_OFFER = re.compile(
    r"\b(?:dm me|ping me|message me|call me|mail me|email me|reach out to me|contact me|"
    r"i can (?:refer|help|connect|intro|share|send)|will (?:connect|intro|introduce|refer|add) you|"
    r"i'?ll (?:connect|intro|introduce|refer|add|share|send)|"
    r"happy to(?! (?:hear|see|know|read|learn|be|report)\b)|"  # "Priyanka, happy to. First call …"
    r"try|use|check out|look at|look into|contact|reach out to|recommend|suggest|we use|we used)\b",
    re.I,
)
_ADVICE = re.compile(
    r"^\W*(?:try|keep|use|check|ask|go with|avoid|don't|do not|start|make sure|always|never|"
    r"better to|you (?:can|could|should|may|might|need)|we (?:use|used|pay|did|do|have|moved|went)|"
    r"in our (?:org|company|case)|what worked|in my experience|as per|under the|yes,|no,)\b",
    re.I,
)
# A promise to look, regret at not knowing, or only sympathy gives the asker nothing yet ("will
# ask around", "let me check with our IC", "no idea sorry", "Stay strong, you'll land soon").
_PROMISE = (
    r"\b(?:will|i'?ll|let me|lemme|shall|i can) (?:ask around|check|find out|get back|revert|"
    r"dig|look around|ask (?:my|our|a|some|him|her|them)|keep (?:an|my) (?:ear|eye)|"
    r"keep you posted|keep (?:you|him|her|them) in mind|let you know|share if)|"
    # "Shaam ko detail mein likhta hoon", "kal batati hoon": the same promise in Hinglish.
    r"\b(?:likhta|likhti|batata|batati|bataunga|bataungi) (?:hoon|hu|hun)\b"
)
# "We do it in-house, sorry Sunil. Will ask our channel heads": regret and a promise decline.
_DECLINE = re.compile(rf"\b(?:sorry|unfortunately)\b.*{_PROMISE}", re.I | re.S)
_NOTHING_YET = re.compile(
    _PROMISE
    + r"|"
    r"\b(?:no idea|(?:koi |any )?idea nahi|nahi pata|no clue|not sure|don'?t know|dont know|"
    r"pata nahi|unfortunately|hiring freeze|"
    r"nothing open|no openings?(?: right now| currently| as of now)|"
    r"(?:koi|any) (?:\w+ ){0,2}(?:opening|vacancy|requirement)s? (?:abhi )?nahi|"
    r"stay strong|hang in there|all the (?:very )?best|best of luck|good luck|stay positive|"
    r"don'?t lose hope|(?:himmat|hausla|hosla) rakh\w*|chinta mat kar\w*|"
    r"(?:hum sab |hum |main )?(?:dekhte|dekhta|dekhti) (?:hain|hoon|hu)|"
    r"sorry to (?:hear|read|know|learn|see)|glad (?:it|to hear|that|you)|happy for you|"
    r"(?:you are|you're) not alone|hugs|om shanti|rest in peace|rip|condolences|"
    r"sending (?:you )?(?:lots of |much )?(?:strength|love|hugs|prayers|good vibes|best wishes)|"
    r"strength to you|so sad|same feeling|whoever hires you|"
    # A moderator's word to a repeat poster ("One intro post is fine, pls don't repeat").
    r"don'?t repeat|no repeats|last warning|(?:read|follow) the (?:group |house )?rules|"
    r"so sorry|fingers crossed|wishing you|rooting for you|more power to you|nothing useful|"
    r"congrat\w*|"
    r"can'?t help|cannot help|hope someone (?:responds|answers|helps|can help|knows)|"
    r"you(?:'ll| will) (?:land|find|get) (?:something|a|the|one))\b|"
    # A me-too asks the same and gives nothing ("Sir following, we're also evaluating RPOs").
    r"^\W*(?:(?:sir|ma'?am|madam|bro|bhai)\W+)?(?:following|\+1|same here|me too)\b|"
    r"[.!]\s*following\W*$|"  # "Done SSO, never provisioning. Following"
    r"\b(?:we'?re|we are|i'?m|i am) also (?:looking|evaluating|searching|exploring|hunting)\b",
    re.I,
)
# Asking for the same thing ("+1 would love this contact too", "Same here, pls share with me
# also"): a me-too opening, then the writer's own wish.
_ME_TOO_ASK = re.compile(
    r"^\W*(?:\+1|same here|me too)\b(?!.*\b(?:try|dm me|ping me|call me)\b).*"
    r"\b(?:too|also|as well|would love|need(?:ed)?|looking for|interested)\b",
    re.I | re.S,
)
_NUMBER_WITH_UNIT = re.compile(
    r"\b\d[\d,.]*\s*(?:k|%|lpa|lakh|lakhs|cr|yrs?|years?|days?|months?)\b|₹\s?\d", re.I
)

_BUMP = re.compile(
    r"^\W*(?:any (?:help|leads?|update|inputs?|suggestions?|thoughts)"
    r"(?: on this| here| pls| please)?|anyone|somebody|bump(?:ing)?(?: this)?(?: up)?|up|"
    r"gentle reminder(?: on my (?:note|query|question|post|request) above)?|"
    r"reminder|still looking|still need help(?: on this)?)\W*$",
    re.I,
)

_BUMP_OPENING = re.compile(
    r"^\W*(?:any (?:[\w-]+ ){0,2}?(?:help|leads?|update|inputs?|suggestions?|thoughts|pointers?|"
    r"takers|recommendations?|references?|views|ideas|advice|feedback)|anyone\s*\?|"
    r"bump(?:ing)?\b|(?:gentle|small|quick|friendly) (?:bump|nudge|reminder)\b|re-?ask(?:ing)?|"
    r"asking again|reminder on my|still looking|still need|"
    r"koi (?:bhi )?(?:suggestion|update|lead|help|idea|jawab))",
    re.I,
)
_OWN_OFFERING = re.compile(
    r"\b(?:our|my) (?:[\w-]+ ){0,2}(?:platform|product|tool|app|model|team|service|solution|firm|"
    r"agency|software|program(?:me)?|course|workshop)s?\b|\bfounder here\b|"
    # A vendor saying so ("Vendor here (disclosing as per rules)", "(vendor – as per group
    # rule)") or selling ("We supply trained stewards", "we are a boutique search firm").
    r"\bvendor here\b|\(vendor\b|\bwe (?:supply|provide)\b|"
    r"\bwe are an? (?:[\w-]+ ){0,3}(?:firm|agency|consultancy|company|platform|startup)\b|"
    r"\b(?:placement|manpower|staffing|recruitment|search) (?:services|solutions|firm)\b",
    re.I,
)
_CALL_TO_ACTION = re.compile(
    r"\b(?:dm|ping|call|message|whatsapp) me\b|\bfree (?:trial|pilot|demo|audit|consultation)|"
    r"\bregister\b|\bbook (?:a|your) (?:demo|call|slot)|\bgroup discounts?\b|"
    # A number to ring ("Call 98250 41736", "Call/WhatsApp 98220 41736", "Happy to connect: 98…").
    r"\b(?:call|whatsapp|wa|connect|contact)\b\W{0,3}(?:\w+\W{1,3}){0,2}?"
    r"(?:\+?91[\s-]?)?\d{5}\s?\d{5}\b|\bcall or (?:wa|whatsapp) this number\b|"
    r"\bbook\W{0,3}https?://|\bspecial (?:rate|price|offer)",
    re.I,
)
_ASKS_FOR_ITSELF = re.compile(
    r"\b(?:need|looking for|any (?:leads?|suggestions?|recommendations?|inputs?)|recommend|"
    r"suggest|can (?:someone|anyone)|has anyone|have you used|anyone (?:used|using|know))\b",
    re.I,
)
# Whatever a request asks for, it asks: a question, a plea, a need, a search, a call for help,
# leads, referrals, suggestions or votes. A message with none of these (an introduction, a
# news item about oneself) is not a request however many hiring words it carries.
_ASKS_ANYTHING = re.compile(
    r"[?？]|\b(?:pls|plz|please|kindly|need(?:s|ed)?|require[ds]?|requirement|"
    r"looking for|look(?:ing)? out for|search(?:ing)?|seek(?:ing)?|leads|any lead|suggest\w*|"
    r"recommend\w*|shar(?:e|ing)|help\w*|guid(?:e|ance)|advi[cs]e|inputs?|thoughts|"
    r"refer(?:ral|rals|ence|ences)?|connect me|dm me|ping me|grateful|appreciat\w*|"
    r"chahiye|chahie|batao|bataiye|bata do|koi|want(?:ed)?|wish to|hoping|hope to|"
    r"anyone|anybody|someone|somebody|experiences?|open to|opportunit\w*|openings?|"
    r"know (?:of|if|any)|let me know|lmk|how (?:do|to|can|should)|what (?:is|are|should)|"
    r"which|where|whom?|request\w*|would love|exploring|opentowork|survey|poll|vote|fill)\b",
    re.I,
)
# A vendor answering someone ("Sir PayNest handles all of this … Can I call you for a demo?",
# "Ma'am, our RPO arm delivered 300+ engineers … Can share case studies") asks only leave to sell.
_HONORIFIC_OPENING = re.compile(
    r"^\W*(?:(?:dear|hi|hello|hey|good (?:morning|afternoon|evening))\W+)?"
    r"(?:sir|ma'?am|madam|mam)\b",
    re.I,
)
_OFFER_TO_YOU = re.compile(
    r"\b(?:can i (?:call|share|send|connect|help|set up|schedule|show)|can share|"
    r"shall i (?:call|share|send)|i can (?:share|send|help|connect|arrange)|"
    r"we can (?:help|do|share|arrange|support|close|deliver))\b",
    re.I,
)
# A member offering their own help, as introductions do ("Happy to help with PF queries").
_OWN_HELP = re.compile(
    r"\b(?:happy|glad) to help\b|\bhelp chahiye toh\b|\bfeel free to (?:ask|reach|ping|dm|tag)|"
    r"\btag (?:me|kar dena|kar do)\b|\breach out (?:to me )?(?:if|for|anytime)\b",
    re.I,
)



def clean(text: str) -> str:
    """The text without the edited marker and surrounding space."""
    return text.replace(EDITED_MARKER, "").strip()


def words(text: str) -> list[str]:
    """Lower-case word tokens of the text, URLs and @mentions removed."""
    return list(_tokens(text))


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    # Cached: a message's words are read by several judgements in a row.
    body = _MENTION.sub(" ", _URL.sub(" ", clean(text)))
    return tuple(w.lower().replace("’", "'") for w in _WORD.findall(body))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripping stem: interns/internship, quarter/quarterly, leave/leaves."""
    if word.endswith(("ies", "ied")) and len(word) > 5:
        return word[:-3] + "y"
    for suffix in STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def content_stems(text: str) -> set[str]:
    """Stems of the words that say something (no fillers, no one-letter words)."""
    return set(_content_stems(text))


@lru_cache(maxsize=16384)
def _content_stems(text: str) -> frozenset[str]:
    # Cached: linking, kind settling and helper profiles read the same messages' words.
    found = set()
    for word in words(text):
        word = word.removesuffix("'s")
        # A bare number ("60 people", "day 60") ties a reply to nothing in particular.
        if "'" not in word and word not in STOP_FOR_TOPIC and len(word) > 1 and not word.isdigit():
            found.add(stem(word))
    return frozenset(found)


def _content_words(text: str) -> list[str]:
    body = _FILLER_PHRASES.sub(" ", text)
    return [w for w in words(body) if w not in FILLER and not w.startswith("+")]


@lru_cache(maxsize=16384)
def is_bump(text: str) -> bool:
    """An asker's nudge with nothing new in it ("Any help on this? 🙏", "Bumping this up")."""
    return bool(_BUMP.match(_MENTION.sub(" ", clean(text))))


@lru_cache(maxsize=16384)
def opens_with_bump(text: str) -> bool:
    """A message that starts as a nudge ("Any leads pls? …", "Still looking – …")."""
    return bool(_BUMP_OPENING.match(_MENTION.sub(" ", clean(text))))


@lru_cache(maxsize=16384)
def is_pitch(text: str) -> bool:
    """An unsolicited pitch: the writer's own offering and a call to act on it, asking nothing
    for themselves ("Our RPO team closes roles in 21 days … DM me", "free pilot, ping me")."""
    body = clean(text)
    return (
        bool(_OWN_OFFERING.search(body))
        and bool(_CALL_TO_ACTION.search(body))
        and not _ASKS_FOR_ITSELF.search(body)
    )


def offers_in_reply(text: str) -> bool:
    """A message spoken to someone ("Sir, …") that offers the writer's service and asks nothing."""
    body = clean(text)
    return (
        bool(_HONORIFIC_OPENING.match(body))
        and bool(_OFFER_TO_YOU.search(body) or _OWN_OFFERING.search(body))
        and not _ASKS_FOR_ITSELF.search(body)
    )


def asks_for_itself(text: str) -> bool:
    """The writer asks for something of their own: a need, a search, leads, suggestions."""
    return bool(_ASKS_FOR_ITSELF.search(clean(text)))


def asks_for_anything(text: str) -> bool:
    """Whether the message asks the reader for anything at all (a question, a plea, a search)."""
    return bool(_ASKS_ANYTHING.search(clean(text)))


def offers_own_help(text: str) -> bool:
    """The writer offers their own help ("Happy to help", "… help chahiye toh tag kar dena")."""
    return bool(_OWN_HELP.search(clean(text)))


@lru_cache(maxsize=16384)
def is_tag_only(text: str) -> bool:
    """A message that only calls someone else in ("Tagging @X who may know")."""
    body = clean(text)
    return bool(_MENTION.search(body)) and not _content_words(body)


@lru_cache(maxsize=16384)
def sounds_like_advice(text: str) -> bool:
    """Whether the message is phrased as advice to someone ("Try …", "We use …", "You can …")."""
    return bool(_ADVICE.search(clean(text)))


def has_question(text: str) -> bool:
    """Whether the message asks something."""
    return "?" in clean(text)


@lru_cache(maxsize=16384)
def offers_help(text: str) -> bool:
    """An offer or pointer ("DM me, I can refer you", "try …", "we use …")."""
    return bool(_OFFER.search(clean(text)))


@lru_cache(maxsize=16384)
def is_substantive(text: str) -> bool:
    """True for advice, pointers, offers, specifics; False for +1s, pleasantries, tags, bumps."""
    body = clean(text)
    if not body or is_bump(body):
        return False
    content = _content_words(body)
    if _URL.search(body):
        return bool(content) or len(words(body)) >= 3
    if gives_nothing_yet(body):
        return False
    if len(content) >= 3:
        return True
    if not content:
        return False
    if _OFFER.search(body) or _NUMBER_WITH_UNIT.search(body):
        return True
    return has_question(body)


_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|‘[^’\n]*’|“[^”\n]*”")


def asks_back(text: str) -> bool:
    """A question back to the asker with no advice or pointer in it ("is the client giving you
    a visa quota?"): it moves the thread on but does not answer it yet. A question quoted as
    advice ("add 'would you rejoin us?'") is not one."""
    body = clean(text)
    return (
        has_question(_QUOTED.sub(" ", body))
        and not _OFFER_TO_YOU.search(body)
        and not _NUMBER_WITH_UNIT.search(body)  # "3.2 LPA is the normal range – why not ask?"
        and len(body) < 200
        and not sounds_like_advice(body)
        and not offers_help(body)
        and not _URL.search(body)
    )


# Banter laughs ("Haha obviously 😂", "Rule 3 recruiters khud follow nahi karte 😂").
_LAUGHS = re.compile(r"😂|🤣|😆|\b(?:ha(?:ha)+|lol|lmao|hehe+)\b", re.I)


def gives_nothing_yet(text: str) -> bool:
    """A short reply that only promises to look, regrets not knowing, asks for the same or
    laughs along: no substance yet."""
    body = clean(text)
    if len(body) >= 120 or _NUMBER_WITH_UNIT.search(body):
        return False
    if _ME_TOO_ASK.search(body):
        return True  # "+1 would love this contact too": "contact" is no pointer here
    if offers_help(body):
        return False
    if _DECLINE.search(body):
        return True
    if sounds_like_advice(body):
        return False
    return bool(_NOTHING_YET.search(body)) or (len(body) < 100 and bool(_LAUGHS.search(body)))
