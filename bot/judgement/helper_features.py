"""What routing weighs about one member for one request: a few numbers read off their profile.

`request_context` reads a request once (its topic evidence, its words and how telling each word
is among the members); `member_features` turns one profile into the numbers named in FEATURES,
which the fitted weights of bot.judgement.helper_weights score. Nothing here reads a message
again: a request costs a few dictionary look-ups per member, however long the conversation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.domain import Level, Turn
from bot.judgement.names import display_name
from bot.judgement.profiles import MemberProfile, ProfileBook
from bot.judgement.reply_text import content_stems
from bot.judgement.topics import topic_of, topic_scores

# The order the fitted weights are written in. Counts enter as log(1 + n): twice the answers is
# one step more, not twice the pull, and a long-running group does not swamp a young one.
FEATURES = (
    "role_fits",  # the request's topic is in the field they stated (introduction, title)
    "openings_for_seeker",  # a job seeker asks and they posted openings here
    "topic_share",  # share of what they said outside their own requests on the request's topics
    "topic_evidence",  # how much they said on the request's topics (log)
    "topic_answers",  # answers they gave to requests on the request's topics (log)
    "asked_same_topic",  # they asked about the request's topic themselves
    "posted_on_topic",  # posts they shared on the request's topic (log)
    "words_said",  # the request's telling words in what they said (BM25)
    "words_all",  # the same over all they wrote and the requests they answered (BM25)
    "words_said_cosine",  # the request's telling words, over the breadth of what they said
    "first_answers",  # requests they were the first to answer (log)
    "helped_asker",  # they answered this asker before
    "answer_rate",  # answers per message written
    "own_requests",  # their own help requests (log)
    "messages",  # all messages they wrote (log)
    "junior",
    "mid",
    "executive",
    "peer_or_above",  # their level is the asker's or higher (both known)
    "below_asker",  # their level is under the asker's (both known)
    "phone_only",  # an admin cannot tag a bare number as easily
    "has_role",  # they stated a field at all
    "asking_now",  # their own requests of about the last day, older ones fading (log)
)
_BM25_K = 1.2  # how fast repeating a word stops adding
_BM25_B = 0.75  # how much a long profile's matches are discounted


@dataclass(frozen=True)
class RequestContext:
    """What routing reads from a request once, before weighing any member."""

    topic: str | None
    topics: dict[str, float]  # topic evidence of the request's text
    stems: dict[str, float]  # the request's words, each with how telling it is among members
    asker: str
    asker_level: Level
    said_length: float  # average number of words a profile holds, for BM25
    word_length: float
    sent_at: datetime  # when the request was written


def request_context(
    book: ProfileBook, request: Turn, levels: Mapping[str, Level]
) -> RequestContext:
    """Read `request` once against the profiles built so far; `levels` by display name."""
    asker = display_name(request.author) if request.author else ""
    stems = {s: max(book.word_weight(s), 0.0) for s in content_stems(request.text)}
    members = max(len(book.members), 1)
    return RequestContext(
        topic=topic_of(request.text),
        topics=topic_scores(request.text),
        stems={s: w for s, w in stems.items() if w > 0},
        asker=asker,
        asker_level=levels.get(asker, Level.UNKNOWN),
        said_length=book.said_tokens / max(book.speakers, 1) or 1.0,
        word_length=book.word_tokens / members or 1.0,
        sent_at=request.sent_at,
    )


def member_features(member: MemberProfile, ctx: RequestContext, level: Level) -> list[float]:
    """The numbers of FEATURES for `member` (of level `level`) and this request, in order."""
    topic = ctx.topic
    on_topic, evidence = _on_topics(member.topic_evidence, ctx.topics)
    answered = _on_topics(member.answered, ctx.topics)[0]
    said = _bm25(member.said_words, member.said_count, ctx.stems, ctx.said_length)
    both_known = level != Level.UNKNOWN and ctx.asker_level != Level.UNKNOWN
    return [
        float(topic is not None and topic in member.role),
        float(topic == "job_search" and member.openings > 0),
        on_topic / evidence if evidence else 0.0,
        math.log1p(on_topic),
        math.log1p(answered),
        float(topic is not None and member.asked_about[topic] > 0),
        math.log1p(member.wrote_about[topic]) if topic else 0.0,
        said,
        _bm25(member.words, member.word_count, ctx.stems, ctx.word_length),
        _cosine(member.said_words, ctx.stems),
        math.log1p(member.first_answers),
        float(ctx.asker in member.helped),
        member.answered_total / member.messages if member.messages else 0.0,
        math.log1p(member.asked_total),
        math.log1p(member.messages),
        float(level == Level.JUNIOR),
        float(level == Level.MID),
        float(level == Level.EXECUTIVE),
        float(both_known and level.rank >= ctx.asker_level.rank),
        float(both_known and level.rank < ctx.asker_level.rank),
        float(member.phone_only),
        float(bool(member.role)),
        math.log1p(member.asking_at(ctx.sent_at)),
    ]


def _on_topics(counts: Mapping[str, float], topics: Mapping[str, float]) -> tuple[float, float]:
    """The member's `counts` on the request's topics (weighted by the request's evidence for
    each), and their counts on all topics."""
    total = sum(topics.values())
    if not total or not counts:
        return 0.0, float(sum(counts.values()))
    on = sum(weight * counts.get(t, 0) for t, weight in topics.items()) / total
    return on, float(sum(counts.values()))


def _bm25(
    words: Mapping[str, int], length: int, stems: Mapping[str, float], average: float
) -> float:
    if not words or not stems:
        return 0.0
    norm = _BM25_K * (1 - _BM25_B + _BM25_B * length / average)
    return sum(
        weight * words[s] * (_BM25_K + 1) / (words[s] + norm)
        for s, weight in stems.items()
        if s in words
    )


def _cosine(words: Mapping[str, int], stems: Mapping[str, float]) -> float:
    if not words or not stems:
        return 0.0
    shared = sum(weight * math.log1p(words[s]) for s, weight in stems.items() if s in words)
    return shared / math.sqrt(len(words)) / math.sqrt(len(stems))
