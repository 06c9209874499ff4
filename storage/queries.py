"""Every query Liftbot runs, as functions taking a keyword-only session."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Row, String, and_, case, func, literal, or_, update
from sqlalchemy import cast as cast_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage.inserts import insert_ignore as insert_ignore  # re-exported for callers
from storage.inserts import insert_many_ignore as insert_many_ignore
from storage.tables import (
    Community,
    Correction,
    Expertise,
    ImportRun,
    JobRun,
    LevelTag,
    Member,
    Message,
    Suppression,
    utcnow,
)

# --- communities and members -------------------------------------------------------------


def community_named(*, session: Session, name: str) -> Community | None:
    """The community with this name, if any."""
    return session.exec(select(Community).where(col(Community.name) == name)).first()


def ensure_community(
    *, session: Session, name: str, platform: str, timezone: str, external_id: str | None = None
) -> Community:
    """The community with this name, created on first use."""
    insert_ignore(
        session,
        Community,
        {
            "name": name,
            "platform": platform,
            "timezone": timezone,
            "external_id": external_id,
            "created_at": utcnow(),
        },
    )
    found = community_named(session=session, name=name)
    assert found is not None
    return found


def list_communities(*, session: Session) -> list[Community]:
    """All communities, by name."""
    return list(session.exec(select(Community).order_by(Community.name)))


def ensure_members(
    *, session: Session, community_id: int, people: Mapping[str, tuple[str, bool]]
) -> dict[str, int]:
    """Member ids for `{key: (display_name, is_bot)}`, creating the missing ones atomically."""
    if not people:
        return {}
    now = utcnow()
    insert_many_ignore(
        session,
        Member,
        [
            {
                "community_id": community_id,
                "key": key,
                "display_name": name[:200],
                "is_bot": is_bot,
                "level": "unknown",
                "level_source": "none",
                "level_reason": "",
                "is_moderator": False,
                "created_at": now,
            }
            for key, (name, is_bot) in people.items()
        ],
    )
    return member_ids(session=session, community_id=community_id, keys=people.keys())


def member_ids(*, session: Session, community_id: int, keys: Iterable[str]) -> dict[str, int]:
    """Map member keys to ids (unknown keys are absent)."""
    wanted = list(keys)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = session.execute(
            select(col(Member.key), col(Member.id)).where(
                col(Member.community_id) == community_id, col(Member.key).in_(chunk)
            )
        )
        found.update({key: member_id for key, member_id in rows})
    return found


def member_by_key(*, session: Session, community_id: int, key: str) -> Member | None:
    """The member with this key."""
    return session.exec(
        select(Member).where(col(Member.community_id) == community_id, col(Member.key) == key)
    ).first()


def members_of(*, session: Session, community_id: int) -> list[Member]:
    """Every member of a community."""
    return list(session.exec(select(Member).where(col(Member.community_id) == community_id)))


def set_member_level(
    *, session: Session, member_id: int, level: str, source: str, reason: str
) -> None:
    """Store a member's resolved level with its evidence."""
    session.execute(
        update(Member)
        .where(col(Member.id) == member_id)
        .values(level=level, level_source=source, level_reason=reason[:300])
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


def level_tags(*, session: Session, community_id: int) -> list[tuple[int, str, str]]:
    """(member_id, level, source) of every moderator tag and own statement in a community."""
    rows = session.execute(
        select(col(LevelTag.member_id), col(LevelTag.level), col(LevelTag.source))
        .join(Member, col(Member.id) == LevelTag.member_id)
        .where(col(Member.community_id) == community_id)
    )
    return [(int(m), str(level), str(source)) for m, level, source in rows]


def expertise_of(*, session: Session, community_id: int) -> dict[int, set[str]]:
    """Declared topics per member id."""
    rows = session.execute(
        select(col(Expertise.member_id), col(Expertise.topic))
        .join(Member, col(Member.id) == Expertise.member_id)
        .where(col(Member.community_id) == community_id)
    )
    topics: dict[int, set[str]] = {}
    for member_id, topic in rows:
        topics.setdefault(int(member_id), set()).add(str(topic))
    return topics


def corrections_of(*, session: Session, community_id: int) -> list[tuple[str, str]]:
    """(text, kind) of every moderator correction in a community, oldest first."""
    rows = session.execute(
        select(col(Correction.text), col(Correction.kind))
        .where(col(Correction.community_id) == community_id)
        .order_by(col(Correction.id))
    )
    return [(str(t), str(k)) for t, k in rows]


# --- messages --------------------------------------------------------------------------


def message_by_source(*, session: Session, community_id: int, source_key: str) -> Message | None:
    """The message with this natural key."""
    return session.exec(
        select(Message).where(
            col(Message.community_id) == community_id, col(Message.source_key) == source_key
        )
    ).first()


CONVERSATION_COLUMNS = (
    Message.id,
    Message.sent_at,
    Member.display_name,
    Message.text,
    Message.system,
    Message.is_bot,
    Message.reply_to_id,
    Message.marker,
    Message.forwarded,
    Message.kind_source,
    Message.kind,
    Message.source_key,
    Message.reply_to_source_key,
    Message.thread_key,
    Message.member_id,
    Message.resolved,
    Message.kind_reason,
    Message.substantive,
)


def conversation_rows(
    *,
    session: Session,
    community_id: int,
    since: datetime | None = None,
    after: tuple[datetime, int] | None = None,
    limit: int = 20_000,
) -> Sequence[Row[Any]]:
    """Non-deleted messages in time order from `since`, after the keyset `(sent_at, id)`."""
    query = (
        select(*CONVERSATION_COLUMNS)  # type: ignore[call-overload]
        .outerjoin(Member, col(Member.id) == col(Message.member_id))
        .where(col(Message.community_id) == community_id, col(Message.deleted).is_(False))
        .order_by(col(Message.sent_at), col(Message.id))
        .limit(limit)
    )
    if since is not None:
        query = query.where(col(Message.sent_at) >= since)
    if after is not None:
        sent_at, last_id = after
        query = query.where(
            or_(
                col(Message.sent_at) > sent_at,
                and_(col(Message.sent_at) == sent_at, col(Message.id) > last_id),
            )
        )
    return list(session.exec(query))


def conversation_before(
    *, session: Session, message: Message, since: datetime, limit: int
) -> Sequence[Row[Any]]:
    """The newest `limit` non-deleted messages up to and including `message`, in time order."""
    query = (
        select(*CONVERSATION_COLUMNS)  # type: ignore[call-overload]
        .outerjoin(Member, col(Member.id) == col(Message.member_id))
        .where(
            col(Message.community_id) == message.community_id,
            col(Message.deleted).is_(False),
            col(Message.sent_at) >= since,
            or_(
                col(Message.sent_at) < message.sent_at,
                and_(col(Message.sent_at) == message.sent_at, col(Message.id) <= message.id),
            ),
        )
        .order_by(col(Message.sent_at).desc(), col(Message.id).desc())
        .limit(limit)
    )
    return list(reversed(list(session.exec(query))))


def count_messages(*, session: Session, community_id: int, import_id: int | None = None) -> int:
    """Stored messages of a community (or added by one import)."""
    query = (
        select(func.count()).select_from(Message).where(col(Message.community_id) == community_id)
    )
    if import_id is not None:
        query = query.where(col(Message.import_id) == import_id)
    return int(session.execute(query).scalar_one())


def update_messages(*, session: Session, updates: Sequence[Mapping[str, Any]]) -> None:
    """Bulk update message columns by id (each mapping has `id` plus the columns to set)."""
    if not updates:
        return
    by_columns: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in updates:
        by_columns.setdefault(tuple(sorted(row)), []).append(row)
    for rows in by_columns.values():
        session.execute(update(Message), list(rows))


# --- imports ---------------------------------------------------------------------------


def start_import(*, session: Session, community_id: int, file_name: str) -> ImportRun:
    """Record an import as running."""
    run = ImportRun(community_id=community_id, file_name=file_name[:300], status="running")
    session.add(run)
    session.flush()
    return run


def finish_import(
    *, session: Session, import_id: int, status: str, entries: int, added: int
) -> None:
    """Record how an import ended."""
    session.execute(
        update(ImportRun)
        .where(col(ImportRun.id) == import_id)
        .values(status=status, entries=entries, added=added, finished_at=utcnow())
    )


def mark_interrupted_imports(*, session: Session, community_id: int) -> int:
    """Runs left `running` by a crashed importer become `interrupted`."""
    result = session.execute(
        update(ImportRun)
        .where(col(ImportRun.community_id) == community_id, col(ImportRun.status) == "running")
        .values(status="interrupted")
    )
    return int(cast(CursorResult[Any], result).rowcount)


def sync_author_levels(*, session: Session, community_id: int) -> None:
    """Copy each member's resolved level onto their messages (reports group by it)."""
    level = (
        select(col(Member.level)).where(col(Member.id) == col(Message.member_id)).scalar_subquery()
    )
    session.execute(
        update(Message)
        .where(col(Message.community_id) == community_id, col(Message.member_id).is_not(None))
        .values(author_level=level)
    )


def _export_query(community_id: int, *columns: Any) -> Any:
    return (
        select(*columns)
        .outerjoin(Member, col(Member.id) == col(Message.member_id))
        .where(col(Message.community_id) == community_id)
        .order_by(col(Message.sent_at), col(Message.id))
    )


def export_ids(*, session: Session, community_id: int) -> list[int]:
    """Message ids of a community in export order."""
    return [int(i) for (i,) in session.execute(_export_query(community_id, col(Message.id)))]


def export_rows(*, session: Session, community_id: int) -> Iterator[tuple[Message, str | None]]:
    """Every stored message with its author's display name, in time order, streamed."""
    query = _export_query(community_id, Message, col(Member.display_name))
    yield from session.execute(query.execution_options(yield_per=2_000))


def count_corrections(*, session: Session, community_id: int) -> int:
    """How many moderator corrections a community has."""
    query = (
        select(func.count())
        .select_from(Correction)
        .where(col(Correction.community_id) == community_id)
    )
    return int(session.exec(query).one())


# --- reports and scheduled jobs (weekly report, digest, nudges) ---------------------------

HELP_REQUEST = "help_request"


def _member_messages(community_id: int, start: datetime, end: datetime) -> Any:
    """Where-clause for what members wrote in [start, end): no system lines, bots or tombstones."""
    return and_(
        col(Message.community_id) == community_id,
        col(Message.sent_at) >= start,
        col(Message.sent_at) < end,
        col(Message.system).is_(False),
        col(Message.is_bot).is_(False),
        col(Message.deleted).is_(False),
    )


def _is_true(column: Any) -> Any:
    return func.sum(case((column.is_(True), 1), else_=0))


def kind_counts(
    *, session: Session, community_id: int, start: datetime, end: datetime
) -> dict[str, int]:
    """Member messages per kind in [start, end)."""
    rows = session.execute(
        select(col(Message.kind), func.count())
        .where(_member_messages(community_id, start, end))
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
        .where(_member_messages(community_id, start, end), col(Message.kind) == "job_post")
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
        .where(_member_messages(community_id, start, end), col(Message.kind) == HELP_REQUEST)
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
            _member_messages(community_id, start, end),
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


OPEN_REQUEST_COLUMNS = (
    Message.id,
    Message.sent_at,
    Member.display_name,
    Message.author_level,
    Message.text,
    Message.permalink,
    Message.thread_key,
    Message.source_key,
)


def _open_requests_where(community_id: int, start: datetime, end: datetime) -> Any:
    return and_(
        _member_messages(community_id, start, end),
        col(Message.kind) == HELP_REQUEST,
        or_(col(Message.answered).is_(None), col(Message.answered).is_(False)),
        or_(col(Message.resolved).is_(None), col(Message.resolved).is_(False)),
    )


def open_requests(
    *,
    session: Session,
    community_id: int,
    start: datetime,
    end: datetime,
    limit: int,
    without_job: str | None = None,
) -> list[Row[Any]]:
    """Unanswered, unresolved help requests sent in [start, end), oldest first.

    `without_job` leaves out requests that already have a job run `<job>:<message id>`.
    """
    query = (
        select(*OPEN_REQUEST_COLUMNS)  # type: ignore[call-overload]
        .outerjoin(Member, col(Member.id) == col(Message.member_id))
        .where(_open_requests_where(community_id, start, end))
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
    *, session: Session, community_id: int, start: datetime, end: datetime
) -> int:
    """How many unanswered, unresolved help requests were sent in [start, end)."""
    query = select(func.count()).where(_open_requests_where(community_id, start, end))
    return int(session.execute(query).scalar_one())


def help_given_by_member(
    *, session: Session, community_id: int, start: datetime, end: datetime
) -> dict[int, int]:
    """Substantive replies to someone else's help request per member id, sent in [start, end)."""
    request = aliased(Message)
    rows = session.execute(
        select(col(Message.member_id), func.count())
        .join(request, col(request.id) == col(Message.reply_to_id))
        .where(
            _member_messages(community_id, start, end),
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
    """Gyaan and job posts per member id in [start, end)."""
    rows = session.execute(
        select(col(Message.member_id), col(Message.kind), func.count())
        .where(
            _member_messages(community_id, start, end),
            col(Message.kind).in_(("gyaan", "job_post")),
            col(Message.member_id).is_not(None),
        )
        .group_by(col(Message.member_id), col(Message.kind))
    )
    found: dict[int, dict[str, int]] = {}
    for member, kind, n in rows:
        found.setdefault(int(member), {})[str(kind)] = int(n)
    return found


def member_names(*, session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """(display name, level) per member id."""
    wanted = sorted(set(ids))
    found: dict[int, tuple[str, str]] = {}
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(col(Member.id), col(Member.display_name), col(Member.level)).where(
                col(Member.id).in_(wanted[start : start + 500])
            )
        )
        found.update({int(i): (str(name), str(level)) for i, name, level in rows})
    return found


def latest_message_at(*, session: Session, community_id: int) -> datetime | None:
    """When the community's most recent stored member message was sent."""
    query = select(func.max(col(Message.sent_at))).where(
        col(Message.community_id) == community_id,
        col(Message.system).is_(False),
        col(Message.deleted).is_(False),
    )
    value = session.execute(query).scalar_one_or_none()
    return cast(datetime | None, value)


def claim_job_run(
    *, session: Session, job: str, community_id: int, period: str, worker: str, now: datetime
) -> bool:
    """Claim (job, community, period) for this worker; False when any process claimed it first."""
    return insert_ignore(
        session,
        JobRun,
        {
            "job": job,
            "community_id": community_id,
            "period": period,
            "status": "claimed",
            "attempts": 1,
            "claimed_by": worker[:100],
            "claimed_at": now,
        },
    )


def job_run(*, session: Session, job: str, community_id: int, period: str) -> JobRun | None:
    """The run of (job, community, period), if any process claimed it."""
    return session.exec(
        select(JobRun).where(
            col(JobRun.job) == job,
            col(JobRun.community_id) == community_id,
            col(JobRun.period) == period,
        )
    ).first()


def reclaim_failed_job_run(
    *, session: Session, run_id: int, attempts: int, worker: str, now: datetime
) -> bool:
    """Take over a failed run for a retry; only one process can win (compare-and-set)."""
    result = session.execute(
        update(JobRun)
        .where(
            col(JobRun.id) == run_id,
            col(JobRun.status) == "failed",
            col(JobRun.attempts) == attempts,
        )
        .values(status="claimed", attempts=attempts + 1, claimed_by=worker[:100], claimed_at=now)
    )
    return bool(cast(CursorResult[Any], result).rowcount)


def set_job_run_status(
    *, session: Session, run_id: int, status: str, now: datetime, error: str | None = None
) -> None:
    """Record how a run stands: sending, sent, failed, unknown or skipped."""
    session.execute(
        update(JobRun)
        .where(col(JobRun.id) == run_id)
        .values(status=status, finished_at=now, error=error[:500] if error else None)
    )


def count_bot_posts(*, session: Session, community_id: int, since: datetime) -> int:
    """Posts the bot made (or may have made) to a community since `since`."""
    query = select(func.count()).where(
        col(JobRun.community_id) == community_id,
        col(JobRun.claimed_at) >= since,
        col(JobRun.status).in_(("claimed", "sending", "sent", "unknown")),
    )
    return int(session.execute(query).scalar_one())


def count_member_messages(
    *, session: Session, community_id: int, start: datetime, end: datetime
) -> int:
    """Member messages (no system lines, bots or tombstones) in [start, end)."""
    query = select(func.count()).where(_member_messages(community_id, start, end))
    return int(session.execute(query).scalar_one())


def reachable_helpers(*, session: Session, community_id: int, besides: int | None) -> list[Member]:
    """Members who opted in as helpers and whose contact the bot keeps, other than `besides`."""
    query = select(Member).where(
        col(Member.community_id) == community_id,
        col(Member.helper_opt_in).is_(True),
        col(Member.contact_sealed).is_not(None),
    )
    if besides is not None:
        query = query.where(col(Member.id) != besides)
    return list(session.exec(query))
