"""Streaming parser for WhatsApp "Export chat" files (.txt or .zip), platform-neutral, no database.

Two passes over the lines: `detect_layout` reads the first header to learn the format, then scans
the whole file to settle the day/month order; `parse_export` then matches one compiled regex per
line and folds continuation lines into the message above them.
"""

from __future__ import annotations

import calendar
import codecs
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import IO, Final

from bot.domain import Marker


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
class ExportEntry:
    """One header-started entry of an export: a member message or a system line."""

    index: int
    line: int
    sent_at: datetime
    sent_at_text: str
    author: str | None
    text: str
    body: str
    system: bool
    system_event: str | None
    marker: Marker | None
    edited: bool
    author_is_phone: bool
    # The author as the export wrote it (a "~\u202f" prefix kept, bidi marks dropped).
    author_written: str | None


@dataclass(frozen=True, slots=True)
class Layout:
    """A detected header format: its compiled regex, date order and clock."""

    header: re.Pattern[str]
    date_order: DateOrder
    twelve_hour: bool
    example: str


# Bidi controls, LRM/RLM, BOM and the Arabic letter mark: WhatsApp sprinkles them into scaffolding.
_MARKS: Final = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u061c"
_M: Final = f"[{_MARKS}]*"
_DROP_MARKS: Final = str.maketrans(dict.fromkeys(_MARKS))
_HEADER_START: Final = frozenset("0123456789[" + _MARKS)
_MERIDIEM: Final = r"\s?([AaPp])\.?\s?[Mm]\.?"

