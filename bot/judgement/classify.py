"""Message kinds (LABELS.md): cue phrases, message shape, aimed fuzzy spelling, corrections."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.domain import Classification, Kind, Level
from bot.judgement.job_levels import role_level
from bot.judgement.lexicon import CUES

_MARKERS = re.compile(
    r"<this message was edited>|<media omitted>|this message was deleted|you deleted this message",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[+#@]")
_URL = re.compile(r"https?://|www\.|\b[a-z0-9-]+\.(?:com|org|net|in|io|example)/", re.I)
_EXPERIENCE = re.compile(
    r"\b\d{1,2}\s*(?:\+|-|–|to)\s*(?:\d{1,2}\s*)?(?:yrs?|years?)\b|\b\d{1,2}\s*\+?\s*(?:yrs?|years?)\s*(?:of\s*)?(?:exp|experience)",
    re.I,
)
_CONTACT = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b|\b\d{5}\s?\d{5}\b|\+\d{2}\s?\d{5}\s?\d{5}")
_QUOTE_ATTRIBUTION = re.compile(r"[\"“”'‘’]\s*[-–—~]\s*[A-Z][\w.]+|^\s*[\"“][^\"”]{15,}[\"”]", re.M)
_RHETORICAL = re.compile(
    r"^\s*(?:why (?:do|does|are|is|don't|can't) (?:we|hr|companies|leaders|managers|people|most)|"
    r"isn't it|aren't we|how many of us|ever wondered|have you ever noticed|what if we|"
    r"do we really|are we really|is it just me|what'?s the point|what is the point|"
    r"is [\"'‘“]?[\w ]{3,30}[\"'’”]? (?:just|really|simply) a|kabhi socha)",
    re.I,
)
_FIRST_PERSON_ASK = re.compile(
    r"\b(?:i|we) (?:need|want|am looking|are looking|am searching|are searching|am trying|"
    r"are trying|would like|wanted)\b",
    re.I,
)
_MENTION_START = re.compile(r"^\s*@\S+|^\s*(?:hi|hey|dear)?\s*[A-Z][a-z]+\s*[,:–-]\s", re.U)
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "at",
        "by",
        "with",
        "from",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "i",
        "we",
        "you",
        "he",
        "she",
        "they",
        "it",
        "this",
        "that",
        "these",
        "those",
        "my",
        "our",
        "your",
        "his",
        "her",
        "their",
        "me",
        "us",
        "them",
        "as",
        "if",
        "so",
        "not",
        "no",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "can",
        "could",
        "will",
        "would",
        "should",
        "may",
        "might",
        "pls",
        "please",
        "hi",
        "hello",
        "all",
        "any",
    ]
)
# Fuzzy look-ups are aimed: only unknown words of 5+ letters, only against cue words, cached.
_CUE_WORDS = sorted({w for phrase in CUES for w in _TOKEN.findall(phrase) if len(w) >= 5})
_FUZZY_CACHE_LIMIT = 50_000
_NEAR_DUPLICATE = 90.0
_LEARN_STEP = 0.6
_LEARN_CAP = 3.0


@dataclass(frozen=True, slots=True)
class _Correction:
    tokens: frozenset[str]
    normal: str
    kind: Kind


class Classifier:
    """Deterministic kind classifier that learns from a community's moderator corrections."""

    def __init__(self, corrections: Iterable[tuple[str, Kind]] = ()) -> None:
        self._fuzzy: dict[str, str | None] = {}
        self._corrections: list[_Correction] = []
        self._by_token: dict[str, list[int]] = {}
        self._learned: dict[str, dict[Kind, float]] = {}
        for text, kind in corrections:
            self.learn(text, kind)

    def classify(
        self, text: str, *, forwarded: bool = False, is_reply: bool = False
    ) -> Classification:
        """The kind of one message, with a confidence and a reason a moderator can read."""
        body = (_MARKERS.sub(" ", text) if ("<" in text or "deleted" in text) else text).strip()
        if not body:
            return Classification(Kind.OTHER, 1.0, "no text (media, deleted or empty)")
        tokens = self._tokens(body)
        remembered = self._remembered(body, tokens)
        if remembered is not None:
            return self._finish(body, remembered, 0.95, "moderator corrected a similar message")
        scores, reasons = self._score(body, tokens, forwarded=forwarded, is_reply=is_reply)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], _ORDER[kv[0]]))
        (kind, top), (_, second) = ranked[0], ranked[1]
        confidence = round(min(0.99, 0.5 + 0.5 * (top - second) / (top + 1.0)), 3)
        cues = [label for label in reasons.get(kind, []) if label]
        reason = ", ".join(dict.fromkeys(cues[:3])) or "no strong cue"
        return self._finish(body, kind, confidence, reason)

    def learn(self, text: str, kind: Kind) -> None:
        """Remember a moderator's correction: near-duplicates follow it at once, and the words it
        contains shift later predictions towards the corrected kind."""
        body = _MARKERS.sub(" ", text).strip()
        tokens = self._tokens(body)
        base, _ = self._score(body, tokens, forwarded=False, is_reply=False)
        predicted = max(base, key=lambda k: base[k])
        content = frozenset(t for t in tokens if t not in _STOP and len(t) > 2)
        index = len(self._corrections)
        self._corrections.append(_Correction(content, _normal(body), kind))
        for token in content:
            self._by_token.setdefault(token, []).append(index)
            weights = self._learned.setdefault(token, {})
            weights[kind] = min(_LEARN_CAP, weights.get(kind, 0.0) + _LEARN_STEP)
            if predicted is not kind:
                weights[predicted] = max(-_LEARN_CAP, weights.get(predicted, 0.0) - _LEARN_STEP)

    # --- internals -------------------------------------------------------------------------

    def _tokens(self, body: str) -> list[str]:
        known, spell = _KNOWN, self._spell
        return [t if len(t) < 5 or t in known else spell(t) for t in _TOKEN.findall(body.lower())]

    def _spell(self, token: str) -> str:
        """Map a typo of a cue word onto it ("opning" -> "opening"), cached per token."""
        if len(token) < 5 or token in _KNOWN or token.isdigit():
            return token
        if token in self._fuzzy:
            return self._fuzzy[token] or token
        match = process.extractOne(token, _CUE_WORDS, scorer=fuzz.ratio, score_cutoff=84)
        found = match[0] if match and match[0][0] == token[0] else None
        if len(self._fuzzy) < _FUZZY_CACHE_LIMIT:
            self._fuzzy[token] = found
        return found or token

    def _remembered(self, body: str, tokens: list[str]) -> Kind | None:
        if not self._corrections:
            return None
        content = {t for t in tokens if t not in _STOP and len(t) > 2}
        candidates: dict[int, int] = {}
        for token in content:
            for index in self._by_token.get(token, ()):
                candidates[index] = candidates.get(index, 0) + 1
        normal = _normal(body)
        for index, shared in sorted(candidates.items(), key=lambda kv: (-kv[1], -kv[0])):
            correction = self._corrections[index]
            if shared * 2 < len(correction.tokens):
                break
            if fuzz.token_set_ratio(normal, correction.normal) >= _NEAR_DUPLICATE:
                return correction.kind
        return None

    def _score(
        self, body: str, tokens: list[str], *, forwarded: bool, is_reply: bool
    ) -> tuple[dict[Kind, float], dict[Kind, list[str]]]:
        scores = {Kind.JOB_POST: 0.0, Kind.HELP_REQUEST: 0.0, Kind.GYAAN: 0.0, Kind.OTHER: 1.0}
        reasons: dict[Kind, list[str]] = {k: [] for k in scores}
        hits: dict[str, int] = {}
        lookup = _CUE_INDEX.get
        for phrase in _ngrams(tokens):
            cue = lookup(phrase)
            if cue is None:
                continue
            kind, weight, label = cue
            # A family of cues adds up with diminishing weight, so one long post cannot
            # outvote everything else by repeating one kind of word.
            count = hits.get(label, 0)
            if count >= 3:
                continue
            hits[label] = count + 1
            weight *= 1.0 if count == 0 else 0.35
            if label in _SHORT_ONLY and len(tokens) > 12:
                weight *= 0.25
            scores[kind] += weight
            if count == 0:
                reasons[kind].append(f"{label} ('{phrase}')")
        for kind, weight, label in _structure(body, tokens, forwarded=forwarded, is_reply=is_reply):
            scores[kind] += weight
            if label:
                reasons[kind].append(label)
        if self._learned:
            self._apply_learned(tokens, scores, reasons)
        _settle(scores, body, tokens)
        return scores, reasons

    def _apply_learned(
        self, tokens: list[str], scores: dict[Kind, float], reasons: dict[Kind, list[str]]
    ) -> None:
        shift: dict[Kind, float] = {}
        for token in set(tokens):
            for kind, weight in self._learned.get(token, {}).items():
                shift[kind] = shift.get(kind, 0.0) + weight
        for kind, total in shift.items():
            bounded = max(-2 * _LEARN_CAP, min(2 * _LEARN_CAP, total))
            scores[kind] += bounded
            if bounded >= 1.0:
                reasons[kind].insert(0, "learnt from moderators' corrections")

    def _finish(self, body: str, kind: Kind, confidence: float, reason: str) -> Classification:
        level: Level | None = role_level(body) if kind is Kind.JOB_POST else None
        return Classification(kind, confidence, reason, level)


