"""Why a member is suggested, in sentences an admin reads: the evidence that weighed most.

Each feature of bot.judgement.helper_features speaks through one kind of evidence ("answered 3
payroll questions, latest 12 Jan", "introduced as a labour-law consultant", "helped Pinky
before"); the fitted weights tell how much each piece added for this request, and the two that
added most are said. Evidence that pulled a member down is never given as a reason.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from bot.domain import Level
from bot.judgement.helper_features import FEATURES, RequestContext
from bot.judgement.profiles import MemberProfile
from bot.judgement.reply_text import stem
from bot.judgement.topics import topic_label

# Which evidence each feature speaks through; features not listed explain nothing by themselves.
_EVIDENCE = {
    "topic_answers": "answered",
    "first_answers": "helped",
    "answer_rate": "helped",
    "role_fits": "role",
    "has_role": "role",
    "posted_on_topic": "posted",
    "topic_share": "written",
    "topic_evidence": "written",
    "words_said": "written",
    "words_all": "written",
    "words_said_cosine": "written",
    "openings_for_seeker": "openings",
    "helped_asker": "helped_asker",
    "peer_or_above": "level",  # a level alone ("mid", "executive") is a base rate, no reason
}
_ON_TOPIC = ("topic_share", "topic_evidence")
_TELLING = 1.0  # a word shown as shared is used by fewer than about a third of the members
# Words any message may hold: rare in a small group, yet "has written about “per”, “more”" tells
# an admin nothing about what the member knows, so they are never shown as shared words.
_PLAIN_WORDS = (
    "per more many much most mostly few less small big start started ask asked asking keep "
    "call called use used using without tell told every part handle need needed want know "
    "get got make made take took also other same still really able first last next new old "
    "good best better great thing things way time times day days week weeks month months "
    "year years saal ya haan nahi people someone anyone everyone something anything please "
    "thanks help share shared check give given go going come coming done sure right"
)
_PLAIN = frozenset(stem(word) for word in _PLAIN_WORDS.split())
_WORD = re.compile(r"[A-Za-z0-9]+(?:[-'’][A-Za-z0-9]+)*")


def explain(
    member: MemberProfile,
    ctx: RequestContext,
    contributions: Sequence[float],
    *,
    level: Level,
    request_text: str,
    extra: Mapping[str, float] | None = None,
    limit: int = 2,
) -> str:
    """The `limit` strongest pieces of evidence for `member`, as one sentence.

    `contributions` are weight × value per feature (FEATURES order); `extra` adds evidence
    scored outside the fitted weights (a declared expertise, by its sentence).
    """
    pull: defaultdict[str, float] = defaultdict(float)
    answered = _best_topic(member.answered, ctx) is not None
    for name, points in zip(FEATURES, contributions, strict=True):
        kind = _EVIDENCE.get(name)
        if kind == "written" and answered:  # what they said on the topic was mostly answers
            kind = "answered" if name in _ON_TOPIC else "words"
        if kind:
            pull[kind] += points
    said = [
        (points, text)
        for kind, points in pull.items()
        if points > 0 and (text := _sentence(kind, member, ctx, level, request_text))
    ]
    said += [(points, text) for text, points in (extra or {}).items() if points > 0]
    best = sorted(said, key=lambda s: -s[0])[:limit]
    return "; ".join(text for _, text in best)


def _sentence(
    kind: str, member: MemberProfile, ctx: RequestContext, level: Level, request_text: str
) -> str | None:
    topic = ctx.topic
    if kind == "answered":
        best = _best_topic(member.answered, ctx)
        if best is None:
            return None
        count, latest = member.answered[best], member.answered_last[best]
        return (
            f"answered {count} {topic_label(best)} question{'s' * (count > 1)}, "
            f"latest {latest.day} {latest:%b}"
        )
    if kind == "helped":
        helped = len(member.helped)
        if not helped or ctx.asker in member.helped:
            return None  # the asker's own helper is said with the asker's name
        return f"helped {members(helped)} before"
    if kind == "helped_asker" and ctx.asker in member.helped:
        others = len(member.helped) - 1
        also = f" (and {members(others, 'other')})" if others else ""
        return f"helped {ctx.asker.split()[0]} before{also}"
    if kind == "role" and topic and topic in member.role:
        if member.introduced_as:
            return f"introduced as {article(member.introduced_as)}"
        return f"works in {topic_label(topic)}"
    if kind == "posted" and topic and member.wrote_about[topic]:
        wrote = member.wrote_about[topic]
        return f"posted {wrote} time{'s' * (wrote > 1)} on {topic_label(topic)}"
    if kind == "written":
        return _written(member, ctx, request_text)
    if kind == "words":  # the topic is said by the answers: only the words are left to say
        shared = ", ".join(f"“{w}”" for w in _shared_words(request_text, member, ctx))
        return f"has written about {shared}" if shared else None
    if kind == "openings" and member.openings:
        n = member.openings
        return f"posted {n} opening{'s' * (n > 1)} here"
    if kind == "level" and level.rank > Level.JUNIOR.rank:
        if level.rank >= ctx.asker_level.rank >= Level.SENIOR.rank:
            return f"{article(level.value)} peer of the asker"
        if level.rank > ctx.asker_level.rank >= Level.JUNIOR.rank:
            return "more senior than the asker"
    return None


def _written(member: MemberProfile, ctx: RequestContext, request_text: str) -> str | None:
    """What they wrote outside their own requests that touches this one: its topic, its words."""
    best = _best_topic(member.topic_evidence, ctx)
    shared = ", ".join(f"“{w}”" for w in _shared_words(request_text, member, ctx))
    if best and shared:
        return f"has written on {topic_label(best)} ({shared})"
    if best:
        return f"has written on {topic_label(best)}"
    return f"has written about {shared}" if shared else None


def _best_topic(counts: Mapping[str, float], ctx: RequestContext) -> str | None:
    """The request's topic the member has most of, the request's main topic first."""
    ranked = sorted(
        (t for t in ctx.topics if counts.get(t)),
        key=lambda t: (t != ctx.topic, -ctx.topics[t] * counts[t], t),
    )
    return ranked[0] if ranked else None


def _shared_words(
    text: str, member: MemberProfile, ctx: RequestContext, limit: int = 2
) -> list[str]:
    """The request's most telling words the member wrote too, as the request spells them
    (a capital that only starts a sentence dropped)."""
    found: dict[str, tuple[float, int, str]] = {}
    for match in _WORD.finditer(text):
        word = match.group()
        key = stem(word.lower().replace("’", "'"))
        weight = ctx.stems.get(key, 0.0)
        if weight < _TELLING or key in _PLAIN or key in found or key not in member.said_words:
            continue
        before = text[: match.start()].rstrip(" \"'“(*_~")[-1:]
        starts = not before or not (before.isalnum() or before in ",&/")  # "" is in any str
        shown = word.lower() if starts and not word.isupper() else word
        found[key] = (weight, match.start(), shown)
    best = sorted(found.values(), key=lambda f: (-f[0], f[1]))[:limit]
    return [word for _, _, word in sorted(best, key=lambda f: f[1])]


def members(count: int, adjective: str = "") -> str:
    """ "3 members", "1 other member"."""
    return f"{count} {adjective + ' ' if adjective else ''}member{'s' * (count != 1)}"


def article(role: str) -> str:
    """The role with its article: "a payroll manager", "an HRBP"."""
    first = role.split()[0] if role.split() else role
    # Said letter by letter, "HRBP" and "L&D manager" take "an" ("an aitch-ar-bee-pee").
    acronym = len(first) > 1 and (first.isupper() or "&" in first)
    vowel = first[:1].upper() in ("AEFHILMNORSX" if acronym else "AEIOU")
    return ("an " if vowel else "a ") + role
