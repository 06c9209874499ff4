"""The reader's vocabulary: its error, the date orders, a detected layout (entries: bot.domain)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain import ExportEntry as ExportEntry  # the pipeline's own type, re-exported


class ExportFormatError(ValueError):
    """The file is not a WhatsApp export we can read; the message names the line and the problem."""


class DateOrder(StrEnum):
    """Order of the three date components in the export's headers."""

    DMY = "dmy"
    MDY = "mdy"
    YMD = "ymd"
    YDM = "ydm"
    DYM = "dym"
    MYD = "myd"


@dataclass(frozen=True, slots=True)
class Layout:
    """A detected header format: its compiled regex, date order and clock."""

    header: re.Pattern[str]
    date_order: DateOrder
    twelve_hour: bool
    example: str
    # Group numbers in `header` of: date, its three parts, time, hour, minute, second, meridiem.
    groups: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8, 9)
    starts: frozenset[str] = frozenset()  # first characters a header line can begin with
    platform: str = "android"  # "ios" for bracketed headers
    language: str | None = None  # UI language of WhatsApp's own strings in the export
    order_note: str | None = None  # what was assumed when the locale decided the date order
