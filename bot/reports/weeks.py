"""ISO weeks in a community's time zone: the periods reports speak about."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


class WeekError(ValueError):
    """A week label that is not an ISO week like 2026-W47."""


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """Local 00:00 of `day` in `zone`, as aware UTC (zoneinfo resolves DST gaps and folds)."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True, order=True, slots=True)
class IsoWeek:
    """An ISO 8601 week: Monday 00:00 to the next Monday 00:00, local time."""

    year: int
    week: int

    def __post_init__(self) -> None:
        try:
            date.fromisocalendar(self.year, self.week, 1)
        except ValueError as exc:
            raise WeekError(f"{self.year}-W{self.week:02d} is not an ISO week") from exc

    @classmethod
    def parse(cls, label: str) -> IsoWeek:
        """Read a label like `2026-W47`."""
        match = _WEEK.match(label)
        if not match:
            raise WeekError(f"week {label!r} is not like 2026-W47")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, moment: datetime, zone: ZoneInfo) -> IsoWeek:
        """The week that holds `moment` (aware) on the community's calendar."""
        year, week, _ = moment.astimezone(zone).isocalendar()
        return cls(year, week)

    @classmethod
    def last_complete(cls, now: datetime, zone: ZoneInfo) -> IsoWeek:
        """The most recent week that has fully ended at `now` in `zone`."""
        return cls.containing(now, zone).previous()

    @property
    def label(self) -> str:
        """`2026-W47`."""
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        """The local date the week starts on."""
        return date.fromisocalendar(self.year, self.week, 1)

    def previous(self) -> IsoWeek:
        """The week before."""
        year, week, _ = (self.monday - timedelta(days=7)).isocalendar()
        return IsoWeek(year, week)

    def next(self) -> IsoWeek:
        """The week after."""
        year, week, _ = (self.monday + timedelta(days=7)).isocalendar()
        return IsoWeek(year, week)

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """(start, end) in aware UTC: local Monday 00:00 of this week and of the next."""
        return local_midnight(self.monday, zone), local_midnight(self.next().monday, zone)

    def __str__(self) -> str:
        return self.label
