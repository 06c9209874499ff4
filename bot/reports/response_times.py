"""First-response times in business hours, beside the wall-clock ones SQL ranks.

A community that declares working hours (`/lift config business-hours mon-fri 09:00-18:00`) sees
both: a Friday-evening question answered on Monday morning waited sixty hours on the wall clock and
an hour or two of the desk's time. Business minutes depend on each request's own span, so they
are measured here, in Python, from the week's (sent, minutes to answer) pairs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.pipeline.business_time import business_minutes, nearest_rank
from bot.pipeline.community_config import BusinessHours

ALL = "all"
WALL_CLOCK = "wall_clock"
WALL_CLOCK_AND_BUSINESS = "wall_clock_and_business"


def business_percentiles(
    pairs: Iterable[tuple[str, datetime, float]], hours: BusinessHours, zone: ZoneInfo
) -> dict[str, tuple[float, float]]:
    """Median and p90 business minutes to first response, per asker level and for `all`."""
    found: dict[str, list[float]] = {}
    for level, sent_at, minutes in pairs:
        answered_at = sent_at + timedelta(minutes=minutes)
        spent = business_minutes(sent_at, answered_at, hours, zone)
        found.setdefault(level, []).append(spent)
        found.setdefault(ALL, []).append(spent)
    return {key: (nearest_rank(v, 50), nearest_rank(v, 90)) for key, v in found.items()}


def response_basis(hours: BusinessHours | None) -> str:
    """`wall_clock`, or `wall_clock_and_business` when business hours are set."""
    return WALL_CLOCK if hours is None else WALL_CLOCK_AND_BUSINESS


def response_note(hours: BusinessHours | None, timezone: str) -> str:
    """Which clock the report's response times are on, in words."""
    if hours is None:
        return "Response times: wall-clock, around the clock (no business hours set)."
    holidays = ", holidays excluded" if hours.holidays else ""
    return (
        f"Response times: wall-clock, and in business hours "
        f"({hours.describe()}, {timezone}{holidays})."
    )
