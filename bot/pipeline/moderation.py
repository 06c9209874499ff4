"""What moderators and members change: tags, expertise, resolutions, corrections, forgetting."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlmodel import Session, col

from bot.domain import Kind, Level, LevelSource
from storage import queries
from storage.tables import (
    Correction,
    Expertise,
    LevelTag,
    Member,
    Message,
    Suppression,
    utcnow,
)


def tag_level(
    *, session: Session, member: Member, level: Level, source: LevelSource, by: str
) -> None:
    """Record a moderator tag or a member's own statement, and apply it when it is the strongest."""
    assert member.id is not None
    session.execute(
        delete(LevelTag).where(
            col(LevelTag.member_id) == member.id, col(LevelTag.source) == source.value
        )
    )
    session.add(LevelTag(member_id=member.id, level=level.value, source=source.value, tagged_by=by))
    current = LevelSource(member.level_source)
    if source.strength >= current.strength or member.level == Level.UNKNOWN.value:
        member.level, member.level_source = level.value, source.value
        member.level_reason = (
            "tagged by a moderator" if source is LevelSource.MODERATOR_TAG else ("says so themself")
        )
        session.add(member)
        session.flush()
        queries.sync_author_levels(session=session, community_id=member.community_id)


def add_expertise(*, session: Session, member: Member, topic: str) -> bool:
    """Declare a topic a member can help with; False when it was already known."""
    assert member.id is not None
    return queries.insert_ignore(
        session, Expertise, {"member_id": member.id, "topic": topic[:60], "created_at": utcnow()}
    )


def resolve_request(*, session: Session, message: Message) -> bool:
    """Mark a help request resolved (and so answered); False if it is not a help request."""
    if message.kind != Kind.HELP_REQUEST.value:
        return False
    message.resolved, message.answered = True, True
    session.add(message)
    return True


def reclassify(*, session: Session, message: Message, kind: Kind, by: str) -> None:
    """A moderator's correction: the message's kind changes and the classifier learns from it."""
    assert message.id is not None
    message.kind, message.kind_source = kind.value, "moderator"
    message.kind_confidence, message.kind_reason = (
        1.0,
        f"reclassified by a moderator as {kind.value}",
    )
    if kind is Kind.HELP_REQUEST and message.answered is None:
        message.answered, message.resolved = False, False
    if kind is not Kind.HELP_REQUEST:
        message.answered = message.resolved = None
    session.add(message)
    session.execute(delete(Correction).where(col(Correction.message_id) == message.id))
    session.add(
        Correction(
            community_id=message.community_id,
            message_id=message.id,
            text=message.text,
            kind=kind.value,
            corrected_by=by,
        )
    )


def unanswered(
    *, session: Session, community_id: int, now: datetime, older_than: timedelta
) -> list[Message]:
    """Open help requests older than `older_than`, oldest first."""
    query = (
        select(Message)
        .where(
            col(Message.community_id) == community_id,
            col(Message.kind) == Kind.HELP_REQUEST.value,
            col(Message.deleted).is_(False),
            or_(col(Message.answered).is_(False), col(Message.answered).is_(None)),
            col(Message.resolved).isnot(True),
            col(Message.sent_at) <= now - older_than,
        )
        .order_by(col(Message.sent_at))
    )
    return list(session.execute(query).scalars())


def forget_member(*, session: Session, community_id: int, key: str) -> int:
    """Erase a member and all they wrote in one transaction; later events cannot re-create them.

    Returns how many messages were erased. Idempotent: forgetting twice leaves the same state.
    """
    queries.insert_ignore(
        session,
        Suppression,
        {"community_id": community_id, "member_key": key, "created_at": utcnow()},
    )
    member = queries.member_by_key(session=session, community_id=community_id, key=key)
    if member is None:
        return 0
    ids = [
        i
        for (i,) in session.execute(
            select(col(Message.id)).where(col(Message.member_id) == member.id)
        )
    ]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        # Answer links in both directions go before the rows they point at.
        session.execute(
            update(Message).where(col(Message.reply_to_id).in_(chunk)).values(reply_to_id=None)
        )
        session.execute(
            update(Message)
            .where(col(Message.first_answer_id).in_(chunk))
            .values(
                first_answer_id=None,
                first_response_minutes=None,
                answered=func.coalesce(col(Message.resolved), False),
            )
        )
        session.execute(delete(Correction).where(col(Correction.message_id).in_(chunk)))
        session.execute(delete(Message).where(col(Message.id).in_(chunk)))
    session.execute(delete(LevelTag).where(col(LevelTag.member_id) == member.id))
    session.execute(delete(Expertise).where(col(Expertise.member_id) == member.id))
    session.execute(delete(Member).where(col(Member.id) == member.id))
    return len(ids)
