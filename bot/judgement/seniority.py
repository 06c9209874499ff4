"""A member's seniority (LABELS.md levels) from what is said: profile titles and display names,
the writer's own statements and signatures, moderators' welcomes, and level words in commands.

Job posts' advertised levels are in job_levels.py; title and year reading in titles.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz

from bot.domain import UNKNOWN_LEVEL, Level, LevelEvidence, LevelSource
from bot.judgement.titles import (
    AGE,
    JUNIOR_WORDS,
    UNKNOWN_NOUNS,
    band_of_years,
    short_quote,
    stated_years,
    title_level,
)

J, M, S, E = Level.JUNIOR, Level.MID, Level.SENIOR, Level.EXECUTIVE


def level_of_title(text: str) -> LevelEvidence:
    """Level told by a profile title, display name or one-line intro; UNKNOWN_LEVEL if none."""
    source = LevelSource.OWN_STATEMENT if _SELF_CUE.search(text) else LevelSource.PROFILE_TITLE
    level = title_level(text)
    if level is not None:
        return LevelEvidence(level, source, f"title in '{short_quote(text)}'")
    years = stated_years(text)
    if years is not None:
        return LevelEvidence(
            band_of_years(years), source, f"{years:g} years in '{short_quote(text)}'"
        )
    if JUNIOR_WORDS.search(text):
        return LevelEvidence(J, source, f"student/fresher in '{short_quote(text)}'")
    return UNKNOWN_LEVEL


# --- the writer's own statement -------------------------------------------------------------

_SELF_CUE = re.compile(
    r"\b(?:i'm|i’m|i am|im|myself|this is|main|as an?|as|currently|working as|joined as|"
    r"last role:?|role as)\s",
    re.I,
)
_SELF_CLAUSE = re.compile(
    r"(?:\bi'm|\bi’m|\bi am|\bim|\bmyself|\bworking as|\bjoined as|\bcurrently|\bas an?|"
    r"\bi've been|\bi have been|\bi’ve been|\blast role:?|\bas|\bmain)"
    r"\s+(?P<clause>[^.?!\n]{1,80})",
    re.I,
)
_NOT_A_ROLE = re.compile(
    r"^(?:looking|hiring|trying|struggling|thinking|planning|not|also|so|very|really|sure|"
    r"happy|glad|excited|new|here|just (?:a simple|an? ordinary)|writing|sharing|posting|"
    r"part of|per|usual|always|well|such|soon|far|much|long|mentioned|said|the (?:only|one)|"
    r"discussed|a result|an org|a first)",
    re.I,
)
_ABBREVIATION_DOT = re.compile(r"\b(Sr|Jr|Asst|Dy|Mgr|Snr)\.", re.I)
_IMPERATIVE = re.compile(r"(?:pls|please|kindly|check|see|post|share|read|join|sent)\b", re.I)
_HERE_CLAUSE = re.compile(r"(?P<clause>[^.?!\n,]{2,60}?)\s+here\b", re.I)
_SIGNATURE = re.compile(
    r"(?:^|\n)\s*(?:[–—-]+\s*)?[A-Z][\w.]+(?: [A-Z][\w.]+)?\s*(?:[|,(]|[–—-])\s*"
    r"(?P<title>[^\n]{2,50})$"
)
_QUOTED_OTHER = re.compile(r"\b(?:our|my|their|the|your|a former|his|her|ex)\s+$", re.I)
_YEARS_SELF = re.compile(
    r"(?:\bi've|\bi have|\bi’ve|\bmy|\bafter|\blearnt in|\blearned in|\bspent|\bwith|^|[,(|]\s*)"
    r"\s*(?:over |nearly |almost |"
    r"about |around |~)?(?P<years>\d{1,2}(?:\.\d)?\s*\+?\s*(?:years?|yrs?|saal))"
    r"(?P<tail>[^.?!\n]{0,30})",
    re.I,
)
_REQUIREMENT = re.compile(
    r"\b(?:required|requirement|must|min(?:imum)?|at least|candidates?|friend|friend's|"
    r"preferred|opening|exp(?:erience)?\s*:|should have|need(?:ed)?|old|aged?|employee|"
    r"tenure|service|notice|rule|whose|who has|who have|someone)\b",
    re.I,
)


def _clause_level(clause: str) -> Level | None:
    if _NOT_A_ROLE.match(clause.strip()):
        return None
    clause = re.split(r"\b(?:who|which|that|and i|but|looking|want|need)\b|\s[–—-]\s", clause)[0]
    head = clause.split(",")[0]
    if title_level(head) is not None:
        clause = head
    level = title_level(clause)
    if level is None and JUNIOR_WORDS.search(clause):
        return J
    return level


def _title_statement(text: str) -> LevelEvidence | None:
    for match in _SELF_CLAUSE.finditer(text):
        clause = match.group("clause")
        level = _clause_level(clause)
        if level is not None:
            return LevelEvidence(
                level, LevelSource.OWN_STATEMENT, f"says '{short_quote(match.group(0))}'"
            )
    for match in _HERE_CLAUSE.finditer(text):
        start = match.start("clause")
        if _QUOTED_OTHER.search(text[max(0, start - 12) : start]):
            continue
        clause = match.group("clause").split(",")[-1].split("–")[-1].strip()
        if _IMPERATIVE.match(clause):
            continue
        level = _clause_level(" ".join(clause.split()[:4]))
        if level is not None:
            return LevelEvidence(
                level, LevelSource.OWN_STATEMENT, f"says '{short_quote(match.group(0))}'"
            )
    return None


@lru_cache(maxsize=16384)
def signature_level(text: str) -> LevelEvidence | None:
    """A closing signature line such as '– Farhan | TA Lead' or 'Rajiv (HR Director)'."""
    lines = text.strip().splitlines()
    if len(lines) < 2 and not re.search(r"\s[–—-]\s*[A-Z]\w+\s*[|,(]", text):
        return None
    last = lines[-1] if len(lines) >= 2 else text[text.rfind("–") :]
    match = _SIGNATURE.search("\n" + last.strip())
    if match is None or UNKNOWN_NOUNS.search(match.group("title")):
        return None
    level = title_level(match.group("title"))
    if level is None:
        return None
    return LevelEvidence(level, LevelSource.OWN_STATEMENT, f"signs '{short_quote(last.strip())}'")


def _years_statement(text: str) -> LevelEvidence | None:
    for match in _YEARS_SELF.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        if _REQUIREMENT.search(before + match.group("tail")) or AGE.search(match.group(0)):
            continue
        years = stated_years(match.group("years"))
        if years is None:
            continue
        phrase = short_quote(match.group(0).strip(" ,("))
        return LevelEvidence(band_of_years(years), LevelSource.WRITING, f"writes '{phrase}'")
    return None


# Cached (evidence is immutable): chats repeat messages, and levels are read chunk by chunk.
@lru_cache(maxsize=16384)
def statement_level(text: str) -> LevelEvidence | None:
    """The writer's own level from a message: self statement, signature, or years in passing."""
    text = _ABBREVIATION_DOT.sub(r"\1", text.replace("<This message was edited>", ""))
    own = _title_statement(text) or signature_level(text)
    if own is not None:
        return own
    return _years_statement(text)


