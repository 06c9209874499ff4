"""Who could help with a request: the members most likely to answer it first, each with a reason.

`rank_helpers` is the one pure entry point: it reads the turns before a request and ranks members
by their profile (bot.judgement.profiles). `HelperIndex` does the same incrementally, so a whole
conversation is routed in one pass. A member's score is a fitted weighing of a few numbers read
off their profile (bot.judgement.helper_features, weights in bot.judgement.helper_weights, fitted
by bot.evaluation.helper_fit); reasons are the evidence that weighed most, in sentences an admin
can read (bot.judgement.helper_reasons). The asker is never suggested; members already suggested
`max_per_week` times are left out (load cap).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from bot.domain import HelperSuggestion, Kind, Level, Turn, TurnFacts
from bot.judgement.helper_features import (
    FEATURES,
    RequestContext,
    member_features,
    request_context,
)
from bot.judgement.helper_reasons import explain
from bot.judgement.helper_weights import WEIGHTS
from bot.judgement.names import display_name, membership_change
from bot.judgement.profiles import MemberProfile, ProfileBook
from bot.judgement.topics import topic_label, topic_of
from bot.privacy.phones import mask_phone

__all__ = ["HelperIndex", "rank_helpers", "shown_name", "suggest_helpers", "topic_of"]

RECENT_MEMBERS = 300  # recently active members considered besides those known for the topic
# Scores are log-odds against a member nothing is known about (score 0): a suggestion needs
# some evidence for it. The adjustments below are not fitted (the labelled chats span weeks and
# have no declared expertise or load); they are set on the same scale.
MIN_SCORE = -3.0
EXPERTISE_BONUS = 2.0  # expertise a member declared to the help desk: about 7 times as likely
STALE_AFTER = timedelta(days=30)
STALE_PENALTY = 1.0  # silent for a month: about a third as likely to be around
LOAD_PENALTY = 0.2  # per suggestion this week, spreading the asking over members
_WEIGHTS = tuple(WEIGHTS.get(name, 0.0) for name in FEATURES)


def shown_name(name: str) -> str:
    """How a member is shown to an admin: a phone-only member's number masked."""
    profile = MemberProfile(name)
    return mask_phone(name) if profile.phone_only else name


@dataclass
class HelperIndex:
    """Members' profiles and recent activity, built incrementally from a conversation."""

    book: ProfileBook = field(default_factory=ProfileBook)
    recent: OrderedDict[str, None] = field(default_factory=OrderedDict)
    gone: set[str] = field(default_factory=set)  # left or removed: no admin can tag them
    weights: Sequence[float] = _WEIGHTS  # per FEATURES; the fitting script tries its own

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

    def candidates(
        self,
        request: Turn,
        levels: Mapping[str, Level],
        expertise: Mapping[str, set[str]],
        among: Collection[str] | None = None,
    ) -> tuple[RequestContext, list[MemberProfile]]:
        """The request read once, and the members worth weighing for it (never the asker):
        the recently active and those known for its topic, or only those `among` when given."""
        ctx = request_context(self.book, request, levels)
        topic = ctx.topic
        pool = set(self.recent) | {n for n, t in expertise.items() if topic in t}
        if topic:
            pool |= {
                n for n, m in self.book.members.items() if m.answered[topic] or topic in m.role
            }
        if among is not None:
            pool = {display_name(n) for n in among}
        return ctx, [
            self.book.members.get(name) or MemberProfile(name)
            for name in sorted(pool - {ctx.asker} - self.gone)
        ]

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
        levels = {display_name(k): v for k, v in levels.items()}
        expertise = {display_name(k): v for k, v in (expertise or {}).items()}
        load = {display_name(k): v for k, v in (load or {}).items()}
        ctx, members = self.candidates(request, levels, expertise, among)
        scored: list[tuple[float, MemberProfile, list[float], dict[str, float]]] = []
        for member in members:
            if load.get(member.name, 0) >= max_per_week:
                continue
            level = levels.get(member.name, Level.UNKNOWN)
            values = member_features(member, ctx, level)
            parts = [w * v for w, v in zip(self.weights, values, strict=True)]
            extra = {}
            if ctx.topic and ctx.topic in expertise.get(member.name, set()):
                extra[f"listed expertise in {topic_label(ctx.topic)}"] = EXPERTISE_BONUS
            score = sum(parts) + sum(extra.values()) - LOAD_PENALTY * load.get(member.name, 0)
            if member.last_seen and request.sent_at - member.last_seen > STALE_AFTER:
                score -= STALE_PENALTY
            scored.append((score, member, parts, extra))
        scored.sort(key=lambda s: (-s[0], s[1].name))
        ranked: list[HelperSuggestion] = []
        for score, member, parts, extra in scored:
            level = levels.get(member.name, Level.UNKNOWN)
            reason = explain(
                member, ctx, parts, level=level, request_text=request.text, extra=extra
            )
            if score < MIN_SCORE or not reason:
                continue  # nothing an admin could be told: not a suggestion
            if member.phone_only and member.pointer is not None:
                reason += f"; {_pointer(member)}"
            ranked.append(HelperSuggestion(member.name, round(score, 2), reason))
            if len(ranked) == limit:
                break
        return ranked


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
