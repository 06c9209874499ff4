"""Each community's posts go to its own destination: Slack, WhatsApp moderators, or a folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.app.senders import configured_router
from bot.config import Settings
from bot.jobs.clock import run_due_jobs, unrouted
from bot.jobs.folder import FolderSender, folder_name
from bot.jobs.routes import Route
from bot.jobs.senders import ReportMessage, SendRejected
from handlers.slack.sender import SlackSender
from handlers.whatsapp.report_sender import WhatsAppReportSender
from storage.db import session_scope
from storage.tables import Community
from tests.fakes import RecordingSender
from tests.reports.builders import make_chat

SETTINGS = Settings(secret_key="test")
TWILIO = {"twilio_account_sid": "AC1", "twilio_auth_token": "t", "twilio_whatsapp_from": "+1415"}


def community(platform: str, name: str = "Group") -> Community:
    return Community(id=1, name=name, platform=platform, external_id="T1")


def route_of(settings: Settings, engine: Engine, platform: str) -> Route | None:
    router = configured_router(settings, engine)
    assert router is not None
    return router(community(platform))


def test_slack_goes_to_the_admin_channel_and_a_live_group_to_its_moderators(
    engine: Engine,
) -> None:
    settings = Settings(secret_key="test", slack_bot_token="xoxb-1", slack_admin_channel="C-ADMIN",
                        **TWILIO)  # type: ignore[arg-type]  # fmt: skip
    slack = route_of(settings, engine, "slack")
    assert slack is not None and isinstance(slack.sender, SlackSender)
    assert (slack.destination, slack.in_group) == ("C-ADMIN", True)
    live = route_of(settings, engine, "whatsapp")
    assert live is not None and isinstance(live.sender, WhatsAppReportSender)
    assert (live.destination, live.in_group) == ("Group", True)


def test_an_exported_group_goes_to_the_moderators_on_whatsapp_when_they_are_set(
    engine: Engine, tmp_path: Path
) -> None:
    settings = Settings(secret_key="test", whatsapp_moderators=("+919876543210",),
                        whatsapp_community="HR desk", report_dir=str(tmp_path),
                        **TWILIO)  # type: ignore[arg-type]  # fmt: skip
    exported = route_of(settings, engine, "whatsapp_export")
    assert exported is not None and isinstance(exported.sender, WhatsAppReportSender)
    # The moderators' contacts live in the bot's own WhatsApp community, not in the export.
    assert (exported.destination, exported.in_group) == ("HR desk", False)


def test_an_exported_group_goes_to_the_folder_otherwise(engine: Engine, tmp_path: Path) -> None:
    settings = Settings(secret_key="test", slack_bot_token="xoxb-1", report_dir=str(tmp_path))
    exported = route_of(settings, engine, "whatsapp_export")
    assert exported is not None and isinstance(exported.sender, FolderSender)
    assert (exported.destination, exported.in_group) == ("Group", False)
    assert route_of(settings, engine, "whatsapp") is None  # no Twilio: that group is not reached


def test_nothing_configured_is_no_router_and_unreached_groups_are_named(engine: Engine) -> None:
    assert configured_router(SETTINGS, engine) is None
    with session_scope(engine) as session:
        make_chat(session, "Exported group", platform="whatsapp_export")
    router = configured_router(Settings(secret_key="test", slack_bot_token="xoxb-1"), engine)
    assert router is not None
    assert unrouted(engine, SETTINGS, router) == [
        "Exported group (whatsapp_export): no destination for its posts; set LIFTBOT_REPORT_DIR "
        "for report files, or Twilio and LIFTBOT_WHATSAPP_MODERATORS to send them to the "
        "moderators on WhatsApp"
    ]


def test_the_clock_routes_each_community_to_its_own_sender(engine: Engine) -> None:
    with session_scope(engine) as session:
        for name, platform in (("Slack HR", "slack"), ("Exported HR", "whatsapp_export")):
            chat = make_chat(session, name, platform=platform)
            meera = chat.member("Meera", "junior")
            chat.ask(meera, "2026-11-17 10:00", "Any POSH trainer in Pune?")
    slack, exports = RecordingSender(), RecordingSender()

    def router(c: Community) -> Route:
        if c.platform == "slack":
            return Route(slack, "C-ADMIN")
        return Route(exports, c.name, in_group=False)

    run_due_jobs(engine, SETTINGS, router, chat.at("2026-11-23 09:00"))
    assert [(s.destination, s.text.split("\n")[0]) for s in slack.sent] == [
        ("C-ADMIN", "*Slack HR · week 2026-W47*")]  # fmt: skip
    assert [(s.destination, s.text.split("\n")[0]) for s in exports.sent] == [
        ("Exported HR", "*Exported HR · week 2026-W47*")]  # fmt: skip


def test_the_folder_holds_the_report_as_html_and_text(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session, "HR / Pune group", platform="whatsapp_export")
        meera = chat.member("Meera", "junior")
        chat.ask(meera, "2026-11-17 10:00", "Any POSH trainer in Pune?")
        chat.post(chat.member("Ravi", "senior"), "2026-11-20 10:00", "gyaan", "Quiet quitting read")
    router = configured_router(Settings(secret_key="test", report_dir=str(tmp_path)), engine)
    assert router is not None
    done = run_due_jobs(engine, SETTINGS, router, chat.at("2026-11-23 09:00"))
    assert done == ["weekly_report 2026-W47 HR / Pune group: sent"]
    folder = tmp_path / "HR-Pune-group"
    assert sorted(p.name for p in folder.iterdir()) == ["2026-W47-report.html",
                                                         "2026-W47-report.txt"]  # fmt: skip
    text = (folder / "2026-W47-report.txt").read_text(encoding="utf-8")
    assert text.startswith("*HR / Pune group · week 2026-W47*")
    assert "paste in the group: Meera asked on Tue 17 Nov 10:00" in text
    html = (folder / "2026-W47-report.html").read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and 'id="chart"' in html


def test_a_folder_that_cannot_be_written_is_refused_not_lost(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    sender = FolderSender(blocked)
    with pytest.raises(SendRejected, match="could not write"):
        sender.send_report("Group", ReportMessage("t", ("x",), (), week="2026-W47"))


@pytest.mark.parametrize(("name", "folder"), [("HR Leaders Circle", "HR-Leaders-Circle"),
                                              ("../../etc", "etc"), ("", "community"),
                                              ("मानव संसाधन", "मानव-संसाधन")])  # fmt: skip
def test_folder_names_stay_inside_the_report_folder(name: str, folder: str) -> None:
    assert folder_name(name) == folder
