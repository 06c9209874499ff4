"""What the kind model sees in a message: words, word pairs, letter groups and named cues.

Training (bot/judgement/training.py) and prediction (bot/judgement/kind_model.py) both build
their features from these functions, so the shipped weights always mean the same thing.
The named cues are the lexicon's phrase families (bot/judgement/lexicon.py) and the message's
shape (a question, an experience range, a link, a reply); each has a label a moderator can read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from bot.domain import Kind
from bot.judgement.lexicon import CUES

MARKERS = re.compile(
    r"<this message was edited>|<media omitted>|this message was deleted|you deleted this message",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[+#@]")
CHAR_SIZES = (3, 4, 5)
# Letter groups come from the first letters of a word: longer strings are pasted links or noise.
CHAR_WORD_LIMIT = 24
# Letter groups weigh this much against words and pairs: chosen by cross-validation on the corpus
# (they carry typos, Hinglish spellings and word forms that whole words miss).
CHAR_SCALE = 3.0


def clean(text: str) -> str:
    """The message without export markers ("<Media omitted>", "edited"), trimmed."""
    return (MARKERS.sub(" ", text) if ("<" in text or "deleted" in text) else text).strip()


def tokens(body: str) -> list[str]:
    """Lower-case words, numbers and the symbols that matter (+, #, @), in order."""
    return _TOKEN.findall(body.lower())


def char_grams(token: str) -> list[str]:
    """Letter groups of 3-5 characters of one word, with its edges marked by spaces."""
    padded = f" {token[:CHAR_WORD_LIMIT]} "
    size = len(padded)
    return [padded[i : i + n] for n in CHAR_SIZES for i in range(size - n + 1)]


def bigrams(words: list[str]) -> list[str]:
    """Adjacent word pairs, as "first second"."""
    return [f"{a} {b}" for a, b in pairwise(words)]


# --- named cues -------------------------------------------------------------------------------

_CUE_INDEX = {" ".join(_TOKEN.findall(phrase)): cue for phrase, cue in CUES.items()}
_CUE_PREFIXES = frozenset(
    " ".join(words[:n])
    for words in (phrase.split() for phrase in _CUE_INDEX)
    for n in range(1, len(words))
)
CUE_LABELS: dict[str, tuple[Kind, str]] = {
    f"cue:{label}": (kind, label) for kind, _, label in CUES.values()
}


def lexicon_cues(words: list[str]) -> dict[str, tuple[int, str]]:
    """Phrase families found in the words: feature name -> (hits, first phrase found)."""
    found: dict[str, tuple[int, str]] = {}
    lookup, prefixes = _CUE_INDEX.get, _CUE_PREFIXES
    count = len(words)
    for i, token in enumerate(words):
        phrase = token
        j = i + 1
        while True:
            cue = lookup(phrase)
            if cue is not None:
                name = f"cue:{cue[2]}"
                hits, first = found.get(name, (0, phrase))
                found[name] = (hits + 1, first)
            if phrase not in prefixes or j >= count:
                break
            phrase = f"{phrase} {words[j]}"
            j += 1
    return found


_EXPERIENCE = re.compile(
    r"\b\d{1,2}\s*(?:\+|-|–|to)\s*(?:\d{1,2}\s*)?(?:yrs?|years?)\b|"
    r"\b\d{1,2}\s*\+?\s*(?:yrs?|years?)\s*(?:of\s*)?(?:exp|experience)",
    re.I,
)
_CONTACT = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b|\b\d{5}\s?\d{5}\b|\+\d{2}\s?\d{5}\s?\d{5}")
_URL = re.compile(r"https?://|www\.|\b[a-z0-9-]+\.(?:com|org|net|in|io|example)/", re.I)
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
_NUMBERED = re.compile(r"(?:^|\n)\s*(?:1[.)]|[•*-])[^\n]+\n\s*(?:2[.)]|[•*-])[^\n]+\n")
_SELF_INTRO = re.compile(
    r"\b(?:i'?m|i am|myself|[A-Z][a-z]+ here)\s*[,–-]?\s*(?:an?\s+)?[\w .&()/-]{0,40}?"
    r"\b(?:at|with|in|from)\b",
    re.I,
)
_JOB_SEEKING = re.compile(
    r"open to work|opentowork|looking for (?:a |an )?(?:job|new role|role|opportunit|internship)|"
    r"any openings?\b|laid off|lost my job|refer me\b|"
    r"my (?:friend|cousin|brother|sister|colleague)\b(?!'s)",
    re.I,
)
_APPLY = re.compile(
    r"dm (?:me )?(?:your )?cv|share (?:your )?cv|send (?:your )?(?:cv|resume)|"
    r"interested candidates|\bapply\b|cvs? to\b",
    re.I,
)
_ASK_WORDS = frozenset({"need", "want", "looking", "searching", "trying", "like", "wanted"})
_WANT_WORDS = frozenset({"looking", "need", "needs", "required", "requirement", "want"})
_QUOTE_CHARS = frozenset("\"“”'‘’")
_DIGIT = re.compile(r"\d")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")

# Readable names of the shape cues, used in reasons.
SHAPES: dict[str, str] = {
    "shape:question": "asks a question",
    "shape:short question": "a short question",
    "shape:question about a post": "a question about a post",
    "shape:rhetorical": "a rhetorical question",
    "shape:question in a few lines": "asks a question in a few lines",
    "shape:question in a long post": "a long post with a question",
    "shape:ends with a question": "ends with a question",
    "shape:asks the group": "asks the group",
    "shape:opens with an ask": "opens with an ask",
    "shape:first person": "speaks for themselves",
    "shape:first-person ask": "says what they need",
    "shape:wants a role filled": "looks for someone to fill a role",
    "shape:list": "a list",
    "shape:experience range": "an experience range",
    "shape:role with experience": "a role with the experience it needs",
    "shape:contact": "contact details",
    "shape:link": "a link",
    "shape:quotation": "a quotation",
    "shape:forwarded": "forwarded",
    "shape:reply": "a reply to another message",
    "shape:addressed": "addressed to someone",
    "shape:very short": "a short reaction",
    "shape:short": "a short message",
    "shape:long": "a long post",
    "shape:very long": "a very long post",
    "shape:multi-line": "written over several lines",
    "shape:emoji": "emoji",
    "shape:seeks a job": "seeks a job for themselves or a friend",
    "shape:invites applications": "invites applications",
    "shape:introduces themselves": "introduces themselves",
    "shape:empty": "no text (media, deleted or empty)",
}


def shape_cues(body: str, words: list[str], *, forwarded: bool, is_reply: bool) -> Iterable[str]:
    """Evidence from the shape of a message rather than its words (feature names)."""
    question = "?" in body
    count = len(words)
    vocabulary = set(words)
    digits = _DIGIT.search(body) is not None
    if question:
        yield "shape:question"
        if count <= 12:
            yield "shape:short question"
            if _ABOUT_A_POST.search(body):
                yield "shape:question about a post"
        elif count <= 40:
            yield "shape:question in a few lines"
        else:
            yield "shape:question in a long post"
        if _RHETORICAL.search(body):
            yield "shape:rhetorical"
        if _ENDS_ASKING.search(body):
            yield "shape:ends with a question"
        if vocabulary & _GROUP_WORDS:
            yield "shape:asks the group"
    if words and words[0] in _OPENING_ASKS:
        yield "shape:opens with an ask"
    if vocabulary & _FIRST_PERSON:
        yield "shape:first person"
    # Cheap word checks first: most messages never need the regular expressions below.
    if vocabulary & _ASK_WORDS and _FIRST_PERSON_ASK.search(body):
        yield "shape:first-person ask"
    if vocabulary & _WANT_WORDS and _WANTS_ROLE.search(body):
        yield "shape:wants a role filled"
    if "\n" in body:
        yield "shape:multi-line"
        if _NUMBERED.search(body):
            yield "shape:list"
    if digits and _EXPERIENCE.search(body):
        yield "shape:experience range"
        if _ROLE_TITLE.search(body):
            yield "shape:role with experience"
    if (digits or "@" in body) and _CONTACT.search(body):
        yield "shape:contact"
    if ("/" in body or "www" in body) and _URL.search(body):
        yield "shape:link"
    if _QUOTE_CHARS.intersection(body) and _QUOTE_ATTRIBUTION.search(body):
        yield "shape:quotation"
    if forwarded:
        yield "shape:forwarded"
    if is_reply:
        yield "shape:reply"
    if _MENTION_START.search(body):
        yield "shape:addressed"
    if count <= 4:
        yield "shape:very short"
    elif count <= 12:
        yield "shape:short"
    elif count >= 120:
        yield "shape:very long"
    elif count >= 40:
        yield "shape:long"
    if _EMOJI.search(body):
        yield "shape:emoji"
    if vocabulary & _SEEK_WORDS and _JOB_SEEKING.search(body):
        yield "shape:seeks a job"
    if vocabulary & _APPLY_WORDS and _APPLY.search(body):
        yield "shape:invites applications"
    if vocabulary & _INTRO_WORDS and _SELF_INTRO.search(body):
        yield "shape:introduces themselves"


_ENDS_ASKING = re.compile(r"\?[\W_]*$")
_GROUP_WORDS = frozenset(
    {"you", "your", "anyone", "someone", "anybody", "somebody", "others", "any"}
)
_FIRST_PERSON = frozenset({"i", "i'm", "im", "my", "we", "we're", "our", "me", "us", "mera", "hum"})
_OPENING_ASKS = frozenset(
    {
        "how",
        "what",
        "which",
        "can",
        "could",
        "is",
        "are",
        "do",
        "does",
        "any",
        "anyone",
        "anybody",
        "should",
        "where",
        "who",
        "need",
        "looking",
        "pls",
        "please",
        "plz",
        "kindly",
        "suggestions",
        "suggest",
        "request",
        "seeking",
        "koi",
        "kya",
        "kaise",
        "help",
        "wanted",
        "recommend",
    }
)
_SEEK_WORDS = frozenset({"open", "opentowork", "looking", "any", "laid", "lost", "refer", "my"})
_APPLY_WORDS = frozenset({"dm", "share", "send", "interested", "apply", "cv", "cvs"})
_INTRO_WORDS = frozenset({"i'm", "im", "i", "myself", "here"})


def named_cues(
    body: str, words: list[str], *, forwarded: bool, is_reply: bool
) -> dict[str, tuple[float, str]]:
    """Every named cue of a message: its value (phrase families count up to three) and the
    phrase that triggered it ("" for shape cues)."""
    found: dict[str, tuple[float, str]] = {
        name: (float(min(hits, 3)), phrase) for name, (hits, phrase) in lexicon_cues(words).items()
    }
    for name in shape_cues(body, words, forwarded=forwarded, is_reply=is_reply):
        found[name] = (1.0, "")
    return found


def cue_label(name: str, phrase: str) -> str:
    """A cue's name in words, with the phrase that triggered a lexicon family."""
    if name in SHAPES:
        return SHAPES[name]
    label = CUE_LABELS[name][1] if name in CUE_LABELS else name.partition(":")[2]
    return f"{label} ('{phrase}')" if phrase else label


def featurisation() -> dict[str, object]:
    """The constants that give the features their meaning; a model file records them."""
    return {
        "char_sizes": list(CHAR_SIZES),
        "char_word_limit": CHAR_WORD_LIMIT,
        "char_scale": CHAR_SCALE,
        "cues": sorted(set(CUE_LABELS) | set(SHAPES)),
    }


def message_features(
    text: str, *, forwarded: bool = False, is_reply: bool = False
) -> dict[str, float]:
    """The full, normalised feature vector of one message (training's view of it)."""
    body = clean(text)
    if not body:
        return {"shape:empty": 1.0}
    words = tokens(body)
    distinct = list(dict.fromkeys(words))
    pairs = list(dict.fromkeys(bigrams(words)))
    features: dict[str, float] = {}
    word_norm = (len(distinct) + len(pairs)) ** -0.5 if distinct else 0.0
    for word in distinct:
        features[f"w:{word}"] = word_norm
    for pair in pairs:
        features[f"b:{pair}"] = word_norm
    grams: dict[str, int] = {}
    for word in distinct:
        for gram in char_grams(word):
            grams[gram] = grams.get(gram, 0) + 1
    total = sum(grams.values())
    char_norm = CHAR_SCALE * total**-0.5 if total else 0.0
    for gram, count in grams.items():
        features[f"c:{gram}"] = count * char_norm
    for name, (value, _) in named_cues(body, words, forwarded=forwarded, is_reply=is_reply).items():
        features[name] = value
    return features
