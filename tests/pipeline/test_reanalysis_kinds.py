"""Re-judging a stored conversation corrects kinds the way `liftbot analyze` does (one rule)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from bot.pipeline.moderation import unanswered
from bot.pipeline.reanalysis import reanalyze
from storage.db import session_scope
from storage.tables import Message
from tests.reports.builders import make_chat

AFTER = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_reanalysis_reveals_nudged_requests_and_drops_introductions_offering_help(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session)
        kritika, sunita = chat.member("Kritika Jain", "mid"), chat.member("Sunita Rao", "mid")
        harsh, ishita = chat.member("Harsh Vardhan", "junior"), chat.member("Ishita C", "junior")
        ids = {
            "hidden": chat.post(
                kritika, "2026-11-16 11:30", "gyaan",
                "Hospital ke liye HRMS suggest karein – shift rostering strong hona chahiye",
            ),
            "nudge": chat.ask(kritika, "2026-11-17 14:30", "Koi bhi suggestion? 🙏 HRMS for hospital"),
            "intro": chat.ask(
                sunita, "2026-11-17 15:00",
                "Hi all, Payroll Manager here – 9 yrs in payroll. Happy to help with payroll queries.",
            ),
            "ask": chat.ask(
                harsh, "2026-11-18 11:10",
                "Fresher, MBA HR 2024. Looking for People Ops roles at startups in Bangalore",
            ),
            "vouch": chat.ask(ishita, "2026-11-18 11:45", "Anyone hiring freshers? Harsh is sharp"),
        }  # fmt: skip
        community_id = chat.community_id
    reanalyze(engine=engine, community_id=community_id, since=datetime(2026, 11, 1, tzinfo=UTC))
    with session_scope(engine) as session:
        kinds = {name: session.get(Message, i).kind for name, i in ids.items()}  # type: ignore[union-attr]
        waiting = unanswered(session=session, community_id=community_id, now=AFTER, limit=10)
    assert kinds == {
        "hidden": "help_request",
        "nudge": "other",
        "intro": "other",
        "ask": "help_request",
        "vouch": "other",
    }
    assert [r.message_id for r in waiting.oldest] == [ids["hidden"], ids["ask"]]
