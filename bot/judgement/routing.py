"""Who could help with a request: past help on similar topics, declared expertise, peer seniority.

Only what was said before the request counts. A `HelperIndex` is fed turn by turn so a whole
conversation is routed in one pass; `suggest_helpers` builds one over the turns before a request.
"""

from __future__ import annotations

import math
from collections import Counter, OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain import HelperSuggestion, Kind, Level, Turn, TurnFacts
from bot.judgement.reply_text import content_stems
from bot.judgement.topics import role_topics, self_described_topics, topic_of

__all__ = ["HelperIndex", "suggest_helpers", "topic_of"]

RECENT_MEMBERS = 300  # how many recently active members are considered besides proven helpers
MAX_REMEMBERED_STEMS = 400
MIN_SCORE = 0.5
# Experienced members answer more of a community's questions than newcomers do.
_EXPERIENCE_PRIOR = {
    Level.UNKNOWN: 0.0,
    Level.JUNIOR: -0.3,
    Level.MID: 0.6,
    Level.SENIOR: 0.6,
    Level.EXECUTIVE: 0.3,
}


@dataclass
class _Member:
    """What the index knows about one member."""

    answered_by_topic: Counter[str] = field(default_factory=Counter)
    answered_total: int = 0
    answered_stems: set[str] = field(default_factory=set)
    spoke_about: Counter[str] = field(default_factory=Counter)  # topics of their own posts
    role: set[str] = field(default_factory=set)  # topics their stated role or title covers
    last_seen: datetime | None = None


def _pretty(topic: str) -> str:
    return topic.replace("_", " ").replace("hr ", "HR ").replace("posh", "POSH")


