"""The clock keeps each community's own schedule: report day and hour, zone, channel, and nudges
that wait for business time where a community has business hours."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.jobs.clock import run_due_jobs
from bot.pipeline.community_config import set_setting
from storage.db import session_scope
from storage.tables import Community
from tests.fakes import RecordingSender
from tests.reports.builders import Chat, make_chat

SETTINGS = Settings()  # Monday 09:00 report, 18:00 digest, nudge after 4 h, quiet 21-08


def configure(engine: Engine, community_id: int, **choices: str) -> None:
    """Set settings the way `/lift config name value` does."""
    with session_scope(engine) as session:
        community = session.get(Community, community_id)
        assert community is not None
        for name, raw in choices.items():
            set_setting(session=session, community=community, settings=SETTINGS,
                        name=name.replace("_", "-"), raw=raw, by="U-mod")  # fmt: skip


def community(engine: Engine, name: str, timezone: str, platform: str = "slack") -> Chat:
    with session_scope(engine) as session:
        chat = make_chat(session, name, timezone=timezone, platform=platform)
    return chat


def reports(done: list[str]) -> list[str]:
    return [line for line in done if line.startswith("weekly_report")]


def test_two_communities_get_their_reports_on_their_own_day_hour_and_zone(
    engine: Engine,
) -> None:
    mumbai = community(engine, "Mumbai chapter", "Asia/Kolkata")
    london = community(engine, "London chapter", "Asia/Kolkata")
    configure(engine, london.community_id, timezone="Europe/London", report_day="friday",
              report_hour="17")  # fmt: skip
    sender = RecordingSender()
    monday_nine_ist = mumbai.at("2026-11-23 09:00")
    assert reports(run_due_jobs(engine, SETTINGS, sender, monday_nine_ist - timedelta(minutes=1))) == []
    assert reports(run_due_jobs(engine, SETTINGS, sender, monday_nine_ist)) == [
        "weekly_report 2026-W47 Mumbai chapter: sent"]  # fmt: skip
    friday = datetime.fromisoformat("2026-11-27T17:00:00+00:00")  # 17:00 in London (GMT)
    assert reports(run_due_jobs(engine, SETTINGS, sender, friday - timedelta(minutes=1))) == []
    assert reports(run_due_jobs(engine, SETTINGS, sender, friday)) == [
        "weekly_report 2026-W47 London chapter: sent"]  # fmt: skip
    assert [s.text.splitlines()[0] for s in sender.sent] == [
        "*Mumbai chapter · week 2026-W47*", "*London chapter · week 2026-W47*"]  # fmt: skip
    assert "(Europe/London)" in sender.sent[1].text


def test_a_digest_comes_at_the_communitys_own_hour(engine: Engine) -> None:
    chat = community(engine, "Mumbai chapter", "Asia/Kolkata", platform="whatsapp_export")
    with session_scope(engine) as session:
        same = Chat(session, chat.community_id, chat.zone)
        same.ask(same.member("Meera", "junior"), "2026-11-24 09:00", "Any POSH trainer in Pune?")
    configure(engine, chat.community_id, digest_hour="14")
    sender = RecordingSender()
    run_due_jobs(engine, SETTINGS, sender, chat.at("2026-11-24 13:59"))
    assert sender.texts("text") == []
    done = run_due_jobs(engine, SETTINGS, sender, chat.at("2026-11-24 14:00"))
    assert "daily_digest 2026-11-24 Mumbai chapter: sent" in done


def test_a_slack_community_reports_to_the_channel_its_moderators_chose(engine: Engine) -> None:
    chat = community(engine, "HR Leaders Circle", "Asia/Kolkata")
    configure(engine, chat.community_id, channel="<#C0ADMINS|hr-admins>")
    sender = RecordingSender()
    run_due_jobs(engine, SETTINGS, sender, chat.at("2026-11-23 09:00"))
    assert [(s.method, s.destination) for s in sender.sent] == [("report", "C0ADMINS")]


def busy(engine: Engine, name: str) -> tuple[Chat, int]:
    """A Slack community with chatter enough for the post budget and a Friday-afternoon request."""
    chat = community(engine, name, "Asia/Kolkata")
    with session_scope(engine) as session:
        same = Chat(session, chat.community_id, chat.zone)
        chatter = same.member("Chatty", "mid")
        for i in range(200):
            same.post(chatter, same.at("2026-11-20 12:00") - timedelta(minutes=20 * i))
        request = same.ask(same.member("Meera", "junior"), "2026-11-20 16:00", "Any POSH trainer?")
    return chat, request


def nudges(done: list[str]) -> list[str]:
    """The communities nudged, from lines like `nudge nudge:12 Desk: sent`."""
    return [line.split(" ", 2)[2].rsplit(":", 1)[0] for line in done if line.startswith("nudge")]


def test_nudges_wait_for_business_time_and_for_the_desk_to_open(engine: Engine) -> None:
    desk, desk_request = busy(engine, "Desk")
    configure(engine, desk.community_id, business_hours="mon-fri 09:00-18:00", nudge_after="4h")
    _, open_request = busy(engine, "Round the clock")
    sender = RecordingSender()

    def nudged_at(local: str) -> list[str]:
        return nudges(run_due_jobs(engine, SETTINGS, sender, desk.at(local)))

    # Friday 16:00 + 4 h: the community without business hours is nudged after 20:00.
    assert nudged_at("2026-11-20 20:01") == ["Round the clock"]
    # The desk closed at 18:00 with 2 business hours gone; nothing over the weekend.
    for moment in ("2026-11-20 20:30", "2026-11-21 12:00", "2026-11-22 19:00"):
        assert nudged_at(moment) == []
    assert nudged_at("2026-11-23 10:59") == []  # Monday: 2 h + 1 h 59 min
    assert nudged_at("2026-11-23 11:01") == ["Desk"]
    assert nudged_at("2026-11-23 12:00") == []  # once only
    threads = [s.thread for s in sender.sent if s.method == "text" and s.thread]
    assert len(threads) == 2 and desk_request != open_request


def test_an_overdue_nudge_still_waits_for_opening_time(engine: Engine) -> None:
    desk, _ = busy(engine, "Desk")
    configure(engine, desk.community_id, business_hours="mon-fri 10:00-17:00",
              quiet_hours="off")  # fmt: skip
    sender = RecordingSender()
    # Due since Monday 13:00 (Friday 16-17, Monday 10-13), but the clock was down on Monday:
    # with quiet hours off, only the closed desk holds the nudge back until Tuesday 10:00.
    for moment in ("2026-11-23 17:00", "2026-11-23 23:00", "2026-11-24 09:59"):
        assert nudges(run_due_jobs(engine, SETTINGS, sender, desk.at(moment))) == []
    assert nudges(run_due_jobs(engine, SETTINGS, sender, desk.at("2026-11-24 10:00"))) == ["Desk"]
