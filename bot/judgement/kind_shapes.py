"""Shape cues: evidence from how a message is written rather than its words.

The rules are written once, in `shape_flags`, against `Facts` about a message. `MessageFacts`
answers for one message (training and bot.judgement.kind_features use it); the batch scorer
(bot.judgement.kind_text) answers the same questions for many messages at once with arrays,
so one rule set serves both and they cannot drift apart.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

# `\d(?<!\w\d)\d?` is `\b\d{1,2}` (one or two digits not after a letter or digit) written
# to start with the digit, so that `re` can skip ahead to digits instead of trying everywhere.
EXPERIENCE = re.compile(
    r"\d(?<!\w\d)\d?\s*(?:\+|-|–|to)\s*(?:\d{1,2}\s*)?(?:yrs?|years?)\b|"
    r"\d(?<!\w\d)\d?\s*\+?\s*(?:yrs?|years?)\s*(?:of\s*)?(?:exp|experience)",
    re.I,
)
# Contact details: an e-mail address or a phone number. Only whether it occurs matters, so it is
# written to start with a character every occurrence holds (`re` skips ahead to those): an "@"
# after a word character, or after one and a run of . + - (an address \b[\w.+-]+@ needs a word
# character in the run before its "@"); ten digits not after a word character; "+" and twelve.
# tests/judgement/test_pattern_forms.py checks it against the plain form
# \b[\w.+-]+@[\w-]+\.[\w.]+\b|\b\d{5}\s?\d{5}\b|\+\d{2}\s?\d{5}\s?\d{5}.
CONTACT = re.compile(
    r"[@.+\-\d](?:(?<=\w@)[\w-]+\.[\w.]+\b|(?<=\w[.+-])[.+-]*@[\w-]+\.[\w.]+\b|"
    r"(?<=\d)(?<!\w\d)\d{4}\s?\d{5}\b|(?<=\+)\d{2}\s?\d{5}\s?\d{5})"
)
URL = re.compile(r"https?://|www\.|\b[a-z0-9-]+\.(?:com|org|net|in|io|example)/", re.I)
QUOTE_ATTRIBUTION = re.compile(r"[\"“”'‘’]\s*[-–—~]\s*[A-Z][\w.]+|^\s*[\"“][^\"”]{15,}[\"”]", re.M)
RHETORICAL = re.compile(
    r"^\s*(?:why (?:do|does|are|is|don't|can't) (?:we|hr|companies|leaders|managers|people|most)|"
    r"isn't it|aren't we|how many of us|ever wondered|have you ever noticed|what if we|"
    r"do we really|are we really|is it just me|what'?s the point|what is the point|"
    r"is [\"'‘“]?[\w ]{3,30}[\"'’”]? (?:just|really|simply) a|kabhi socha)",
    re.I,
)
FIRST_PERSON_ASK = re.compile(
    r"\b(?:i|we) (?:need|want|am looking|are looking|am searching|are searching|am trying|"
    r"are trying|would like|wanted)\b",
    re.I,
)
MENTION_START = re.compile(r"^\s*@\S+|^\s*(?:hi|hey|dear)?\s*[A-Z][a-z]+\s*[,:–-]\s", re.U)
ABOUT_A_POST = re.compile(
    r"\b(?:this|the|that|it)\s+(?:role|position|opening|job|post|jd|one)\b|\bis (?:it|this) "
    r"(?:remote|wfh|hybrid|open|still|for|in|a|paid|contract|permanent)\b|\bbudget\b|"
    r"\blocation\b|\b(?:is|was) (?:this|it)\s*\?|\bctc\b|\bsalary\b|\bnotice\b|\bwfh\b|\bremote\b",
    re.I,
)
ROLE_TITLE = re.compile(
    r"\b(?:recruiter|hrbp|executive|manager|specialist|coordinator|generalist|intern|head|lead|"
    r"associate|analyst|officer|partner|director|vp|chro|trainee|assistant|consultant|admin)s?\b",
    re.I,
)
WANTS_ROLE = re.compile(
    r"\b(?:looking for|need|needs|required|requirement of|want)\s+(?:an?\s+|\d+\s+)?"
    r"(?:[\w&.-]+\s+){0,3}"
    r"(?:intern|interns|recruiters?|executives?|managers?|specialists?|coordinators?|generalists?|"
    r"hrbps?|leads?|associates?|analysts?|officers?|trainees?|freshers)\b"
    r"(?!\s+(?:search|coach|coaching|agenc|firm|vendor|trainer|consultant|partner))",
    re.I,
)
NUMBERED = re.compile(r"(?:^|\n)\s*(?:1[.)]|[•*-])[^\n]+\n\s*(?:2[.)]|[•*-])[^\n]+\n")
SELF_INTRO = re.compile(
    r"\b(?:i'?m|i am|myself|[A-Z][a-z]+ here)\s*[,–-]?\s*(?:an?\s+)?[\w .&()/-]{0,40}?"
    r"\b(?:at|with|in|from)\b",
    re.I,
)
JOB_SEEKING = re.compile(
    r"open to work|opentowork|looking for (?:a |an )?(?:job|new role|role|opportunit|internship)|"
    r"any openings?\b|laid off|lost my job|refer me\b|"
    r"my (?:friend|cousin|brother|sister|colleague)\b(?!'s)",
    re.I,
)
APPLY = re.compile(
    r"dm (?:me )?(?:your )?cv|share (?:your )?cv|send (?:your )?(?:cv|resume)|"
    r"interested candidates|a(?<!\wa)pply\b|cvs? to\b",  # \bapply\b, letter first: see EXPERIENCE
    re.I,
)
ENDS_ASKING = re.compile(r"\?[\W_]*$")
_DIGIT = re.compile(r"\d")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
QUOTE_CHARS = "\"“”'‘’"

GROUP_WORDS = frozenset(
    {"you", "your", "anyone", "someone", "anybody", "somebody", "others", "any"}
)
FIRST_PERSON = frozenset({"i", "i'm", "im", "my", "we", "we're", "our", "me", "us", "mera", "hum"})
OPENING_ASKS = frozenset(
    {
        "how", "what", "which", "can", "could", "is", "are", "do", "does", "any", "anyone",
        "anybody", "should", "where", "who", "need", "looking", "pls", "please", "plz", "kindly",
        "suggestions", "suggest", "request", "seeking", "koi", "kya", "kaise", "help", "wanted",
        "recommend",
    }
)  # fmt: skip
ASK_WORDS = frozenset({"need", "want", "looking", "searching", "trying", "like", "wanted"})
WANT_WORDS = frozenset({"looking", "need", "needs", "required", "requirement", "want"})
SEEK_WORDS = frozenset({"open", "opentowork", "looking", "any", "laid", "lost", "refer", "my"})
APPLY_WORDS = frozenset({"dm", "share", "send", "interested", "apply", "cv", "cvs"})
INTRO_WORDS = frozenset({"i'm", "im", "i", "myself", "here"})
# The words RHETORICAL can start with (the batch scorer asks the first word before the pattern).
RHETORICAL_OPENINGS = frozenset(
    {"why", "isn't", "aren't", "how", "ever", "have", "what", "what's", "whats", "do", "are", "is",
     "kabhi"}
)  # fmt: skip
# Every word set a rule asks about (the batch scorer gives each one a bit).
WORD_SETS = (
    GROUP_WORDS, FIRST_PERSON, OPENING_ASKS, ASK_WORDS, WANT_WORDS, SEEK_WORDS, APPLY_WORDS,
    INTRO_WORDS, RHETORICAL_OPENINGS,
)  # fmt: skip

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


class Facts(Protocol):
    """What the rules ask about a message: bools for one message, bool arrays for a batch.

    Rules combine answers with `&` and `|` and compare `count`, never `not` or `~`, so both
    kinds of answer work unchanged.
    """

    question: Any  # "?" in the text
    newline: Any
    digits: Any  # any decimal digit, in any script (as `\\d` means)
    emoji: Any
    forwarded: Any
    is_reply: Any
    count: Any  # number of words

    def has(self, words: frozenset[str]) -> Any:
        """Whether any of `words` (one of WORD_SETS) is among the message's words."""

    def opens_with(self, words: frozenset[str]) -> Any:
        """Whether the first word is one of `words`."""

    def contains(self, chars: str) -> Any:
        """Whether any of these characters occurs in the text."""

    def contains_text(self, text: str) -> Any:
        """Whether this exact (case-sensitive) text occurs."""

    def search(self, pattern: re.Pattern[str], where: Any) -> Any:
        """Whether `pattern` occurs, asked only where `where` holds (False elsewhere)."""