# --- moderators and commands -------------------------------------------------------

_WELCOME = re.compile(
    r"welcome|meet\b|introduc|joining us|joined us|say hi|\bji is\b|\bis (?:a|an|the|our)\b|"
    r"\bhas joined|\bwith us\b",
    re.I,
)
_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’]+")


def _mentions(text: str, name: str) -> list[int]:
    """End offsets where the full name or its first name occurs (fuzzy per word)."""
    parts = [p.lower() for p in _NAME_TOKEN.findall(name)]
    if not parts:
        return []
    first = parts[0]
    ends: list[int] = []
    for token in _NAME_TOKEN.finditer(text):
        word = token.group(0).lower()
        if len(word) >= 3 and fuzz.ratio(word, first) >= 85:
            end = token.end()
            for rest in parts[1:]:
                nxt = re.match(r"\s+([^\W\d_][\w'’]+)", text[end:])
                if nxt and fuzz.ratio(nxt.group(1).lower(), rest) >= 85:
                    end += nxt.end()
            ends.append(end)
    return ends


def moderator_statement(text: str, names: Iterable[str]) -> dict[str, LevelEvidence]:
    """An admin's welcome naming members with titles -> {name: MODERATOR_TAG evidence}."""
    if not _WELCOME.search(text):
        return {}
    found: dict[str, LevelEvidence] = {}
    for name in names:
        clean = re.sub(r"^~[\s\u202f]*", "", name).strip()
        for end in _mentions(text, clean):
            window = re.split(r"[.!?\n]", text[end : end + 90])[0]
            window = re.split(r"\b(?:and|&)\s+[A-Z]", window)[0]
            level = title_level(window)
            if level is None:
                years = stated_years(window)
                level = band_of_years(years) if years is not None else None
            if level is not None:
                reason = f"moderator says '{short_quote(clean + window, 50)}'"
                found[name] = LevelEvidence(level, LevelSource.MODERATOR_TAG, reason)
                break
    return found


def strongest(evidence: Iterable[LevelEvidence]) -> LevelEvidence:
    """The strongest evidence by LABELS.md source order; among equals the latest wins."""
    best = UNKNOWN_LEVEL
    for item in evidence:
        if item.source.strength >= best.source.strength:
            best = item
    return best


_LEVEL_WORDS: dict[str, Level] = {
    "junior": J,
    "jr": J,
    "jun": J,
    "entry": J,
    "fresher": J,
    "intern": J,
    "trainee": J,
    "mid": M,
    "middle": M,
    "mid-level": M,
    "midlevel": M,
    "manager": M,
    "hrbp": M,
    "senior": S,
    "sr": S,
    "snr": S,
    "sen": S,
    "head": S,
    "director": S,
    "avp": S,
    "gm": S,
    "executive": E,
    "exec": E,
    "exe": E,
    "cxo": E,
    "vp": E,
    "chro": E,
    "cpo": E,
    "leader": E,
    "leadership": E,
    "c-suite": E,
    "csuite": E,
    "chief": E,
    "unknown": Level.UNKNOWN,
    "none": Level.UNKNOWN,
    "clear": Level.UNKNOWN,
}


def parse_level(text: str) -> Level | None:
    """A level word from a command ("senior", "Sr", "exec", "VP", "cxo"); None if not one."""
    word = text.strip().lower().strip(".!")
    if word in _LEVEL_WORDS:
        return _LEVEL_WORDS[word]
    try:
        return Level(word)
    except ValueError:
        return None
