"""Message kind (LABELS.md): phrase lexicon + structural cues + moderators' corrections."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot import seniority
from bot.domain import Classification, Kind
from bot.kind_lexicon import FUZZY_TARGETS, Weights, build_lexicon

KINDS: tuple[Kind, ...] = (Kind.JOB_POST, Kind.HELP_REQUEST, Kind.GYAAN, Kind.OTHER)
_J, _H, _G, _O = range(4)
_LEXICON = build_lexicon()
_VOCAB = frozenset(w for phrase in _LEXICON for w in phrase.split())
_MAX_NGRAM = 3
# First words of multi-word phrases: only these start a 2- or 3-word look-up.
_PREFIXES = frozenset(phrase.split()[0] for phrase in _LEXICON if " " in phrase)

_MARKERS = re.compile(r"<this message was edited>|\u200e|\u200f|\ufeff", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"https?://\S+|www\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|in|io|example)/\S*")
_PHONE = re.compile(r"(?<![\w.])\+?\d[\d -]{7,}\d(?![\w.])")
_EXP_RANGE = re.compile(
    r"\b\d{1,2}\s*(?:-|–|—|to)\s*\d{1,2}\s*\+?\s*(?:years?|yrs?|y|saal|sal)\b|"
    r"\b\d{1,2}\s*\+\s*(?:years?|yrs?)|\b\d{1,2}\s*(?:years?|yrs?)\s*\+|"
    r"\bexp(?:erience)?\s*[:\-]\s*\d",
    re.I,
)
_TOKEN = re.compile(
    r"\+1\b|[a-z0-9#@][a-z0-9'’&+#-]*(?<![-'’])|\?|[\U0001F300-\U0001FAFF\u2600-\u27BF]"
)
_SYSTEM = re.compile(
    r"^(?:messages and calls are end-to-end encrypted|<media omitted>|this message was deleted|"
    r"you deleted this message|.{1,60} (?:joined using this group's invite link|left|"
    r"added .{1,60}|removed .{1,60}|changed (?:this group's|the group) \w+.*)$)",
    re.I | re.S,
)
_ROLE_WORDS = frozenset(
    (
        "executive",
        "exec",
        "executives",
        "hrbp",
        "manager",
        "managers",
        "mgr",
        "recruiter",
        "recruiters",
        "intern",
        "interns",
        "trainee",
        "trainees",
        "lead",
        "head",
        "director",
        "chro",
        "cpo",
        "vp",
        "avp",
        "svp",
        "gm",
        "agm",
        "dgm",
        "specialist",
        "consultant",
        "associate",
        "coordinator",
        "analyst",
        "officer",
        "generalist",
        "partner",
        "principal",
        "hr-head",
        "hrbps",
        "telecaller",
        "freshers",
        "fresher",
    )
)
_SEEK_VERBS = frozenset(
    (
        "looking",
        "need",
        "needed",
        "hiring",
        "hire",
        "want",
        "require",
        "required",
        "seeking",
    )
)
_SERVICE_WORDS = frozenset(
    (
        "vendor",
        "vendors",
        "agency",
        "agencies",
        "trainer",
        "trainers",
        "lawyer",
        "advocate",
        "coach",
        "firm",
        "firms",
        "tool",
        "tools",
        "software",
        "template",
        "format",
        "jd",
        "survey",
        "mentor",
        "mentoring",
        "partner",
        "broker",
        "platform",
        "insurance",
        "provider",
        "consultancy",
        "sample",
        "policy",
        "checklist",
    )
)
_FIRST_PERSON = frozenset(
    (
        "i",
        "i'm",
        "im",
        "i've",
        "me",
        "my",
        "we",
        "we're",
        "our",
        "us",
        "mujhe",
        "mera",
        "meri",
        "main",
        "hum",
    )
)
_RHETORICAL = re.compile(
    r"\bwhy do (?:we|companies|organi[sz]ations|leaders|managers|most|so many)|"
    r"\bthink about it|food for thought|🤔|\bisn't it\?|\bright\?\s*$|\bwhat would you add",
    re.I,
)
_SELF_JOB_SEEK = re.compile(
    r"\b(?:open to work|any (?:leads|openings|opening|referrals?)|keep me in mind|"
    r"looking for (?:a |an )?(?:job|change|new role|opportunit\w+|internship|"
    r"(?:senior |hr |ta )?roles?)|refer me|job ho toh|naukri chahiye|for my friend|"
    r"(?:help|leads) for (?:my|a) (?:friend|colleague))",
    re.I,
)
_FIELDS = re.compile(
    r"^\W*(?:role|position|designation|exp|experience|location|loc|ctc|salary|budget|notice|"
    r"for|when|where|venue|company|industry|sector|jd|qualification|openings?|skills?)\W*\s*[:\-–]",
    re.I | re.M,
)
_QUOTE = re.compile(
    r"[\"“‘'][^\"”’']{12,}[\"”’']\s*[–—-]+\s*[A-Z]|#thought|#motivation|#quote", re.I
)
_ASK_ABOUT_POST = re.compile(
    r"^(?:pls |please |kindly )?(?:share (?:the |with me)|is (?:this|it) (?:still )?(?:open|remote|"
    r"hybrid|for freshers|wfh|paid)|what(?:'s| is) the (?:budget|ctc|salary|location)|"
    r"which (?:location|company|city)|can freshers apply|is this role)",
    re.I,
)
_ADDRESSING = re.compile(r"^\s*(?:@\S+|re:? (?:the|your)\b|(?:[A-Z][a-z]{2,},)\s)")


@dataclass(frozen=True, slots=True)
class _Correction:
    tokens: frozenset[str]
    normal: str
    kind: Kind


def _normalise(text: str) -> str:
    text = _MARKERS.sub(" ", text).lower().replace("’", "'")
    text = _EMAIL.sub(" zzemail ", text)
    text = _URL.sub(" zzurl ", text)
    return _PHONE.sub(" zzphone ", text)


class Classifier:
    """Deterministic kind classifier that learns from moderators' corrections."""

    _CACHE_LIMIT = 50_000

    def __init__(self, corrections: Iterable[tuple[str, Kind]] = ()) -> None:
        self._fuzzy_cache: dict[str, str] = {}
        self._learned: dict[str, list[float]] = {}
        self._corrections: list[_Correction] = []
        self._index: dict[str, list[int]] = {}
        for text, kind in corrections:
            self.learn(text, kind)

    # --- public ---------------------------------------------------------------------------

    def classify(
        self, text: str, *, forwarded: bool = False, is_reply: bool = False
    ) -> Classification:
        """Judge one message's kind, with a confidence and a reason a moderator can read."""
        stripped = _MARKERS.sub("", text).strip()
        if not stripped:
            return Classification(Kind.OTHER, 1.0, "empty message")
        if _SYSTEM.match(stripped):
            return Classification(Kind.OTHER, 1.0, "system line or media placeholder")
        tokens = self._tokens(_normalise(stripped))
        remembered = self._remembered(tokens)
        if remembered is not None:
            return self._finish(remembered, 0.95, "moderator corrected a similar message", text)
        scores, why = self._score(stripped, tokens, forwarded=forwarded, is_reply=is_reply)
        best = max(range(4), key=lambda k: (scores[k], -k))
        runner = max(s for k, s in enumerate(scores) if k != best)
        confidence = round(1.0 / (1.0 + math.exp(-(scores[best] - runner))), 3)
        return self._finish(KINDS[best], confidence, _reason(KINDS[best], why[best]), text)

    def learn(self, text: str, kind: Kind) -> None:
        """Store a moderator's correction and nudge the weights of its words towards `kind`."""
        tokens = self._tokens(_normalise(_MARKERS.sub("", text)))
        words = frozenset(t for t in tokens if len(t) > 2 and t.isalpha())
        scores, _ = self._score(text, tokens, forwarded=False, is_reply=False)
        predicted = max(range(4), key=lambda k: scores[k])
        target = KINDS.index(kind)
        if predicted != target or scores[target] - sorted(scores)[-2] < 1.0:
            step = 0.6 / max(1.0, math.sqrt(len(words)) / 2)
            for word in words:
                weights = self._learned.setdefault(word, [0.0, 0.0, 0.0, 0.0])
                weights[target] += step
                weights[predicted if predicted != target else _O] -= step / 2
        slot = len(self._corrections)
        self._corrections.append(_Correction(words, " ".join(sorted(words)), kind))
        for word in words:
            self._index.setdefault(word, []).append(slot)

    # --- internals ------------------------------------------------------------------------

    def _finish(self, kind: Kind, confidence: float, reason: str, text: str) -> Classification:
        level = seniority.role_level(text) if kind is Kind.JOB_POST else None
        return Classification(kind, confidence, reason, level)

    def _tokens(self, normal: str) -> list[str]:
        return [self._correct(t) for t in _TOKEN.findall(normal)]

    def _correct(self, token: str) -> str:
        """Typo fixing aimed at unknown words only, cached per token."""
        if token in _VOCAB or len(token) < 5 or not token.isalpha():
            return token
        cached = self._fuzzy_cache.get(token)
        if cached is not None:
            return cached
        found = process.extractOne(token, FUZZY_TARGETS, scorer=fuzz.ratio, score_cutoff=85)
        fixed = token
        if found is not None and not found[0].startswith(token) and token[0] == found[0][0]:
            fixed = found[0]
        if len(self._fuzzy_cache) < self._CACHE_LIMIT:
            self._fuzzy_cache[token] = fixed
        return fixed

    def _remembered(self, tokens: list[str]) -> Kind | None:
        if not self._corrections:
            return None
        words = frozenset(t for t in tokens if len(t) > 2 and t.isalpha())
        slots: set[int] = set()
        for word in words:
            slots.update(self._index.get(word, ())[-50:])
        normal = " ".join(sorted(words))
        for slot in sorted(slots, reverse=True):
            seen = self._corrections[slot]
            if len(seen.tokens & words) * 2 < len(words):
                continue
            if fuzz.token_set_ratio(normal, seen.normal) >= 90:
                return seen.kind
        return None

    def _score(
        self, text: str, tokens: list[str], *, forwarded: bool, is_reply: bool
    ) -> tuple[list[float], list[list[str]]]:
        scores = [0.0, 0.0, 0.2, 0.4]
        why: list[list[str]] = [[], [], [], []]
        seen: set[str] = set()
        for i, token in enumerate(tokens):
            spans = (token,) if token not in _PREFIXES else _ngrams(tokens, i)
            for phrase in spans:
                weights = _LEXICON.get(phrase)
                if weights is not None and phrase not in seen:
                    seen.add(phrase)
                    _add(scores, why, weights, phrase)
        for word in set(tokens):
            learned = self._learned.get(word)
            if learned is not None:
                _add(scores, why, (learned[0], learned[1], learned[2], learned[3]), "")
        _structure(text, tokens, scores, why, forwarded=forwarded, is_reply=is_reply)
        return scores, why


