"""Chit-chat questions: asked of everyone about themselves or about everyday life, on no HR
matter ("Anyone else's office doing a quiz today? 😄", "ORR pe aaj kitna traffic hai?")."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.judgement.reply_text import asks_for_itself, clean, has_question
from bot.judgement.topics import topic_of

_ABOUT_EVERYONE = re.compile(
    r"\b(?:anyone else(?:'s)?|who else|who all|everyone's|sabka|sabki|sabke|sab log|kaun kaun|"
    r"kaun si team|weekend plans|any plans|anyone (?:going|watching|attending|coming)|"
    r"who(?:'s| is| are) (?:going|watching|attending|coming)|kaun (?:aa|ja) raha)\b",
    re.I,
)
# Everyday life outside work: a question about it asks the group for nothing HR ("Anyone knows
# if the Hosur road flyover is done?", "ORR pe aaj kitna traffic hai?", "Is Monday a holiday
# for anyone?").
_DAILY_LIFE = re.compile(
    r"\b(?:traffic|jam|flyover|bridge|route|highway|metro|commute|potholes?|rain(?:ing|s)?|"
    r"weather|monsoon|heat ?wave|holiday|chhutti|match|cricket|ipl|movie|restaurant|biryani)\b",
    re.I,
)


def asks_about_everyone(text: str) -> bool:
    """A question put to the whole group about themselves ("Anyone else's office doing a
    quiz today?", "sabka office band hai kya?", "Who all are going?") – chit-chat's form."""
    return has_question(text) and bool(_ABOUT_EVERYONE.search(clean(text)))


# "Anyone else using Keka for payroll?" looks for a product's users, to learn from them: an ask.
_SEEKS_USERS = re.compile(
    r"\b(?:anyone|who) else (?:is |has |here )?(?:using|uses|use|used|tried|trying|moved|"
    r"moving|switched|switching|evaluat\w*|implement\w*)\b",
    re.I,
)


def asks_only_if_others_share_it(text: str) -> bool:
    """"Anyone else's bank rejected the salary file today?", "Anyone else feeling weird after a
    layoff?": whether others share the writer's experience, on whatever topic, with no ask of
    the writer's own beside it ("anyone else facing this? how are you filing?" asks for one)."""
    body = clean(text)
    match = _ABOUT_EVERYONE.search(body)
    if match is None or not match.group(0).lower().startswith(("anyone else", "who else")):
        return False
    if _SEEKS_USERS.search(body):
        return False
    # The question that holds it, to its question mark; what is left must ask nothing.
    end = body.find("?", match.end())
    if end < 0:
        return False
    while body.startswith("?", end + 1):
        end += 1  # "… still not back??"
    start = max(body.rfind(mark, 0, match.start()) for mark in ".!?\n")
    rest = body[: start + 1] + " " + body[end + 1 :]
    return not has_question(rest) and not asks_for_itself(rest)


# An organisation's people make it an HR problem ("Metro strike kal – how are you managing our
# plant staff's attendance?").
_ORGANISATION = re.compile(
    r"\b(?:our|we|we're|us|employees?|staff|team|workers?|attendance|shifts?)\b", re.I
)


def asks_about_daily_life(text: str) -> bool:
    """A question about everyday life outside work (traffic, rain, a match) – chit-chat – that
    says nothing of an organisation's people."""
    body = clean(text)
    return (
        has_question(body)
        and bool(_DAILY_LIFE.search(body))
        and not _ORGANISATION.search(body)
        and not asks_for_itself(body)
    )


@lru_cache(maxsize=16384)
def is_chit_chat_question(text: str) -> bool:
    """A question to everyone about themselves or everyday life, on no HR topic, or only whether
    others share the writer's experience: it asks the group nothing and answers nobody."""
    return (
        (asks_about_everyone(text) or asks_about_daily_life(text)) and topic_of(text) is None
    ) or asks_only_if_others_share_it(text)
