"""One definition of an open help request: `/lift unanswered` and the weekly report agree."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.reports.weekly import build_weekly_report
from bot.reports.weeks import IsoWeek
from storage.db import session_scope
from tests.pipeline.commands_context import lift
from tests.reports.builders import Chat, make_chat

W47 = IsoWeek(2026, 47)  # Monday 16 – Sunday 22 November 2026, India time
AFTER_THE_WEEK = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def fill(chat: Chat) -> dict[str, int]:
    """Requests of every sort: open, answered, resolved, and look-alikes that are no member's."""
    meera, priya = chat.member("Meera", "junior"), chat.member("Priya", "senior")
    bot = chat.member("Liftbot", is_bot=True)
    ids = {
        "open": chat.ask(meera, "2026-11-17 10:42", "Any POSH trainer in Pune?"),
        "open_marked_false": chat.ask(meera, "2026-11-18 09:00", "PF for interns?", answered=False),
        "open_by_a_departed_member": chat.post(
            None, "2026-11-18 11:00", "help_request", "Notice period buyout?"
        ),
        "answered": chat.ask(meera, "2026-11-16 10:00", "How do I structure a PIP?"),
        "resolved": chat.ask(meera, "2026-11-19 10:00", "Gratuity for contract staff?"),
        "bot_post": chat.ask(bot, "2026-11-17 08:00", "Reminder: who can help?", is_bot=True),
        "system_line": chat.post(None, "2026-11-17 08:05", "help_request", "x", system=True),
        "deleted": chat.ask(meera, "2026-11-18 12:00", "ignore this", deleted=True),
        "last_week": chat.ask(meera, "2026-11-11 10:00", "Leave policy template?"),
    }
    chat.reply(ids["answered"], priya, "2026-11-16 10:30")
    chat.resolve(ids["resolved"])
    return ids


def listed(reply: str) -> list[int]:
    return [int(n) for n in re.findall(r"^• #(\d+) ", reply, flags=re.MULTILINE)]


def test_lift_unanswered_and_the_weekly_report_list_the_same_open_requests(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session)
        ids = fill(chat)
        report = build_weekly_report(
            session, chat.community_id, W47, Settings(unanswered_after_hours=24),
            now=AFTER_THE_WEEK,
        )  # fmt: skip
        reply = lift(session, chat.community_id, "unanswered", now=AFTER_THE_WEEK)

    in_report = [r.message_id for r in report.unanswered]
    assert in_report == [ids["open"], ids["open_marked_false"], ids["open_by_a_departed_member"]]
    # The command is not limited to one week: it adds last week's request, otherwise the same.
    assert listed(reply) == [ids["last_week"], *in_report]
    assert report.unanswered_total == 3 and reply.startswith("4 open help request(s):")
    assert f"#{ids['open_by_a_departed_member']} · 2026-11-18 11:00 · someone ·" in reply


def test_a_request_asked_after_now_is_not_yet_listed(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session)
        meera = chat.member("Meera", "junior")
        asked = chat.ask(meera, "2026-11-17 10:42", "Any POSH trainer in Pune?")
        chat.ask(meera, "2026-11-18 10:42", "And one in Nagpur?")
        reply = lift(session, chat.community_id, "unanswered", now=chat.at("2026-11-18 10:00"))
    assert listed(reply) == [asked]
    assert "Meera (junior) · 23h open: Any POSH trainer in Pune?" in reply


def test_no_open_requests_gets_a_cheerful_line(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session)
        bot = chat.member("Liftbot", is_bot=True)
        chat.ask(bot, "2026-11-17 08:00", "Reminder: who can help?", is_bot=True)
        reply = lift(session, chat.community_id, "unanswered", now=AFTER_THE_WEEK)
    assert reply == "No open help requests 🎉"


def test_only_the_oldest_fifteen_are_shown_with_a_count_of_the_rest(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session)
        meera = chat.member("Meera", "junior")
        asked = [chat.ask(meera, f"2026-11-17 {h:02d}:00", f"Question {h}") for h in range(20)]
        reply = lift(session, chat.community_id, "unanswered", now=AFTER_THE_WEEK)
    assert listed(reply) == asked[:15]
    assert reply.splitlines()[0] == "20 open help request(s):"
    assert reply.splitlines()[-1] == "… and 5 more"