def shape_flags(f: Facts) -> dict[str, Any]:
    """Each shape cue's answer, in the order cues are listed (and summed)."""
    q, count = f.question, f.count
    short = count <= 12
    experience = f.search(EXPERIENCE, f.digits)
    return {
        "shape:question": q,
        "shape:short question": q & short,
        "shape:question about a post": f.search(ABOUT_A_POST, q & short),
        "shape:question in a few lines": q & (count > 12) & (count <= 40),
        "shape:question in a long post": q & (count > 40),
        "shape:rhetorical": f.search(RHETORICAL, q),
        "shape:ends with a question": f.search(ENDS_ASKING, q),
        "shape:asks the group": q & f.has(GROUP_WORDS),
        "shape:opens with an ask": f.opens_with(OPENING_ASKS),
        "shape:first person": f.has(FIRST_PERSON),
        # Cheap word checks first: most messages never need the regular expressions.
        "shape:first-person ask": f.search(FIRST_PERSON_ASK, f.has(ASK_WORDS)),
        "shape:wants a role filled": f.search(WANTS_ROLE, f.has(WANT_WORDS)),
        "shape:multi-line": f.newline,
        "shape:list": f.search(NUMBERED, f.newline),
        "shape:experience range": experience,
        "shape:role with experience": f.search(ROLE_TITLE, experience),
        "shape:contact": f.search(CONTACT, f.digits | f.contains("@")),
        "shape:link": f.search(URL, f.contains("/") | f.contains_text("www")),
        "shape:quotation": f.search(QUOTE_ATTRIBUTION, f.contains(QUOTE_CHARS)),
        "shape:forwarded": f.forwarded,
        "shape:reply": f.is_reply,
        "shape:addressed": f.search(MENTION_START, True),
        "shape:very short": count <= 4,
        "shape:short": (count > 4) & short,
        "shape:very long": count >= 120,
        "shape:long": (count >= 40) & (count < 120),
        "shape:emoji": f.emoji,
        "shape:seeks a job": f.search(JOB_SEEKING, f.has(SEEK_WORDS)),
        "shape:invites applications": f.search(APPLY, f.has(APPLY_WORDS)),
        "shape:introduces themselves": f.search(SELF_INTRO, f.has(INTRO_WORDS)),
    }


