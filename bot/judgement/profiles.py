"""What each member is known for, from everything they wrote: a profile per member.

A profile gathers a member's stated role (display name, title, introductions, sign-offs), the
topics they answered (with the latest date), wrote about and asked about, and the words they use,
so routing can rank helpers by topical fit and explain each suggestion in a sentence.
Profiles are fed turn by turn and only ever know what was said before the turn being routed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain import Kind, Turn, TurnFacts
from bot.judgement.names import display_name
from bot.judgement.reply_text import content_stems
from bot.judgement.topics import (
    introductions,
    role_topics,
    self_described_topics,
    self_description,
    topic_of,
    topic_scores,
)

MAX_WORDS = 600  # distinct words remembered per member
# How long a member's own request keeps them counted as asking: each fades by e every day, so
# `asking` is "their requests of about the last day" without keeping any timestamp but the latest.
ASKING_FADE = timedelta(days=1)
_PHONE_ONLY = re.compile(r"^\+?[\d\s()-]{8,}$")


@dataclass(frozen=True, slots=True)
class MessagePointer:
    """Where to find one of a member's messages in an export."""

    index: int
    sent_at: datetime
    excerpt: str


@dataclass
class MemberProfile:
    """What the community has seen of one member."""

    name: str
    answered: Counter[str] = field(default_factory=Counter)  # topic -> requests answered
    answered_last: dict[str, datetime] = field(default_factory=dict)
    answered_total: int = 0  # requests answered
    helped: set[str] = field(default_factory=set)  # the askers answered (a person counts once)
    wrote_about: Counter[str] = field(default_factory=Counter)  # unprompted posts per topic
    asked_about: Counter[str] = field(default_factory=Counter)
    openings: int = 0  # job posts: who hires can point a seeker to openings
    role: set[str] = field(default_factory=set)  # topics their stated role covers
    introduced_as: str | None = None
    words: Counter[str] = field(default_factory=Counter)
    answer_words: Counter[str] = field(default_factory=Counter)  # of the asks they answered
    last_seen: datetime | None = None
    pointer: MessagePointer | None = None
    messages: int = 0
    asked_total: int = 0  # their own help requests
    first_answers: int = 0  # requests they were the first to answer
    said_words: Counter[str] = field(default_factory=Counter)  # outside their own requests
    said_count: int = 0  # sum of `said_words`, kept so routing never adds them up
    word_count: int = 0  # sum of `words`
    topic_evidence: Counter[str] = field(default_factory=Counter)  # outside their own requests
    asking: float = 0.0  # their own requests, each fading by ASKING_FADE, as of `asked_last`
    asked_last: datetime | None = None  # when they last asked for help

    def asking_at(self, when: datetime) -> float:
        """How much they were asking for help themselves at `when`: about how many requests
        they wrote in the last day, the older ones counting less (one number, updated at each
        of their requests)."""
        if self.asked_last is None:
            return 0.0
        return self.asking * math.exp(-max(when - self.asked_last, timedelta(0)) / ASKING_FADE)

    @property
    def phone_only(self) -> bool:
        """Known only by a phone number (an export author not in the exporter's contacts)."""
        return bool(_PHONE_ONLY.match(self.name))


