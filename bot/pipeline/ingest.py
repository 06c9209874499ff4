"""The one pipeline every live message goes through: store once, judge, link answers."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.domain import ChatMessage, Classification, Kind, Level, LevelEvidence, LevelSource
from bot.judgement.answers import is_resolution, is_substantive
from bot.judgement.classify import Classifier
from bot.judgement.seniority import level_of_title, statement_level, strongest
from storage import queries
from storage.tables import Member, Message

log = logging.getLogger(__name__)


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
    verdict = classifier.classify(message.text, forwarded=message.forwarded, is_reply=is_reply)
    if message.system or message.marker is not None:
        verdict = Classification(Kind.OTHER, 1.0, "system line or attachment")
    substantive = not message.system and is_substantive(message.text)
    row = _row(message, community_id, member, target, verdict, substantive)
    if not queries.insert_ignore(session, Message, row):
        return IngestOutcome("duplicate")
    stored = queries.message_by_source(
        session=session, community_id=community_id, source_key=message.source_key
    )
    assert stored is not None
    if target is not None and member is not None:
        _link_answer(session, target, stored, member)
    if member is not None and not message.is_bot:
        _learn_level(session, member, message.text)
    return IngestOutcome("stored", stored.id, verdict)


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
        member.title = message.title[:300]
        _raise_level(session, member, level_of_title(message.title))
    return member


def _reply_target(session: Session, community_id: int, message: ChatMessage) -> Message | None:
    key = message.reply_to_source_key
    if key is None and message.thread_key and message.thread_key != message.source_key:
        key = message.thread_key
    if key is None:
        return None
    return queries.message_by_source(session=session, community_id=community_id, source_key=key)


def _row(
    message: ChatMessage,
    community_id: int,
    member: Member | None,
    target: Message | None,
    verdict: Classification,
    substantive: bool,
) -> dict[str, Any]:
    is_request = verdict.kind is Kind.HELP_REQUEST
    return {
        "community_id": community_id,
        "platform": message.platform.value,
        "source_key": message.source_key,
        "member_id": member.id if member else None,
        "sent_at": message.sent_at,
        "text": message.text,
        "system": message.system,
        "system_event": message.system_event,
        "marker": message.marker.value if message.marker else None,
        "edited": message.edited,
        "deleted": False,
        "is_bot": message.is_bot,
        "forwarded": message.forwarded,
        "thread_key": message.thread_key,
        "reply_to_source_key": message.reply_to_source_key,
        "permalink": message.permalink,
        "kind": verdict.kind.value,
        "kind_confidence": verdict.confidence,
        "kind_reason": verdict.reason[:300],
        "kind_source": "model",
        "role_level": verdict.role_level.value if verdict.role_level else None,
        "author_level": member.level if member else "unknown",
        "reply_to_id": target.id if target is not None and substantive else None,
        "substantive": substantive,
        "answered": False if is_request else None,
        "resolved": False if is_request else None,
    }


def _link_answer(session: Session, target: Message, reply: Message, author: Member) -> None:
    """A substantive reply by someone else answers a request; the asker's resolution resolves it."""
    if target.kind != Kind.HELP_REQUEST.value:
        return
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


def _learn_level(session: Session, member: Member, text: str) -> None:
    evidence = statement_level(text)
    if evidence is not None:
        _raise_level(session, member, evidence)


def _raise_level(session: Session, member: Member, evidence: LevelEvidence) -> None:
    """Keep the strongest evidence for a member's level (LABELS.md order)."""
    current = LevelEvidence(
        level=Level(member.level),
        source=LevelSource(member.level_source),
        reason=member.level_reason,
    )
    best = strongest([current, evidence])
    if best != current and best.level.value != "unknown":
        member.level, member.level_source = best.level.value, best.source.value
        member.level_reason = best.reason[:300]
        session.add(member)


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
        queries.insert_ignore(
            session,
            Message,
            {
                "community_id": community_id,
                "platform": platform,
                "source_key": source_key,
                "sent_at": sent_at,
                "text": "",
                "deleted": True,
                "kind": Kind.OTHER.value,
                "kind_source": "model",
            },
        )
        return IngestOutcome("tombstoned")
    existing.deleted, existing.text, existing.kind = True, "", Kind.OTHER.value
    existing.answered = existing.resolved = None
    session.add(existing)
    return IngestOutcome("tombstoned", existing.id)