# Loose enough for every known layout; used only on the first header to learn the layout.
_PROBE: Final = re.compile(
    rf"{_M}(\[)?{_M}(\d{{1,4}})([./-])\s?(\d{{1,4}})\3\s?(\d{{1,4}})\.?"
    rf"(,\s?|\s+klo\s+|\s){_M}(\d{{1,2}})([:.])(\d{{2}})(?:\8(\d{{2}}))?"
    rf"(?:{_MERIDIEM})?{_M}(?(1)\]\s?|(\s-\s|:\s|\s))"
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
_NOT_AN_EXPORT: Final = "not a WhatsApp chat export: line {} does not start with a date and time"
_MAX_AUTHOR_CACHE: Final = 100_000


# --------------------------------------------------------------------------------------------
# Layout detection


def detect_layout(lines: Iterable[str], *, date_order: DateOrder | None = None) -> Layout:
    """Learn the header format from the first header and the date order from the whole file."""
    layout = _detect(lines, date_order)
    if layout is None:
        raise ExportFormatError("not a WhatsApp chat export: the file is empty")
    return layout


def _detect(lines: Iterable[str], date_order: DateOrder | None) -> Layout | None:
    it = enumerate(lines, 1)
    for line_no, line in it:  # noqa: B007 - line_no is used after the loop
        if line.strip(_MARKS + " \t\r\n"):
            break
    else:
        return None
    probe = _PROBE.match(line)
    header = _build_header(probe) if probe is not None else None
    first = header.match(line) if header is not None else None
    if probe is None or header is None or first is None:
        raise ExportFormatError(_NOT_AN_EXPORT.format(line_no))
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
    starts = _HEADER_START
    for line_no, line in rest:
        m = match(line) if line[:1] in starts else None
        if m is not None and evidence.see(m, line_no):
            break
    return evidence.decide()


def line_text_preview(text: str) -> str:
    """A short, mark-free rendering of scaffolding text for error messages."""
    return text.translate(_DROP_MARKS).strip()[:60]


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
        rf"{_M}{opening}{_M}((\d{{1,4}}){sep}\s?(\d{{1,4}}){sep}\s?(\d{{1,4}})\.?){glue_re}{_M}"
        rf"((\d{{1,2}}){tsep}(\d{{2}})(?:{tsep}(\d{{2}}))?{meridiem}){_M}{closing}"
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
            ymd = _ymd(parts, order)
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


def _ymd(parts: list[int], order: DateOrder) -> tuple[int, int, int] | None:
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


# --------------------------------------------------------------------------------------------
# Parsing


def parse_export(
    source: ExportSource | Iterable[str], *, date_order: DateOrder | None = None
) -> Iterator[ExportEntry]:
    """Yield the entries of an export, streaming; an empty file yields nothing."""
    lines: Iterable[str]
    if isinstance(source, ExportSource):
        lines = source
    else:
        materialised = list(_plain_lines(source))  # a one-shot iterable cannot be read twice
        lines = materialised
    layout = _detect(lines, date_order)
    if layout is None:
        return
    yield from _entries(lines, layout)


def _plain_lines(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        if "\x00" in line:
            line = line.replace("\x00", "")
        yield line.rstrip("\r\n")


def _entries(lines: Iterable[str], layout: Layout) -> Iterator[ExportEntry]:
    match = layout.header.match
    starts = _HEADER_START
    read_clock = _Clock(layout).read
    authors = _Authors()
    index = 0
    head: tuple[int, datetime, str, str] | None = None
    extra: list[str] = []
    for line_no, line in enumerate(lines, 1):
        m = match(line) if line[:1] in starts else None
        if m is None:
            if head is not None:
                extra.append(line)
            elif line.strip(_MARKS + " \t"):
                raise ExportFormatError(_NOT_AN_EXPORT.format(line_no))
            continue
        if head is not None:
            yield _entry(index, head, extra, authors)
            index += 1
            if extra:
                extra = []
        sent_at, iso = read_clock(m, line_no)
        head = (line_no, sent_at, iso, line[m.end() :])
    if head is not None:
        yield _entry(index, head, extra, authors)


class _Clock:
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
        ymd = _ymd([int(p) for p in m.group(2, 3, 4)], self.order)
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


_NOT_CACHED: Final[tuple[str, bool, str]] = ("", False, "")
# Names a system line mentions: "X added A, B and C", "X removed Y", "Y joined using…", "Y left".
_NAMES_IN_SYSTEM: Final = re.compile(
    r"\b(?:added|removed) (?P<objects>.+)$|^(?P<subject>.+?) (?:joined using|joined from|left$)"
)


class _Authors:
    """Splits "author: text" and caches what each raw author string means.

    The author ends at the first ": " after the header, except when a longer name that itself
    contains ": " is known from an earlier system line ("X added Team: HR").
    """

    __slots__ = ("cache", "colon")

    def __init__(self) -> None:
        self.colon: dict[str, str] = {}
        self.cache: dict[str, tuple[str, bool, str] | None] = {}

    def split(self, rest: str) -> tuple[str, bool, str, str] | None:
        """(author, is_phone, text, author as written) for a member message; None for system."""
        i = rest.find(": ")
        if i < 0:
            if rest.endswith(":") and ":" not in rest[:-1]:
                i = len(rest) - 1  # "Name:" with the trailing space trimmed: an empty message
            else:
                return None
        raw = rest[:i]
        if self.colon and raw in self.colon:
            end = i + 2 + len(self.colon[raw])
            if rest.startswith(self.colon[raw], i + 2):
                if not rest.startswith(": ", end) and _system_event_in(rest) is not None:
                    return None  # "Team: HR left"
                if rest.startswith(": ", end):
                    raw, i = rest[:end], end
        info = self.cache.get(raw, _NOT_CACHED)
        if info is _NOT_CACHED:
            info = self._info(raw)
        if info is None:
            return None
        text = rest[i + 2 :]
        if text[:1] == "\u200e" and _system_event_in(text) is not None:
            return None  # iOS attributes system lines to the group: "Group: \u200eX added Y"
        return info[0], info[1], text, info[2]

    def _info(self, raw: str) -> tuple[str, bool, str] | None:
        info = self.cache.get(raw, _NOT_CACHED)
        if info is _NOT_CACHED:
            info = _author_info(raw)
            if len(self.cache) < _MAX_AUTHOR_CACHE:
                self.cache[raw] = info
        return info

    def learn(self, system_text: str) -> None:
        """Remember names with ": " in them that a system line mentions."""
        if ": " not in system_text:
            return
        found = _NAMES_IN_SYSTEM.search(system_text.split("\n", 1)[0])
        if found is None:
            return
        names = found.group("objects") or found.group("subject") or ""
        for name in re.split(r", | and ", names):
            prefix, sep, segment = name.strip(_SPACE_MARKS).partition(": ")
            if sep and segment and ": " not in segment:
                self.colon[prefix] = segment


def _author_info(raw: str) -> tuple[str, bool, str] | None:
    """(display name, is phone, as written) for a raw author string; None for a system line."""
    if _system_event_in(raw) is not None:
        return None
    written = raw.translate(_DROP_MARKS).strip()
    name = written
    if name[:1] == "~":
        name = name[1:].lstrip(" \u202f\u00a0")
    if not name:
        return None
    return name, _PHONE.fullmatch(name) is not None, written


def _entry(
    index: int, head: tuple[int, datetime, str, str], extra: list[str], authors: _Authors
) -> ExportEntry:
    line_no, sent_at, iso, rest = head
    split = authors.split(rest)
    if split is None:
        text = _system_text(rest)
        if extra:
            text = "\n".join([text, *extra])
        authors.learn(text)
        return _new_entry(
            index, line_no, sent_at, iso, None, text, text, True,
            _system_event(text), None, False, False, None,
        )  # fmt: skip
    author, phone, text, written = split
    if extra:
        extra.insert(0, text)
        text = "\n".join(extra)
    marker, edited, body = _markers(text)
    return _new_entry(
        index,
        line_no,
        sent_at,
        iso,
        author,
        text,
        body,
        False,
        None,
        marker,
        edited,
        phone,
        written,
    )


# A frozen dataclass's generated __init__ costs about 0.8 µs (12 object.__setattr__ calls); setting
# the slots through their descriptors halves that, which matters at a million entries.
_SLOT_SETTERS: Final = tuple(vars(ExportEntry)[name].__set__ for name in ExportEntry.__slots__)
(
    _set_index, _set_line, _set_sent_at, _set_sent_at_text, _set_author, _set_text, _set_body,
    _set_system, _set_system_event, _set_marker, _set_edited, _set_author_is_phone,
    _set_author_written,
) = _SLOT_SETTERS  # fmt: skip
_object_new: Final = object.__new__


def _new_entry(
    index: int,
    line: int,
    sent_at: datetime,
    sent_at_text: str,
    author: str | None,
    text: str,
    body: str,
    system: bool,
    system_event: str | None,
    marker: Marker | None,
    edited: bool,
    author_is_phone: bool,
    author_written: str | None,
) -> ExportEntry:
    """ExportEntry(...) with the same fields, built without the frozen-__init__ overhead."""
    entry: ExportEntry = _object_new(ExportEntry)
    _set_index(entry, index)
    _set_line(entry, line)
    _set_sent_at(entry, sent_at)
    _set_sent_at_text(entry, sent_at_text)
    _set_author(entry, author)
    _set_text(entry, text)
    _set_body(entry, body)
    _set_system(entry, system)
    _set_system_event(entry, system_event)
    _set_marker(entry, marker)
    _set_edited(entry, edited)
    _set_author_is_phone(entry, author_is_phone)
    _set_author_written(entry, author_written)
    return entry


def _system_text(rest: str) -> str:
    """A system line's text; iOS's "Group: \u200eText" loses the group name."""
    i = rest.find(": \u200e")
    if i > 0 and _system_event_in(rest[:i]) is None:
        rest = rest[i + 2 :]
    return rest.lstrip(_MARKS)


# --------------------------------------------------------------------------------------------
# System lines and markers

_SYSTEM_EVENTS: Final = (
    ("encryption_notice", re.compile(r"end-to-end encrypted|secured with end-to-end encryption")),
    ("created", re.compile(r"\bcreated (?:the |this )?group\b")),
    ("subject_changed", re.compile(r"\bchanged (?:the subject|the group name|this group's name)")),
    ("icon_changed", re.compile(r"\b(?:changed|deleted|removed) (?:this group's|the group) icon")),
    (
        "description_changed",
        re.compile(r"\b(?:changed|deleted|removed) the (?:group )?description"),
    ),
    (
        "number_changed",
        re.compile(r"\bchanged (?:their|your|his|her) (?:phone )?number|changed to \+"),
    ),
    (
        "settings_changed",
        re.compile(
            r"disappearing messages|\bchanged (?:this group's|the group's|the) settings"
            r"|\bturned (?:on|off) admin approval|message timer"
        ),
    ),
    ("other", re.compile(r"\bsecurity code\b|\bis now an admin\b|\bno longer an admin\b")),
    ("removed", re.compile(r"\bremoved ")),
    ("added", re.compile(r"\badded |\bwas added\b|\bwere added\b")),
    (
        "joined",
        re.compile(r"\bjoined using\b|\bjoined from\b|\bjoined (?:the )?(?:group|community)"),
    ),
    ("left", re.compile(r"\bleft$|\bleft the group\b")),
)
_PHONE: Final = re.compile(r"\+?\d[\d \u00a0\u202f().-]{5,22}\d")


def _system_event_in(text: str) -> str | None:
    """The kind of system event the text describes, or None if it does not read like one."""
    clean = text.translate(_DROP_MARKS).strip()
    for event, pattern in _SYSTEM_EVENTS:
        if pattern.search(clean):
            return event
    return None


def _system_event(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return _system_event_in(first_line) or "other"


_EDITED: Final = "<This message was edited>"
_MEDIA_EXACT: Final = frozenset(
    {"<Media omitted>", "<media omitted>", "<Media Omitted>", "media omitted", "null"}
)
_DELETED_EXACT: Final = frozenset(
    {"This message was deleted", "You deleted this message", "This message was deleted."}
)
_OMITTED: Final = re.compile(
    r"(?:^|\s)(?:image|video|audio|sticker|document|GIF|gif|Contact card|contact card|"
    r"voice message|photo) omitted$"
)
_SPACE_MARKS: Final = _MARKS + " \t"
_MARKER_ENDINGS: Final = (">", "omitted", "omitted\u200e", "deleted", "deleted.", "this message")
_MARKER_STARTS: Final = "<\u200e"


def _markers(text: str) -> tuple[Marker | None, bool, str]:
    """(marker, edited, body) for a member message's text."""
    if (
        not text.endswith(_MARKER_ENDINGS)
        and text[:1] not in _MARKER_STARTS
        and text.find(" (file attached)", 0, 400) < 0
    ):
        return None, False, text  # the common case, decided by three C-level checks
    edited = False
    body = text
    if body.endswith(_EDITED):
        edited = True
        body = body[: -len(_EDITED)].rstrip(_SPACE_MARKS)
    stripped = body.strip(_SPACE_MARKS)
    if stripped in _MEDIA_EXACT:
        return Marker.MEDIA, edited, ""
    if stripped in _DELETED_EXACT:
        return Marker.DELETED, edited, ""
    if stripped[:1] == "<" and stripped.startswith("<attached: "):
        end = stripped.find(">")
        return Marker.MEDIA, edited, stripped[end + 1 :].strip(_SPACE_MARKS) if end > 0 else ""
    attached = stripped.find(" (file attached)", 0, 400)
    if attached >= 0:
        newline = stripped.find("\n", attached)
        caption = stripped[newline + 1 :].strip(_SPACE_MARKS) if newline >= 0 else ""
        return Marker.MEDIA, edited, caption
    if stripped.endswith(" omitted") or stripped.endswith(" omitted\u200e"):
        first_line = stripped.rsplit("\n", 1)[-1].translate(_DROP_MARKS)
        if _OMITTED.search(first_line):
            return Marker.MEDIA, edited, ""
    if stripped.endswith("attached>"):  # older iOS: "IMG-0001.jpg <\u200eattached>"
        return Marker.MEDIA, edited, ""
    return None, edited, body if not edited else body.strip(_SPACE_MARKS) or body


# --------------------------------------------------------------------------------------------
# Phone numbers


def normalise_phone(raw: str) -> str | None:
    """E.164 ("+919988776655") for an international number as written, else None."""
    clean = raw.translate(_DROP_MARKS).strip()
    if clean.startswith("00"):
        clean = "+" + clean[2:]
    if not clean.startswith("+"):
        return None
    digits = re.sub(r"[\s\u00a0\u202f().-]", "", clean[1:])
    if not digits.isdigit() or not digits.isascii() or not 8 <= len(digits) <= 15:
        return None
    if digits[0] == "0":
        return None
    return "+" + digits


def mask_phone(raw: str) -> str:
    """Hide all but the country code and the last four digits: "+91 ••••• •6655" (display only)."""
    clean = raw.translate(_DROP_MARKS).strip()
    digit_positions = [i for i, ch in enumerate(clean) if ch.isdigit()]
    keep = set(digit_positions[-4:])
    country = re.match(r"\+(\d{1,3})[\s\u00a0\u202f.-]", clean)
    if country is not None:
        keep.update(range(1, country.end(1)))
    return "".join("•" if ch.isdigit() and i not in keep else ch for i, ch in enumerate(clean))


# --------------------------------------------------------------------------------------------
# Files: .txt and .zip, encodings, size caps

_CHUNK: Final = 1 << 20
_MAX_ZIP_ENTRIES: Final = 10_000
_MAX_ZIP_RATIO: Final = 100
_ZIP_MAGIC: Final = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class ExportSource:
    """A re-iterable view of an export's lines; every iteration re-reads the file."""

    path: Path
    name: str
    encoding: str
    max_bytes: int
    member: str | None = None  # the chat's entry name when the export is a zip

    def __iter__(self) -> Iterator[str]:
        """Lines without line ends (CRLF and lone CR count as line ends), NUL bytes removed."""
        with self._open_bytes() as raw:
            errors = "replace" if self.encoding == "utf-16" else "strict"
            text = io.TextIOWrapper(raw, encoding=self.encoding, errors=errors, newline=None)
            yield from _split_lines(text)

    def _open_bytes(self) -> IO[bytes]:
        if self.member is None:
            return self.path.open("rb")
        return _open_zip_member(self.path, self.member, self.max_bytes)


def _split_lines(text: IO[str]) -> Iterator[str]:
    """Split a text stream into lines in large chunks; a huge line costs linear time."""
    carry: list[str] = []
    while chunk := text.read(_CHUNK):
        if "\x00" in chunk:
            chunk = chunk.replace("\x00", "")
        parts = chunk.split("\n")
        if len(parts) == 1:
            carry.append(chunk)
            continue
        if carry:
            carry.append(parts[0])
            parts[0] = "".join(carry)
            carry = []
        tail = parts.pop()
        if tail:
            carry.append(tail)
        yield from parts
    if carry:
        yield "".join(carry)


def open_export(path: Path, *, max_bytes: int = 200 * 1024**2) -> ExportSource:
    """Open a .txt or .zip export for (repeated) line iteration; refuses oversize input."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
        size = path.stat().st_size
    except OSError as exc:
        raise ExportFormatError(f"cannot read {path.name}: {exc.strerror}") from None
    if magic == _ZIP_MAGIC:
        member, name = _pick_zip_member(path, max_bytes)
        encoding = _sniff_encoding(lambda: _open_zip_member(path, member, max_bytes))
        return ExportSource(path, name, encoding, max_bytes, member)
    if size > max_bytes:
        raise ExportFormatError(
            f"{path.name} is {size / 1024**2:.0f} MB, over the {max_bytes / 1024**2:.0f} MB cap"
        )
    encoding = _sniff_encoding(lambda: path.open("rb"))
    return ExportSource(path, path.name, encoding, max_bytes)


def _sniff_encoding(open_bytes: Callable[[], IO[bytes]]) -> str:
    """UTF-8 (BOM optional) or UTF-16 with a BOM; cp1252/Latin-1 only when UTF-8 fails."""
    with open_bytes() as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "cp1252"):
        if _decodes(open_bytes, encoding):
            return encoding
    return "latin-1"


def _decodes(open_bytes: Callable[[], IO[bytes]], encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with open_bytes() as fh:
        try:
            while chunk := fh.read(_CHUNK):
                if not chunk.isascii():
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _pick_zip_member(path: Path, max_bytes: int) -> tuple[str, str]:
    """The chat text inside a zip (and a display name), refusing bombs before reading any data."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExportFormatError(f"{path.name} is not a readable zip file: {exc}") from None
    if len(infos) > _MAX_ZIP_ENTRIES:
        raise ExportFormatError(f"{path.name} holds {len(infos)} entries, over {_MAX_ZIP_ENTRIES}")
    texts = [i for i in infos if not i.is_dir() and i.filename.lower().endswith(".txt")]
    chats = [i for i in texts if _base_name(i.filename) == "_chat.txt"] or [
        i for i in texts if _base_name(i.filename).lower().startswith("whatsapp chat")
    ]
    if not chats and len(texts) == 1:
        chats = texts
    if len(chats) != 1:
        what = "no chat .txt" if not chats else f"{len(chats)} chat .txt files"
        raise ExportFormatError(f"{path.name} holds {what}; expected exactly one")
    info = chats[0]
    _check_zip_sizes(path, info, max_bytes)
    base = _base_name(info.filename)
    return info.filename, (path.name if base == "_chat.txt" else base)


def _base_name(entry: str) -> str:
    """The last path component of an entry name; never used as a path on disk."""
    return PurePosixPath(entry.replace("\\", "/")).name


def _check_zip_sizes(path: Path, info: zipfile.ZipInfo, max_bytes: int) -> None:
    if info.file_size > max_bytes:
        raise ExportFormatError(
            f"{path.name}: '{_base_name(info.filename)}' expands to "
            f"{info.file_size / 1024**2:.0f} MB, over the {max_bytes / 1024**2:.0f} MB cap"
        )
    if info.file_size > _CHUNK and info.file_size > _MAX_ZIP_RATIO * max(info.compress_size, 1):
        raise ExportFormatError(
            f"{path.name}: '{_base_name(info.filename)}' is compressed more than "
            f"{_MAX_ZIP_RATIO}:1, refusing it as a possible zip bomb"
        )


class _CappedReader(io.RawIOBase):
    """Reads a zip entry but stops with an error once it yields more than its byte budget."""

    def __init__(self, zf: zipfile.ZipFile, stream: IO[bytes], budget: int, name: str) -> None:
        self._zf, self._stream, self._left, self._name = zf, stream, budget, name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self._stream.read(min(len(buffer), self._left + 1))
        except zipfile.BadZipFile as exc:
            raise ExportFormatError(f"{self._name}: damaged zip entry ({exc})") from None
        if len(data) > self._left:
            raise ExportFormatError(f"{self._name}: the chat expands beyond the size cap")
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._stream.close()
        self._zf.close()
        super().close()


def _open_zip_member(path: Path, member: str, max_bytes: int) -> IO[bytes]:
    zf = zipfile.ZipFile(path)
    info = zf.getinfo(member)
    _check_zip_sizes(path, info, max_bytes)
    budget = min(max_bytes, info.file_size)
    return io.BufferedReader(_CappedReader(zf, zf.open(info), budget, path.name), _CHUNK)
