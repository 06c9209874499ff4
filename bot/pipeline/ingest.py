"""The one pipeline every live message goes through: store once, judge, link answers."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlmodel import Session

from bot.domain import ChatMessage, Classification, Kind, Platform
from bot.judgement.answers import is_resolution, is_substantive
from bot.judgement.classify import Classifier
from bot.judgement.verdicts import placeholder_verdict
from bot.pipeline.levels import apply_title, learn_from_message
from bot.pipeline.message_rows import message_row
from storage import queries
from storage.tables import Member, Message

log = logging.getLogger(__name__)

_TOMBSTONE = Classification(Kind.OTHER, 0.0, "")  # a deleted message: nothing left to judge


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What happened to one incoming message."""

    status: str  # stored | duplicate | suppressed | tombstoned
    message_id: int | None = None
    classification: Classification | None = None


def ingest(
    message: ChatMessage, *, session: Session, community_id: int, classifier: Classifier
) -> IngestOutcome:
    """Store a live message exactly once, classify it and link it to the request it answers."""
    if message.author_key and queries.is_suppressed(
        session=session, community_id=community_id, key=message.author_key
    ):
        return IngestOutcome("suppressed")
    existing = queries.message_by_source(
        session=session, community_id=community_id, source_key=message.source_key
    )
    if existing is not None:
        return IngestOutcome("tombstoned" if existing.deleted else "duplicate", existing.id)
    member = _ensure_member(session, community_id, message)
    target = _reply_target(session, community_id, message)
    is_reply = target is not None or (
        message.thread_key is not None and message.thread_key != message.source_key
    )
    verdict = placeholder_verdict(system=message.system, marker=message.marker)
    if verdict is None:
        verdict = classifier.classify(message.text, forwarded=message.forwarded, is_reply=is_reply)
    substantive = not message.system and is_substantive(message.text)
    row = message_row(
        message,
        community_id=community_id,
        verdict=verdict,
        member_id=member.id if member else None,
        author_level=member.level if member else "unknown",
        reply_to_id=target.id if target is not None and substantive else None,
        substantive=substantive,
    )
    if not queries.insert_ignore(session, Message, row):
        return IngestOutcome("duplicate")
    stored = queries.message_by_source(
        session=session, community_id=community_id, source_key=message.source_key
    )
    assert stored is not None
    if target is not None and member is not None:
        _link_answer(session, target, stored, member)
    if member is not None and not message.is_bot:
        learn_from_message(session, member, message.text)
    return IngestOutcome("stored", stored.id, verdict)


def ingest_many(
    messages: Sequence[ChatMessage], *, session: Session, community_id: int, classifier: Classifier
) -> list[IngestOutcome]:
    """`ingest` for many live messages (a worker's batch), one outcome each, in order.

    New top-level messages take one look-up of each kind (forgotten authors, stored keys,
    members), one batch classification and one insert; a member's level learnt from one message
    is the author level of their next, as one by one. Replies, which link to what they answer
    (maybe earlier in this batch), follow one by one through `ingest`.
    """
    outcomes: list[IngestOutcome | None] = [None] * len(messages)
    top = [i for i, m in enumerate(messages) if _top_level(m)]
    authors = {messages[i].author_key for i in top if messages[i].author_key}
    suppressed = queries.suppressed_among(
        session=session, community_id=community_id, keys=cast(set[str], authors)
    )
    stored = queries.messages_by_source(
        session=session,
        community_id=community_id,
        source_keys=[messages[i].source_key for i in top],
    )
    fresh: dict[str, int] = {}  # source key → position of the first new message with it
    for i in top:
        message = messages[i]
        found = stored.get(message.source_key)
        if message.author_key in suppressed:
            outcomes[i] = IngestOutcome("suppressed")
        elif found is not None:
            outcomes[i] = IngestOutcome("tombstoned" if found.deleted else "duplicate", found.id)
        elif message.source_key not in fresh:
            fresh[message.source_key] = i
    new = list(fresh.values())
    members = _ensure_members(session, community_id, [messages[i] for i in new])
    verdicts = _verdicts(classifier, [messages[i] for i in new])
    rows = []
    for i, verdict in zip(new, verdicts, strict=True):
        message = messages[i]
        member = members.get(message.author_key or "")
        if member is not None and message.title and member.title != message.title:
            apply_title(session, member, message.title)
        rows.append(
            message_row(
                message,
                community_id=community_id,
                verdict=verdict,
                member_id=member.id if member else None,
                author_level=member.level if member else "unknown",
                substantive=not message.system and is_substantive(message.text),
            )
        )
        if member is not None and not message.is_bot:
            learn_from_message(session, member, message.text)
    ids = queries.insert_messages_returning_ids(session=session, rows=rows)
    for i, verdict in zip(new, verdicts, strict=True):
        key = messages[i].source_key
        outcomes[i] = IngestOutcome("stored", ids[key], verdict) if key in ids else None
    for i, message in enumerate(messages):
        if outcomes[i] is None:  # replies, repeats within the batch, rows another worker stored
            outcomes[i] = ingest(
                message, session=session, community_id=community_id, classifier=classifier
            )
    return cast(list[IngestOutcome], outcomes)


