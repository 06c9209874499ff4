"""What one chat message says about whom it answers: the cues answer linking reads.

Kept apart from the linking pass so the pass reads as decisions and this file as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from bot.domain import Kind, Turn
from bot.judgement.asker_news import is_resolution
from bot.judgement.chit_chat import is_chit_chat_question
from bot.judgement.names import NameDirectory, name_words
from bot.judgement.reply_text import (
    asks_for_itself,
    clean,
    content_stems,
    has_question,
    is_pitch,
    is_substantive,
    sounds_like_advice,
    stem,
)

THANKS = re.compile(r"\b(?:thanks?|thank you|thnx|thx|ty|shukriya|dhanyavad|grateful)\b", re.I)
RE_PHRASE = re.compile(r"^\W*(?:re\b|re:|regarding\b|on the\b|about the\b|for the\b)", re.I)
_JOB_DETAIL = re.compile(
    r"\b(?:remote|wfo|wfh|hybrid|onsite|on-site|office|budget|ctc|salary|package|lpa|relocation|"
    r"location|notice|immediate|joiner|shift|contract|permanent|still open|open\?|apply|jd|"
    r"experience|exp|freshers?|stipend|bond|rotational|opening|position|role|vacancy|"
    r"open (?:for|to)|joining|relocat\w*|interns?|eligible|timings?|kitna|kahan)\b",
    re.I,
)
# An announcement ("📢 HR Meet – Sat 23 Jan …", "Save the date: …", "Sad news: …") is news for
# everyone: it speaks to the whole group and answers nobody, whatever words it shares.
_ANNOUNCEMENT = (
    r"^\s*(?:📢|📣)|^\W*(?:announcement|save the date|event alert|sad news|dukhad samachar)\b"
)
_ANNOUNCES = re.compile(_ANNOUNCEMENT, re.I)
BROADCAST = re.compile(
    _ANNOUNCEMENT + r"|"
    # A word to a whole class of members ("UAE employers: from next month …", "Corporate
    # trainers and L&D teams: …") or to everyone ("A thought for everyone here – …").
    r"^\W*(?:[\w&/.-]+\s+){0,5}(?:employers|teams|folks|leaders|founders|recruiters|members|"
    r"colleagues|professionals|trainers)\s*:|"
    r"^\W*(?:\w+ ){0,2}(?:thought|reminder|note|tip|message|update)s? for (?:everyone|all)\b|"
    r"^\W*(?:(?:hi|hello|hey|dear|good (?:morning|evening|afternoon|night))\s+"
    r"(?:all|everyone|friends|members|folks|team|group|seniors)\b|"
    r"welcome\b|happy\b|congrat|admin note|reminder\b|friends\b|"
    r"(?:eid|diwali|holi|onam|pongal|navratri|dussehra|christmas) (?:mubarak|greetings|wishes)|"
    r"jai\b)",
    re.I,
)
# Openings of a considered reaction to a post ("Respectfully disagree – …", "Adding to this, …").
REACTION = re.compile(
    r"^\W*(?:respectfully |strongly |partly |partially |totally |completely )?(?:disagree|agree|"
    r"i (?:dis)?agree|not sure i agree|couldn't agree|can't agree|true,? but|exactly|well said|"
    r"adding to (?:this|that)|to add|i'd add|i would add|counterpoint|on the contrary|"
    r"interesting,? but|in my experience|we tried this|we did this|we moved|we've moved|"
    r"this is so true|so true)",
    re.I,
)
# Someone calling others in on a request that is not theirs ("Tagging a few seniors – any leads?").
AMPLIFY = re.compile(
    r"\b(?:tagging|looping in|paging|adding|cc)\b|\b(?:can|could) (?:someone|anyone) "
    r"(?:help|guide|support) (?:her|him|them)\b|\bfor (?:her|him|my (?:friend|colleague|junior))\b|"
    r"\b(?:same|similar) (?:query|question|requirement|need|here)\b|\bme too\b|\bneed the same\b|"
    r"\b(?:share|send) (?:it )?(?:with|to) me (?:also|too)\b|\bwith me also\b",
    re.I,
)


_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_NAIVE = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)


def micros(moment: datetime) -> int:
    """Microseconds since the epoch: differences of these are exactly those of the datetimes
    (`timedelta.total_seconds()` divides the same whole microseconds), at integer speed."""
    epoch = _EPOCH_NAIVE if moment.tzinfo is None else _EPOCH_UTC
    return (moment - epoch) // _MICROSECOND


@dataclass(slots=True)
class Item:
    """A message that later messages may reply to."""

    index: int
    author: str
    kind: Kind
    at: datetime
    stems: frozenset[str]
    answerers: set[str] = field(default_factory=set)
    target_author: str | None = None  # for replies: whom this reply was addressed to
    asks: bool = False  # the message asks something
    thread_stems: set[str] = field(default_factory=set)  # words its answers brought in
    resolved: bool = False  # a request its asker closed
    us: int = field(init=False)  # `at` in microseconds, for scoring many candidates fast

    def __post_init__(self) -> None:
        self.us = micros(self.at)


@dataclass(slots=True)
class Cues:
    """What one message says about whom it addresses.

    Read-only once made: the sets and text tests below are worked out once per message because
    every candidate target is scored against them.
    """

    author: str
    text: str
    at: datetime
    stems: frozenset[str]
    mentions: set[str]
    addressed: set[str]
    named: set[str]
    substantive: bool
    advice: bool
    spoken_to: set[str] = field(init=False)  # members the message @mentions or opens with
    people: set[str] = field(init=False)  # every member the message names in any way
    re_phrase: bool = field(init=False)  # opens "Re the …", "Regarding …"
    broadcast: bool = field(init=False)  # speaks to the whole group ("Hi all", "Welcome")
    question: bool = field(init=False)  # has_question(text)
    us: int = field(init=False)  # `at` in microseconds
    # Text tests most messages never need, worked out on first use (None: not yet).
    _resolution: bool | None = field(init=False, default=None, repr=False, compare=False)
    _asks_job: bool | None = field(init=False, default=None, repr=False, compare=False)
    _amplifies: bool | None = field(init=False, default=None, repr=False, compare=False)
    _thanks: bool | None = field(init=False, default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.spoken_to = self.mentions | self.addressed
        self.people = self.spoken_to | self.named
        self.re_phrase, self.broadcast, self.question = _openings(self.text)
        self.us = micros(self.at)

    def resolution(self) -> bool:
        """is_resolution(text), read once."""
        if self._resolution is None:
            self._resolution = is_resolution(self.text)
        return self._resolution

    def thanks(self) -> bool:
        """Words of thanks (THANKS), read once."""
        if self._thanks is None:
            self._thanks = bool(THANKS.search(self.text))
        return self._thanks

    def amplifying(self) -> bool:
        """Words calling others in on a request (AMPLIFY), read once."""
        if self._amplifies is None:
            self._amplifies = bool(AMPLIFY.search(self.text))
        return self._amplifies

    def asks_job(self) -> bool:
        """A short question about a role's terms ("Is this remote?", "What's the budget?")."""
        if self._asks_job is None:
            self._asks_job = (
                self.question and len(self.text) < 160 and bool(_JOB_DETAIL.search(self.text))
            )
        return self._asks_job


