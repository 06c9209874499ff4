"""Who could help with a request: topical fit first, then peer seniority and past helpfulness.

`rank_helpers` is the one pure entry point: it reads the turns before a request and ranks members
by their profile (bot.judgement.profiles). `HelperIndex` does the same incrementally, so a whole
conversation is routed in one pass. The asker is never suggested; members already suggested
`max_per_week` times are left out (load cap). Reasons are sentences an admin can read.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from bot.domain import HelperSuggestion, Kind, Level, Turn, TurnFacts
from bot.judgement.names import display_name, membership_change
from bot.judgement.profiles import MemberProfile, ProfileBook
from bot.judgement.reply_text import content_stems
from bot.judgement.topics import topic_label, topic_of
from bot.privacy.phones import mask_phone

__all__ = ["HelperIndex", "rank_helpers", "shown_name", "suggest_helpers", "topic_of"]

RECENT_MEMBERS = 300  # recently active members considered besides those known for the topic
MIN_SCORE = 0.5
LOAD_PENALTY = 0.4
# Experienced members answer more of a community's questions than newcomers do.
_EXPERIENCE_PRIOR = {
    Level.UNKNOWN: 0.0,
    Level.JUNIOR: -0.3,
    Level.MID: 0.5,
    Level.SENIOR: 0.5,
    Level.EXECUTIVE: 0.3,
}


def shown_name(name: str) -> str:
    """How a member is shown to an admin: a phone-only member's number masked."""
    profile = MemberProfile(name)
    return mask_phone(name) if profile.phone_only else name


@dataclass
class _Candidate:
    """One member's score for one request, with the sentences that explain it."""

    score: float = 0.0
    reasons: list[tuple[float, str]] = field(default_factory=list)

    def add(self, points: float, reason: str | None = None) -> None:
        self.score += points
        if reason:
            self.reasons.append((points, reason))

    def sentence(self, limit: int = 2) -> str:
        best = sorted(self.reasons, key=lambda r: -r[0])[:limit]
        return "; ".join(text for _, text in best)


@dataclass
class HelperIndex:
    """Members' profiles and recent activity, built incrementally from a conversation."""

    book: ProfileBook = field(default_factory=ProfileBook)
    recent: OrderedDict[str, None] = field(default_factory=OrderedDict)
    gone: set[str] = field(default_factory=set)  # left or removed: no admin can tag them

    def add(self, turn: Turn, kind: Kind, facts: TurnFacts, turns: Sequence[Turn]) -> None:
        """Learn from one turn (its facts must already be known)."""
        self.book.add(turn, kind, facts, turns)
        change = membership_change(turn.text) if turn.system else None
        if change is not None:
            names, present = change
            self.gone = self.gone - set(names) if present else self.gone | set(names)
        if turn.author and not (turn.system or turn.is_bot or turn.media or turn.deleted):
            name = display_name(turn.author)
            self.recent[name] = None
            self.recent.move_to_end(name)
            while len(self.recent) > RECENT_MEMBERS:
                self.recent.popitem(last=False)

    def rank(
        self,
        request: Turn,
        *,
        levels: Mapping[str, Level],
        expertise: Mapping[str, set[str]] | None = None,
        load: Mapping[str, int] | None = None,
        limit: int = 3,
        max_per_week: int = 5,
        among: Collection[str] | None = None,
    ) -> list[HelperSuggestion]:
        """The best `limit` members to ask about `request`, each with a reason; only members
        `among` those named when given (e.g. the volunteers the help desk can reach)."""
        topic = topic_of(request.text)
        stems = content_stems(request.text)
        asker = display_name(request.author) if request.author else ""
        levels = {display_name(k): v for k, v in levels.items()}
        expertise = {display_name(k): v for k, v in (expertise or {}).items()}
        load = {display_name(k): v for k, v in (load or {}).items()}
        pool = set(self.recent) | {n for n, t in expertise.items() if topic in t}
        if topic:
            pool |= {
                n for n, m in self.book.members.items() if m.answered[topic] or topic in m.role
            }
        if among is not None:
            pool = {display_name(n) for n in among}
        ranked: list[HelperSuggestion] = []
        for name in sorted(pool - {asker} - self.gone):
            if load.get(name, 0) >= max_per_week:
                continue
            member = self.book.members.get(name) or MemberProfile(name)
            found = self._score(member, topic, stems, request, levels, expertise)
            found.add(-LOAD_PENALTY * load.get(name, 0))
            if found.score >= MIN_SCORE:
                reason = found.sentence() or "active in the group"
                if member.phone_only and member.pointer is not None:
                    reason += f"; {_pointer(member)}"
                ranked.append(HelperSuggestion(name, round(found.score, 2), reason))
        ranked.sort(key=lambda s: (-s.score, s.name))
        return ranked[:limit]

    def _score(
        self,
        member: MemberProfile,
        topic: str | None,
        stems: set[str],
        request: Turn,
        levels: Mapping[str, Level],
        expertise: Mapping[str, set[str]],
    ) -> _Candidate:
        found = _Candidate()
        if topic:
            _topical(found, member, topic, expertise.get(member.name, set()))
        # What they answered tells more than what they posted about.
        fit = 2.0 * self._word_fit(member.answer_words, stems)
        fit += self._word_fit(member.words, stems)
        if fit > 0.15:
            found.add(fit, None)
        asker = display_name(request.author or "")
        helped = len(member.helped)
        if member.answered_total:
            found.add(
                0.8 * math.log1p(member.answered_total),
                None if asker in member.helped else f"helped {_members(helped)} before",
            )
        if asker in member.helped:
            others = f" (and {_members(helped - 1, 'other')})" if helped > 1 else ""
            found.add(1.5, f"helped {asker.split()[0]} before{others}")
        if member.phone_only:
            found.add(-0.5)  # an admin can reach a saved member more easily than a bare number
        asker_level = levels.get(asker, Level.UNKNOWN)
        _seniority(found, levels.get(member.name, Level.UNKNOWN), asker_level)
        if member.last_seen and request.sent_at - member.last_seen > timedelta(days=30):
            found.add(-1.0)
        return found

    def _word_fit(self, words: Mapping[str, int], stems: set[str]) -> float:
        """Share of the request's (weighted) words among the member's `words`."""
        if not stems or not words:
            return 0.0
        weights = {s: max(self.book.word_weight(s), 0.0) for s in stems}
        total = sum(weights.values())
        known = sum(w for s, w in weights.items() if s in words)
        return known / total if total else 0.0