def _ngrams(tokens: list[str], i: int) -> tuple[str, ...]:
    return tuple(
        " ".join(tokens[i : i + n]) for n in range(1, _MAX_NGRAM + 1) if i + n <= len(tokens)
    )


def _add(scores: list[float], why: list[list[str]], weights: Weights, label: str) -> None:
    for k in range(4):
        scores[k] += weights[k]
        if label and weights[k] >= 1.0:
            why[k].append(label)


def _bump(scores: list[float], why: list[list[str]], kind: int, value: float, label: str) -> None:
    scores[kind] += value
    if value > 0:
        why[kind].append(label)


def _structure(
    text: str,
    tokens: list[str],
    scores: list[float],
    why: list[list[str]],
    *,
    forwarded: bool,
    is_reply: bool,
) -> None:
    """Cues from the shape of the message rather than single phrases."""
    words = set(tokens)
    question = "?" in words
    has_role = not _ROLE_WORDS.isdisjoint(words)
    if _EXP_RANGE.search(text):
        _bump(scores, why, _J, 2.0 if has_role else 1.0, "experience range")
    if has_role:
        _bump(scores, why, _J, 0.8, "role title")
    _seek(tokens, scores, why)
    if "zzphone" in words or "zzemail" in words:
        _bump(scores, why, _J, 1.2, "contact to apply")
    if "zzurl" in words:
        _bump(scores, why, _G, 1.2, "link")
    if question:
        _bump(scores, why, _H, 1.6, "a question")
        if _RHETORICAL.search(text):
            _bump(scores, why, _G, 3.5, "rhetorical question")
    if _SELF_JOB_SEEK.search(text) and not {"we", "our"} & words - {"i"}:
        _bump(scores, why, _H, 3.0, "seeking a job or leads")
    elif _SELF_JOB_SEEK.search(text):
        _bump(scores, why, _H, 1.5, "seeking leads")
    if not _FIRST_PERSON.isdisjoint(words):
        _bump(scores, why, _H, 0.4, "first person")
    _length(text, tokens, scores, why)
    fields = len(_FIELDS.findall(text))
    if fields >= 2:
        _bump(scores, why, _J, 1.5 * min(fields, 3), "role/exp/location fields")
    if _QUOTE.search(text):
        _bump(scores, why, _G, 3.0, "a quote")
    if _ASK_ABOUT_POST.match(text.strip()) and len(tokens) <= 12:
        _bump(scores, why, _O, 3.5, "asks about a post")
    if any(t.startswith("#") for t in tokens):
        _bump(scores, why, _G, 0.6, "hashtags")
    if _ADDRESSING.match(text):
        _bump(scores, why, _O, 1.8, "addresses someone")
    if forwarded:
        _bump(scores, why, _G, 1.0, "forwarded")
        _bump(scores, why, _J, 0.5, "forwarded")
    if is_reply:
        _bump(scores, why, _O, 3.0, "a reply in a thread")
        scores[_G] -= 1.5