@lru_cache(maxsize=16384)
def _openings(text: str) -> tuple[bool, bool, bool]:
    """Whether the text opens "Re the …", opens to the whole group, and asks something."""
    return bool(RE_PHRASE.match(text)), bool(BROADCAST.match(text)), has_question(text)


class CueBook:
    """Each turn's cues, read once for a conversation however often its answers are inferred.

    A turn's cues depend only on the turns up to it (the names known by then), never on kinds,
    so a second pass after kinds are settled reuses the first pass's reading.
    """

    def __init__(self) -> None:
        self.by_index: dict[int, Cues] = {}
        # A pass's state kept part-way for the next pass (`answer_resume.KeptState`).
        self.kept: object | None = None


# A question points at the post it follows by "this"/"it", or by speaking to its poster ("do you
# consider freshers?", "Ma'am is MBA allowed?"); a new request asks the group instead.
_POINTS_AT_POST = re.compile(
    r"\b(?:this|that|it|the (?:role|position|opening|jd|post|job)|you|your|u|ur|aap)\b|"
    r"^\W*(?:sir|ma'?am|madam|mam|bro|bhai|di|didi)\b",
    re.I,
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|u|ur|aap|aapka|aapki)\b", re.I)


def only_asks_about_job(cues: Cues) -> bool:
    """A question about a post's terms and nothing else: short, and about "this" or very short."""
    return (
        cues.asks_job()
        and len(cues.text) < 100
        and (len(cues.text) < 50 or bool(_POINTS_AT_POST.search(cues.text)))
    )


# A question put to the whole group ("Anyone attending the ISTD conference?", "Any updates on
# the next meet?") is not about the post above it, however close it follows.
_ASKS_THE_GROUP = re.compile(
    r"\b(?:any ?one|anybody|every ?one|everybody|koi|who all|any updates?)\b", re.I
)


