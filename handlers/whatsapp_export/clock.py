"""Header timestamps: the matched date and time groups read as a naive datetime and ISO text.

Digits of any script are read as numbers; Buddhist- and Japanese-era years become Gregorian.
A 12-hour clock showing hour 0 or an hour over 12 is the 24-hour time it plainly is.
Each day is cached with its midnight and each time of day with its offset from midnight: a
header's datetime is then one addition, cheaper than building it from six numbers.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from handlers.whatsapp_export.date_order import part_value, read_ymd
from handlers.whatsapp_export.model import ExportFormatError, Layout
from handlers.whatsapp_export.strings_table import meridiem_key, strings_table

# Year, month, day, ISO date text ("2024-08-31T") and midnight of that day.
Day = tuple[int, int, int, str, datetime]
# Hour, minute, second, ISO time text ("10:00") and the time since midnight.
TimeOfDay = tuple[int, int, int, str, timedelta]


class Clock:
    """Header groups -> days and times of day, cached; a header's datetime is their sum."""

    __slots__ = ("date_group", "days", "groups", "halves", "order", "time_group", "times")

    def __init__(self, layout: Layout) -> None:
        self.order = layout.date_order
        self.groups = layout.groups
        self.date_group, self.time_group = layout.groups[0], layout.groups[4]
        self.halves = strings_table().meridiem
        self.days: dict[str, Day] = {}
        self.times: dict[str, TimeOfDay] = {}

    def day(self, m: re.Match[str], line_no: int) -> Day:
        """Read (and cache) the header's date: year, month, day, ISO date text and midnight."""
        date_text = m.group(self.date_group)
        ymd = read_ymd([part_value(p) for p in m.group(*self.groups[1:4])], self.order)
        if ymd is None:
            raise ExportFormatError(
                f"line {line_no}: '{date_text}' is not a valid date in {self.order} order"
            )
        if len(self.days) > 20_000:
            self.days.clear()
        day = (*ymd, f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d}T", datetime(*ymd))
        self.days[date_text] = day
        return day

    def time_of_day(self, m: re.Match[str], line_no: int) -> TimeOfDay:
        """Read (and cache) the header's time: hour, minute, second, ISO time text and the
        offset from midnight."""
        hour_s, minute_s, second_s, meridiem = m.group(*self.groups[5:9])
        hour, minute = int(hour_s), int(minute_s)
        if meridiem:
            hour = _twenty_four(hour, self.halves.get(meridiem_key(meridiem), "am"))
        second = int(second_s) if second_s else 0
        if hour > 23 or minute > 59 or second > 59:
            raise ExportFormatError(
                f"line {line_no}: '{m.group(self.time_group)}' is not a valid time"
            )
        text = f"{hour:02d}:{minute:02d}:{second:02d}" if second_s else f"{hour:02d}:{minute:02d}"
        if len(self.times) > 200_000:
            self.times.clear()
        tod = (hour, minute, second, text, timedelta(0, hour * 3600 + minute * 60 + second))
        self.times[m.group(self.time_group)] = tod
        return tod


def _twenty_four(hour: int, half: str) -> int:
    """The 24-hour hour of a 12-hour reading; hour 0 or over 12 already is one."""
    if hour == 0 or hour > 12:
        return hour
    if half == "night":  # "at night" runs from evening to early morning
        return hour % 12 + (12 if hour >= 6 else 0)
    return hour % 12 + (12 if half == "pm" else 0)