def _topical(found: _Candidate, member: MemberProfile, topic: str, declared: set[str]) -> None:
    label = topic_label(topic)
    answered = member.answered[topic]
    if answered:
        latest = member.answered_last[topic]
        found.add(
            2.5 + min(answered, 4),
            f"answered {answered} {label} question{'s' * (answered > 1)}, "
            f"latest {latest.day} {latest:%b}",
        )
    if topic in declared:
        found.add(3.0, f"listed expertise in {label}")
    if topic in member.role:
        found.add(
            2.5,
            f"introduced as {_article(member.introduced_as)}"
            if member.introduced_as
            else f"works in {label}",
        )
    wrote = member.wrote_about[topic]
    if wrote:
        found.add(0.8 + 0.3 * min(wrote, 5), f"posted {wrote} time{'s' * (wrote > 1)} on {label}")
    asked = member.asked_about[topic]
    if asked:
        found.add(0.8, f"has dealt with {label} (asked about it)")
    if topic == "job_search" and member.openings:
        n = member.openings
        found.add(0.8 + 0.3 * min(n, 5), f"posted {n} opening{'s' * (n > 1)} here")


def _seniority(found: _Candidate, level: Level, asker: Level) -> None:
    found.add(_EXPERIENCE_PRIOR[level])
    if asker.rank < Level.SENIOR.rank or level == Level.UNKNOWN:
        return
    if level.rank >= asker.rank:
        found.add(1.5, f"{_article(level.value)} peer of the asker")
    elif level.rank < asker.rank - 1:
        found.add(-1.0)


def _members(count: int, adjective: str = "") -> str:
    return f"{count} {adjective + ' ' if adjective else ''}member{'s' * (count != 1)}"


def _article(role: str) -> str:
    first = role.split()[0] if role.split() else role
    # Said letter by letter, "HRBP" and "L&D manager" take "an" ("an aitch-ar-bee-pee").
    acronym = len(first) > 1 and (first.isupper() or "&" in first)
    vowel = first[:1].upper() in ("AEFHILMNORSX" if acronym else "AEIOU")
    return ("an " if vowel else "a ") + role


def _pointer(member: MemberProfile) -> str:
    assert member.pointer is not None
    at = member.pointer.sent_at
    return f"known only by number; wrote on {at.day} {at:%b %H:%M}: “{member.pointer.excerpt}”"


def rank_helpers(
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
    among: Collection[str] | None = None,
) -> list[HelperSuggestion]:
    """Rank members who could answer turn `request`, from what was said before it.

    The one helper-ranking rule: the help desk, the clock and the weekly report all reach it
    (through bot.pipeline.suggestions when the conversation is stored).
    """
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
        among=among,
    )


suggest_helpers = rank_helpers  # the name earlier callers use