_SHORT_ONLY = frozenset({"thanks or a short reaction", "a greeting or wish"})
_ABOUT_A_POST = re.compile(
    r"\b(?:this|the|that|it)\s+(?:role|position|opening|job|post|jd|one)\b|\bis (?:it|this) "
    r"(?:remote|wfh|hybrid|open|still|for|in|a|paid|contract|permanent)\b|\bbudget\b|"
    r"\blocation\b|\b(?:is|was) (?:this|it)\s*\?|\bctc\b|\bsalary\b|\bnotice\b|\bwfh\b|\bremote\b",
    re.I,
)
_ROLE_TITLE = re.compile(
    r"\b(?:recruiter|hrbp|executive|manager|specialist|coordinator|generalist|intern|head|lead|"
    r"associate|analyst|officer|partner|director|vp|chro|trainee|assistant|consultant|admin)s?\b",
    re.I,
)
_WANTS_ROLE = re.compile(
    r"\b(?:looking for|need|needs|required|requirement of|want)\s+(?:an?\s+|\d+\s+)?"
    r"(?:[\w&.-]+\s+){0,3}"
    r"(?:intern|interns|recruiters?|executives?|managers?|specialists?|coordinators?|generalists?|"
    r"hrbps?|leads?|associates?|analysts?|officers?|trainees?|freshers)\b"
    r"(?!\s+(?:search|coach|coaching|agenc|firm|vendor|trainer|consultant|partner))",
    re.I,
)
# Cue phrases keyed the way messages are tokenised ("walk-in" -> "walk in", "re:" -> "re").
_CUE_INDEX = {" ".join(_TOKEN.findall(phrase)): cue for phrase, cue in CUES.items()}
_CUE_PREFIXES = frozenset(
    " ".join(words[:n])
    for words in (phrase.split() for phrase in _CUE_INDEX)
    for n in range(1, len(words))
)
_ORDER = {Kind.HELP_REQUEST: 0, Kind.JOB_POST: 1, Kind.GYAAN: 2, Kind.OTHER: 3}
_KNOWN = frozenset(w for phrase in CUES for w in _TOKEN.findall(phrase)) | _STOP


