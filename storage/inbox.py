"""The inbox: every webhook delivery stored once before it is acknowledged, then processed once.

A delivery's life, the same on every platform (`InboxState`):

    pending ──claim──▶ processing ──finish──▶ done
                           │                  failed ──claim (retry)──▶ processing …
                           └─ left by a crashed worker for STALE_AFTER ─▶ pending again
    ignored: stored for the record (a shape no listener can handle), never processed
    rejected: stored for the record (impossible content, e.g. a 1970 timestamp), never a message

The natural key is (source, event_id): Slack's event_id, a Slack command's trigger_id, Twilio's
MessageSid. While a row is `processing`, `processed_at` holds when it was claimed (no schema change
needed), so a claim left behind by a killed worker is recognised and reset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import CursorResult, func, update
from sqlmodel import Session, col, select

from storage.inserts import insert_ignore
from storage.tables import InboxEvent

STALE_AFTER = timedelta(minutes=10)


class InboxState(StrEnum):
    """Where a stored delivery stands (see the module docstring)."""

    PENDING = "pending"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"
    IGNORED = "ignored"
    REJECTED = "rejected"


class InboxSource(StrEnum):
    """Which platform channel a delivery came through."""

    SLACK_EVENT = "slack_event"
    SLACK_COMMAND = "slack_command"
    TWILIO_MESSAGE = "twilio_message"


@dataclass(frozen=True, slots=True)
class Stored:
    """The row a delivery is kept in, whether this call created it, and its state now."""

    id: int
    inserted: bool
    state: InboxState


def store_once(
    *,
    session: Session,
    source: InboxSource,
    event_id: str,
    payload: str,
    now: datetime,
    state: InboxState = InboxState.PENDING,
    error: str | None = None,
) -> Stored:
    """Keep a delivery unless (source, event_id) is already stored; a duplicate changes nothing."""
    inserted = insert_ignore(
        session,
        InboxEvent,
        {"source": source.value, "event_id": event_id, "payload": payload,
         "status": state.value, "error": error[:500] if error else None, "received_at": now},
    )  # fmt: skip
    row = session.exec(
        select(InboxEvent).where(
            col(InboxEvent.source) == source.value, col(InboxEvent.event_id) == event_id
        )
    ).one()
    assert row.id is not None
    return Stored(row.id, inserted, InboxState(row.status))


def claim(*, session: Session, inbox_id: int, now: datetime) -> str | None:
    """Move a pending or failed delivery to `processing` for this worker; its payload, or None
    when another worker holds it or it is finished."""
    result = session.execute(
        update(InboxEvent)
        .where(
            col(InboxEvent.id) == inbox_id,
            col(InboxEvent.status).in_([InboxState.PENDING, InboxState.FAILED]),
        )
        .values(status=InboxState.PROCESSING, processed_at=now)
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        return None
    row = session.get(InboxEvent, inbox_id)
    return row.payload if row is not None else None


def finish(
    *, session: Session, inbox_id: int, state: InboxState, now: datetime, error: str | None = None
) -> None:
    """Record how processing ended (`done`, or `failed` with a short reason for a retry)."""
    session.execute(
        update(InboxEvent)
        .where(col(InboxEvent.id) == inbox_id)
        .values(status=state, error=error[:500] if error else None, processed_at=now)
    )


def due(*, session: Session, source: InboxSource, now: datetime, limit: int = 500) -> list[int]:
    """Deliveries to (re)process, oldest first: pending, failed, and stale claims (reset here)."""
    claimed_at = func.coalesce(col(InboxEvent.processed_at), col(InboxEvent.received_at))
    session.execute(
        update(InboxEvent)
        .where(
            col(InboxEvent.source) == source.value,
            col(InboxEvent.status) == InboxState.PROCESSING,
            claimed_at < now - STALE_AFTER,
        )
        .values(status=InboxState.PENDING)
    )
    ids = session.exec(
        select(col(InboxEvent.id))
        .where(
            col(InboxEvent.source) == source.value,
            col(InboxEvent.status).in_([InboxState.PENDING, InboxState.FAILED]),
        )
        .order_by(col(InboxEvent.id))
        .limit(limit)
    )
    return [int(i) for i in ids if i is not None]
