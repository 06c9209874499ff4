"""Every query Liftbot runs, as functions taking a keyword-only session."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Row, and_, func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel, col, select

from storage.tables import (
    Community,
    Correction,
    Expertise,
    ImportRun,
    LevelTag,
    Member,
    Message,
    Suppression,
    utcnow,
)


def _insert_for(session: Session, model: type[SQLModel]) -> Any:
    table = SQLModel.metadata.tables[str(model.__tablename__)]
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def insert_ignore(session: Session, model: type[SQLModel], values: Mapping[str, Any]) -> bool:
    """Atomically insert a row unless its natural key exists; True when it was inserted."""
    # RETURNING tells a fresh row from an ignored one on every backend (psycopg's rowcount
    # after ON CONFLICT DO NOTHING is not reliable).
    statement = _insert_for(session, model).values(**values).on_conflict_do_nothing()
    key = SQLModel.metadata.tables[str(model.__tablename__)].primary_key.columns.values()[0]
    return session.execute(statement.returning(key)).first() is not None


def insert_many_ignore(
    session: Session, model: type[SQLModel], rows: Sequence[Mapping[str, Any]]
) -> None:
    """Bulk insert-or-ignore (one executemany); existing natural keys are left untouched."""
    if rows:
        session.execute(_insert_for(session, model).on_conflict_do_nothing(), list(rows))


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
