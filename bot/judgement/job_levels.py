"""The level a job post advertises: the titles it names and the experience it asks for."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain import Level
from bot.judgement.caseless import Caseless, lowered
from bot.judgement.seniority import signature_level
from bot.judgement.titles import JUNIOR_WORDS, band_of_years, title_level, titles_in

E = Level.EXECUTIVE

_ROLE_CUE = Caseless(
    re.compile(
        r"(?:hiring(?: for)?|opening(?:s)? for|openings?:|position:|role:|for:|"
        r"requirement(?: for)?:?|looking for|looking to hire|need(?:ed)?|vacancy for|"
        r"job description\s*[–—:-]|"
        r"#openrole\s*[–—:-]*|designation:|post:|urgent(?:ly)? (?:need|hiring|requirement)|"
        r"we have an? opening for|open role[^:]*:|walk-in[^:]*for)\s*(?P<role>[^\n.!?]{2,70})",
        re.I,
    ),
    needs=(
        *("hiring", "opening", "position:", "role", "for:", "requirement", "looking", "need"),
        *("vacancy for", "job description", "#openrole", "designation:", "post:", "urgent"),
        "walk-in",
    ),
)
_SELF_ASIDE = Caseless(
    re.compile(
        r"\bas (?:an? )?(?:chro|cpo|hr head|head hr|vp hr)\b[^,.]*[,.]|"
        r"\b(?:report(?:s|ing)? (?:to|into)|on behalf of|by a former|to the|to our)\s+\w+(?: \w+)?",
        re.I,
    ),
    needs=("as ", "report", "on behalf of", "by a former", "to the", "to our"),
)
# Numbers of years are read as `(\d(?<![\d.]\d)\d?)`: one or two digits not after a digit or a
# dot, written to start with the digit so that `re` can skip ahead to digits.
_RANGE = Caseless(
    re.compile(
        r"(\d(?<![\d.]\d)\d?)\s*(?:\+\s*)?(?:years?|yrs?|y)?\s*(?:-|–|—|to)\s*(\d{1,2})\s*\+?\s*"
        r"(?:years?|yrs?|y\b|saal)",
        re.I,
    )
)
_OPEN_RANGE = Caseless(
    re.compile(r"(\d(?<![\d.-]\d)\d?)\s*(?:\+\s*(?:years?|yrs?)|(?:years?|yrs?)\s*\+)", re.I)
)
_POINT = Caseless(re.compile(r"(\d(?<![\d.-]\d)\d?)\s*(?:years?|yrs?)\b(?! old)", re.I))
_JUNIOR_WORDS = Caseless(
    JUNIOR_WORDS, needs=("fresh", "student", "pass", "final year", "mba hr", "pgdm", "graduates")
)
_SIGN_OFF = re.compile(r"\s[–—-]\s*[A-Z]\w+\s*[|,(]\s*[^\n]{2,40}$")  # "… – Priya | Acme HR"
_ROLE_END = re.compile(r"\b(?:at|in|for a|for our|with|from|who)\b")  # the role's words end


@dataclass(frozen=True, slots=True)
class ExperienceAsked:
    """The experience a job post asks for: a closed range, or an open minimum (hi None)."""

    lo: float
    hi: float | None

    def single_band(self) -> Level | None:
        """The band when the whole range falls in one, else None."""
        if self.hi is None:
            return E if self.lo >= 18 else None
        low, high = band_of_years(self.lo), band_of_years(self.hi)
        return low if low == high else None


def experience_asked(text: str) -> ExperienceAsked | None:
    """The experience range a post asks for ("5-8 yrs", "12+ yrs", "0-1 yr", "freshers")."""
    low = lowered(text)
    found = _RANGE.search(text, low)
    if found:
        return ExperienceAsked(float(found.group(1)), float(found.group(2)))
    found = _OPEN_RANGE.search(text, low)
    if found:
        return ExperienceAsked(float(found.group(1)), None)
    found = _POINT.search(text, low)
    if found:
        value = float(found.group(1))
        return ExperienceAsked(value, value)
    if _JUNIOR_WORDS.search(text, low):
        return ExperienceAsked(0, 1)
    return None


def _strip_signature(text: str) -> str:
    lines = text.strip().splitlines()
    if len(lines) >= 2 and signature_level("\n".join(lines[-2:])) is not None:
        lines = lines[:-1]
    joined = "\n".join(lines)
    if "-" not in joined and "–" not in joined and "—" not in joined:  # a sign-off needs a dash
        return joined
    return _SIGN_OFF.sub("", joined)


def advertised_titles(text: str) -> set[Level]:
    """Levels of the roles a job post names (cue windows first, else its first line)."""
    stripped = _strip_signature(text)
    low = lowered(stripped)
    body = _SELF_ASIDE.sub(" ", stripped, low)
    if body is not stripped:
        low = lowered(body)
    levels: set[Level] = set()
    for start, end in _ROLE_CUE.spans(body, low, "role"):
        role = body[start:end]
        cut = _ROLE_END.search(role)
        role = role if cut is None else role[: cut.start()]
        levels.update(level for level, _ in titles_in(role))
    if not levels:
        first = next((line for line in body.splitlines() if title_level(line)), "")
        level = title_level(first)
        if level is not None:
            levels.add(level)
    return levels


def role_level(text: str) -> Level:
    """Level of the role a job post advertises; experience decides when in one band."""
    text = text.replace("<This message was edited>", "")
    titles = advertised_titles(text)
    asked = experience_asked(text)
    band = asked.single_band() if asked else None
    if len(titles) > 1:
        return Level.UNKNOWN
    if band is not None:
        return band
    if titles:
        return next(iter(titles))
    if asked is not None:
        return band_of_years(asked.lo) if asked.hi is None else Level.UNKNOWN
    return Level.UNKNOWN
