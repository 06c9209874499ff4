"""What moderators and members change: levels, expertise, resolutions, corrections, forgetting.

These are the effects of the `/lift` commands; `handlers/commands.py` parses the words, checks
who may run them and words the replies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.domain import Kind, Level, LevelSource
from storage import queries
from storage.db import scrub_after_commit
from storage.tables import Expertise, Member, Message, utcnow


@dataclass(frozen=True, slots=True)
class WaitingRequest:
    """An open help request as `/lift unanswered` lists it."""

    message_id: int
    sent_at: datetime
    author: str | None
    author_level: str
    text: str


@dataclass(frozen=True, slots=True)
class Unanswered:
    """The oldest open help requests and how many there are in all."""

    total: int
    oldest: tuple[WaitingRequest, ...]


def member_with_key(*, session: Session, community_id: int, key: str) -> Member | None:
    """The community's member with this key, if they are known."""
    return queries.member_by_key(session=session, community_id=community_id, key=key)


def live_message(
    *,
    session: Session,
    community_id: int,
    message_id: int | None = None,
    source_key: str | None = None,
) -> Message | None:
    """A message of this community by id or natural key; None when unknown, elsewhere or deleted."""
    message: Message | None = None
    if message_id is not None:
        message = session.get(Message, message_id)
    elif source_key is not None:
        message = queries.message_by_source(
            session=session, community_id=community_id, source_key=source_key
        )
    if message is None or message.community_id != community_id or message.deleted:
        return None
    return message


def asked_by(*, session: Session, message: Message, key: str) -> bool:
    """True when the member with this key wrote the message."""
    author = session.get(Member, message.member_id) if message.member_id else None
    return author is not None and author.key == key


def tag_level(
    *, session: Session, member: Member, level: Level, source: LevelSource, by: str
) -> None:
    """Record a moderator tag or a member's own statement, and apply it when it is the strongest."""
    assert member.id is not None
    queries.replace_level_tag(
        session=session, member_id=member.id, level=level.value, source=source.value, tagged_by=by
    )
    current = LevelSource(member.level_source)
    if source.strength >= current.strength or member.level == Level.UNKNOWN.value:
        member.level, member.level_source = level.value, source.value
        member.level_reason = (
            "tagged by a moderator" if source is LevelSource.MODERATOR_TAG else ("says so themself")
        )
        session.add(member)
        session.flush()
        queries.sync_author_levels(session=session, community_id=member.community_id)


def state_own_level(
    *, session: Session, community_id: int, key: str, name: str, level: Level
) -> Member:
    """A member says their own level (`iam`); they are created on first use.

    Returns the member: their level stays a moderator's tag when one is stronger.
    """
    queries.ensure_members(session=session, community_id=community_id, people={key: (name, False)})
    member = queries.member_by_key(session=session, community_id=community_id, key=key)
    assert member is not None
    tag_level(session=session, member=member, level=level, source=LevelSource.OWN_STATEMENT, by=key)
    return member


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
    queries.replace_correction(session=session, message=message, kind=kind.value, corrected_by=by)


def unanswered(*, session: Session, community_id: int, now: datetime, limit: int) -> Unanswered:
    """Every open help request sent before `now` (the report's definition), the oldest `limit`."""
    total = queries.count_open_requests(
        session=session, community_id=community_id, start=None, end=now
    )
    rows = (
        queries.open_requests(
            session=session, community_id=community_id, start=None, end=now, limit=limit
        )
        if total
        else []
    )
    oldest = tuple(
        WaitingRequest(
            message_id=int(row.id),
            sent_at=row.sent_at,
            author=row.display_name,
            author_level=str(row.member_level),
            text=str(row.text),
        )
        for row in rows
    )
    return Unanswered(total=total, oldest=oldest)


def forget_member(*, session: Session, community_id: int, key: str) -> int:
    """Erase a member and all they wrote in one transaction; later events cannot re-create them.

    Every community of the deployment holding their pseudonym is included (Slack: the same user
    id; WhatsApp and imported exports: the same phone pseudonym), with the inbox payloads that
    carry it and the outbox rows addressed to them or quoting them. Returns how many messages
    were erased. Idempotent: forgetting twice leaves the same state.
    """
    erased = queries.forget_everywhere(session=session, community_id=community_id, key=key)
    scrub_after_commit(session)
    return erased
