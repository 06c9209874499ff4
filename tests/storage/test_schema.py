"""The schema is built by migrations, and the natural keys are unique."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine

from storage.db import session_scope
from storage.tables import Community, Message


def test_migrations_create_every_unique_natural_key(engine: Engine) -> None:
    inspector = inspect(engine)
    uniques = {
        table: {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)}
        for table in inspector.get_table_names()
    }
    assert ("community_id", "source_key") in uniques["message"]
    assert ("source", "event_id") in uniques["inbox_event"]
    assert ("job", "community_id", "period") in uniques["job_run"]
    assert ("message_sid", "status") in uniques["delivery_status"]
    assert ("member_id", "topic") in uniques["expertise"]


def test_timestamps_round_trip_as_aware_utc(engine: Engine) -> None:
    ist = timezone(timedelta(hours=5, minutes=30))
    written = datetime(2024, 6, 3, 9, 26, 41, 123456, tzinfo=ist)
    with session_scope(engine) as session:
        community = Community(name="HR Leaders", platform="whatsapp_export")
        session.add(community)
        session.flush()
        assert community.id is not None
        session.add(
            Message(
                community_id=community.id,
                platform="whatsapp_export",
                source_key="k1",
                sent_at=written,
                text="hello",
            )
        )
    with session_scope(engine) as session:
        stored = session.exec(select(Message.sent_at)).one()[0]  # type: ignore[call-overload]
    assert stored == written
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored == written.astimezone(UTC)
