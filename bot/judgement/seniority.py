"""Seniority from titles, self statements, moderator welcomes and job posts (LABELS.md levels)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from bot.domain import UNKNOWN_LEVEL, Level, LevelEvidence, LevelSource

J, M, S, E = Level.JUNIOR, Level.MID, Level.SENIOR, Level.EXECUTIVE

# Spelling variants folded before title matching (abbreviations, common typos).
_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"\bsr\b\.?", "senior"),
        (r"\bsnr\b\.?", "senior"),
        (r"\bjr\b\.?", "junior"),
        (r"\bmgr\b\.?", "manager"),
        (r"\basst\b\.?", "assistant"),
        (r"\bdy\b\.?", "deputy"),
        (r"\bexecs?\b\.?", "executive"),
        (r"\bex(?:c|e)c?ut(?:i|e)ve\b|\bexecutve\b|\bexcutive\b", "executive"),
        (r"\bmanger\b|\bmanagr\b", "manager"),
        (r"\bdirecter\b", "director"),
        (r"\brecuiter\b|\brecruter\b", "recruiter"),
        (r"\bv\.p\.?", "vp"),
        (r"\bc\.h\.r\.o\.?", "chro"),
        (r"\bhr\s*bp\b", "hrbp"),
        (r"\bhr business partner\b", "hrbp"),
        (r"[|•·/()\[\],:;!*_]", " "),
        (r"\s[–—-]+\s|^[–—-]+|[–—-]+$", " "),
    )
)

# Title patterns, most specific first; a matched span is masked so that "Executive Assistant to
# the CHRO" does not also count as "chro", nor "Senior Manager" as "manager".
_TITLE_PATTERNS: tuple[tuple[str, Level], ...] = (
    (r"aspiring \w+(?: \w+)?", J),
    (r"executive assistant(?: to (?:the )?\w+)?", J),
    (
        r"(?:senior |junior )?executive "
        r"(?:search|coach\w*|director|committee|education|mba|presence)",
        J,
    ),
    (r"chief of staff", M),
    (
        r"chief (?:human resources?|people|hr|executive|operating|financial|technology|talent|"
        r"culture|diversity|learning)(?: \w+)? officer",
        E,
    ),
    (
        r"managing partner|founding partner|founder|co ?founder|owner|proprietor|managing director",
        E,
    ),
    (
        r"group (?:hr|people|human resources?) head|group head (?:hr|people)|group chro|"
        r"global head(?: of)? (?:hr|people)",
        E,
    ),
    (r"associate director|associate vice president|\bavp\b|assistant vice president", S),
    (
        r"\b(?:senior |executive |s|e)?vp\b|(?:senior |executive )?vice president|\bchro\b|\bcpo\b|"
        r"\bceo\b|\bcoo\b|\bcfo\b|\bcto\b|\bchief \w+ officer|\bpresident|\bcxo\b",
        E,
    ),
    (r"(?:senior |sr )?general manager|\b(?:senior |sr )?(?:agm|dgm|gm)\b", S),
    (r"assistant general manager|deputy general manager", S),
    (r"principal(?: \w+)?", S),
    (r"senior manager|senior director|director|\bhead\b|head of|hr head", S),
    (r"partner (?:people|hr|advisory|consulting|[–-])|^partner\b|\bpartner$|equity partner", E),
    (r"(?:people|business|hr|talent|learning) partner", M),
    (r"associate (?:consultant|manager)", J),
    (r"(?:assistant|deputy|senior|junior)? ?manager", M),
    (r"team lead|\blead\b|\bhrbp\b|specialist|consultant|\bexpert\b|strategist|\banalyst\b", M),
    (r"senior (?:executive|associate|recruiter|analyst|officer)", J),
    (
        r"\bexecutives?\b|\bassociates?\b|coordinators?|co ordinator|recruiters?|trainees?|"
        r"\binterns?\b|internship|assistants?|freshers?|students?|\bofficers?\b|telecallers?|"
        r"apprentices?",
        J,
    ),
)
_TITLE_RES = tuple((re.compile(p), level) for p, level in _TITLE_PATTERNS)
_HONORARY = re.compile(r"\bex[ -]?(?=chro|cpo|vp|ceo|head)")  # "Ex-CHRO" still tells the level

_NUM_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
}
_YEARS = re.compile(
    r"(?<![\d.])(\d{1,2}(?:\.\d)?|" + "|".join(_NUM_WORDS) + r")\s*\+?\s*"
    r"(?:years?|yrs?|y\b|saal|sal\b|decades?)(?!\s*old|-old| ?aged)",
    re.I,
)
_MONTHS = re.compile(r"\b\d{1,2}\s*(?:months?|mnths?|mos)\b(?! notice)", re.I)
_AGE = re.compile(
    r"\b(?:i am|i'm|im|aged?)\s+\d{2}\b(?!\s*(?:\+\s*)?(?:years?|yrs?) (?:in|of|exp))", re.I
)
_JUNIOR_WORDS = re.compile(
    r"\b(?:fresher|freshers|student|pass ?outs?|final year|mba hr \d{4}|"
    r"fresh (?:mba|graduate|pgdm)|pgdm|graduates)\b",
    re.I,
)
_UNKNOWN_NOUNS = re.compile(r"\badmin(?:istrator)?\b(?! executive)", re.I)


def band_of_years(years: float) -> Level:
    """LABELS.md experience bands: junior 0-3, mid 4-9, senior 10-17, executive 18+."""
    if years < 4:
        return J
    if years < 10:
        return M
    if years < 18:
        return S
    return E


def _fold(text: str) -> str:
    folded = " " + text.lower().replace("’", "'") + " "
    for pattern, repl in _FOLDS:
        folded = pattern.sub(repl, folded)
    return re.sub(r"\s+", " ", folded).strip()


def titles_in(text: str) -> list[tuple[Level, str]]:
    """Every title family in the text with its level, most specific matches first."""
    return list(_titles_in(text))


@lru_cache(maxsize=16_384)
def _titles_in(text: str) -> tuple[tuple[Level, str], ...]:
    # Titles repeat endlessly in a group ("HR Executive", "HRBP"): worth remembering.
    folded = _HONORARY.sub("", _fold(text))
    found: list[tuple[Level, str]] = []
    for pattern, level in _TITLE_RES:
        if pattern.search(folded) is None:
            continue
        for match in pattern.finditer(folded):
            found.append((level, match.group(0).strip()))
        folded = pattern.sub(" # ", folded)
    return tuple(found)


def title_level(text: str) -> Level | None:
    """The highest title level named in the text, or None when no title is named."""
    found = titles_in(text)
    if not found:
        return None
    return max((level for level, _ in found), key=lambda level: level.rank)


def _years_of(match: re.Match[str]) -> float:
    raw = match.group(1).lower()
    value = float(_NUM_WORDS.get(raw, 0) or raw)
    return value * 10 if "decade" in match.group(0).lower() else value


def stated_years(text: str) -> float | None:
    """The largest number of years stated in the text ("24 years in HR"), ignoring ages."""
    values = [_years_of(m) for m in _YEARS.finditer(text)]
    values = [v for v in values if v <= 45]
    if values:
        return max(values)
    return 0.5 if _MONTHS.search(text) else None


def level_of_title(text: str) -> LevelEvidence:
    """Level told by a profile title, display name or one-line intro; UNKNOWN_LEVEL if none."""
    source = LevelSource.OWN_STATEMENT if _SELF_CUE.search(text) else LevelSource.PROFILE_TITLE
    level = title_level(text)
    if level is not None:
        return LevelEvidence(level, source, f"title in '{_short(text)}'")
    years = stated_years(text)
    if years is not None:
        return LevelEvidence(band_of_years(years), source, f"{years:g} years in '{_short(text)}'")
    if _JUNIOR_WORDS.search(text):
        return LevelEvidence(J, source, f"student/fresher in '{_short(text)}'")
    return UNKNOWN_LEVEL


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
    if level is None and _JUNIOR_WORDS.search(clause):
        return J
    return level


def _title_statement(text: str) -> LevelEvidence | None:
    for match in _SELF_CLAUSE.finditer(text):
        clause = match.group("clause")
        level = _clause_level(clause)
        if level is not None:
            return LevelEvidence(
                level, LevelSource.OWN_STATEMENT, f"says '{_short(match.group(0))}'"
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
                level, LevelSource.OWN_STATEMENT, f"says '{_short(match.group(0))}'"
            )
    return None


def signature_level(text: str) -> LevelEvidence | None:
    """A closing signature line such as '– Farhan | TA Lead' or 'Rajiv (HR Director)'."""
    lines = text.strip().splitlines()
    if len(lines) < 2 and not re.search(r"\s[–—-]\s*[A-Z]\w+\s*[|,(]", text):
        return None
    last = lines[-1] if len(lines) >= 2 else text[text.rfind("–") :]
    match = _SIGNATURE.search("\n" + last.strip())
    if match is None or _UNKNOWN_NOUNS.search(match.group("title")):
        return None
    level = title_level(match.group("title"))
    if level is None:
        return None
    return LevelEvidence(level, LevelSource.OWN_STATEMENT, f"signs '{_short(last.strip())}'")


def _years_statement(text: str) -> LevelEvidence | None:
    for match in _YEARS_SELF.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        if _REQUIREMENT.search(before + match.group("tail")) or _AGE.search(match.group(0)):
            continue
        years = stated_years(match.group("years"))
        if years is None:
            continue
        phrase = _short(match.group(0).strip(" ,("))
        return LevelEvidence(band_of_years(years), LevelSource.WRITING, f"writes '{phrase}'")
    return None


def statement_level(text: str) -> LevelEvidence | None:
    """The writer's own level from a message: self statement, signature, or years in passing."""
    text = _ABBREVIATION_DOT.sub(r"\1", text.replace("<This message was edited>", ""))
    own = _title_statement(text) or signature_level(text)
    if own is not None:
        return own
    return _years_statement(text)