def _ngrams(tokens: list[str]) -> Iterable[str]:
    """Every token, and longer phrases only while they can still grow into a cue."""
    count = len(tokens)
    for i, token in enumerate(tokens):
        yield token
        phrase = token
        j = i + 1
        while phrase in _CUE_PREFIXES and j < count:
            phrase = f"{phrase} {tokens[j]}"
            yield phrase
            j += 1


def _normal(body: str) -> str:
    return " ".join(_TOKEN.findall(body.lower()))


def _structure(
    body: str, tokens: list[str], *, forwarded: bool, is_reply: bool
) -> Iterable[tuple[Kind, float, str]]:
    """Evidence from the shape of a message rather than its words."""
    question = "?" in body
    words = len(tokens)
    vocabulary = set(tokens)
    digits = _DIGIT.search(body) is not None
    if question:
        yield Kind.HELP_REQUEST, 2.4, "asks a question"
        if words <= 12 and _ABOUT_A_POST.search(body):
            yield Kind.OTHER, 3.0, "a question about a post"
        if _RHETORICAL.search(body):
            yield Kind.GYAAN, 4.0, "a rhetorical question"
    # Cheap word checks first: most messages never need the regular expressions below.
    if vocabulary & _ASK_WORDS and _FIRST_PERSON_ASK.search(body):
        yield Kind.HELP_REQUEST, 1.2, "says what they need"
    if vocabulary & _WANT_WORDS and _WANTS_ROLE.search(body):
        yield Kind.JOB_POST, 3.0, "looks for someone to fill a role"
    if _NUMBERED.search(body):
        yield Kind.GYAAN, 1.2, "a numbered list"
    if digits and _EXPERIENCE.search(body):
        yield Kind.JOB_POST, 1.4, "an experience range"
        if _ROLE_TITLE.search(body):
            yield Kind.JOB_POST, 1.6, "a role with the experience it needs"
    if (digits or "@" in body) and _CONTACT.search(body):
        yield Kind.JOB_POST, 0.8, "contact details"
    if ("/" in body or "www" in body) and _URL.search(body):
        yield Kind.GYAAN, 1.4, "a link"
    if _QUOTE_CHARS.intersection(body) and _QUOTE_ATTRIBUTION.search(body):
        yield Kind.GYAAN, 2.6, "a quotation"
    if forwarded:
        yield Kind.GYAAN, 1.0, "forwarded"
        yield Kind.JOB_POST, 0.6, ""
    if is_reply:
        yield Kind.OTHER, 3.0, "a reply to another message"
    if _MENTION_START.search(body):
        yield Kind.OTHER, 1.2, "addressed to someone"
    if words <= 4 and not question:
        yield Kind.OTHER, 1.5, "a short reaction"
    if words >= 10 and not question:
        yield Kind.GYAAN, 1.2 if words < 60 else 2.0, "an unprompted statement"


