"""A worker's batch of live messages is stored as one by one would store it, in fewer steps."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.domain import ChatMessage
from bot.pipeline.classifier_book import ClassifierBook
from bot.pipeline.ingest import ingest, ingest_many
from bot.pipeline.moderation import forget_member
from storage import queries
from storage.db import session_scope
from storage.tables import Message
from tests.builders import said
from tests.pipeline.test_ingest import ASK

BATCH = [
    said("Meera", ASK, key="ask"),
    said("Ravi", "Sharing ours — adapt the IC section for your size.", minutes=42, thread="ask"),
    said("Asha", "I'm an HRBP with 12 years in HR; hiring a payroll lead in Pune", minutes=43),
    said("Asha", "Good morning all", minutes=44),
    said("Meera", ASK, key="ask"),  # a redelivery within the batch
    said("Gone", "I asked to be forgotten", minutes=45),
    said("Bot", "New job: HRBP, hiring now", minutes=46, is_bot=True),
]


def _community(session: Any, name: str) -> int:
    row = queries.ensure_community(session=session, name=name, platform="slack", timezone="UTC")
    assert row.id is not None
    return row.id


def _forget_gone(engine: Engine) -> None:
    with session_scope(engine) as session:
        community_id = _community(session, "one by one")
        queries.ensure_members(
            session=session, community_id=community_id, people={"U-Gone": ("Gone", False)}
        )
        forget_member(session=session, community_id=community_id, key="U-Gone")


def _stored(engine: Engine, community: str) -> tuple[list[Any], list[Any]]:
    """What a community holds, ids replaced by the natural keys they point at."""
    with session_scope(engine) as session:
        community_id = _community(session, community)
        keys = {m.id: m.key for m in queries.members_of(session=session, community_id=community_id)}
        rows = session.execute(
            select(Message).where(Message.community_id == community_id).order_by(Message.id)  # type: ignore[arg-type]
        ).scalars().all()  # fmt: skip
        by_id = {row.id: row.source_key for row in rows}
        messages = [
            (row.source_key, row.text, row.kind, keys.get(row.member_id or 0), row.author_level,
             row.substantive, row.answered, by_id.get(row.first_answer_id or 0),
             by_id.get(row.reply_to_id or 0))
            for row in sorted(rows, key=lambda r: r.source_key)  # replies are stored last
        ]  # fmt: skip
        members = sorted(
            (m.key, m.display_name, m.level, m.level_source)
            for m in queries.members_of(session=session, community_id=community_id)
        )
    return messages, members


def _one_by_one(engine: Engine, messages: list[ChatMessage]) -> list[str]:
    book, statuses = ClassifierBook(), []
    for message in messages:
        with session_scope(engine) as session:
            community_id = _community(session, "one by one")
            classifier = book.classifier_for(session=session, community_id=community_id)
            statuses.append(
                ingest(
                    message, session=session, community_id=community_id, classifier=classifier
                ).status
            )
    return statuses


def _together(engine: Engine, messages: list[ChatMessage]) -> list[str]:
    with session_scope(engine) as session:
        community_id = _community(session, "together")
        classifier = ClassifierBook().classifier_for(session=session, community_id=community_id)
        outcomes = ingest_many(
            messages, session=session, community_id=community_id, classifier=classifier
        )
    return [outcome.status for outcome in outcomes]


def test_a_batch_stores_links_and_refuses_exactly_what_one_by_one_does(engine: Engine) -> None:
    _forget_gone(engine)  # forgetting is deployment-wide: "Gone" is refused in both communities
    expected = _one_by_one(engine, BATCH)
    assert expected == [
        "stored", "stored", "stored", "stored", "duplicate", "suppressed", "stored"
    ]  # fmt: skip
    assert _together(engine, BATCH) == expected
    one_by_one, together = _stored(engine, "one by one"), _stored(engine, "together")
    assert together == one_by_one
    request = next(row for row in together[0] if row[0] == "ask")
    assert request[6] is True and request[7] == "C1:Ravi:42"  # answered by the batch's reply
    assert _together(engine, BATCH) == ["duplicate"] * 5 + ["suppressed", "duplicate"]
