"""A week with a weekend: first responses in wall-clock and business time, and the report says so."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.pipeline.community_config import set_setting
from bot.reports.contents import WeeklyReport
from bot.reports.files import render_csv, render_html, render_json
from bot.reports.render import render_blocks, render_text
from bot.reports.weekly import build_weekly_report
from bot.reports.weeks import IsoWeek
from storage.db import session_scope
from storage.tables import Community
from tests.reports.builders import Chat, make_chat

W47 = IsoWeek(2026, 47)  # Monday 16 – Sunday 22 November 2026
SETTINGS = Settings()
NOTE = "Response times: wall-clock, and in business hours (mon-fri 09:00-18:00, Asia/Kolkata)."


def weekend_week(chat: Chat) -> None:
    """Two Friday-evening questions answered on Monday morning, one answered within the hour."""
    meera, arjun = chat.member("Meera", "junior"), chat.member("Arjun", "mid")
    kavita, priya = chat.member("Kavita", "executive"), chat.member("Priya", "senior")
    friday = chat.ask(meera, "2026-11-20 17:00", "How do I structure a PIP?")
    chat.reply(friday, priya, "2026-11-23 10:00")  # 65 h on the wall, 2 h of business
    late = chat.ask(arjun, "2026-11-20 17:30", "Gratuity for contract staff?")
    chat.reply(late, priya, "2026-11-23 09:30")  # 64 h on the wall, 1 h of business
    quick = chat.ask(kavita, "2026-11-19 11:00", "Board comp benchmarks, anyone?")
    chat.reply(quick, priya, "2026-11-19 11:30")  # 30 min either way


def build(engine: Engine, business_hours: str | None) -> WeeklyReport:
    with session_scope(engine) as session:
        chat = make_chat(session)
        weekend_week(chat)
        community = session.get(Community, chat.community_id)
        assert community is not None
        if business_hours:
            set_setting(session=session, community=community, settings=SETTINGS,
                        name="business-hours", raw=business_hours)  # fmt: skip
        return build_weekly_report(session, chat.community_id, W47, SETTINGS)


def test_friday_evening_questions_answered_monday_are_an_hour_or_two_of_business_time(
    engine: Engine,
) -> None:
    report = build(engine, "mon-fri 09:00-18:00")
    overall = report.help_overall
    assert (overall.median_minutes, overall.p90_minutes) == (64 * 60, 65 * 60)
    assert (overall.business_median_minutes, overall.business_p90_minutes) == (60, 120)
    by_level = {x.level: x for x in report.help_by_level}
    assert by_level["junior"].business_median_minutes == 120
    assert by_level["mid"].business_median_minutes == 60
    assert by_level["executive"].business_median_minutes == 30
    assert by_level["senior"].business_median_minutes is None  # asked nothing
    assert report.business_hours == "mon-fri 09:00-18:00"
    assert report.response_time_basis == "wall_clock_and_business"
    assert report.response_time_note == NOTE
    headline = next(h for h in report.headlines if h.key == "median_first_response_business")
    assert (headline.label, headline.value, headline.sample) == (
        "Median first response, business hours", 60, 3)


def test_every_format_shows_both_figures_and_says_which_they_are(engine: Engine) -> None:
    report = build(engine, "mon-fri 09:00-18:00")
    text = "\n".join(render_text(report))
    assert "• junior: 1 asked, 1 answered, first response median 2.7 d (2.0 h business)" in text
    assert "• all: 3 asked, 3 answered, first response median 2.7 d (60 min business)" in text
    assert "juniors: 1 of 1 answered in 2.7 d (2.0 h business)." in text
    assert NOTE in text
    assert "median first response 2.7 d (60 min in business hours)." in text
    assert "Median first response, business hours: 60 min" in text
    blocks = json.dumps(render_blocks(report), ensure_ascii=False)
    assert NOTE in blocks and "(2.0 h business)" in blocks
    html = render_html(report, chart_png=b"")
    assert "<th class=\"n\">Median, business</th>" in html and NOTE in html
    data = json.loads(render_json(report))
    assert (data["business_hours"], data["response_time_basis"]) == (
        "mon-fri 09:00-18:00", "wall_clock_and_business")  # fmt: skip
    assert data["response_time_note"] == NOTE
    assert data["help_overall"]["median_minutes"] == 3840
    assert data["help_overall"]["business_median_minutes"] == 60
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    assert ["2026-W47", "response_times", "", "basis", "wall_clock_and_business"] in rows
    assert ["2026-W47", "response_times", "", "business_hours", "mon-fri 09:00-18:00"] in rows
    assert ["2026-W47", "help_by_asker_level", "all", "business_median_minutes", "60.0"] in rows


def test_without_business_hours_the_report_says_times_run_around_the_clock(
    engine: Engine,
) -> None:
    report = build(engine, None)
    assert report.help_overall.business_median_minutes is None
    assert report.business_hours is None and report.response_time_basis == "wall_clock"
    assert all(h.key != "median_first_response_business" for h in report.headlines)
    text = "\n".join(render_text(report))
    assert "Response times: wall-clock, around the clock (no business hours set)." in text
    assert "business)" not in text
    data = json.loads(render_json(report))
    assert data["help_overall"]["business_median_minutes"] is None
    assert "Median, business" not in render_html(report, chart_png=b"")
