"""Rules that once had a copy per entry point, pinned as the single behaviour they now share."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.app.contracts import analyze_file
from bot.config import Settings
from bot.domain import Marker
from bot.pipeline.classifier_book import ClassifierBook
from bot.pipeline.importer import ImportSummary, summary_sentence
from bot.pipeline.ingest import ingest
from bot.reports.stored_messages import export_messages
from handlers.export_files import import_file
from storage import queries
from storage.db import session_scope
from storage.tables import Member, Message
from tests.builders import said

EXPORT = """\
16/11/2026, 09:00 - Nandini Rao added Kiran
16/11/2026, 09:05 - Kiran: <Media omitted>
16/11/2026, 09:06 - Kiran: This message was deleted
16/11/2026, 09:10 - Kiran: Can someone share a leave policy template for a 40 person startup?
"""
PLACEHOLDER_REASONS = ["system line", "media placeholder", "deleted message"]


def test_an_import_and_analyze_give_the_same_reason_for_what_no_member_wrote(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "chat.txt"
    path.write_text(EXPORT, encoding="utf-8")
    settings = Settings.from_env({"DATABASE_URL": str(engine.url), "LIFTBOT_SECRET_KEY": "k"})
    import_file(path, engine=engine, settings=settings, community="HR")
    with Session(engine) as session:
        rows = session.exec(select(Message).order_by(col(Message.sent_at))).all()
        stored = [(r.kind, r.kind_confidence, r.kind_reason) for r in rows[:3]]
    analyzed = [(a["kind"], a["confidence"], a["reason"]) for a in analyze_file(path)][:3]
    assert stored == analyzed == [("other", 1.0, reason) for reason in PLACEHOLDER_REASONS]


def test_a_live_attachment_gets_the_same_verdict_as_an_imported_one(engine: Engine) -> None:
    with session_scope(engine) as session:
        community = queries.ensure_community(
            session=session, name="HR", platform="slack", timezone="UTC"
        )
        assert community.id is not None
        attachment = replace(said("Kiran", "Hiring: HR Executive, Pune"), marker=Marker.MEDIA)
        classifier = ClassifierBook().classifier_for(session=session, community_id=community.id)
        outcome = ingest(
            attachment, session=session, community_id=community.id, classifier=classifier
        )
    assert outcome.classification is not None
    assert outcome.classification.reason == "media placeholder"


def test_every_platform_reports_an_import_in_the_same_sentence() -> None:
    first, last = datetime(2024, 6, 3, 1, 18, tzinfo=UTC), datetime(2024, 6, 23, 9, 0, tzinfo=UTC)
    summary = ImportSummary("People Leaders", "chat.txt", 260, 250, 30, first, last)
    assert summary_sentence(summary) == (
        "Imported chat.txt into 'People Leaders': 260 messages read, 250 new, 30 members, "
        "from 2024-06-03 to 2024-06-23."
    )
    empty = ImportSummary("People Leaders", "chat.txt", 0, 0, 0, None, None)
    assert summary_sentence(empty).endswith("0 new, 0 members.")


def _member_level(engine: Engine, *messages: object) -> tuple[str, str]:
    book = ClassifierBook()
    for message in messages:
        with session_scope(engine) as session:
            row = queries.ensure_community(
                session=session, name="HR", platform="slack", timezone="UTC"
            )
            assert row.id is not None
            classifier = book.classifier_for(session=session, community_id=row.id)
            ingest(message, session=session, community_id=row.id, classifier=classifier)  # type: ignore[arg-type]
    with Session(engine) as session:
        member = session.exec(select(Member)).one()
        return member.level, member.level_source


def test_a_new_profile_title_replaces_the_old_one(engine: Engine) -> None:
    assert _member_level(
        engine,
        said("Asha", "hello", key="a", title="VP People"),
        said("Asha", "hi again", key="b", title="HR intern"),
    ) == ("junior", "profile_title")


def test_a_profile_title_never_overrides_the_members_own_statement(engine: Engine) -> None:
    assert _member_level(
        engine,
        said("Asha", "Hi all, I'm the CHRO of a 2,000 person logistics firm", key="a"),
        said("Asha", "hi again", key="b", title="HR intern"),
    ) == ("executive", "own_statement")


def test_placeholder_reasons_reach_the_export_as_stored(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text(EXPORT, encoding="utf-8")
    settings = Settings.from_env({"DATABASE_URL": str(engine.url), "LIFTBOT_SECRET_KEY": "k"})
    import_file(path, engine=engine, settings=settings, community="HR")
    out = tmp_path / "export.jsonl"
    with out.open("w", encoding="utf-8") as stream:
        export_messages(engine, settings, "HR", "jsonl", stream)
    reasons = [json.loads(line)["reason"] for line in out.read_text().splitlines()][:3]
    assert reasons == PLACEHOLDER_REASONS
