"""New messages collected while a worker dispatches a batch of stored events, then stored
together (`ingest_many`: one classification, one insert) instead of one transaction each.

Edits, deletions and everything else are still handled as their event is dispatched; only new
messages wait, and only until the end of the batch, before their inbox rows are finished.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field

from bot.domain import ChatMessage
from bot.pipeline.ingest import ingest, ingest_many
from handlers.slack.context import SlackContext
from storage.db import session_scope

log = logging.getLogger(__name__)

_open = threading.local()  # the batch the current thread is dispatching, if any


@dataclass
class MessageBatch:
    """The new messages of a batch of inbox rows, each with the row it came from."""

    current: int = 0  # the inbox row being dispatched
    waiting: list[tuple[int, SlackContext, str, ChatMessage]] = field(default_factory=list)


@contextmanager
def batched_messages() -> Iterator[MessageBatch]:
    """While open, new messages handled on this thread wait in the batch (see `defer`)."""
    batch = MessageBatch()
    _open.batch = batch
    try:
        yield batch
    finally:
        _open.batch = None


def defer(ctx: SlackContext, team_id: str, message: ChatMessage) -> bool:
    """Keep a new message for its batch's `store_batch`; False when no batch is open."""
    batch: MessageBatch | None = getattr(_open, "batch", None)
    if batch is None:
        return False
    batch.waiting.append((batch.current, ctx, team_id, message))
    return True


def store_batch(
    batch: MessageBatch, turn: Callable[[], AbstractContextManager[None]] = nullcontext
) -> dict[int, str | None]:
    """Store the messages waiting in a batch, one transaction per workspace; the error to
    record on each inbox row (None: stored). A transaction that fails is redone message by
    message, so that one bad message fails only its own row. `turn`: the writer's turn
    shared with the web process on SQLite, held while writing."""
    groups: dict[tuple[int, str], list[tuple[int, SlackContext, str, ChatMessage]]] = {}
    waiting, batch.waiting = batch.waiting, []
    for item in waiting:
        groups.setdefault((id(item[1]), item[2]), []).append(item)
    errors: dict[int, str | None] = {}
    for items in groups.values():
        _, ctx, team_id, _ = items[0]
        messages = [message for *_, message in items]
        try:
            with turn(), session_scope(ctx.engine) as session:
                community_id = ctx.community_id(session, team_id)
                classifier = ctx.classifier_for(session, community_id)
            # Judged before the writing transaction (the classifier keeps its verdicts): on
            # SQLite the web process's acks wait while a worker holds the writer's turn.
            classifier.classify_many([m.text for m in messages if _plain(m)])
            with turn(), session_scope(ctx.engine) as session:
                ingest_many(
                    messages, session=session, community_id=community_id, classifier=classifier
                )
            errors.update((inbox_id, None) for inbox_id, *_ in items)
        except Exception:
            log.exception("slack worker: a batch of messages failed; storing them one by one")
            errors.update(_one_by_one(items, turn))
    return errors


def _plain(message: ChatMessage) -> bool:
    """A member's words judged as they are (not a reply, forwarded, system line or marker)."""
    return (
        not (message.system or message.marker or message.forwarded)
        and message.thread_key
        in (
            None,
            message.source_key,
        )
        and message.reply_to_source_key is None
    )


def _one_by_one(
    items: list[tuple[int, SlackContext, str, ChatMessage]],
    turn: Callable[[], AbstractContextManager[None]],
) -> dict[int, str | None]:
    errors: dict[int, str | None] = {}
    for inbox_id, ctx, team_id, message in items:
        try:
            with turn(), session_scope(ctx.engine) as session:
                community_id = ctx.community_id(session, team_id)
                classifier = ctx.classifier_for(session, community_id)
                ingest(message, session=session, community_id=community_id, classifier=classifier)
            errors.setdefault(inbox_id, None)
        except Exception as exc:  # recorded on the row, retried with backoff
            log.exception("slack event processing failed")
            errors[inbox_id] = type(exc).__name__
    return errors
