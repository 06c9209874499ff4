"""Layout detection: the header format from the first header, the day/month order from them all."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Final

from handlers.whatsapp_export.marks import DROP_MARKS, MARKS, OPTIONAL_MARKS
from handlers.whatsapp_export.model import DateOrder, ExportFormatError, Layout

HEADER_START: Final = frozenset("0123456789[" + MARKS)
_MERIDIEM: Final = r"\s?([AaPp])\.?\s?[Mm]\.?"

# Loose enough for every known layout; used only on the first header to learn the layout.
_PROBE: Final = re.compile(
    rf"{OPTIONAL_MARKS}(\[)?{OPTIONAL_MARKS}(\d{{1,4}})([./-])\s?(\d{{1,4}})\3\s?(\d{{1,4}})\.?"
    rf"(,\s?|\s+klo\s+|\s){OPTIONAL_MARKS}(\d{{1,2}})([:.])(\d{{2}})(?:\8(\d{{2}}))?"
    rf"(?:{_MERIDIEM})?{OPTIONAL_MARKS}(?(1)\]\s?|(\s-\s|:\s|\s))"
)

_YEAR_POSITION: Final = {
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
NOT_AN_EXPORT: Final = "not a WhatsApp chat export: line {} does not start with a date and time"


def detect_layout(lines: Iterable[str], *, date_order: DateOrder | None = None) -> Layout:
    """Learn the header format from the first header and the date order from the whole file."""
    layout = detect(lines, date_order)
    if layout is None:
        raise ExportFormatError("not a WhatsApp chat export: the file is empty")
    return layout


def detect(lines: Iterable[str], date_order: DateOrder | None) -> Layout | None:
    it = enumerate(lines, 1)
    for line_no, line in it:  # noqa: B007 - line_no is used after the loop
        if line.strip(MARKS + " \t\r\n"):
            break
    else:
        return None
    probe = _PROBE.match(line)
    header = _build_header(probe) if probe is not None else None
    first = header.match(line) if header is not None else None
    if probe is None or header is None or first is None:
        raise ExportFormatError(NOT_AN_EXPORT.format(line_no))
    year_pos = _year_position(first.group(2, 3, 4))
    if date_order is not None:
        if year_pos != 2 and _YEAR_POSITION[date_order] != year_pos:
            raise ExportFormatError(
                f"line {line_no}: --date-order {date_order} does not fit "
                f"'{line_text_preview(first.group(1))}', whose 4-digit year is elsewhere"
            )
        chosen = date_order
    else:
        chosen = _infer_order(it, header, _OrderEvidence(year_pos), first, line_no)
    return Layout(
        header=header,
        date_order=chosen,
        twelve_hour=probe.group(11) is not None,
        example=line_text_preview(first.group(0)),
    )


def _infer_order(
    rest: Iterator[tuple[int, str]],
    header: re.Pattern[str],
    evidence: _OrderEvidence,
    first: re.Match[str],
    line_no: int,
) -> DateOrder:
    """Read dates until one reading becomes impossible (a value over 12), else to the end."""
    evidence.see(first, line_no)
    match = header.match
    starts = HEADER_START
    for line_no, line in rest:
        m = match(line) if line[:1] in starts else None
        if m is not None and evidence.see(m, line_no):
            break
    return evidence.decide()


def line_text_preview(text: str) -> str:
    """A short, mark-free rendering of scaffolding text for error messages."""
    return text.translate(DROP_MARKS).strip()[:60]


def _build_header(probe: re.Match[str]) -> re.Pattern[str]:
    """The export's regex; groups: date, its 3 parts, time, hour, minute, second, meridiem."""
    sep = re.escape(probe.group(3))
    glue = probe.group(6)
    if "klo" in glue:
        glue_re = r"\s+klo\s+"
    elif "," in glue:
        glue_re = r",\s?"
    else:
        glue_re = r"\s"
    tsep = re.escape(probe.group(8))
    meridiem = _MERIDIEM if probe.group(11) is not None else "()"
    if probe.group(1):
        opening, closing = r"\[", r"\]\s?"
    else:
        close = probe.group(12)
        opening = ""
        closing = r"\s-\s" if "-" in close else (r":\s" if ":" in close else r"\s")
    return re.compile(
        rf"{OPTIONAL_MARKS}{opening}{OPTIONAL_MARKS}((\d{{1,4}}){sep}\s?(\d{{1,4}}){sep}\s?(\d{{1,4}})\.?){glue_re}{OPTIONAL_MARKS}"
        rf"((\d{{1,2}}){tsep}(\d{{2}})(?:{tsep}(\d{{2}}))?{meridiem}){OPTIONAL_MARKS}{closing}"
    )


def _year_position(parts: tuple[str, ...]) -> int:
    for pos, part in enumerate(parts):
        if len(part) >= 3:
            return pos
    return 2


class _OrderEvidence:
    """Evidence for the two possible readings of a date: impossible values and backward jumps."""

    __slots__ = ("dead", "first_line", "last_date", "prev", "sample", "steps_back", "year_pos")

    def __init__(self, year_pos: int) -> None:
        self.year_pos = year_pos
        self.dead = [False, False]
        self.prev = [0, 0]
        self.steps_back = [0, 0]
        self.last_date = ""
        self.sample = ""
        self.first_line = 0

    def see(self, m: re.Match[str], line_no: int) -> bool:
        """Account for one header's date; True once a reading has become impossible."""
        text = m.group(1)
        if text == self.last_date:
            return False
        self.last_date = text
        if not self.sample:
            self.sample, self.first_line = text, line_no
        parts = [int(p) for p in m.group(2, 3, 4)]
        for i, order in enumerate(_CANDIDATES[self.year_pos]):
            if self.dead[i]:
                continue
            ymd = read_ymd(parts, order)
            if ymd is None:
                self.dead[i] = True
                continue
            ordinal = date(*ymd).toordinal()
            # WhatsApp sometimes lists a message a little out of order; a day of slack absorbs it.
            if ordinal < self.prev[i] - 1:
                self.steps_back[i] += 1
            self.prev[i] = ordinal
        return self.dead[0] or self.dead[1]

    def decide(self) -> DateOrder:
        """The reading the evidence supports, or an error asking for --date-order."""
        first, second = _CANDIDATES[self.year_pos]
        if self.dead[0] and self.dead[1]:
            raise ExportFormatError(
                f"line {self.first_line}: dates such as '{self.sample}' are not valid dates "
                "in any day/month order"
            )
        if self.dead[0] or self.dead[1]:
            return second if self.dead[0] else first
        if self.steps_back[0] != self.steps_back[1]:
            return first if self.steps_back[0] < self.steps_back[1] else second
        if self.year_pos == 0:
            return first  # year-first dates are year-month-day everywhere WhatsApp is used
        raise ExportFormatError(
            f"line {self.first_line}: cannot tell whether dates such as '{self.sample}' are "
            "day/month or month/day (no day is over 12 and time moves forward either way); "
            "pass --date-order dmy or --date-order mdy"
        )


def read_ymd(parts: list[int], order: DateOrder) -> tuple[int, int, int] | None:
    """(year, month, day) for the three header numbers read in `order`, or None if impossible."""
    pos = {letter: i for i, letter in enumerate(str(order))}
    year, month, day = parts[pos["y"]], parts[pos["m"]], parts[pos["d"]]
    if year < 100:
        year += 2000
    if not (1 <= month <= 12 and 1 <= year <= 9999):
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return year, month, day
