"""Entries: header lines start an entry, the lines below fold into it; system or member message."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Final

from bot.domain import Marker
from bot.text import MAX_MESSAGE_CHARS
from handlers.whatsapp_export.authors import Authors
from handlers.whatsapp_export.clock import Clock, stamp
from handlers.whatsapp_export.files import CUT_MARK, ExportSource
from handlers.whatsapp_export.layout import HEADER_START, NOT_AN_EXPORT, detect
from handlers.whatsapp_export.marks import MARKS
from handlers.whatsapp_export.model import DateOrder, ExportEntry, ExportFormatError, Layout
from handlers.whatsapp_export.system_lines import (
    FILE_ATTACHED,
    FILE_ATTACHED_WITHIN,
    MARKER_ENDINGS,
    MARKER_STARTS,
    NOTICE_MARKS,
    is_notice,
    markers,
    system_event,
    system_event_in,
)


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
    layout = detect(lines, date_order)
    if layout is None:
        return
    yield from _entries(lines, layout)


def _plain_lines(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        if "\x00" in line:
            line = line.replace("\x00", "")
        yield line.rstrip("\r\n")


# A header whose author is a time ("8/31/24, 10:00 AM - 1:00 PM: test") is a pasted schedule line.
_TIME_AUTHOR: Final = re.compile(r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[^\s:]{1,6}){0,2}: ")
# Headers may run a little backwards (late delivery); by more than this they break the style.
_SLACK: Final = timedelta(days=1)
_OPENING_NOTICE_MIN: Final = 60


def _entries(lines: Iterable[str], layout: Layout) -> Iterator[ExportEntry]:
    """Fold lines into entries; a header-shaped line that breaks the export's style is text.

    A header running backwards by days is held as a suspect until the next header: if that one
    continues from the suspect rather than from the entries before it, the suspect was real (a
    clock that jumped); otherwise it was a pasted line and joins the entry above.
    """
    # Per-line work is hoisted into locals: this loop runs once per line of a million-line file.
    match = layout.header.match
    starts = layout.starts or HEADER_START
    clock = Clock(layout)
    date_group, time_group = clock.date_group, clock.time_group
    days, times = clock.days, clock.times
    time_author = _TIME_AUTHOR.match
    slack = _SLACK
    make = _EntryMaker(Authors()).make
    index = 0
    # The entry being read, as locals rather than a tuple; `head_at` is None before the first.
    head_line, head_iso, head_rest = 0, "", ""
    head_at: datetime | None = None
    extra = _Lines()
    suspect: tuple[int, datetime, str, str, str] | None = None
    suspect_extra = _Lines()
    for line_no, line in enumerate(lines, 1):
        m = match(line) if line[:1] in starts else None
        if m is not None:
            rest = line[m.end() :]
            if rest[:1].isdigit() and head_at is not None and time_author(rest):
                m = None
        if m is None:
            if suspect is not None:
                suspect_extra.append(line)
            elif head_at is not None:
                extra.append(line)
            elif line.strip(MARKS + " \t"):
                raise ExportFormatError(NOT_AN_EXPORT.format(line_no))
            continue
        # Clock.read, inline: its caches answer almost every header.
        date_text, time_text = m.group(date_group, time_group)
        day = days.get(date_text) or clock.day(m, line_no)
        tod = times.get(time_text) or clock.time_of_day(m, line_no)
        try:
            sent_at = datetime(day[0], day[1], day[2], tod[0], tod[1], tod[2])
        except ValueError:
            sent_at = stamp(day, tod, line_no)  # raises the clear error
        iso = day[3] + tod[3]
        if suspect is not None and head_at is not None:  # a suspect always has a head before it
            if suspect[1] - slack <= sent_at < head_at - slack:
                yield make(index, head_line, head_at, head_iso, head_rest, extra)
                index += 1
                head_line, head_at, head_iso, head_rest, _ = suspect
                extra = suspect_extra
            else:
                extra.append(suspect[4])
                extra.extend(suspect_extra)
            suspect, suspect_extra = None, _Lines()
        # Most headers run forwards: only one running backwards pays for the day's arithmetic.
        if head_at is not None and sent_at < head_at and sent_at < head_at - slack:
            suspect = (line_no, sent_at, iso, rest, line)
            continue
        if head_at is not None:
            yield make(index, head_line, head_at, head_iso, head_rest, extra)
            index += 1
            if extra:
                extra = _Lines()
        head_line, head_at, head_iso, head_rest = line_no, sent_at, iso, rest
    if suspect is not None:
        extra.append(suspect[4])
        extra.extend(suspect_extra)
    if head_at is not None:
        yield make(index, head_line, head_at, head_iso, head_rest, extra)


_list_append: Final = list.append


class _Lines(list[str]):
    """An entry's continuation lines, kept only up to the longest message WhatsApp allows: a
    "message" of millions of lines costs the memory of one message, and its cut is marked."""

    size = 0

    def append(self, line: str) -> None:
        size = self.size
        if size > MAX_MESSAGE_CHARS:
            return
        self.size = size = size + len(line) + 1
        _list_append(self, line if size <= MAX_MESSAGE_CHARS else line + CUT_MARK)

    def extend(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.append(line)


_object_new: Final = object.__new__


class _Building:
    """An ExportEntry under construction: the same slots, not frozen, so one plain __init__ fills
    them; its class then becomes ExportEntry. The frozen dataclass's __init__ costs about 0.8 µs
    (13 object.__setattr__ calls), plain slot stores a fifth of that: it matters at a million."""

    __slots__ = ExportEntry.__slots__

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
    author_written: str | None


class _EntryMaker:
    """Builds an entry from its head and continuation lines, splitting author from text."""

    __slots__ = ("authors", "raw_placeholders", "split")

    def __init__(self, authors: Authors) -> None:
        self.authors = authors
        self.split = authors.split
        self.raw_placeholders = authors.raw_placeholders

    def make(
        self, index: int, line_no: int, sent_at: datetime, iso: str, rest: str, extra: list[str]
    ) -> ExportEntry:
        """The entry: ExportEntry(...) with the same fields, without the frozen-__init__ cost."""
        split = self.split(rest)
        if index == 0 and split is not None and _opening_notice(split[2]):
            split = None
        if split is None:
            text = _system_text(rest)
            if extra:
                text = "\n".join([text, *extra])
            self.authors.learn(text)
            return _filled(
                index, line_no, sent_at, iso, None, text, text, True, system_event(text), None,
                False, False, None,
            )  # fmt: skip
        author, phone, text, written = split
        if extra:
            extra.insert(0, text)
            text = "\n".join(extra)
        raw_placeholders = self.raw_placeholders
        if (
            text.endswith(MARKER_ENDINGS)
            or text[:1] in MARKER_STARTS
            or text.find(FILE_ATTACHED, 0, FILE_ATTACHED_WITHIN) >= 0
            or text in raw_placeholders
        ):  # markers' own fast-path checks, inline: most texts are plain and skip the call
            marker, edited, body = markers(text, raw_placeholders)
        else:
            marker, edited, body = None, False, text
        return _filled(
            index, line_no, sent_at, iso, author, text, body, False, None, marker, edited, phone,
            written,
        )  # fmt: skip


def _filled(
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
    """ExportEntry(...) with these fields, filled by plain slot stores (see `_Building`)."""
    entry = _object_new(_Building)
    entry.index = index
    entry.line = line
    entry.sent_at = sent_at
    entry.sent_at_text = sent_at_text
    entry.author = author
    entry.text = text
    entry.body = body
    entry.system = system
    entry.system_event = system_event
    entry.marker = marker
    entry.edited = edited
    entry.author_is_phone = author_is_phone
    entry.author_written = author_written
    entry.__class__ = ExportEntry  # type: ignore[assignment]
    return entry  # type: ignore[return-value]


def _opening_notice(text: str) -> bool:
    """iOS opens a chat with the encryption notice, marked and attributed to the group or contact;
    a long marked first text that is no placeholder is that notice in a wording we do not know."""
    return (
        text[:1] in NOTICE_MARKS
        and len(text) > _OPENING_NOTICE_MIN
        and "\n" not in text
        and markers(text, frozenset())[0] is None
    )


def _system_text(rest: str) -> str:
    """A system line's text; iOS's "Group: \u200eText" (or "Contact: Text") loses the name."""
    i = rest.find(": \u200e")
    if i < 0:
        i = rest.find(": \u200f")
    if i < 0:
        i = rest.find(": ")
        if i > 0 and (is_notice(rest) or not is_notice(rest[i + 2 :])):
            i = -1
    if i > 0 and system_event_in(rest[:i]) is None:
        rest = rest[i + 2 :]
    return rest.lstrip(MARKS)