class MessageFacts:
    """The facts of one cleaned message and its words."""

    def __init__(self, body: str, words: list[str], *, forwarded: bool, is_reply: bool) -> None:
        self.body, self.vocabulary = body, set(words)
        self.first = words[0] if words else None
        self.question, self.newline = "?" in body, "\n" in body
        self.digits = _DIGIT.search(body) is not None
        self.emoji = _EMOJI.search(body) is not None
        self.forwarded, self.is_reply, self.count = forwarded, is_reply, len(words)

    def has(self, words: frozenset[str]) -> bool:
        """Whether any of `words` is among the message's words."""
        return not words.isdisjoint(self.vocabulary)

    def opens_with(self, words: frozenset[str]) -> bool:
        """Whether the first word is one of `words`."""
        return self.first in words

    def contains(self, chars: str) -> bool:
        """Whether any of these characters occurs in the text."""
        return any(c in self.body for c in chars)

    def contains_text(self, text: str) -> bool:
        """Whether this exact text occurs."""
        return text in self.body

    def search(self, pattern: re.Pattern[str], where: bool) -> bool:
        """Whether `pattern` occurs, asked only where `where` holds."""
        return bool(where) and pattern.search(self.body) is not None


# The shape cues' names, in the rules' order.
SHAPE_RULES = tuple(shape_flags(MessageFacts("", [], forwarded=False, is_reply=False)))
