"""Business time: only the community's working hours count, on its own clock, DST included."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.pipeline.business_time import business_minutes, is_open, nearest_rank, rewind
from bot.pipeline.community_config import BusinessHours

IST = ZoneInfo("Asia/Kolkata")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
OFFICE = BusinessHours(days=frozenset(range(5)), opens=time(9), closes=time(18))
REPUBLIC_DAY = date(2027, 1, 26)


def at(local: str, zone: ZoneInfo = IST) -> datetime:
    """A local wall-clock time as an aware UTC instant."""
    return datetime.fromisoformat(local).replace(tzinfo=zone).astimezone(UTC)


def minutes(start: str, end: str, hours: BusinessHours = OFFICE, zone: ZoneInfo = IST) -> float:
    return business_minutes(at(start, zone), at(end, zone), hours, zone)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-11-19 10:00", "2026-11-19 11:30", 90),  # Thursday, within the day
        ("2026-11-19 17:30", "2026-11-20 09:30", 60),  # overnight: 30 min each side
        ("2026-11-20 17:00", "2026-11-23 10:00", 120),  # Friday evening to Monday morning
        ("2026-11-20 19:00", "2026-11-23 08:00", 0),  # asked and answered while closed
        ("2026-11-21 10:00", "2026-11-22 20:00", 0),  # the weekend
        ("2026-11-16 09:00", "2026-11-23 09:00", 5 * 9 * 60),  # a whole week
        ("2026-11-19 07:00", "2026-11-19 08:00", 0),  # before opening
        ("2026-11-19 12:00", "2026-11-19 12:00", 0),  # no time at all
        ("2026-11-19 12:00", "2026-11-19 11:00", 0),  # an end before the start
    ],
)
def test_only_working_hours_on_working_days_count(start: str, end: str, expected: int) -> None:
    assert minutes(start, end) == pytest.approx(expected)


def test_a_friday_evening_question_answered_on_monday_is_two_business_hours() -> None:
    asked, answered = at("2026-11-20 17:00"), at("2026-11-23 10:00")
    assert (answered - asked) == timedelta(hours=65)
    assert business_minutes(asked, answered, OFFICE, IST) == pytest.approx(120)


def test_holidays_are_days_off() -> None:
    with_holiday = BusinessHours(OFFICE.days, OFFICE.opens, OFFICE.closes, frozenset({REPUBLIC_DAY}))
    # Friday 22 Jan 17:00 to Wednesday 27 Jan 10:00, Tuesday 26 Jan (Republic Day) off or not.
    assert minutes("2027-01-22 17:00", "2027-01-27 10:00") == pytest.approx((1 + 9 + 9 + 1) * 60)
    assert minutes("2027-01-22 17:00", "2027-01-27 10:00", with_holiday) == pytest.approx(11 * 60)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [("2026-03-28 12:00", "2026-03-30 12:00", 2 + 3),  # 01:00 → 02:00 skipped on 29 March
     ("2026-10-24 12:00", "2026-10-26 12:00", 4 + 3)],  # 01:00-02:00 twice on 25 October
)  # fmt: skip
def test_a_dst_change_counts_the_hours_the_night_really_had(
    start: str, end: str, hours: int
) -> None:
    night = BusinessHours(days=frozenset(range(7)), opens=time(0), closes=time(3))
    assert minutes(start, end, night, LONDON) == pytest.approx(hours * 60)


def test_office_hours_keep_their_length_across_a_dst_weekend() -> None:
    nine_to_five = BusinessHours(days=frozenset(range(5)), opens=time(9), closes=time(17))
    # Friday 6 March 16:00 EST to Monday 9 March 10:00 EDT: one hour each side.
    assert minutes("2026-03-06 16:00", "2026-03-09 10:00", nine_to_five, NEW_YORK) == 120


def test_round_the_clock_hours_equal_wall_time_even_across_dst() -> None:
    always = BusinessHours(days=frozenset(range(7)), opens=time(0), closes=time.max)  # 00:00-24:00
    start, end = at("2026-03-27 15:00", LONDON), at("2026-03-31 09:00", LONDON)
    assert business_minutes(start, end, always, LONDON) == (end - start).total_seconds() / 60


@pytest.mark.parametrize(
    ("local", "expected"),
    [("2026-11-23 09:00", True), ("2026-11-23 17:59", True), ("2026-11-23 18:00", False),
     ("2026-11-23 08:59", False), ("2026-11-21 11:00", False), ("2027-01-26 11:00", False)],
)  # fmt: skip
def test_is_open_during_business_hours_only(local: str, expected: bool) -> None:
    hours = BusinessHours(OFFICE.days, OFFICE.opens, OFFICE.closes, frozenset({REPUBLIC_DAY}))
    assert is_open(at(local), hours, IST) is expected


@pytest.mark.parametrize(
    ("moment", "hours", "expected"),
    [("2026-11-23 11:00", 4, "2026-11-20 16:00"),  # Monday 11:00, 4 h back: Friday 16:00
     ("2026-11-22 20:00", 4, "2026-11-20 14:00"),  # from the weekend: Friday before closing
     ("2026-11-19 15:00", 4, "2026-11-19 11:00"),  # the same day
     ("2026-11-19 10:00", 9, "2026-11-18 10:00")],  # a full working day back
)  # fmt: skip
def test_rewind_finds_when_a_request_has_waited_long_enough(
    moment: str, hours: int, expected: str
) -> None:
    found = rewind(at(moment), hours * 60, OFFICE, IST)
    assert found == at(expected)
    assert business_minutes(found, at(moment), OFFICE, IST) == pytest.approx(hours * 60)


def test_nearest_rank_matches_the_reports_sql() -> None:
    values = [float(v) for v in range(10, 0, -1)]
    assert (nearest_rank(values, 50), nearest_rank(values, 90)) == (5.0, 9.0)
    assert nearest_rank([7.0], 90) == 7.0
