"""Business time: how much of a span fell in a community's working hours.

A help desk measures a Friday-evening question answered on Monday morning as an hour or two of
business time, not sixty hours. Each working day's opening is placed on the community's own clock
(so a day shortened or lengthened by DST counts what it really lasted) and compared in UTC.
Platform-neutral: instants in, minutes or instants out.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.pipeline.community_config import BusinessHours

# A rewind that finds no working time within this many days stops there (say, a holiday list
# covering years): the caller gets an instant long past instead of an endless walk.
MAX_DAYS_SEARCHED = 3_700
_DAY = timedelta(days=1)


def opening(day: date, hours: BusinessHours, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    """The UTC instants a working `day` opens and closes; None on days off and holidays.

    A time skipped by a DST change resolves to just after the gap (Python's fold=0 rule).
    """
    if day.weekday() not in hours.days or day in hours.holidays:
        return None
    opens = datetime.combine(day, hours.opens, tzinfo=zone).astimezone(UTC)
    if hours.closes == time.max:  # "24:00": the next midnight
        closes = datetime.combine(day + _DAY, time(0), tzinfo=zone).astimezone(UTC)
    else:
        closes = datetime.combine(day, hours.closes, tzinfo=zone).astimezone(UTC)
    return opens, closes


def _openings(first: date, last: date, hours: BusinessHours, zone: ZoneInfo) -> Iterator[
    tuple[datetime, datetime]
]:  # fmt: skip
    day = first
    while day <= last:
        found = opening(day, hours, zone)
        if found is not None:
            yield found
        day += _DAY


def business_minutes(start: datetime, end: datetime, hours: BusinessHours, zone: ZoneInfo) -> float:
    """Minutes of [start, end) that fell in business hours (0 when end is not after start)."""
    if end <= start:
        return 0.0
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    seconds = 0.0
    for opens, closes in _openings(first, last, hours, zone):
        overlap = (min(closes, end) - max(opens, start)).total_seconds()
        if overlap > 0:
            seconds += overlap
    return seconds / 60


def is_open(moment: datetime, hours: BusinessHours, zone: ZoneInfo) -> bool:
    """True when `moment` falls in business hours."""
    found = opening(moment.astimezone(zone).date(), hours, zone)
    return found is not None and found[0] <= moment < found[1]


def rewind(moment: datetime, minutes: float, hours: BusinessHours, zone: ZoneInfo) -> datetime:
    """The latest instant from which `minutes` of business time have passed by `moment`.

    A request sent at or before it has waited at least that long in business time, so the
    clock can select "unanswered for 4 business hours" with one bound, as it does in wall time.
    """
    left = timedelta(minutes=minutes)
    day = moment.astimezone(zone).date()
    for _ in range(MAX_DAYS_SEARCHED):
        found = opening(day, hours, zone)
        day -= _DAY
        if found is None or found[0] >= moment:
            continue
        opens, closes = found[0], min(found[1], moment)
        if closes - opens >= left:
            return closes - left
        left -= closes - opens
    return moment - timedelta(days=MAX_DAYS_SEARCHED)


def nearest_rank(values: list[float], percent: int) -> float:
    """The nearest-rank percentile of `values` (non-empty), as the report's SQL ranks them."""
    ordered = sorted(values)
    return ordered[max(1, (len(ordered) * percent + 99) // 100) - 1]