@dataclass
class HelperIndex:
    """Members' record of help, built incrementally from a conversation."""

    members: dict[str, _Member] = field(default_factory=dict)
    recent: OrderedDict[str, None] = field(default_factory=OrderedDict)
    helpers_of_topic: dict[str, set[str]] = field(default_factory=dict)
    request_topics: dict[int, str | None] = field(default_factory=dict)

    def add(self, turn: Turn, kind: Kind, facts: TurnFacts, turns: Sequence[Turn]) -> None:
        """Learn from one turn (its facts must already be known)."""
        if turn.system or turn.author is None or turn.is_bot or turn.media or turn.deleted:
            return
        member = self.members.get(turn.author)
        if member is None:
            member = self.members[turn.author] = _Member(role=role_topics(turn.author))
        member.last_seen = turn.sent_at
        self.recent[turn.author] = None
        self.recent.move_to_end(turn.author)
        while len(self.recent) > RECENT_MEMBERS:
            self.recent.popitem(last=False)
        if kind != Kind.JOB_POST:  # a job post describes the role on offer, not its author
            member.role |= self_described_topics(turn.text)
        if kind == Kind.HELP_REQUEST:
            self.request_topics[turn.index] = topic_of(turn.text)
        elif kind == Kind.JOB_POST:
            member.spoke_about.update(("talent_acquisition", "job_search"))
        elif kind in (Kind.GYAAN, Kind.OTHER) and facts.reply_to_index is None:
            topic = topic_of(turn.text)
            if topic:
                member.spoke_about[topic] += 1
        target = facts.reply_to_index
        if target is not None and kind != Kind.HELP_REQUEST:
            self._learn_answer(turn.author, member, target, turns)

    def _learn_answer(
        self, author: str, member: _Member, target: int, turns: Sequence[Turn]
    ) -> None:
        if target not in self.request_topics or turns[target].author == author:
            return
        topic = self.request_topics[target]
        member.answered_total += 1
        if topic:
            member.answered_by_topic[topic] += 1
            self.helpers_of_topic.setdefault(topic, set()).add(author)
        if len(member.answered_stems) < MAX_REMEMBERED_STEMS:
            member.answered_stems |= content_stems(turns[target].text)

    def rank(
        self,
        request: Turn,
        *,
        levels: Mapping[str, Level],
        expertise: Mapping[str, set[str]] | None = None,
        load: Mapping[str, int] | None = None,
        limit: int = 3,
        max_per_week: int = 5,
    ) -> list[HelperSuggestion]:
        """The best `limit` members to ask about `request`, each with a reason."""
        topic = topic_of(request.text)
        stems = content_stems(request.text)
        asker_level = levels.get(request.author or "", Level.UNKNOWN)
        expertise, load = expertise or {}, load or {}
        pool = set(self.recent) | self.helpers_of_topic.get(topic or "", set())
        pool |= {
            name for name, topics in expertise.items() if topic in topics and name in self.members
        }
        ranked: list[HelperSuggestion] = []
        for name in pool - {request.author}:
            if load.get(name, 0) >= max_per_week:
                continue
            score, reasons = self._score(
                name, topic, stems, asker_level, levels, expertise, request
            )
            score -= 0.4 * load.get(name, 0)
            if score >= MIN_SCORE:
                ranked.append(HelperSuggestion(name, round(score, 2), "; ".join(reasons[:2])))
        ranked.sort(key=lambda s: (-s.score, s.name))
        return ranked[:limit]

    def _score(
        self,
        name: str,
        topic: str | None,
        stems: set[str],
        asker_level: Level,
        levels: Mapping[str, Level],
        expertise: Mapping[str, set[str]],
        request: Turn,
    ) -> tuple[float, list[str]]:
        member = self.members.get(name, _Member())
        score, reasons = 0.0, []
        same = member.answered_by_topic[topic] if topic else 0
        if same:
            score += 2.5 + 1.0 * min(same, 4)
            reasons.append(f"answered {same} {_pretty(topic or '')} question{'s' * (same > 1)}")
        shared = stems & member.answered_stems
        if len(shared) >= 2:
            score += 0.5 * min(len(shared), 6)
            if not same:
                reasons.append("answered similar questions (" + ", ".join(sorted(shared)[:3]) + ")")
        if topic and topic in expertise.get(name, set()):
            score += 3.0
            reasons.append(f"declared expertise: {_pretty(topic)}")
        if topic and topic in member.role:
            score += 1.5
            reasons.append(f"works in {_pretty(topic)}")
        if topic and member.spoke_about[topic]:
            score += 0.5 + 0.2 * min(member.spoke_about[topic], 5)
            reasons.append(f"posts about {_pretty(topic)}")
        if member.answered_total:
            score += 1.0 * math.log1p(member.answered_total)
            if not reasons:
                reasons.append(f"helped {member.answered_total} member(s) before")
        score += self._seniority(name, asker_level, levels, reasons)
        score += _EXPERIENCE_PRIOR[levels.get(name, Level.UNKNOWN)]
        if member.last_seen and request.sent_at - member.last_seen > timedelta(days=30):
            score -= 1.0
        return score, reasons

    @staticmethod
    def _seniority(
        name: str, asker: Level, levels: Mapping[str, Level], reasons: list[str]
    ) -> float:
        level = levels.get(name, Level.UNKNOWN)
        if asker.rank < Level.SENIOR.rank or level == Level.UNKNOWN:
            return 0.0
        if level.rank >= asker.rank:
            reasons.insert(0, f"peer: {level.value}")
            return 1.5
        return -1.0 if level.rank < asker.rank - 1 else 0.0


def suggest_helpers(
    request: int,
    turns: Sequence[Turn],
    kinds: Sequence[Kind],
    facts: Sequence[TurnFacts],
    *,
    levels: Mapping[str, Level],
    expertise: Mapping[str, set[str]] | None = None,
    load: Mapping[str, int] | None = None,
    limit: int = 3,
    max_per_week: int = 5,
) -> list[HelperSuggestion]:
    """Rank members who could answer turn `request`, from what was said before it."""
    if not 0 <= request < len(turns):
        raise IndexError(f"request {request} is outside the conversation of {len(turns)} turns")
    index = HelperIndex()
    for i in range(request):
        index.add(turns[i], kinds[i], facts[i], turns)
    return index.rank(
        turns[request],
        levels=levels,
        expertise=expertise,
        load=load,
        limit=limit,
        max_per_week=max_per_week,
    )
