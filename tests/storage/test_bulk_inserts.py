"""Bulk insert-or-ignore of plain tuples: existing natural keys untouched, defaults filled."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine

from storage import queries
from storage.db import session_scope
from storage.tables import Member

COLUMNS = ("community_id", "key", "display_name", "created_at")


def _members(engine: Engine) -> list[tuple[str, str, str, datetime]]:
    with session_scope(engine) as session:
        rows = session.execute(
            select(Member.key, Member.display_name, Member.level, Member.created_at).order_by(
                Member.id  # type: ignore[arg-type]
            )
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_tuples_are_written_in_order_once_and_existing_keys_are_left_alone(
    engine: Engine,
) -> None:
    at = datetime(2026, 11, 16, 9, 30, 15, 123456, tzinfo=UTC)
    with session_scope(engine) as session:
        community = queries.ensure_community(
            session=session, name="HR", platform="whatsapp_export", timezone="UTC"
        )
        cid = community.id
        queries.insert_rows_ignore(
            session, Member, COLUMNS, [(cid, "k2", "Ravi", at), (cid, "k1", "Asha", at)]
        )
    with session_scope(engine) as session:
        queries.insert_rows_ignore(
            session,
            Member,
            COLUMNS,
            [(cid, "k1", "Asha renamed", at), (cid, "k3", "Mo", at), (cid, "k3", "Mo again", at)],
        )
    assert _members(engine) == [
        ("k2", "Ravi", "unknown", at),
        ("k1", "Asha", "unknown", at),
        ("k3", "Mo", "unknown", at),
    ]


def test_one_row_insert_or_ignore_says_whether_it_inserted(engine: Engine) -> None:
    at = datetime(2026, 11, 16, tzinfo=UTC)
    with session_scope(engine) as session:
        cid = queries.ensure_community(
            session=session, name="HR", platform="slack", timezone="UTC"
        ).id
        row = {"community_id": cid, "key": "U1", "display_name": "Asha", "created_at": at}
        assert queries.insert_ignore(session, Member, row) is True
        assert queries.insert_ignore(session, Member, {**row, "display_name": "x"}) is False
    assert _members(engine) == [("U1", "Asha", "unknown", at)]