def _top_level(message: ChatMessage) -> bool:
    """Neither a reply nor in a thread it did not start: nothing to link it to."""
    return message.reply_to_source_key is None and (
        message.thread_key is None or message.thread_key == message.source_key
    )


def _ensure_members(
    session: Session, community_id: int, messages: Sequence[ChatMessage]
) -> dict[str, Member]:
    people: dict[str, tuple[str, bool]] = {}
    for message in messages:
        if message.author_key is not None:
            name = message.author_name or message.author_key
            people.setdefault(message.author_key, (name, message.is_bot))
    queries.ensure_members(session=session, community_id=community_id, people=people)
    return queries.members_by_key(session=session, community_id=community_id, keys=people)


def _verdicts(classifier: Classifier, messages: Sequence[ChatMessage]) -> list[Classification]:
    """What `ingest` judges each top-level message: plain text judged all together."""
    verdicts = [placeholder_verdict(system=m.system, marker=m.marker) for m in messages]
    plain = [i for i, v in enumerate(verdicts) if v is None and not messages[i].forwarded]
    for i, verdict in zip(
        plain, classifier.classify_many([messages[i].text for i in plain]), strict=True
    ):
        verdicts[i] = verdict
    return [
        v if v is not None else classifier.classify(m.text, forwarded=m.forwarded)
        for v, m in zip(verdicts, messages, strict=True)
    ]


def _ensure_member(session: Session, community_id: int, message: ChatMessage) -> Member | None:
    if message.author_key is None:
        return None
    name = message.author_name or message.author_key
    queries.ensure_members(
        session=session,
        community_id=community_id,
        people={message.author_key: (name, message.is_bot)},
    )
    member = queries.member_by_key(
        session=session, community_id=community_id, key=message.author_key
    )
    if member is not None and message.title and member.title != message.title:
        apply_title(session, member, message.title)
    return member


def _reply_target(session: Session, community_id: int, message: ChatMessage) -> Message | None:
    key = message.reply_to_source_key
    if key is None and message.thread_key and message.thread_key != message.source_key:
        key = message.thread_key
    if key is None:
        return None
    return queries.message_by_source(session=session, community_id=community_id, source_key=key)


def _link_answer(session: Session, target: Message, reply: Message, author: Member) -> None:
    """A substantive reply by someone else answers a request; the asker's resolution resolves it."""
    if target.kind != Kind.HELP_REQUEST.value:
        return
    if target.latest_activity_at is None or target.latest_activity_at < reply.sent_at:
        target.latest_activity_at = reply.sent_at
        session.add(target)
    if author.id == target.member_id:
        if is_resolution(reply.text):
            target.resolved = True
            target.answered = True
        return
    if reply.is_bot or not reply.substantive or target.first_answer_id is not None:
        return
    target.answered = True
    target.first_answer_id = reply.id
    target.first_response_minutes = minutes_between(target.sent_at, reply.sent_at)
    session.add(target)


def minutes_between(start: datetime, end: datetime) -> float:
    """Minutes from `start` to `end`, never negative."""
    return max(0.0, (end - start).total_seconds() / 60.0)


def apply_edit(
    message: ChatMessage, *, session: Session, community_id: int, classifier: Classifier
) -> IngestOutcome:
    """An edited message: new text and kind; an edit that outruns its original is stored."""
    existing = queries.message_by_source(
        session=session, community_id=community_id, source_key=message.source_key
    )
    if existing is None:
        return ingest(message, session=session, community_id=community_id, classifier=classifier)
    if existing.deleted:
        return IngestOutcome("tombstoned", existing.id)
    existing.text, existing.edited = message.text, True
    existing.substantive = is_substantive(message.text)
    verdict = None
    if existing.kind_source != "moderator":
        verdict = classifier.classify(
            message.text, is_reply=existing.reply_to_source_key is not None
        )
        existing.kind, existing.kind_confidence = verdict.kind.value, verdict.confidence
        existing.kind_reason = verdict.reason[:300]
        existing.role_level = verdict.role_level.value if verdict.role_level else None
        if verdict.kind is Kind.HELP_REQUEST and existing.answered is None:
            existing.answered, existing.resolved = False, False
    session.add(existing)
    return IngestOutcome("stored", existing.id, verdict)


def apply_delete(
    *, session: Session, community_id: int, source_key: str, platform: str, sent_at: datetime
) -> IngestOutcome:
    """Remove a message's content; a delete that arrives first leaves a tombstone that wins."""
    existing = queries.message_by_source(
        session=session, community_id=community_id, source_key=source_key
    )
    if existing is None:
        tombstone = ChatMessage(Platform(platform), "", source_key, sent_at, None, None, "")
        row = message_row(tombstone, community_id=community_id, verdict=_TOMBSTONE, deleted=True)
        queries.insert_ignore(session, Message, row)
        return IngestOutcome("tombstoned")
    existing.deleted, existing.text, existing.kind = True, "", Kind.OTHER.value
    existing.answered = existing.resolved = None
    session.add(existing)
    return IngestOutcome("tombstoned", existing.id)