def questions_a_post(cues: Cues) -> bool:
    """A short question that asks nothing for its writer nor of the whole group ("Is
    accommodation provided for outstation candidates?", "is there a PPO possibility after 6
    months?")."""
    text = cues.text
    return (
        cues.question
        and len(text) < 100
        and not asks_for_itself(text)
        and not _ASKS_THE_GROUP.search(text)
    )


# "Sir maybe try the NAPS portal …", "Sorry brother, was buried in payroll. …": one person is
# spoken to, as members speak to someone known only by a number; "Sir/Madam" greets everyone.
_TO_ONE_PERSON = re.compile(
    r"^\W*(?:(?:sorry|hi|hello|hey|thanks|thank you)\W+)?"
    r"(?:sir|ma'?am|madam|mam|brother|bro|bhai|bhaiya|didi|dada)\b(?!\s*(?:/|or\b|&|and\b))",
    re.I,
)


# Openings that carry on a conversation: nobody shares unprompted knowledge starting so
# ("Also track drop-outs by source …", "Both Neeraj. Part A from TRACES …", "Not really, PT and
# LWF are standard …").
_IN_REPLY = re.compile(
    r"^\W*(?:also|agree[ds]?|yes|yeah|yep|haan|no|nope|not really|not (?:a must|now|mandatory|"
    r"necessarily|needed)|both|then|same (?:here|experience|with us)|exactly|correct|"
    r"(?:it )?depends)\b",
    re.I,
)


def speaks_to_one_person(cues: Cues) -> bool:
    """Whether the message opens by speaking to one person by a title, not by name."""
    return bool(_TO_ONE_PERSON.match(cues.text))


def opens_in_reply(cues: Cues) -> bool:
    """Whether the message opens as a turn in a conversation ("Also …", "Agree …", "Both …")."""
    return bool(_IN_REPLY.match(cues.text))


_TAGS_IN = re.compile(r"\b(?:tagging|looping in|loop(?:ing)? in)\b", re.I)
_FORWARDED = re.compile(r"^\W*(?:fwd|forwarded)\b", re.I)


def calls_in(text: str) -> bool:
    """The writer calls other members in ("Tagging @Farah – you had openings na?")."""
    return bool(_TAGS_IN.search(text))


# An event promoted to all ("Free webinar … Register here: …", "Reminder – webinar in 30 mins").
_EVENT = re.compile(r"\b(?:webinar|workshop|masterclass|conclave|summit|meet-?up)s?\b", re.I)
_SIGN_UP = re.compile(
    r"\b(?:register|registration|rsvp|sign up|seats? (?:are )?limited|reminder|joining link|"
    r"starts? (?:in|at))\b",
    re.I,
)


def is_forward_or_pitch(text: str) -> bool:
    """A forwarded post ("*Forwarded* …"), an unsolicited pitch or an event's promotion: written
    for no one here."""
    return (
        bool(_FORWARDED.match(text))
        or is_pitch(text)
        or (bool(_EVENT.search(text)) and bool(_SIGN_UP.search(text)))
    )


def speaks_to_reader(cues: Cues) -> bool:
    """Whether the message talks to a "you" (an offer to one person rather than an ad)."""
    return bool(_SECOND_PERSON.search(cues.text))


def read_cues(turn: Turn, author: str, names: NameDirectory) -> Cues:
    """What a turn by `author` says about whom it answers, with the names known so far."""
    text = clean(turn.text)
    mentions = names.mentioned(text) - {author}
    addressed = names.addressed(text) - {author}
    named = names.named(text) - {author}
    return Cues(
        author=author,
        text=text,
        at=turn.sent_at,
        stems=content_without_names(text, mentions | addressed | named | {author}),
        mentions=mentions,
        addressed=addressed,
        named=named,
        substantive=carries_substance(text),
        advice=sounds_like_advice(text),
    )


@lru_cache(maxsize=16384)
def carries_substance(text: str) -> bool:
    """is_substantive, except that a chit-chat question ("Kisi ne naya litti-chokha wala try
    kiya? 😋") or an announcement answers nobody, whatever it says."""
    return is_substantive(text) and not is_chit_chat_question(text) and not _ANNOUNCES.search(text)


def content_without_names(text: str, people: set[str]) -> frozenset[str]:
    """The message's content words, without the names of the people it speaks to or of."""
    stems = content_stems(text)
    if people and stems:
        stems -= set().union(*map(_name_stems, people))
    return frozenset(stems)


@lru_cache(maxsize=8192)
def _name_stems(name: str) -> frozenset[str]:
    return frozenset(stem(word) for word in name_words({name}))