def _seek(tokens: list[str], scores: list[float], why: list[list[str]]) -> None:
    """'looking for / need / hiring' + a role = opening; + a vendor or template = request."""
    for i, token in enumerate(tokens):
        if token not in _SEEK_VERBS:
            continue
        window = set(tokens[i + 1 : i + 6])
        if not _SERVICE_WORDS.isdisjoint(window):
            _bump(scores, why, _H, 2.5, f"'{token}' a service")
            scores[_J] -= 1.5
            return
        if not _ROLE_WORDS.isdisjoint(window):
            _bump(scores, why, _J, 2.0, f"'{token}' + role")
            return


def _length(text: str, tokens: list[str], scores: list[float], why: list[list[str]]) -> None:
    n = sum(1 for t in tokens if t[0].isalnum())
    if n <= 4:
        _bump(scores, why, _O, 2.0, "short chat line")
    elif n <= 8:
        _bump(scores, why, _O, 0.6, "short")
    elif "?" not in tokens:
        _bump(scores, why, _G, 1.0 if n >= 12 else 0.5, "a statement")
    if n == 0:
        _bump(scores, why, _O, 3.0, "emoji only")


def _reason(kind: Kind, cues: list[str]) -> str:
    words = [c for c in dict.fromkeys(cues) if c][:3]
    label = {
        Kind.JOB_POST: "hiring words",
        Kind.HELP_REQUEST: "asks the group",
        Kind.GYAAN: "shares unasked knowledge",
        Kind.OTHER: "chat, answer or notice",
    }[kind]
    if not words:
        return label
    return f"{label} ({', '.join(repr(w) if ' ' in w or len(w) < 12 else w for w in words)})"
