"""The outbox: every post the bot makes, keyed so that a retry can never post twice.

A post's life (`OutboxState`), the same for every sender:

    pending ──claim──▶ sending ──▶ sent            (the platform answered with its id)
                          │       ├─▶ failed        (certainly not posted: may be claimed again)
                          │       └─▶ unknown       (may have posted: never resent)
    Twilio's delivery callbacks then move a WhatsApp row forward only:
    queued/accepted/scheduled ▶ sending ▶ sent ▶ delivered ▶ read, or failed/undelivered/canceled.

`dedupe_key` is the natural key; `external_id` the platform's id (Slack `channel:ts`, a MessageSid).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlmodel import Session, col, select

from storage.inserts import insert_ignore
from storage.tables import DeliveryStatus, Outbox


class OutboxState(StrEnum):
    """Where a post stands; Twilio's own delivery states are stored as Twilio names them."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNKNOWN = "unknown"


def record_once(
    *,
    session: Session,
    dedupe_key: str,
    platform: str,
    destination: str,
    body: str,
    now: datetime,
    state: OutboxState = OutboxState.PENDING,
    error: str | None = None,
) -> bool:
    """Write a post's row unless its dedupe key exists; True when this call created it."""
    return insert_ignore(
        session,
        Outbox,
        {"dedupe_key": dedupe_key[:200], "platform": platform, "destination": destination[:200],
         "body": body, "status": state.value, "attempts": 0, "error": error, "created_at": now},
    )  # fmt: skip


def claim_for_sending(*, session: Session, dedupe_key: str) -> bool:
    """Move a pending or failed post to `sending` (one attempt more); False when it is not ours."""
    result = session.execute(
        update(Outbox)
        .where(
            col(Outbox.dedupe_key) == dedupe_key,
            col(Outbox.status).in_([OutboxState.PENDING, OutboxState.FAILED]),
        )
        .values(status=OutboxState.SENDING, attempts=col(Outbox.attempts) + 1)
    )
    return cast(CursorResult[Any], result).rowcount == 1


def by_dedupe_key(*, session: Session, dedupe_key: str) -> Outbox | None:
    """The post with this dedupe key."""
    return session.exec(select(Outbox).where(col(Outbox.dedupe_key) == dedupe_key[:200])).first()


def by_external_id(*, session: Session, external_id: str, key_prefix: str = "") -> Outbox | None:
    """The post the platform knows by `external_id` (optionally only keys with `key_prefix`)."""
    query = select(Outbox).where(col(Outbox.external_id) == external_id)
    if key_prefix:
        query = query.where(col(Outbox.dedupe_key).startswith(key_prefix))
    return session.exec(query).first()


def states_with_prefix(*, session: Session, key_prefix: str) -> list[tuple[str, str]]:
    """(dedupe_key, status) of every post whose key starts with `key_prefix`."""
    rows = session.exec(
        select(col(Outbox.dedupe_key), col(Outbox.status)).where(
            col(Outbox.dedupe_key).startswith(key_prefix)
        )
    )
    return [(str(key), str(status)) for key, status in rows]


def update_post(*, session: Session, dedupe_key: str, values: Mapping[str, Any]) -> None:
    """Set columns of the post with this dedupe key."""
    session.execute(
        update(Outbox).where(col(Outbox.dedupe_key) == dedupe_key[:200]).values(**values)
    )


def record_delivery_status(
    *, session: Session, message_sid: str, status: str, error_code: str | None, now: datetime
) -> bool:
    """Keep a delivery callback once per (MessageSid, status); True when it is new."""
    return insert_ignore(
        session,
        DeliveryStatus,
        {
            "message_sid": message_sid,
            "status": status,
            "error_code": error_code,
            "received_at": now,
        },
    )
