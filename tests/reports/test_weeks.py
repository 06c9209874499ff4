"""ISO weeks on the community's calendar, across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.reports.weeks import IsoWeek, WeekError


@pytest.mark.parametrize("label", ["2026-W47", "2026W47", " 2026-w47 "])
def test_week_labels_parse(label: str) -> None:
    assert IsoWeek.parse(label) == IsoWeek(2026, 47)
    assert IsoWeek.parse(label).label == "2026-W47"


@pytest.mark.parametrize("label", ["2026-47", "W47", "2026-W54", "2025-W53", "latest"])
def test_bad_week_labels_say_what_is_expected(label: str) -> None:
    with pytest.raises(WeekError, match="W"):
        IsoWeek.parse(label)


def test_week_starts_at_local_monday_midnight() -> None:
    start, end = IsoWeek(2026, 47).bounds(ZoneInfo("Asia/Kolkata"))
    assert start == datetime(2026, 11, 15, 18, 30, tzinfo=UTC)
    assert end - start == timedelta(days=7)


@pytest.mark.parametrize(
    ("zone", "week", "hours"),
    [
        ("America/New_York", IsoWeek(2026, 10), 167),  # clocks spring forward on 8 March
        ("America/New_York", IsoWeek(2026, 44), 169),  # and fall back on 1 November
        ("Europe/London", IsoWeek(2026, 13), 167),  # 29 March
        ("Europe/London", IsoWeek(2026, 43), 169),  # 25 October
    ],
)
def test_dst_weeks_are_shorter_or_longer_but_meet_their_neighbours(
    zone: str, week: IsoWeek, hours: int
) -> None:
    tz = ZoneInfo(zone)
    start, end = week.bounds(tz)
    assert (end - start) == timedelta(hours=hours)
    assert week.previous().bounds(tz)[1] == start
    assert week.next().bounds(tz)[0] == end


def test_last_complete_week_is_in_the_community_zone() -> None:
    # Monday 00:30 in Kolkata is still Sunday in UTC: the week just ended there.
    now = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)
    assert IsoWeek.last_complete(now, ZoneInfo("Asia/Kolkata")) == IsoWeek(2026, 47)
    assert IsoWeek.last_complete(now, ZoneInfo("UTC")) == IsoWeek(2026, 46)


def test_year_boundaries_follow_iso_numbering() -> None:
    assert IsoWeek(2026, 1).previous() == IsoWeek(2025, 52)
    assert IsoWeek(2026, 53).next() == IsoWeek(2027, 1)
