"""Day/month order: header date parts read in every calendar, and the order decided from evidence.

The evidence, strongest first: a value no reading allows (a day over 12), time running backwards
under one reading, dates that read the same either way, then the locale the export carries
(language of WhatsApp's own notices, zero-padded parts, a 12-hour clock in an English export).
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Final

from handlers.whatsapp_export.model import DateOrder, ExportFormatError

YEAR_POSITION: Final = {
    DateOrder.DMY: 2,
    DateOrder.MDY: 2,
    DateOrder.YMD: 0,
    DateOrder.YDM: 0,
    DateOrder.DYM: 1,
    DateOrder.MYD: 1,
}
# For each year position: the two readings of the other two components, the conventional one first.
_CANDIDATES: Final = {
    0: (DateOrder.YMD, DateOrder.YDM),
    1: (DateOrder.DYM, DateOrder.MYD),
    2: (DateOrder.DMY, DateOrder.MDY),
}
# Japanese-era years as iOS writes them ("R4" = Reiwa 4 = 2022): the year before each era's first.
_ERA_BASE: Final = {"R": 2018, "H": 1988, "S": 1925}
# A four-digit year this far ahead is a Thai Buddhist-era year (2565 BE = 2022).
_BUDDHIST_FROM: Final = 2400
_BUDDHIST_OFFSET: Final = 543


def part_value(part: str) -> int:
    """A header date part as a number: any script's digits, Japanese-era years made Gregorian."""
    base = _ERA_BASE.get(part[:1])
    if base is not None:
        return base + int(part[1:])
    return int(part)


def year_position(parts: tuple[str, ...]) -> int:
    """Which date part is the year (four digits or an era letter); the last one otherwise."""
    for pos, part in enumerate(parts):
        if len(part) >= 3 or part[:1] in _ERA_BASE:
            return pos
    return 2


def read_ymd(parts: list[int], order: DateOrder) -> tuple[int, int, int] | None:
    """(year, month, day) for the three header numbers read in `order`, or None if impossible."""
    pos = {letter: i for i, letter in enumerate(str(order))}
    year, month, day = parts[pos["y"]], parts[pos["m"]], parts[pos["d"]]
    if year < 100:
        year += 2000
    elif year >= _BUDDHIST_FROM:
        year -= _BUDDHIST_OFFSET
    if not (1 <= month <= 12 and 1 <= year <= 9999):
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return year, month, day


class OrderEvidence:
    """Evidence for the two possible readings of a date: impossible values and backward jumps."""

    __slots__ = (
        "dead", "differ", "first_line", "last_date", "padded", "prev", "sample", "steps_back",
        "year_pos",
    )  # fmt: skip

    def __init__(self, year_pos: int) -> None:
        self.year_pos = year_pos
        self.dead = [False, False]
        self.prev = [0, 0]
        self.steps_back = [0, 0]
        self.last_date = ""
        self.sample = ""
        self.first_line = 0
        self.differ = False  # some date reads differently under the two orders
        self.padded = False  # some day or month is written with a leading zero ("05")

    def see(self, text: str, raw_parts: tuple[str, ...], line_no: int) -> bool:
        """Account for one header's date; True once a reading has become impossible."""
        if text == self.last_date:
            return False
        self.last_date = text
        if not self.sample:
            self.sample, self.first_line = text, line_no
        parts = [part_value(p) for p in raw_parts]
        others = [p for i, p in enumerate(raw_parts) if i != self.year_pos]
        if not self.padded and any(len(p) == 2 and int(p) < 10 for p in others):
            self.padded = True
        readings = []
        for i, order in enumerate(_CANDIDATES[self.year_pos]):
            ymd = read_ymd(parts, order)
            readings.append(ymd)
            if self.dead[i]:
                continue
            if ymd is None:
                self.dead[i] = True
                continue
            ordinal = date(*ymd).toordinal()
            # WhatsApp sometimes lists a message a little out of order; a day of slack absorbs it.
            if ordinal < self.prev[i] - 1:
                self.steps_back[i] += 1
            self.prev[i] = ordinal
        if readings[0] != readings[1]:
            self.differ = True
        return self.dead[0] or self.dead[1]

    def decide(
        self, language: str | None, locale_order: str | None, twelve_hour: bool
    ) -> tuple[DateOrder, str | None]:
        """The reading the evidence supports and, when the locale decided it, what was assumed."""
        first, second = _CANDIDATES[self.year_pos]
        if self.dead[0] and self.dead[1]:
            raise ExportFormatError(
                f"line {self.first_line}: dates such as '{self.sample}' are not valid dates "
                "in any day/month order"
            )
        if self.dead[0] or self.dead[1]:
            return (second if self.dead[0] else first), None
        if self.steps_back[0] != self.steps_back[1]:
            return (first if self.steps_back[0] < self.steps_back[1] else second), None
        if self.year_pos == 0 or not self.differ:
            # Year-first dates are year-month-day everywhere WhatsApp is used; dates that read
            # the same either way ("1/1/21") need no decision.
            return first, None
        return self._from_locale(language, locale_order, twelve_hour)

    def _from_locale(
        self, language: str | None, locale_order: str | None, twelve_hour: bool
    ) -> tuple[DateOrder, str | None]:
        first, second = _CANDIDATES[self.year_pos]
        if self.year_pos == 2 and self.padded:
            return DateOrder.DMY, "day/month assumed: days and months are zero-padded (dd/mm)"
        foreign = language not in (None, "en")
        if (
            self.year_pos == 2
            and foreign
            and locale_order is not None
            and locale_order
            in (
                first,
                second,
            )
        ):
            return DateOrder(locale_order), (
                f"{locale_order} assumed from the language of WhatsApp's notices ({language})"
            )
        if self.year_pos == 2 and (language == "en" or (language is None and twelve_hour)):
            why = "English notices" if language == "en" else "a 12-hour clock"
            return DateOrder.MDY, f"month/day assumed: unpadded US-style dates with {why}"
        raise ExportFormatError(
            f"line {self.first_line}: cannot tell whether dates such as '{self.sample}' are "
            "day/month or month/day (no day is over 12 and time moves forward either way); "
            "pass --date-order dmy or --date-order mdy"
        )
