"""Aggregates for the weekly report and the clock's budget: counts, levels, response times."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, literal, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage.queries.messages import GYAAN, HELP_REQUEST, JOB_POST, member_messages_where
from storage.tables import Member, Message


def _is_true(column: Any) -> Any:
    return func.sum(case((column.is_(True), 1), else_=0))


def count_member_messages(
    *, session: Session, community_id: int, start: datetime, end: datetime
) -> int:
    """Member messages (no system lines, bots or tombstones) in [start, end)."""
    query = select(func.count()).where(member_messages_where(community_id, start, end))
    return int(session.execute(query).scalar_one())


def kind_counts(
    *, session: Session, community_id: int, start: datetime, end: datetime
) -> dict[str, int]:
    """Member messages per kind in [start, end)."""
    rows = session.execute(
        select(col(Message.kind), func.count())
        .where(member_messages_where(community_id, start, end))
        .group_by(col(Message.kind))
    )
    return {str(kind): int(n) for kind, n in rows}


def role_level_counts(
    *, session: Session, community_id: int, start: datetime, end: datetime
) -> dict[str, int]:
    """Job posts per advertised role level in [start, end); no level counts as `unknown`."""
    level = func.coalesce(col(Message.role_level), "unknown")
    rows = session.execute(
        select(level, func.count())
        .where(member_messages_where(community_id, start, end), col(Message.kind) == JOB_POST)
        .group_by(level)
    )
    return {str(lvl): int(n) for lvl, n in rows}


def member_level_counts(*, session: Session, community_id: int) -> dict[str, int]:
    """People (not bots) of a community per level."""
    rows = session.execute(
        select(col(Member.level), func.count())
        .where(col(Member.community_id) == community_id, col(Member.is_bot).is_(False))
        .group_by(col(Member.level))
    )
    return {str(level): int(n) for level, n in rows}


def help_counts_by_level(
    *, session: Session, community_id: int, start: datetime, end: datetime
) -> dict[str, tuple[int, int, int]]:
    """Help requests per asker level in [start, end): (asked, answered, resolved)."""
    rows = session.execute(
        select(
            col(Message.author_level),
            func.count(),
            _is_true(col(Message.answered)),
            _is_true(col(Message.resolved)),
        )
        .where(member_messages_where(community_id, start, end), col(Message.kind) == HELP_REQUEST)
        .group_by(col(Message.author_level))
    )
    return {str(lvl): (int(n), int(a or 0), int(r or 0)) for lvl, n, a, r in rows}


def response_percentiles(
    *, session: Session, community_id: int, start: datetime, end: datetime, by_level: bool
) -> dict[str, tuple[float, float]]:
    """Median and p90 minutes to first response (nearest rank), per asker level or `all`.

    Ranked in SQL with window functions so only two rows per group leave the database.
    """
    group = col(Message.author_level) if by_level else literal("all")
    minutes = col(Message.first_response_minutes)
    ranked = (
        select(
            group.label("grp"),
            minutes.label("minutes"),
            func.row_number().over(partition_by=group, order_by=minutes).label("rn"),
            func.count().over(partition_by=group).label("n"),
        )
        .where(
            member_messages_where(community_id, start, end),
            col(Message.kind) == HELP_REQUEST,
            minutes.is_not(None),
        )
        .subquery()
    )
    median_rank = (ranked.c.n * 50 + 99) // 100
    p90_rank = (ranked.c.n * 90 + 99) // 100
    rows = session.execute(
        select(
            ranked.c.grp, ranked.c.minutes, ranked.c.rn == median_rank, ranked.c.rn == p90_rank
        ).where(or_(ranked.c.rn == median_rank, ranked.c.rn == p90_rank))
    )
    found: dict[str, list[float]] = {}
    for grp, value, is_median, is_p90 in rows:
        pair = found.setdefault(str(grp), [0.0, 0.0])
        if is_median:
            pair[0] = float(value)
        if is_p90:
            pair[1] = float(value)
    return {grp: (pair[0], pair[1]) for grp, pair in found.items()}


def response_times(
    *, session: Session, community_id: int, start: datetime, end: datetime
) -> list[tuple[str, datetime, float]]:
    """(asker level, sent at, minutes to first response) of each answered help request in
    [start, end): the pairs business-time figures are measured from."""
    rows = session.execute(
        select(
            col(Message.author_level), col(Message.sent_at), col(Message.first_response_minutes)
        ).where(
            member_messages_where(community_id, start, end),
            col(Message.kind) == HELP_REQUEST,
            col(Message.first_response_minutes).is_not(None),
        )
    )
    return [(str(level), sent_at, float(minutes)) for level, sent_at, minutes in rows]


def help_given_by_member(
    *, session: Session, community_id: int, start: datetime, end: datetime
) -> dict[int, int]:
    """Substantive replies to someone else's help request per member id, sent in [start, end)."""
    request = aliased(Message)
    rows = session.execute(
        select(col(Message.member_id), func.count())
        .join(request, col(request.id) == col(Message.reply_to_id))
        .where(
            member_messages_where(community_id, start, end),
            col(Message.substantive).is_(True),
            col(Message.member_id).is_not(None),
            col(request.kind) == HELP_REQUEST,
            or_(
                col(request.member_id).is_(None),
                col(request.member_id) != col(Message.member_id),
            ),
        )
        .group_by(col(Message.member_id))
    )
    return {int(member): int(n) for member, n in rows}


def broadcasts_by_member(
    *, session: Session, community_id: int, start: datetime, end: datetime
) -> dict[int, dict[str, int]]:
    """Gyaan and job posts per member id in [start, end), answers left out.

    A substantive reply is an answer whatever kind it was first given: it counts as help
    (help_given_by_member), never as broadcasting.
    """
    answer = and_(col(Message.substantive).is_(True), col(Message.reply_to_id).is_not(None))
    rows = session.execute(
        select(col(Message.member_id), col(Message.kind), func.count())
        .where(
            member_messages_where(community_id, start, end),
            col(Message.kind).in_((GYAAN, JOB_POST)),
            col(Message.member_id).is_not(None),
            ~answer,
        )
        .group_by(col(Message.member_id), col(Message.kind))
    )
    found: dict[int, dict[str, int]] = {}
    for member, kind, n in rows:
        found.setdefault(int(member), {})[str(kind)] = int(n)
    return found