_DIGIT = re.compile(r"\d")
_NUMBERED = re.compile(r"(?:^|\n)\s*1[.)][^\n]+\n\s*2[.)][^\n]+\n\s*3[.)]")
_ASK_WORDS = frozenset({"need", "want", "looking", "searching", "trying", "like", "wanted"})
_WANT_WORDS = frozenset({"looking", "need", "needs", "required", "requirement", "want"})
_QUOTE_CHARS = frozenset("\"“”'‘’")


def _settle(scores: dict[Kind, float], body: str, tokens: list[str]) -> None:
    """Where kinds meet (LABELS.md): seeking a job beats hiring words; offering beats asking."""
    low = body.lower()
    seeking = _SEEKING_RE.search(low) is not None
    offering = _OFFERING_RE.search(low) is not None
    applying = _APPLY_RE.search(low) is not None
    if _JOB_SEEKING_RE.search(low) and not applying:
        scores[Kind.JOB_POST] *= 0.4  # a job sought for oneself or a friend
    elif seeking and not offering:
        scores[Kind.JOB_POST] *= 0.4
    if _SELF_INTRO.search(body) and not offering:
        scores[Kind.JOB_POST] *= 0.5  # the writer's own title and years, not a role on offer
    if offering and not seeking and scores[Kind.JOB_POST] >= 2.5:
        scores[Kind.HELP_REQUEST] *= 0.5
    elif "?" in body and scores[Kind.HELP_REQUEST] >= 4.0 and not applying:
        # Asking about pay or practice names roles and years without offering one.
        scores[Kind.JOB_POST] *= 0.5
    if scores[Kind.JOB_POST] >= 4.0 and scores[Kind.GYAAN] < 4.0:
        scores[Kind.GYAAN] *= 0.5


_SELF_INTRO = re.compile(
    r"\b(?:i'?m|i am|myself|[A-Z][a-z]+ here)\s*[,–-]?\s*(?:an?\s+)?[\w .&()/-]{0,40}?"
    r"\b(?:at|with|in|from)\b",
    re.I,
)
_JOB_SEEKING_RE = re.compile(
    r"open to work|opentowork|looking for (?:a |an )?(?:job|new role|role|opportunit|internship)|"
    r"any openings?\b|laid off|lost my job|refer me\b|"
    r"my (?:friend|cousin|brother|sister|colleague)\b(?!'s)"
)
_APPLY_RE = re.compile(
    r"dm (?:me )?(?:your )?cv|share (?:your )?cv|send (?:your )?(?:cv|resume)|"
    r"interested candidates|\bapply\b|cvs? to\b"
)


_SEEKING = (
    "open to work", "opentowork", "any leads", "any lead ", "any openings", "any opening",
    "laid off", "impacted", "lost my job", "looking for a job", "looking for job",
    "looking for a new role", "looking for a role", "looking for opportunit",
    "looking for new opportunit",
    "my friend", "my colleague", "refer me", "my cv", "my resume", "serving notice", "for my ",
    "looking for a vendor", "looking for vendor", "search firm", "agency for", "agencies for",
    "any reco", "jd for", "a jd", "template", "agencies", "recruitment agenc", "vendor",
    "search firm",
)  # fmt: skip
_OFFERING = (
    "we are hiring", "we're hiring", "hiring for", "we have an opening", "have an opening",
    "dm your cv", "dm me your cv", "share your cv", "send your cv", "send cv", "share cv",
    "interested candidates", "apply ", "vacancy", "urgent opening", "opening for", "is hiring",
    "we are looking for", "we're looking for", "open to a move", "interested in a", "if interested",
    "interested dm", "anyone interested", "any one interested", "open to a switch", "we need an",
    "we need a", "is looking for a", "sharing on her behalf", "sharing on his behalf", "refer karo",
    "equity on offer", "confidential", "internship opportunity", "joining within",
)  # fmt: skip
_SEEKING_RE = re.compile("|".join(re.escape(cue) for cue in _SEEKING))
_OFFERING_RE = re.compile("|".join(re.escape(cue) for cue in _OFFERING))
