"""When a community's scheduled posts are due, on its own clock and settings (`/lift config`).

Each community has its report day and hour, digest hour, quiet hours, nudge delay and, when it
declares them, business hours: a nudge then waits for that many hours of business time and is
never sent while the desk is closed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.pipeline.business_time import is_open, rewind
from bot.pipeline.community_config import CommunityConfig
from bot.reports.weeks import IsoWeek


def local_at(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """`hour`:00 on local `day`, aware (a time skipped by DST resolves to just after the gap)."""
    return datetime.combine(day, time(hour), tzinfo=zone)


def weekly_due(now: datetime, config: CommunityConfig) -> IsoWeek | None:
    """The week whose report is due at `now`, if the community's posting time has come."""
    zone = config.zone
    week = IsoWeek.last_complete(now, zone)
    post_day = week.next().monday + timedelta(days=config.report_weekday)
    return week if now >= local_at(post_day, config.report_hour, zone) else None


def in_quiet_hours(moment: datetime, zone: ZoneInfo, quiet: tuple[int, int] | None) -> bool:
    """True when local time falls in [start, end) of the quiet hours (which may wrap midnight)."""
    if quiet is None or quiet[0] == quiet[1]:
        return False
    start, end = quiet
    hour = moment.astimezone(zone).hour
    return start <= hour < end if start < end else hour >= start or hour < end


def digest_due(now: datetime, config: CommunityConfig) -> bool:
    """True from the digest hour to midnight, local time, outside quiet hours."""
    local = now.astimezone(config.zone)
    return local.hour >= config.digest_hour and not in_quiet_hours(
        now, config.zone, config.quiet_hours
    )


def waiting_since(now: datetime, config: CommunityConfig, hours: float) -> datetime:
    """Requests sent before this have waited `hours`: of business time when the community has
    business hours, of wall-clock time otherwise."""
    if config.business_hours is None:
        return now - timedelta(hours=hours)
    return rewind(now, hours * 60, config.business_hours, config.zone)


def nudges_allowed(now: datetime, config: CommunityConfig) -> bool:
    """Nudges are posted outside quiet hours and, where business hours are set, within them."""
    if in_quiet_hours(now, config.zone, config.quiet_hours):
        return False
    return config.business_hours is None or is_open(now, config.business_hours, config.zone)


def nudge_window(
    now: datetime, config: CommunityConfig, max_age_hours: int
) -> tuple[datetime, datetime]:
    """[start, end) of sending times of requests due a nudge now.

    A request is due once it has waited `nudge_after_hours` (see `waiting_since`), and is left
    alone once its nudge has been due for longer than `max_age_hours - nudge_after_hours` of wall
    time: a clock that was down, or a new install, never nudges stale requests.
    """
    after = config.nudge_after_hours
    end = waiting_since(now, config, after)
    stale = now - timedelta(hours=max(0, max_age_hours - after))
    return waiting_since(stale, config, after), end
