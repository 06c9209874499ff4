"""Scheduled posts: due in the community's zone, sent exactly once, retried only when safe."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.config import Settings
from bot.domain import HelperSuggestion
from bot.jobs.clock import in_quiet_hours, nudge_text, run_due_jobs, weekly_due
from bot.jobs.senders import SendRejected
from bot.pipeline.community_config import default_config
from bot.reports.weeks import IsoWeek
from storage import queries
from storage.db import session_scope
from storage.tables import JobRun
from tests.fakes import RecordingSender
from tests.reports.builders import Chat, make_chat

SETTINGS = Settings()  # Monday 09:00 report, 18:00 digest, nudge after 4 h, quiet 21-08
IST = "Asia/Kolkata"


def utc(local: str, chat: Chat) -> datetime:
    return chat.at(local)


def busy_community(
    engine: Engine, timezone: str = IST, filler: int = 200, platform: str = "slack"
) -> tuple[Chat, int]:
    """A community with enough chatter for the post budget and one open request (Tue 10:00)."""
    with session_scope(engine) as session:
        chat = make_chat(session, timezone=timezone, platform=platform)
        meera = chat.member("Meera", "junior")
        chatter = chat.member("Chatty", "mid")
        for i in range(filler):
            chat.post(chatter, chat.at("2026-11-23 08:00") - timedelta(minutes=20 * i))
        request = chat.ask(meera, "2026-11-24 10:00", "Any POSH trainer in Pune?")
    return Chat(session, chat.community_id, chat.zone), request


def suggest(_session: Session, _message_id: int) -> list[HelperSuggestion]:
    return [HelperSuggestion("Priya", 0.9, "answered POSH questions"),
            HelperSuggestion("Kavita", 0.6, "senior peer")]  # fmt: skip


def runs(engine: Engine) -> list[tuple[str, str, str, int]]:
    """The scheduled posts' runs (the daily retention pass's own runs post nothing)."""
    with session_scope(engine) as session:
        rows = session.exec(select(JobRun).order_by(JobRun.id))  # type: ignore[arg-type]
        return [(r.job, r.period, r.status, r.attempts) for r in rows if r.job != "retention"]


def test_weekly_report_waits_for_the_report_hour_in_the_community_zone(engine: Engine) -> None:
    chat, _ = busy_community(engine)
    sender = RecordingSender()
    assert run_due_jobs(engine, SETTINGS, sender, utc("2026-11-23 08:59", chat)) == []
    done = run_due_jobs(engine, SETTINGS, sender, utc("2026-11-23 09:00", chat))
    assert done == ["weekly_report 2026-W47 HR Leaders Circle: sent"]
    assert run_due_jobs(engine, SETTINGS, sender, utc("2026-11-23 09:01", chat)) == []
    [post] = sender.sent
    assert post.method == "report" and not post.chart  # W47 had no help requests: no chart
    assert "HR Leaders Circle · week 2026-W47" in post.text
    assert "No help requests this week." in post.text


@pytest.mark.parametrize(
    ("zone", "monday", "utc_hour"),
    [("America/New_York", "2026-03-09", 13), ("America/New_York", "2026-11-02", 14),
     ("Europe/London", "2026-03-30", 8), ("Europe/London", "2026-10-26", 9)],
)  # fmt: skip
def test_report_time_follows_local_clock_across_dst(zone: str, monday: str, utc_hour: int) -> None:
    due_utc = datetime.fromisoformat(f"{monday}T{utc_hour:02d}:00+00:00")
    config = replace(default_config(SETTINGS), timezone=zone)
    assert weekly_due(due_utc - timedelta(seconds=1), config) is None
    week = weekly_due(due_utc, config)
    assert week is not None and week.next() == IsoWeek.containing(due_utc, ZoneInfo(zone))


@pytest.mark.parametrize(
    ("hour", "quiet"),
    [(20, False), (21, True), (23, True), (0, True), (7, True), (8, False), (14, False)],
)
def test_quiet_hours_wrap_midnight(hour: int, quiet: bool) -> None:
    moment = datetime(2026, 11, 24, hour, 30, tzinfo=UTC)
    assert in_quiet_hours(moment, ZoneInfo("UTC"), (21, 8)) is quiet


def test_nudge_once_after_the_wait_naming_possible_helpers(engine: Engine) -> None:
    chat, request = busy_community(engine)
    sender = RecordingSender()
    early = run_due_jobs(engine, SETTINGS, sender, utc("2026-11-24 13:59", chat), suggest=suggest)
    assert early == ["weekly_report 2026-W47 HR Leaders Circle: sent"]
    done = run_due_jobs(engine, SETTINGS, sender, utc("2026-11-24 14:01", chat), suggest=suggest)
    assert done == [f"nudge nudge:{request} HR Leaders Circle: sent"]
    nudge = sender.sent[-1]
    assert nudge.text == "No answer yet — Priya and Kavita might know."
    assert nudge.thread is not None
    assert run_due_jobs(engine, SETTINGS, sender, utc("2026-11-24 15:00", chat)) == []
    assert len(sender.texts("text")) == 1


def test_no_nudge_during_quiet_hours_then_one_in_the_morning(engine: Engine) -> None:
    chat, request = busy_community(engine)
    sender = RecordingSender()
    with session_scope(engine) as session:
        same = Chat(session, chat.community_id, chat.zone)
        late = same.ask(same.member("Night Owl", "mid"), "2026-11-24 19:30", "Late question?")
    run_due_jobs(engine, SETTINGS, sender, utc("2026-11-24 16:00", chat))  # nudges the 10:00 one
    sender.sent.clear()
    for hour in ("2026-11-24 23:30", "2026-11-25 03:00", "2026-11-25 07:59"):
        assert run_due_jobs(engine, SETTINGS, sender, utc(hour, chat)) == []
    done = run_due_jobs(engine, SETTINGS, sender, utc("2026-11-25 08:00", chat))
    assert done == [f"nudge nudge:{late} HR Leaders Circle: sent"]
    assert request != late


def test_no_nudge_beyond_three_bot_posts_per_hundred_member_messages(engine: Engine) -> None:
    chat, _ = busy_community(engine, filler=20)  # 21 member messages: not even one post fits
    sender = RecordingSender()
    assert run_due_jobs(engine, SETTINGS, sender, utc("2026-11-24 14:00", chat)) == [
        "weekly_report 2026-W47 HR Leaders Circle: sent"]  # fmt: skip
    assert sender.texts("text") == []


def test_daily_digest_lists_waiting_requests_once_a_day(engine: Engine) -> None:
    chat, _ = busy_community(engine)
    sender = RecordingSender()
    run_due_jobs(engine, SETTINGS, sender, utc("2026-11-24 17:00", chat))
    sender.sent.clear()
    done = run_due_jobs(engine, SETTINGS, sender, utc("2026-11-24 18:00", chat))
    assert done == ["daily_digest 2026-11-24 HR Leaders Circle: sent"]
    assert sender.sent[0].text.startswith("*Still waiting for an answer (1)*")
    assert "Meera (junior), 8.0 h: “Any POSH trainer in Pune?”" in sender.sent[0].text
    assert run_due_jobs(engine, SETTINGS, sender, utc("2026-11-24 18:30", chat)) == []


def test_a_refused_post_is_retried_after_backoff_and_sent_once(engine: Engine) -> None:
    chat, _ = busy_community(engine)
    sender = RecordingSender(failures=[SendRejected("503 from platform")])
    nine = utc("2026-11-23 09:00", chat)
    assert run_due_jobs(engine, SETTINGS, sender, nine) == [
        "weekly_report 2026-W47 HR Leaders Circle: failed"]  # fmt: skip
    assert run_due_jobs(engine, SETTINGS, sender, nine + timedelta(seconds=30)) == []
    assert run_due_jobs(engine, SETTINGS, sender, nine + timedelta(minutes=1)) == [
        "weekly_report 2026-W47 HR Leaders Circle: sent"]  # fmt: skip
    assert len(sender.sent) == 1
    assert runs(engine) == [("weekly_report", "2026-W47", "sent", 2)]


def test_retries_are_bounded(engine: Engine) -> None:
    chat, _ = busy_community(engine)
    sender = RecordingSender(failures=[SendRejected("down")] * 10)
    moment = utc("2026-11-23 09:00", chat)
    for _ in range(12):
        run_due_jobs(engine, SETTINGS, sender, moment)
        moment += timedelta(minutes=20)
    assert runs(engine) == [("weekly_report", "2026-W47", "failed", SETTINGS.job_max_attempts)]
    assert len(sender.failures) == 10 - SETTINGS.job_max_attempts


def test_an_ambiguous_failure_is_recorded_unknown_and_never_resent(engine: Engine) -> None:
    chat, _ = busy_community(engine)
    sender = RecordingSender(failures=[TimeoutError("connection dropped after sending")])
    moment = utc("2026-11-23 09:00", chat)
    assert run_due_jobs(engine, SETTINGS, sender, moment) == [
        "weekly_report 2026-W47 HR Leaders Circle: unknown"]  # fmt: skip
    for minutes in (1, 10, 60, 600):
        assert run_due_jobs(engine, SETTINGS, sender, moment + timedelta(minutes=minutes)) == []
    assert sender.sent == []
    assert runs(engine)[0][2] == "unknown"


def test_an_exported_group_gets_its_report_and_digest_but_no_nudges(engine: Engine) -> None:
    chat, _ = busy_community(engine, platform="whatsapp_export", filler=5)
    sender = RecordingSender()
    done = run_due_jobs(engine, SETTINGS, sender, utc("2026-11-24 18:00", chat))
    assert done == ["weekly_report 2026-W47 HR Leaders Circle: sent",
                    "daily_digest 2026-11-24 HR Leaders Circle: sent"]  # fmt: skip
    assert [(s.method, s.destination, s.thread) for s in sender.sent] == [
        ("report", "HR Leaders Circle", None), ("text", "HR Leaders Circle", None)]  # fmt: skip
    # Five messages are far below the post budget: the admin's copy is not a post in the group.
    assert "Meera (junior)" in sender.sent[1].text


def test_an_old_export_is_reported_once_for_its_newest_week(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session, "Old export", platform="whatsapp_export")
        meera = chat.member("Meera", "junior")
        chat.ask(meera, "2024-03-12 10:00", "How do I structure a PIP?")
    sender = RecordingSender()
    done = run_due_jobs(engine, SETTINGS, sender, chat.at("2026-11-23 09:00"))
    assert done == ["weekly_report 2024-W11 Old export: sent"]
    assert "Old export · week 2024-W11" in sender.sent[0].text
    assert run_due_jobs(engine, SETTINGS, sender, chat.at("2026-11-30 09:00")) == []


@pytest.mark.parametrize(
    ("names", "text"),
    [([], "No answer yet — can anyone help?"),
     (["Priya"], "No answer yet — Priya might know."),
     (["A", "B", "C"], "No answer yet — A, B and C might know."),
     (["\u202eevil"], "No answer yet — evil might know.")],
)  # fmt: skip
def test_nudge_wording(names: list[str], text: str) -> None:
    assert nudge_text(names) == text


def crashed_claim(engine: Engine, chat: Chat, status: str, claimed_at: datetime) -> None:
    """A clock process that claimed the weekly report and then died (kill -9)."""
    with session_scope(engine) as session:
        run = JobRun(job="weekly_report", community_id=chat.community_id, period="2026-W47",
                     status=status, attempts=1, claimed_by="dead:1",
                     claimed_at=claimed_at)  # fmt: skip
        session.add(run)


def test_a_claim_abandoned_before_sending_is_taken_over_and_sent_once(engine: Engine) -> None:
    chat, _ = busy_community(engine)
    nine = utc("2026-11-23 09:00", chat)
    crashed_claim(engine, chat, "claimed", nine)
    sender = RecordingSender()
    assert run_due_jobs(engine, SETTINGS, sender, nine + timedelta(minutes=5)) == []
    assert run_due_jobs(engine, SETTINGS, sender, nine + timedelta(minutes=16)) == []
    done = run_due_jobs(engine, SETTINGS, sender, nine + timedelta(minutes=17))
    assert done == ["weekly_report 2026-W47 HR Leaders Circle: sent"]
    assert len(sender.sent) == 1
    assert runs(engine) == [("weekly_report", "2026-W47", "sent", 2)]


def test_a_process_killed_while_sending_leaves_unknown_never_a_second_post(engine: Engine) -> None:
    chat, _ = busy_community(engine)
    nine = utc("2026-11-23 09:00", chat)
    crashed_claim(engine, chat, "sending", nine)
    sender = RecordingSender()
    for minutes in (1, 16, 60, 24 * 60):
        assert run_due_jobs(engine, SETTINGS, sender, nine + timedelta(minutes=minutes)) == []
    assert sender.sent == []
    assert runs(engine)[0][2] == "unknown"


def test_requests_already_nudged_leave_the_nudge_queue(engine: Engine) -> None:
    chat, request = busy_community(engine)
    with session_scope(engine) as session:
        same = Chat(session, chat.community_id, chat.zone)
        later = same.ask(same.member("Arjun", "mid"), "2026-11-24 10:05", "Gratuity rules?")
        session.add(JobRun(job="nudge", community_id=chat.community_id, period=f"nudge:{request}"))
    with session_scope(engine) as session:
        day = (utc("2026-11-24 00:00", chat), utc("2026-11-25 00:00", chat))
        window = {"session": session, "community_id": chat.community_id, "limit": 10,
                  "start": day[0], "end": day[1]}  # fmt: skip
        waiting = queries.open_requests(**window, without_job="nudge")  # type: ignore[arg-type]
        everyone = queries.open_requests(**window)  # type: ignore[arg-type]
    assert [r.id for r in waiting] == [later]
    assert [r.id for r in everyone] == [request, later]