@dataclass
class ProfileBook:
    """Every member's profile, plus how many members use each word (for word weights)."""

    members: dict[str, MemberProfile] = field(default_factory=dict)
    word_members: Counter[str] = field(default_factory=Counter)
    request_topics: dict[int, str | None] = field(default_factory=dict)
    first_answered: set[int] = field(default_factory=set)  # requests with an answer so far
    answers: set[tuple[str, int]] = field(default_factory=set)  # (member, request) answered
    word_tokens: int = 0  # all members' `words` counts, for the average length of a profile
    said_tokens: int = 0
    speakers: int = 0  # members with `said_words`

    def profile(self, author: str) -> MemberProfile:
        """The member's profile, created from their display name on first sight."""
        name = display_name(author)
        found = self.members.get(name)
        if found is None:
            found = self.members[name] = MemberProfile(name, role=role_topics(name))
            if found.role:
                found.introduced_as = _title_in_name(name)
        return found

    def add(self, turn: Turn, kind: Kind, facts: TurnFacts, turns: Sequence[Turn]) -> None:
        """Learn from one turn whose facts (reply links) are already known."""
        if turn.system or turn.author is None or turn.is_bot or turn.media or turn.deleted:
            return
        member = self.profile(turn.author)
        member.last_seen = turn.sent_at
        member.messages += 1
        if member.pointer is None or len(turn.text) > len(member.pointer.excerpt):
            member.pointer = MessagePointer(turn.index, turn.sent_at, _excerpt(turn.text))
        if kind != Kind.JOB_POST:  # a job post describes the role on offer, not its author
            self._learn_role(member, turn.text)
            self._learn_introductions(member.name, turn.text)
            self._learn_words(member, content_stems(turn.text))
        topic = topic_of(turn.text)
        if kind == Kind.HELP_REQUEST and facts.refers_to_index is None:
            self.request_topics[turn.index] = topic
            member.asked_total += 1
            member.asking = member.asking_at(turn.sent_at) + 1
            member.asked_last = turn.sent_at
            if topic:
                member.asked_about[topic] += 1
        elif kind == Kind.GYAAN and topic:
            member.wrote_about[topic] += 1
        elif kind == Kind.JOB_POST:
            member.openings += 1
        if kind != Kind.HELP_REQUEST:  # what they know shows outside their own questions
            member.topic_evidence.update(topic_scores(turn.text))
            if kind != Kind.JOB_POST:
                self._learn_said(member, content_stems(turn.text))
        target = facts.reply_to_index
        if target is not None and kind != Kind.HELP_REQUEST:
            self._learn_answer(member, target, turn, turns)

    @staticmethod
    def _learn_role(member: MemberProfile, text: str) -> None:
        stated = self_described_topics(text)
        if stated:
            member.role |= stated
            member.introduced_as = self_description(text) or member.introduced_as

    def _learn_introductions(self, writer: str, text: str) -> None:
        for first, role in introductions(text):
            people = [m for n, m in self.members.items() if n != writer and _first(n) == first] or [
                self.profile(n) for n in _mentioned_names(text) if _first(n) == first
            ]
            if len(people) == 1:
                people[0].role |= role_topics(role)
                people[0].introduced_as = role

    def _learn_words(self, member: MemberProfile, stems: set[str]) -> None:
        for stem in stems:
            if stem not in member.words:
                if len(member.words) >= MAX_WORDS:
                    continue
                self.word_members[stem] += 1
            member.words[stem] += 1
            member.word_count += 1
            self.word_tokens += 1

    def _learn_said(self, member: MemberProfile, stems: set[str]) -> None:
        if stems and not member.said_words:
            self.speakers += 1
        for stem in stems:
            if stem in member.said_words or len(member.said_words) < MAX_WORDS:
                member.said_words[stem] += 1
                member.said_count += 1
                self.said_tokens += 1

    def _learn_answer(
        self, member: MemberProfile, target: int, turn: Turn, turns: Sequence[Turn]
    ) -> None:
        asker = turns[target].author
        if target not in self.request_topics or asker is None:
            return
        if display_name(asker) == member.name:
            return
        if target not in self.first_answered:
            self.first_answered.add(target)
            member.first_answers += 1
        member.helped.add(display_name(asker))
        topic = self.request_topics[target]
        if (member.name, target) not in self.answers:  # two replies to one request: one answer
            self.answers.add((member.name, target))
            member.answered_total += 1
            if topic:
                member.answered[topic] += 1
        if topic:
            member.answered_last[topic] = turn.sent_at
        asked = content_stems(turns[target].text)
        self._learn_words(member, asked)
        if len(member.answer_words) < MAX_WORDS:
            member.answer_words.update(asked | content_stems(turn.text))

    def word_weight(self, stem: str) -> float:
        """How telling a word is of one member: rare across members weighs more."""
        return math.log((len(self.members) + 5) / (self.word_members[stem] + 1))


def _title_in_name(name: str) -> str | None:
    """The title a display name carries ("Ritu Malhotra POSH Trainer" -> "POSH Trainer",
    "Adv Rakesh Tyagi" -> "Adv"): after the first and last name, or a title before them."""
    words = name.split()
    after = " ".join(words[2:] if len(words) > 2 else words[1:])
    if after and role_topics(after):
        return after
    return words[0] if words and role_topics(words[0]) else None


def _excerpt(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"


_MENTIONED = re.compile(r"@([A-Z][\w'’]+(?:\s+[A-Z][\w'’]+){0,2})")


def _mentioned_names(text: str) -> list[str]:
    return _MENTIONED.findall(text)


def _first(name: str) -> str:
    words = name.split()
    return words[0].lower() if words else ""
