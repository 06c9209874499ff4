"""Header timestamps: the matched date and time groups read as a naive datetime and ISO text."""

from __future__ import annotations

import re
from datetime import datetime

from handlers.whatsapp_export.layout import read_ymd
from handlers.whatsapp_export.model import ExportFormatError, Layout


class Clock:
    """Header groups -> (naive datetime, ISO text), caching days and times of day."""

    __slots__ = ("days", "order", "times", "twelve")

    def __init__(self, layout: Layout) -> None:
        self.order = layout.date_order
        self.twelve = layout.twelve_hour
        self.days: dict[str, tuple[int, int, int, str]] = {}
        self.times: dict[str, tuple[int, int, int, str]] = {}

    def read(self, m: re.Match[str], line_no: int) -> tuple[datetime, str]:
        """The timestamp of one header line."""
        date_text, time_text = m.group(1, 5)
        day = self.days.get(date_text) or self._day(m, line_no)
        tod = self.times.get(time_text) or self._time(m, line_no)
        try:
            sent_at = datetime(day[0], day[1], day[2], tod[0], tod[1], tod[2])
        except ValueError as exc:
            raise ExportFormatError(f"line {line_no}: invalid date or time ({exc})") from None
        return sent_at, day[3] + tod[3]

    def _day(self, m: re.Match[str], line_no: int) -> tuple[int, int, int, str]:
        ymd = read_ymd([int(p) for p in m.group(2, 3, 4)], self.order)
        if ymd is None:
            raise ExportFormatError(
                f"line {line_no}: '{m.group(1)}' is not a valid date in {self.order} order"
            )
        if len(self.days) > 20_000:
            self.days.clear()
        day = (*ymd, f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d}T")
        self.days[m.group(1)] = day
        return day

    def _time(self, m: re.Match[str], line_no: int) -> tuple[int, int, int, str]:
        hour_s, minute_s, second_s, meridiem = m.group(6, 7, 8, 9)
        hour, minute = int(hour_s), int(minute_s)
        if self.twelve:
            if not 1 <= hour <= 12:
                raise ExportFormatError(f"line {line_no}: hour {hour} is not on a 12-hour clock")
            hour = hour % 12 + (12 if meridiem in "Pp" else 0)
        second = int(second_s) if second_s else 0
        if hour > 23 or minute > 59 or second > 59:
            raise ExportFormatError(f"line {line_no}: '{m.group(5)}' is not a valid time")
        text = f"{hour:02d}:{minute:02d}:{second:02d}" if second_s else f"{hour:02d}:{minute:02d}"
        if len(self.times) > 200_000:
            self.times.clear()
        tod = (hour, minute, second, text)
        self.times[m.group(5)] = tod
        return tod
