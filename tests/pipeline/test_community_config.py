"""Per-community settings: moderators' choices over the deployment's defaults, checked before storing."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.pipeline.community_config import SettingError, config_for, describe, set_setting
from storage import queries
from storage.db import session_scope
from storage.tables import Community

SETTINGS = Settings(report_weekday=0, report_hour=9, quiet_hours=(21, 8), retention_days=0)


def _community(engine: Engine, name: str) -> int:
    with session_scope(engine) as session:
        row = queries.ensure_community(
            session=session, name=name, platform="slack", timezone="Asia/Kolkata"
        )
        assert row.id is not None
        return row.id


def _set(engine: Engine, community_id: int, name: str, raw: str) -> str:
    with session_scope(engine) as session:
        community = session.get(Community, community_id)
        assert community is not None
        return set_setting(
            session=session, community=community, settings=SETTINGS, name=name, raw=raw, by="U1"
        )


def _config(engine: Engine, community_id: int):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        community = session.get(Community, community_id)
        assert community is not None
        return config_for(session=session, community=community, settings=SETTINGS)


def test_without_choices_a_community_has_the_deployments_defaults(engine: Engine) -> None:
    chapter = _community(engine, "North chapter")
    config = _config(engine, chapter)
    assert (config.report_weekday, config.report_hour, config.quiet_hours) == (0, 9, (21, 8))
    assert config.business_hours is None and config.retention_days is None


def test_each_community_keeps_its_own_choices(engine: Engine) -> None:
    north, south = _community(engine, "North chapter"), _community(engine, "South chapter")
    assert _set(engine, north, "report-day", "Friday") == "report-day: friday"
    assert _set(engine, north, "report-hour", "17") == "report-hour: 17:00"
    assert _set(engine, north, "timezone", "Europe/London") == "timezone: Europe/London"
    _set(engine, north, "report-hour", "8")  # replaced, not added twice
    assert (_config(engine, north).report_weekday, _config(engine, north).report_hour) == (4, 8)
    assert _config(engine, north).timezone == "Europe/London"
    assert (_config(engine, south).report_weekday, _config(engine, south).timezone) == (
        0,
        "Asia/Kolkata",
    )


def test_business_hours_and_holidays_are_read_in_either_order(engine: Engine) -> None:
    chapter = _community(engine, "North chapter")
    _set(engine, chapter, "holidays", "2026-12-25, 2027-01-26")
    reply = _set(engine, chapter, "business-hours", "mon-fri 09:30-18:00")
    assert reply == "business-hours: mon-fri 09:30-18:00"
    hours = _config(engine, chapter).business_hours
    assert hours is not None
    assert hours.days == frozenset(range(5))
    assert (hours.opens, hours.closes) == (time(9, 30), time(18, 0))
    assert hours.holidays == frozenset({date(2026, 12, 25), date(2027, 1, 26)})


def test_default_resets_a_choice(engine: Engine) -> None:
    chapter = _community(engine, "North chapter")
    _set(engine, chapter, "quiet-hours", "off")
    assert _config(engine, chapter).quiet_hours is None
    assert _set(engine, chapter, "quiet-hours", "default") == "quiet-hours: 21:00-8:00"


@pytest.mark.parametrize(
    ("name", "raw", "says"),
    [
        ("report-day", "someday", "not a day of the week"),
        ("report-hour", "25", "not an hour"),
        ("business-hours", "mon-fri 18:00-09:00", "close after they open"),
        ("holidays", "25/12/2026", "not a date"),
        ("retention", "12h", "number of days"),
        ("timezone", "India", "not an IANA time zone"),
        ("channel", "hr-admins", "Slack channel"),
        ("colour", "blue", "no setting 'colour'"),
    ],
)
def test_a_bad_value_says_what_is_expected_and_stores_nothing(
    engine: Engine, name: str, raw: str, says: str
) -> None:
    chapter = _community(engine, "North chapter")
    with pytest.raises(SettingError, match=says):
        _set(engine, chapter, name, raw)
    with session_scope(engine) as session:
        assert queries.community_settings(session=session, community_id=chapter) == {}
    assert _config(engine, chapter).timezone == "Asia/Kolkata"


def test_a_slack_channel_mention_is_stored_as_its_id(engine: Engine) -> None:
    chapter = _community(engine, "North chapter")
    assert _set(engine, chapter, "channel", "<#C0123ABCD|hr-admins>") == "channel: <#C0123ABCD>"
    assert _config(engine, chapter).admin_channel == "C0123ABCD"
    assert "• retention: off (kept)" in describe(_config(engine, chapter))


def test_holidays_set_before_business_hours_are_shown_and_kept(engine: Engine) -> None:
    chapter = _community(engine, "North chapter")
    reply = _set(engine, chapter, "holidays", "2026-12-25")
    assert reply == "holidays: 2026-12-25 (count once business hours are set)"
    _set(engine, chapter, "business-hours", "weekdays 9-18")
    hours = _config(engine, chapter).business_hours
    assert hours is not None and hours.holidays == frozenset({date(2026, 12, 25)})
    assert "• holidays: 2026-12-25" in describe(_config(engine, chapter)).splitlines()


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("mon-fri 9am-6pm", "mon-fri 09:00-18:00"),
     ("Mon\u2013Fri 09:30\u201317:30", "mon-fri 09:30-17:30"),  # a phone's en dashes
     ("sun-thu 08:00-16:00", "sun-thu 08:00-16:00"),
     ("daily 00:00-24:00", "mon-sun 00:00-24:00"),
     ("mon,wed,fri 10-14", "mon,wed,fri 10:00-14:00")],
)  # fmt: skip
def test_business_hours_read_the_ways_people_write_them(
    engine: Engine, raw: str, shown: str
) -> None:
    chapter = _community(engine, "North chapter")
    assert _set(engine, chapter, "business-hours", raw) == f"business-hours: {shown}"


def test_setting_names_forgive_case_and_underscores(engine: Engine) -> None:
    chapter = _community(engine, "North chapter")
    assert _set(engine, chapter, "Report_Hour", "6pm") == "report-hour: 18:00"
    assert _set(engine, chapter, "quiet-hours", "22 - 7") == "quiet-hours: 22:00-7:00"
