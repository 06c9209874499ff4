"""A member leaving a channel is recorded for retention; coming back clears it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.tables import Member
from tests.handlers.slack import payloads as p
from tests.handlers.slack.test_events import post_event


def member(engine: Engine, key: str) -> Member:
    with Session(engine) as session:
        return session.exec(select(Member).where(col(Member.key) == key)).one()


def channel_leave(user: str, ts: str) -> dict[str, Any]:
    """The `channel_leave` message Slack posts in the channel (message.channels)."""
    return {"type": "message", "subtype": "channel_leave", "user": user, "channel": p.CHANNEL,
            "text": f"<@{user}> has left the channel", "ts": ts, "event_ts": ts,
            "channel_type": "channel"}  # fmt: skip


def left_channel(user: str) -> dict[str, Any]:
    """member_left_channel (no ts of its own: the envelope's time is the delivery's)."""
    return {"type": "member_left_channel", "user": user, "channel": p.CHANNEL,
            "channel_type": "C", "team": p.TEAM}  # fmt: skip


def test_leaving_stamps_the_member_and_rejoining_clears_it(client: Any, engine: Engine) -> None:
    post_event(client, p.joined("UNEW"), "Ev01")
    assert member(engine, "UNEW").departed_at is None
    post_event(client, channel_leave("UNEW", "1718000500.000100"), "Ev02")
    assert member(engine, "UNEW").departed_at == datetime(2024, 6, 10, 6, 21, 40, 100, tzinfo=UTC)
    post_event(client, p.joined("UNEW"), "Ev03")
    assert member(engine, "UNEW").departed_at is None


def test_member_left_channel_event_stamps_the_delivery_time(client: Any, engine: Engine) -> None:
    post_event(client, p.joined("UNEW"), "Ev11")
    before = datetime.now(UTC)
    post_event(client, left_channel("UNEW"), "Ev12")
    departed = member(engine, "UNEW").departed_at
    assert departed is not None and departed >= before.replace(microsecond=0)
    assert member(engine, "UNEW").display_name == "Nina"  # the name goes only under retention
