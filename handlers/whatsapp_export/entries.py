"""Entries: header lines start an entry, the lines below fold into it; system or member message."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Final

from bot.domain import Marker
from bot.text import MAX_MESSAGE_CHARS
from handlers.whatsapp_export.authors import Authors
from handlers.whatsapp_export.clock import Clock
from handlers.whatsapp_export.files import CUT_MARK, ExportSource
from handlers.whatsapp_export.layout import HEADER_START, NOT_AN_EXPORT, detect
from handlers.whatsapp_export.marks import MARKS
from handlers.whatsapp_export.model import DateOrder, ExportEntry, ExportFormatError, Layout
from handlers.whatsapp_export.system_lines import (
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
    match = layout.header.match
    starts = layout.starts or HEADER_START
    read_clock = Clock(layout).read
    authors = Authors()
    index = 0
    head: tuple[int, datetime, str, str] | None = None
    extra = _Lines()
    floor: datetime | None = None  # a header before this runs backwards by days
    suspect: tuple[int, datetime, str, str, str] | None = None
    suspect_extra = _Lines()
    for line_no, line in enumerate(lines, 1):
        m = match(line) if line[:1] in starts else None
        if m is not None:
            rest = line[m.end() :]
            if rest[:1].isdigit() and head is not None and _TIME_AUTHOR.match(rest):
                m = None
        if m is None:
            if suspect is not None:
                suspect_extra.append(line)
            elif head is not None:
                extra.append(line)
            elif line.strip(MARKS + " \t"):
                raise ExportFormatError(NOT_AN_EXPORT.format(line_no))
            continue
        sent_at, iso = read_clock(m, line_no)
        if suspect is not None:
            if floor is not None and suspect[1] - _SLACK <= sent_at < floor and head is not None:
                yield _entry(index, head, extra, authors)
                index += 1
                head, extra = suspect[:4], suspect_extra
                floor = suspect[1] - _SLACK
            else:
                extra.append(suspect[4])
                extra.extend(suspect_extra)
            suspect, suspect_extra = None, _Lines()
        if floor is not None and sent_at < floor:
            suspect = (line_no, sent_at, iso, rest, line)
            continue
        if head is not None:
            yield _entry(index, head, extra, authors)
            index += 1
            if extra:
                extra = _Lines()
        head = (line_no, sent_at, iso, rest)
        floor = sent_at - _SLACK
    if suspect is not None:
        extra.append(suspect[4])
        extra.extend(suspect_extra)
    if head is not None:
        yield _entry(index, head, extra, authors)


class _Lines(list[str]):
    """An entry's continuation lines, kept only up to the longest message WhatsApp allows: a
    "message" of millions of lines costs the memory of one message, and its cut is marked."""

    size = 0

    def append(self, line: str) -> None:
        if self.size > MAX_MESSAGE_CHARS:
            return
        self.size += len(line) + 1
        super().append(line if self.size <= MAX_MESSAGE_CHARS else line + CUT_MARK)

    def extend(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.append(line)


def _entry(
    index: int, head: tuple[int, datetime, str, str], extra: list[str], authors: Authors
) -> ExportEntry:
    line_no, sent_at, iso, rest = head
    split = authors.split(rest)
    if index == 0 and split is not None and _opening_notice(split[2]):
        split = None
    if split is None:
        text = _system_text(rest)
        if extra:
            text = "\n".join([text, *extra])
        authors.learn(text)
        return _new_entry(
            index, line_no, sent_at, iso, None, text, text, True,
            system_event(text), None, False, False, None,
        )  # fmt: skip
    author, phone, text, written = split
    if extra:
        extra.insert(0, text)
        text = "\n".join(extra)
    marker, edited, body = markers(text, authors.raw_placeholders)
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
