"""Reading titles and years of experience in text: spelling folds, the title table (most
specific first) and LABELS.md experience bands. The seniority modules build on these."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.domain import Level

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
AGE = re.compile(
    r"\b(?:i am|i'm|im|aged?)\s+\d{2}\b(?!\s*(?:\+\s*)?(?:years?|yrs?) (?:in|of|exp))", re.I
)
JUNIOR_WORDS = re.compile(
    r"\b(?:fresher|freshers|student|pass ?outs?|final year|mba hr \d{4}|"
    r"fresh (?:mba|graduate|pgdm)|pgdm|graduates)\b",
    re.I,
)
UNKNOWN_NOUNS = re.compile(r"\badmin(?:istrator)?\b(?! executive)", re.I)


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


def short_quote(text: str, limit: int = 40) -> str:
    """The text on one line, cut to `limit` characters with an ellipsis (for reasons)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
