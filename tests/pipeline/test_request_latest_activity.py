"""One ask is one request: the weekly report lists it once, with when its thread last moved."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.domain import ChatMessage, Platform
from bot.judgement.classify import Classifier
from bot.pipeline.ingest import ingest
from bot.reports.contents import WeeklyReport
from bot.reports.files import render_json
from bot.reports.render import render_text
from bot.reports.weekly import build_weekly_report
from bot.reports.weeks import IsoWeek
from handlers.export_files import import_file
from storage import queries
from storage.db import session_scope
from storage.tables import Message

W47 = IsoWeek(2026, 47)  # Monday 16 – Sunday 22 November 2026
CHAT = """\
16/11/2026, 09:10 - Nandini Rao: Good morning all 🙏
16/11/2026, 10:40 - Rohit Menon: Can anyone recommend a labour law consultant for factory licence renewals in Hosur?
16/11/2026, 11:02 - Aditya Kulkarni: Hiring: HR Executive (0-2 yrs), Pune. DM CV
17/11/2026, 12:30 - Nandini Rao: Happy Tuesday everyone
18/11/2026, 09:15 - Rohit Menon: Bumping this once – any leads for a labour law consultant in Hosur? 🙏
"""


def _imported_week(engine: Engine, tmp_path: Path, chat: str) -> WeeklyReport:
    """Import the chat as a user would and build the report of its week."""
    export = tmp_path / "chat.txt"
    export.write_text(chat, encoding="utf-8")
    settings = Settings.from_env(
        {"DATABASE_URL": str(engine.url), "LIFTBOT_SECRET_KEY": "test-pepper"}
    )
    import_file(export, engine=engine, settings=settings, community="HR", timezone="UTC")
    with session_scope(engine) as session:
        community = queries.community_named(session=session, name="HR")
        assert community is not None and community.id is not None
        return build_weekly_report(
            session, community.id, W47, settings, now=datetime(2026, 11, 25, tzinfo=UTC)
        )


def test_a_bumped_request_is_listed_once_with_its_latest_activity(
    engine: Engine, tmp_path: Path
) -> None:
    report = _imported_week(engine, tmp_path, CHAT)

    assert [r.excerpt[:41] for r in report.unanswered] == [
        "Can anyone recommend a labour law consult"
    ]
    request = report.unanswered[0]
    assert request.latest_activity_at == datetime(2026, 11, 18, 9, 15, tzinfo=UTC)
    assert "last activity Wed\u00a018\u00a0Nov\u00a009:15" in "\n".join(render_text(report))
    listed = json.loads(render_json(report))["unanswered"][0]
    assert listed["latest_activity_at"] == "2026-11-18T09:15:00+00:00"


def test_a_request_nobody_touched_has_no_latest_activity(engine: Engine, tmp_path: Path) -> None:
    report = _imported_week(engine, tmp_path, "\n".join(CHAT.splitlines()[:4]) + "\n")
    assert len(report.unanswered) == 1
    assert report.unanswered[0].latest_activity_at is None
    assert "last activity" not in "\n".join(render_text(report))


def _slack(ts: str, author: str, text: str, thread: str | None = None) -> ChatMessage:
    at = datetime.fromtimestamp(float(ts), tz=UTC)
    return ChatMessage(
        Platform.SLACK, "C1", f"C1:{ts}", at, f"U-{author}", author, text,
        thread_key=f"C1:{thread}" if thread else None,
    )  # fmt: skip


def test_a_live_thread_reply_moves_the_requests_latest_activity(engine: Engine) -> None:
    classifier = Classifier()
    asked, bumped = "1763283600.000100", "1763456400.000200"
    with session_scope(engine) as session:
        community = queries.ensure_community(
            session=session, name="Slack HR", platform=Platform.SLACK.value, timezone="UTC"
        )
        assert community.id is not None
        request = _slack(asked, "rohit", "Can anyone recommend a POSH trainer for our Pune plant?")
        bump = _slack(bumped, "rohit", "Bumping this – any leads? 🙏", thread=asked)
        for message in (request, bump):
            ingest(message, session=session, community_id=community.id, classifier=classifier)
    with session_scope(engine) as session:
        stored = session.execute(
            select(Message.latest_activity_at, Message.answered).where(
                Message.source_key == f"C1:{asked}"
            )
        ).one()
    assert stored.latest_activity_at == datetime.fromtimestamp(float(bumped), tz=UTC)
    assert not stored.answered
