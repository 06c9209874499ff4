"""Introductions: a member introducing themselves or another member to the group.

They answer no request, though they share words with every open request on the member's field
("Btw for new folks – I'm a labour law consultant, 8 yrs …" under a labour-law question).
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.judgement.kind_shapes import SELF_INTRO
from bot.judgement.reply_text import clean, offers_help

# A member introducing themselves ("Btw for new folks – I'm …",
# "Nikhil here, payroll head at …, 7 years") or introducing another ("Friends, Prachi is an HRBP at
# … Welcome Prachi!") shares words with every open request on their field.
_INTRO_OPENER = re.compile(
    r"^\W*(?:(?:btw|by the way|also|and)\W+)?(?:(?:a )?(?:quick |short )?intro\b|introducing\b|"
    r"(?:for|to) (?:all )?(?:the )?new (?:folks|members|joiners|friends|people)|"
    r"for those who (?:haven'?t|have not|don'?t|do not) (?:met|know))",
    re.I,
)
_INTRODUCES_OTHER = re.compile(
    r"\bis (?:an? |our |the )?(?:[\w&-]+\s+){0,3}?(?:hrbp|manager|head|vp|avp|gm|director|"
    r"consultant|partner|lead|chro|cpo|founder|recruiter|specialist|coach|trainer|expert|"
    r"executive)\b[^.?!\n]{0,60}?\b(?:at|in|with|for)\b",
    re.I,
)
_WELCOMES = re.compile(r"\bwelcome\b", re.I)
_TO_THE_GROUP = re.compile(r"\b(?:welcome|joined|meet|friends|folks|all)\b", re.I)
_SPEAKS_OF_SELF = re.compile(r"\b(?:i'?m|i am|myself)\b|\b\w+ here\b|\bthis side\b", re.I)
_EXPERIENCE = re.compile(r"\b\d+\+?\s*(?:yrs?|years?|saal)\b", re.I)


@lru_cache(maxsize=16384)
def introduces_another(text: str) -> bool:
    """A member introducing another to the group ("Friends, Prachi is an HRBP at … Welcome!")."""
    body = clean(text)
    if _INTRODUCES_OTHER.search(body) and _TO_THE_GROUP.search(body):
        return True
    # "Friends, welcome to Kavitha … heads C&B at …, 15 years in rewards"; a welcome that goes
    # on to advise ("Welcome Rekha 🙏 … We used a firm for 4 years …") answers her.
    return bool(_WELCOMES.search(body) and _EXPERIENCE.search(body)) and not offers_help(body)


@lru_cache(maxsize=16384)
def introduces_self(text: str) -> bool:
    """A member introducing themselves ("Btw for new folks – I'm …", "Nikhil here, …, 7 years")."""
    body = clean(text)
    if _INTRO_OPENER.search(body):
        return True
    return bool(
        _SPEAKS_OF_SELF.search(body) and SELF_INTRO.search(body) and _EXPERIENCE.search(body)
    )


def is_introduction(text: str, *, spoken_to_someone: bool) -> bool:
    """Introducing another answers nobody, even spoken to them ("Welcome Prachi!"); one's own
    introduction spoken to an asker can ("Sana, hi – I'm an employment lawyer …")."""
    if introduces_another(text):
        return True
    return not spoken_to_someone and introduces_self(text)
