"""What moderators and members change: level tags, corrections, forgotten members."""

from __future__ import annotations

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from storage.inserts import insert_ignore
from storage.queries.members import CHUNK
from storage.tables import Correction, Expertise, LevelTag, Member, Message, Suppression, utcnow


def replace_level_tag(
    *, session: Session, member_id: int, level: str, source: str, tagged_by: str
) -> None:
    """Store a member's level tag of this source, replacing the previous one."""
    session.execute(
        delete(LevelTag).where(col(LevelTag.member_id) == member_id, col(LevelTag.source) == source)
    )
    session.add(LevelTag(member_id=member_id, level=level, source=source, tagged_by=tagged_by))


def replace_correction(*, session: Session, message: Message, kind: str, corrected_by: str) -> None:
    """Store a moderator's correction of a message's kind, replacing an earlier one."""
    session.execute(delete(Correction).where(col(Correction.message_id) == message.id))
    session.add(
        Correction(
            community_id=message.community_id,
            message_id=message.id,
            text=message.text,
            kind=kind,
            corrected_by=corrected_by,
        )
    )


def corrections_of(*, session: Session, community_id: int) -> list[tuple[str, str]]:
    """(text, kind) of every moderator correction in a community, oldest first."""
    rows = session.execute(
        select(col(Correction.text), col(Correction.kind))
        .where(col(Correction.community_id) == community_id)
        .order_by(col(Correction.id))
    )
    return [(str(t), str(k)) for t, k in rows]


def count_corrections(*, session: Session, community_id: int) -> int:
    """How many moderator corrections a community has."""
    query = (
        select(func.count())
        .select_from(Correction)
        .where(col(Correction.community_id) == community_id)
    )
    return int(session.exec(query).one())


def suppress_member(*, session: Session, community_id: int, key: str) -> None:
    """Remember a forgotten member's key so later events and imports cannot re-create them."""
    insert_ignore(
        session,
        Suppression,
        {"community_id": community_id, "member_key": key, "created_at": utcnow()},
    )


def is_suppressed(*, session: Session, community_id: int, key: str) -> bool:
    """True when this member asked to be forgotten."""
    return (
        session.execute(
            select(col(Suppression.id)).where(
                col(Suppression.community_id) == community_id, col(Suppression.member_key) == key
            )
        ).first()
        is not None
    )


def suppressed_keys(*, session: Session, community_id: int) -> set[str]:
    """Keys of every forgotten member of the community."""
    rows = session.execute(
        select(col(Suppression.member_key)).where(col(Suppression.community_id) == community_id)
    )
    return {key for (key,) in rows}


def erase_member(*, session: Session, member_id: int) -> int:
    """Delete a member with their messages, tags, expertise and corrections; how many messages.

    Answers they gave stop counting: a request they answered becomes unanswered unless resolved.
    """
    ids = [
        int(i)
        for (i,) in session.execute(
            select(col(Message.id)).where(col(Message.member_id) == member_id)
        )
    ]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
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
    session.execute(delete(LevelTag).where(col(LevelTag.member_id) == member_id))
    session.execute(delete(Expertise).where(col(Expertise.member_id) == member_id))
    session.execute(delete(Member).where(col(Member.id) == member_id))
    return len(ids)
