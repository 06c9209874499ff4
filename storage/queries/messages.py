"""Stored messages: lookups, conversation windows, bulk updates and the export stream."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import and_, bindparam, func, or_, update
from sqlmodel import Session, col, select

from storage.inserts import insert_many_ignore_returning
from storage.queries.members import rows_by_key
from storage.tables import Member, Message

# Stored kinds the queries single out (the values of bot.domain.Kind, which storage cannot import).
HELP_REQUEST = "help_request"
JOB_POST = "job_post"
GYAAN = "gyaan"


def member_messages_where(community_id: int, start: datetime | None, end: datetime) -> Any:
    """Where-clause for what members wrote in [start, end): no system lines, bots or tombstones.

    `start` None means from the community's first message.
    """
    conditions = [
        col(Message.community_id) == community_id,
        col(Message.sent_at) < end,
        col(Message.system).is_(False),
        col(Message.is_bot).is_(False),
        col(Message.deleted).is_(False),
    ]
    if start is not None:
        conditions.append(col(Message.sent_at) >= start)
    return and_(*conditions)


def message_by_source(*, session: Session, community_id: int, source_key: str) -> Message | None:
    """The message with this natural key."""
    return session.exec(
        select(Message).where(
            col(Message.community_id) == community_id, col(Message.source_key) == source_key
        )
    ).first()


def messages_by_source(
    *, session: Session, community_id: int, source_keys: Iterable[str]
) -> dict[str, Message]:
    """`message_by_source` for many natural keys (unknown keys are absent)."""
    return rows_by_key(session, Message, community_id, "source_key", source_keys)


def insert_messages_returning_ids(
    *, session: Session, rows: Sequence[Mapping[str, Any]]
) -> dict[str, int]:
    """Insert-or-ignore message rows in one statement per chunk; the new rows' ids by natural
    key (a row whose key existed is left out)."""
    inserted = insert_many_ignore_returning(session, Message, rows, ("source_key", "id"))
    return {str(key): int(row_id) for key, row_id in inserted}


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
    # What the linking pass sets, so it writes only what changed.
    Message.role_level,
    Message.answered,
    Message.first_answer_id,
    Message.first_response_minutes,
    Message.topic,
    Message.latest_activity_at,
)


class ConversationRow(NamedTuple):
    """One row of CONVERSATION_COLUMNS. A plain tuple: the linking pass reads each row's
    fields many times, and a SQLAlchemy Row's attribute access costs ten times a tuple's."""

    id: int
    sent_at: datetime
    display_name: str | None
    text: str
    system: bool
    is_bot: bool
    reply_to_id: int | None
    marker: str | None
    forwarded: bool
    kind_source: str
    kind: str
    source_key: str
    reply_to_source_key: str | None
    thread_key: str | None
    member_id: int | None
    resolved: bool | None
    kind_reason: str
    substantive: bool
    role_level: str | None
    answered: bool | None
    first_answer_id: int | None
    first_response_minutes: float | None
    topic: str | None
    latest_activity_at: datetime | None


assert ConversationRow._fields == tuple(cast(Any, c).key for c in CONVERSATION_COLUMNS)


def _conversation(session: Session, query: Any) -> list[ConversationRow]:
    # Core execution: plain column rows need none of the ORM's per-row loading.
    return [ConversationRow._make(row) for row in session.connection().execute(query).all()]


def conversation_rows(
    *,
    session: Session,
    community_id: int,
    since: datetime | None = None,
    after: tuple[datetime, int] | None = None,
    limit: int = 20_000,
    until: datetime | None = None,
) -> list[ConversationRow]:
    """Non-deleted messages in time order from `since` (up to `until`, inclusive), after the
    keyset `(sent_at, id)`."""
    query = (
        select(*CONVERSATION_COLUMNS)  # type: ignore[call-overload]
        .outerjoin(Member, col(Member.id) == col(Message.member_id))
        .where(col(Message.community_id) == community_id, col(Message.deleted).is_(False))
        .order_by(col(Message.sent_at), col(Message.id))
        .limit(limit)
    )
    if since is not None:
        query = query.where(col(Message.sent_at) >= since)
    if until is not None:
        query = query.where(col(Message.sent_at) <= until)
    if after is not None:
        sent_at, last_id = after
        query = query.where(
            or_(
                col(Message.sent_at) > sent_at,
                and_(col(Message.sent_at) == sent_at, col(Message.id) > last_id),
            )
        )
    return _conversation(session, query)


def conversation_before(
    *, session: Session, message: Message, since: datetime, limit: int
) -> list[ConversationRow]:
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
    return list(reversed(_conversation(session, query)))


def count_messages(*, session: Session, community_id: int, import_id: int | None = None) -> int:
    """Stored messages of a community (or added by one import)."""
    query = (
        select(func.count()).select_from(Message).where(col(Message.community_id) == community_id)
    )
    if import_id is not None:
        query = query.where(col(Message.import_id) == import_id)
    return int(session.execute(query).scalar_one())


def imported_span(
    *, session: Session, community_id: int, import_ids: Sequence[int]
) -> tuple[datetime, datetime] | None:
    """When the first and last messages stored by these imports were sent (None: none)."""
    query = select(func.min(col(Message.sent_at)), func.max(col(Message.sent_at))).where(
        col(Message.community_id) == community_id, col(Message.import_id).in_(list(import_ids))
    )
    first, last = session.execute(query).one()
    return None if first is None else (first, last)


def latest_message_at(*, session: Session, community_id: int) -> datetime | None:
    """When the community's most recent stored member message was sent."""
    query = select(func.max(col(Message.sent_at))).where(
        col(Message.community_id) == community_id,
        col(Message.system).is_(False),
        col(Message.deleted).is_(False),
    )
    value = session.execute(query).scalar_one_or_none()
    return cast(datetime | None, value)


def update_messages(*, session: Session, updates: Sequence[Mapping[str, Any]]) -> None:
    """Bulk update message columns by id (each mapping has `id` plus the columns to set)."""
    if not updates:
        return
    by_columns: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in updates:
        by_columns.setdefault(tuple(sorted(row)), []).append(row)
    # One executemany of a plain UPDATE … WHERE id = ? per column set: the ORM's bulk update
    # costs more in Python than the database spends on the rows.
    table = Message.__table__  # type: ignore[attr-defined]
    by_id = update(table).where(table.c.id == bindparam("row_id"))
    for columns, rows in by_columns.items():
        values = [c for c in columns if c != "id"]
        session.execute(by_id, [{"row_id": r["id"], **{c: r[c] for c in values}} for r in rows])


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
