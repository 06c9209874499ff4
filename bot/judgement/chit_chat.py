"""Chit-chat questions: asked of everyone about themselves or about everyday life, on no HR
matter ("Anyone else's office doing a quiz today? 😄", "ORR pe aaj kitna traffic hai?")."""

from __future__ import annotations

import re

from bot.judgement.reply_text import asks_for_itself, clean, has_question

_ABOUT_EVERYONE = re.compile(
    r"\b(?:anyone else(?:'s)?|who else|who all|everyone's|sabka|sabki|sabke|sab log|kaun kaun|"
    r"kaun si team|weekend plans|any plans|anyone (?:going|watching|attending|coming)|"
    r"who(?:'s| is| are) (?:going|watching|attending|coming))\b",
    re.I,
)
# Everyday life outside work: a question about it asks the group for nothing HR ("Anyone knows
# if the Hosur road flyover is done?", "ORR pe aaj kitna traffic hai?").
_DAILY_LIFE = re.compile(
    r"\b(?:traffic|flyover|metro|commute|potholes?|rain(?:ing|s)?|weather|monsoon|heat ?wave|"
    r"match|cricket|ipl|movie|restaurant|biryani)\b",
    re.I,
)


def asks_about_everyone(text: str) -> bool:
    """A question put to the whole group about themselves ("Anyone else's office doing a
    quiz today?", "sabka office band hai kya?", "Who all are going?") – chit-chat's form."""
    return has_question(text) and bool(_ABOUT_EVERYONE.search(clean(text)))


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