# --- job posts ----------------------------------------------------------------------------

_ROLE_CUE = re.compile(
    r"(?:hiring(?: for)?|opening(?:s)? for|openings?:|position:|role:|for:|requirement(?: for)?:?|"
    r"looking for|looking to hire|need(?:ed)?|vacancy for|job description\s*[–—:-]|"
    r"#openrole\s*[–—:-]*|designation:|post:|urgent(?:ly)? (?:need|hiring|requirement)|"
    r"we have an? opening for|open role[^:]*:|walk-in[^:]*for)\s*(?P<role>[^\n.!?]{2,70})",
    re.I,
)
_SELF_ASIDE = re.compile(
    r"\bas (?:an? )?(?:chro|cpo|hr head|head hr|vp hr)\b[^,.]*[,.]|"
    r"\b(?:report(?:s|ing)? (?:to|into)|on behalf of|by a former|to the|to our)\s+\w+(?: \w+)?",
    re.I,
)
_RANGE = re.compile(
    r"(?<![\d.])(\d{1,2})\s*(?:\+\s*)?(?:years?|yrs?|y)?\s*(?:-|–|—|to)\s*(\d{1,2})\s*\+?\s*"
    r"(?:years?|yrs?|y\b|saal)",
    re.I,
)
_OPEN_RANGE = re.compile(
    r"(?<![\d.-])(\d{1,2})\s*(?:\+\s*(?:years?|yrs?)|(?:years?|yrs?)\s*\+)", re.I
)
_POINT = re.compile(r"(?<![\d.-])(\d{1,2})\s*(?:years?|yrs?)\b(?! old)", re.I)


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
    found = _RANGE.search(text)
    if found:
        return ExperienceAsked(float(found.group(1)), float(found.group(2)))
    found = _OPEN_RANGE.search(text)
    if found:
        return ExperienceAsked(float(found.group(1)), None)
    found = _POINT.search(text)
    if found:
        value = float(found.group(1))
        return ExperienceAsked(value, value)
    if _JUNIOR_WORDS.search(text):
        return ExperienceAsked(0, 1)
    return None


def _strip_signature(text: str) -> str:
    lines = text.strip().splitlines()
    if len(lines) >= 2 and signature_level("\n".join(lines[-2:])) is not None:
        lines = lines[:-1]
    joined = "\n".join(lines)
    return re.sub(r"\s[–—-]\s*[A-Z]\w+\s*[|,(]\s*[^\n]{2,40}$", "", joined)


def advertised_titles(text: str) -> set[Level]:
    """Levels of the roles a job post names (cue windows first, else its first line)."""
    body = _SELF_ASIDE.sub(" ", _strip_signature(text))
    levels: set[Level] = set()
    for match in _ROLE_CUE.finditer(body):
        role = re.split(r"\b(?:at|in|for a|for our|with|from|who)\b", match.group("role"))[0]
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


# --- moderators, resolution, commands -------------------------------------------------------

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
                reason = f"moderator says '{_short(clean + window, 50)}'"
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
