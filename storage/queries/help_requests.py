"""Open help requests: one definition for `/lift unanswered`, the weekly report and the clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, String, and_, func, literal, or_
from sqlalchemy import cast as cast_
from sqlmodel import Session, col, select

from storage.queries.messages import HELP_REQUEST, member_messages_where
from storage.tables import JobRun, Member, Message

OPEN_REQUEST_COLUMNS: tuple[Any, ...] = (
    Message.id,
    Message.sent_at,
    Member.display_name,
    Message.author_level,
    col(Member.level).label("member_level"),
    Message.text,
    Message.permalink,
    Message.thread_key,
    Message.source_key,
    Message.topic,
    Message.latest_activity_at,
)


def open_request_where(community_id: int, start: datetime | None, end: datetime) -> Any:
    """What "open" means: a member's help request in [start, end), neither answered nor resolved.

    A member's: no system lines, no bot posts, no deleted messages. `start` None means from the
    community's first message.
    """
    return and_(
        member_messages_where(community_id, start, end),
        col(Message.kind) == HELP_REQUEST,
        or_(col(Message.answered).is_(None), col(Message.answered).is_(False)),
        or_(col(Message.resolved).is_(None), col(Message.resolved).is_(False)),
    )


def open_requests(
    *,
    session: Session,
    community_id: int,
    start: datetime | None,
    end: datetime,
    limit: int,
    without_job: str | None = None,
) -> list[Row[Any]]:
    """Open help requests (see `open_request_where`) sent in [start, end), oldest first.

    `without_job` leaves out requests that already have a job run `<job>:<message id>`.
    """
    query = (
        select(*OPEN_REQUEST_COLUMNS)
        .outerjoin(Member, col(Member.id) == col(Message.member_id))
        .where(open_request_where(community_id, start, end))
        .order_by(col(Message.sent_at), col(Message.id))
        .limit(limit)
    )
    if without_job is not None:
        period = literal(f"{without_job}:") + cast_(col(Message.id), String)
        claimed = select(col(JobRun.id)).where(
            col(JobRun.job) == without_job,
            col(JobRun.community_id) == community_id,
            col(JobRun.period) == period,
        )
        query = query.where(~claimed.exists())
    return list(session.execute(query))


def count_open_requests(
    *, session: Session, community_id: int, start: datetime | None, end: datetime
) -> int:
    """How many open help requests (see `open_request_where`) were sent in [start, end)."""
    query = select(func.count()).where(open_request_where(community_id, start, end))
    return int(session.execute(query).scalar_one())
