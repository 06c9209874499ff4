"""The live pipeline stores each message once, judges it, and links answers to requests."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from bot.domain import Kind, Platform
from bot.pipeline.classifier_book import ClassifierBook
from bot.pipeline.ingest import apply_delete, apply_edit, ingest
from bot.pipeline.moderation import forget_member, reclassify
from storage import queries
from storage.db import session_scope
from storage.tables import Member, Message
from tests.builders import T0, said

ASK = "Can anyone share a POSH policy template for a 60-person startup? Need it by Friday 🙏"


def _community(session: Session) -> int:
    row = queries.ensure_community(
        session=session, name="HR Leaders", platform=Platform.SLACK.value, timezone="Asia/Kolkata"
    )
    assert row.id is not None
    return row.id


def _ingest_all(engine: Engine, *messages: object) -> list[str]:
    book = ClassifierBook()
    statuses = []
    for message in messages:
        with session_scope(engine) as session:
            community_id = _community(session)
            classifier = book.classifier_for(session=session, community_id=community_id)
            outcome = ingest(
                message,  # type: ignore[arg-type]
                session=session,
                community_id=community_id,
                classifier=classifier,
            )
            statuses.append(outcome.status)
    return statuses


def _request(engine: Engine, key: str = "ask") -> Message:
    with session_scope(engine) as session:
        found = queries.message_by_source(session=session, community_id=1, source_key=key)
        assert found is not None
        return found


def test_the_same_message_delivered_three_times_is_stored_once(engine: Engine) -> None:
    ask = said("Meera", ASK, key="ask")
    assert _ingest_all(engine, ask, ask, ask) == ["stored", "duplicate", "duplicate"]
    with session_scope(engine) as session:
        assert session.execute(select(func.count()).select_from(Message)).scalar_one() == 1


def test_a_substantive_threaded_reply_answers_the_request_with_its_response_time(
    engine: Engine,
) -> None:
    _ingest_all(
        engine,
        said("Meera", ASK, key="ask"),
        said("Arjun", "+1 following", minutes=5, thread="ask"),
        said(
            "Ravi",
            "Sharing ours — adapt the IC section, it needs an external member.",
            minutes=42,
            thread="ask",
        ),
    )
    request = _request(engine)
    assert request.kind == Kind.HELP_REQUEST.value
    assert request.answered is True and request.resolved is False
    assert request.first_response_minutes == 42.0


def test_plus_one_reply_does_not_answer_request(engine: Engine) -> None:
    _ingest_all(
        engine,
        said("Meera", ASK, key="ask"),
        said("Arjun", "+1", minutes=3, thread="ask"),
        said("Farah", "Following 🙏", minutes=9, thread="ask"),
    )
    assert _request(engine).answered is False


def test_the_askers_own_reply_is_not_an_answer_but_sorted_resolves(engine: Engine) -> None:
    _ingest_all(
        engine,
        said("Meera", ASK, key="ask"),
        said("Meera", "Any help on this? 🙏", minutes=60, thread="ask"),
    )
    assert _request(engine).answered is False
    _ingest_all(engine, said("Meera", "Thanks all, sorted now 👍", minutes=90, thread="ask"))
    request = _request(engine)
    assert request.resolved is True and request.first_answer_id is None


def test_a_bot_reply_never_answers(engine: Engine) -> None:
    _ingest_all(
        engine,
        said("Meera", ASK, key="ask"),
        said(
            "Reminder Bot",
            "Here is a POSH template link: https://intra.example/posh",
            minutes=1,
            thread="ask",
            is_bot=True,
        ),
    )
    assert _request(engine).answered is False


def test_a_delete_that_arrives_before_its_message_wins(engine: Engine) -> None:
    with session_scope(engine) as session:
        community_id = _community(session)
        apply_delete(
            session=session,
            community_id=community_id,
            source_key="ask",
            platform="slack",
            sent_at=T0,
        )
    assert _ingest_all(engine, said("Meera", ASK, key="ask")) == ["tombstoned"]
    with session_scope(engine) as session:
        row = queries.message_by_source(session=session, community_id=1, source_key="ask")
        assert row is not None and row.deleted and row.text == ""


def test_an_edit_changes_text_and_kind(engine: Engine) -> None:
    _ingest_all(engine, said("Meera", "Good morning all 🌞", key="m1"))
    with session_scope(engine) as session:
        classifier = ClassifierBook().classifier_for(session=session, community_id=1)
        apply_edit(
            said("Meera", ASK, key="m1"), session=session, community_id=1, classifier=classifier
        )
    edited = _request(engine, "m1")
    assert edited.edited and edited.text == ASK and edited.kind == Kind.HELP_REQUEST.value


def test_a_moderator_correction_changes_the_next_prediction_for_a_similar_message(
    engine: Engine,
) -> None:
    pitch = "We at TalentBridge close niche tech roles in 15 days, 8.33% fee, DM for details"
    _ingest_all(engine, said("Vendor", pitch, key="p1"))
    first = _request(engine, "p1")
    target = Kind.JOB_POST if first.kind != Kind.JOB_POST.value else Kind.OTHER
    with session_scope(engine) as session:
        reclassify(session=session, message=session.get(Message, first.id), kind=target, by="UMOD")  # type: ignore[arg-type]
    _ingest_all(engine, said("Vendor2", pitch.replace("15 days", "14 days"), key="p2"))
    assert _request(engine, "p2").kind == target.value


def test_forget_me_erases_the_member_and_blocks_recreation(engine: Engine) -> None:
    _ingest_all(
        engine,
        said("Meera", ASK, key="ask"),
        said("Ravi", "Sharing ours — adapt the IC section.", minutes=42, thread="ask"),
    )
    for _ in range(2):  # idempotent
        with session_scope(engine) as session:
            forget_member(session=session, community_id=1, key="U-Ravi")
    assert _ingest_all(engine, said("Ravi", "I'm back", minutes=50)) == ["suppressed"]
    with session_scope(engine) as session:
        names = session.execute(select(col(Member.display_name))).scalars().all()
        assert names == ["Meera"]
        assert session.execute(select(func.count()).select_from(Message)).scalar_one() == 1
    assert _request(engine).answered is False
