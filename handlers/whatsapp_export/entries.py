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
from handlers.whatsapp_export.layout import (
    NOT_AN_EXPORT,
    block_headers,
    detect,
    repeats_verbatim,
)
from handlers.whatsapp_export.marks import MARKS
from handlers.whatsapp_export.model import DateOrder, ExportEntry, ExportFormatError, Layout
from handlers.whatsapp_export.system_lines import (
    FILE_ATTACHED,
    FILE_ATTACHED_WITHIN,
    INLINE_MARK,
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
    """Yield the entries of an export, streaming; an empty file yields nothing.

    `source` is an opened export or its lines (a string holding "\n" counts as several lines).
    Nothing is read before the first entry is asked for.
    """
    return _entries(source, date_order)


def _opened(
    source: ExportSource | Iterable[str], date_order: DateOrder | None
) -> tuple[Iterable[str], Layout | None]:
    """The source's blocks of lines (see `ExportSource.blocks`) and its layout."""
    if isinstance(source, ExportSource):
        return source.blocks(), detect(source, date_order)
    lines = list(_plain_lines(source))  # a one-shot iterable cannot be read twice
    return ["\n" + "\n".join(lines)], detect(lines, date_order)


def _plain_lines(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        if "\x00" in line:
            line = line.replace("\x00", "")
        line = line.rstrip("\r\n")
        if "\n" in line:
            yield from line.split("\n")
        else:
            yield line


# A header whose author is a time ("8/31/24, 10:00 AM - 1:00 PM: test") is a pasted schedule line.
_TIME_AUTHOR: Final = re.compile(r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[^\s:]{1,6}){0,2}: ")
# Headers may run a little backwards (late delivery); by more than this they break the style.
_SLACK: Final = timedelta(days=1)
_OPENING_NOTICE_MIN: Final = 60
# A header held back because it runs backwards: line, datetime, ISO text, rest and whole line.
_Suspect = tuple[int, datetime, str, str, str]


def _entries(
    source: ExportSource | Iterable[str], date_order: DateOrder | None
) -> Iterator[ExportEntry]:
    """Fold lines into entries; a header-shaped line that breaks the export's style is text.

    Headers are found by regex searches over a block of lines (a line repeating the last header
    verbatim is recognised without one, where the layout allows); the text between two headers
    is the continuation of the first, taken as one slice. A header running backwards by days is
    held as a suspect until the next header: if that one continues from the suspect rather than
    from the entries before it, the suspect was real (a clock that jumped); otherwise it was a
    pasted line and joins the entry above.
    """
    blocks, layout = _opened(source, date_order)
    if layout is None:
        return
    # Per-header work is hoisted into locals: this loop runs once per entry of a million.
    pattern = block_headers(layout)
    search, rest_group = pattern.search, pattern.groups
    verbatim = repeats_verbatim(layout)
    time_author = _TIME_AUTHOR.match
    clock = Clock(layout)
    date_group, time_group = clock.date_group, clock.time_group
    days, times = clock.days, clock.times
    slack = _SLACK
    make = _EntryMaker(Authors()).make
    index = 0
    line_no = 0  # of the last line read
    # The entry being read, as locals rather than a tuple; `head_at` is None before the first.
    head_line, head_iso, head_rest = 0, "", ""
    head_at: datetime | None = None
    extra = _Lines()
    suspect: _Suspect | None = None
    suspect_extra = _Lines()
    preamble = _Preamble()
    # The last header's date and time as read: headers of the same minute repeat it verbatim.
    # NUL never survives reading: the first key matches no line.
    stamp_key, stamp_at, stamp_iso = "\x00", datetime.min, ""
    for block in blocks:
        cursor = 0  # text from here to the next header continues the entry (or suspect) above
        end = 0  # where the last header's line ends: the next header is searched from here
        find, starts_with = block.find, block.startswith
        while True:
            # Headers of the same minute follow one another: a line that repeats the last header
            # verbatim is that header again (see `repeats_verbatim`), found without the regex.
            if verbatim and starts_with(stamp_key, end):
                start = end
                rest_at = start + len(stamp_key)
                end = find("\n", rest_at)
                if end < 0:
                    end = len(block)
                rest = block[rest_at:end]
                same = True
            else:
                found = search(block, end)
                if found is None:
                    break
                m = found
                rest = m[rest_group]
                start = m.start()
                end = m.end()
                same = False
            if rest[:1].isdigit() and head_at is not None and time_author(rest):
                continue  # a pasted schedule line: text of the entry above
            if cursor < start:  # lines between the last header and this one
                piece = block[cursor:start]
                line_no += piece.count("\n")
                held = suspect_extra if suspect else extra if head_at else preamble
                held.add(piece)
            line_no += 1
            cursor = end
            if not same:
                key = block[start : end - len(rest)]
                if key != stamp_key:  # Clock.read, inline: its caches answer almost every header
                    date_text, time_text = m.group(date_group, time_group)
                    day = days.get(date_text) or clock.day(m, line_no)
                    tod = times.get(time_text) or clock.time_of_day(m, line_no)
                    stamp_at = day[4] + tod[4]  # midnight plus the time of day: both were checked
                    stamp_key, stamp_iso = key, day[3] + tod[3]
            if head_at is not None:
                if suspect is not None:
                    if suspect[1] - slack <= stamp_at < head_at - slack:
                        yield make(index, head_line, head_at, head_iso, head_rest, extra)
                        index += 1
                        head_line, head_at, head_iso, head_rest, _ = suspect
                        extra = suspect_extra
                    elif _notice_line(suspect[3]):
                        # WhatsApp's own notice dated back ("X created group" months before the
                        # exporter joined) is an entry out of order, not a pasted line.
                        yield make(index, head_line, head_at, head_iso, head_rest, extra)
                        index += 1
                        head_line, head_at, head_iso, head_rest, _ = suspect
                        extra = suspect_extra
                    else:
                        extra.add("\n" + suspect[4])
                        extra.add_all(suspect_extra)
                    suspect, suspect_extra = None, _Lines()
                # Most headers run forwards: only one running backwards pays for the arithmetic.
                if stamp_at < head_at and stamp_at < head_at - slack:
                    suspect = (line_no, stamp_at, stamp_iso, rest, block[start + 1 : cursor])
                    continue
                yield make(index, head_line, head_at, head_iso, head_rest, extra)
                index += 1
                if extra:
                    extra = _Lines()
            head_line, head_at, head_iso, head_rest = line_no, stamp_at, stamp_iso, rest
        if cursor < len(block):
            piece = block[cursor:]
            line_no += piece.count("\n")
            held = suspect_extra if suspect else extra if head_at else preamble
            held.add(piece)
    if suspect is not None:
        extra.add("\n" + suspect[4])
        extra.add_all(suspect_extra)
    if head_at is not None:
        yield make(index, head_line, head_at, head_iso, head_rest, extra)


_list_append: Final = list.append


class _Lines(list[str]):
    """An entry's continuation lines, as pieces of whole lines with a "\n" before each line; kept
    only up to the longest message WhatsApp allows: a "message" of millions of lines costs the
    memory of one message, and its cut is marked."""

    size = 0

    def add(self, piece: str) -> None:
        """Keep these lines, or as much of them as fits."""
        size = self.size + len(piece)
        if size <= MAX_MESSAGE_CHARS:
            self.size = size
            _list_append(self, piece)
            return
        size = self.size
        for line in piece[1:].split("\n"):
            if size > MAX_MESSAGE_CHARS:
                break
            size += len(line) + 1
            _list_append(self, "\n" + line if size <= MAX_MESSAGE_CHARS else "\n" + line + CUT_MARK)
        self.size = size

    def add_all(self, pieces: Iterable[str]) -> None:
        """Keep these pieces in turn."""
        for piece in pieces:
            self.add(piece)


class _Preamble(_Lines):
    """Lines before the first header: only blank ones (bidi marks count as blank) are allowed."""

    def add(self, piece: str) -> None:
        """Count the lines, refusing the file at the first that is not blank."""
        for line in piece[1:].split("\n"):
            self.size += 1
            if line.strip(MARKS + " \t"):
                raise ExportFormatError(NOT_AN_EXPORT.format(self.size))


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

    __slots__ = ("authors", "colon", "known", "raw_placeholders", "raw_system", "split")

    def __init__(self, authors: Authors) -> None:
        self.authors = authors
        self.split = authors.split
        self.known = authors.cache.get
        self.colon = authors.colon
        self.raw_placeholders = authors.raw_placeholders
        self.raw_system = authors.raw_system

    def make(
        self, index: int, line_no: int, sent_at: datetime, iso: str, rest: str, extra: list[str]
    ) -> ExportEntry:
        """The entry: ExportEntry(...) with the same fields, without the frozen-__init__ cost."""
        # Authors.split's common case, inline: an author already met, before the first ": ", and
        # a text that is no notice. Anything else, and the first entry, goes through the call.
        raw, colon, text = rest.partition(": ")
        info = self.known(raw) if colon else None
        first = text[:1]
        system, event, marker, edited = False, None, None, False
        if (
            info is None
            or not index
            or raw in self.colon
            or first in NOTICE_MARKS
            or text in self.raw_system
        ):
            split = self.split(rest)
            if index == 0 and split is not None and _opening_notice(split[2]):
                split = None
            if split is None:
                system, author, phone, written = True, None, False, None
                text = _system_text(rest)
            else:
                author, phone, text, written = split
                first = text[:1]
        else:
            author, phone, written = info
        if extra:
            text += "".join(extra)  # `first` may now be stale only for an empty text: see below
        if system:
            self.authors.learn(text)
            event, body = system_event(text), text
        elif (
            text.endswith(MARKER_ENDINGS)
            or first in MARKER_STARTS  # "" (an empty head) passes: markers() decides again
            or (")" in text and FILE_ATTACHED in text[:FILE_ATTACHED_WITHIN])
            or text in self.raw_placeholders
            or INLINE_MARK in text
        ):  # markers' own fast-path checks, inline: most texts are plain and skip the call
            marker, edited, body = markers(text, self.raw_placeholders)
        else:
            body = text
        # ExportEntry(...) with these fields, filled by plain slot stores (see `_Building`).
        entry = _object_new(_Building)
        entry.index = index
        entry.line = line_no
        entry.sent_at = sent_at
        entry.sent_at_text = iso
        entry.author = author
        entry.text = text
        entry.body = body
        entry.system = system
        entry.system_event = event
        entry.marker = marker
        entry.edited = edited
        entry.author_is_phone = phone
        entry.author_written = written
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


def _notice_line(rest: str) -> bool:
    """Whether a header's rest is one of WhatsApp's notices (a system line, or iOS's
    "Group: \u200eNotice"), which nobody types: its date is WhatsApp's, however far back."""
    i = rest.find(": ")
    if i < 0:
        return system_event_in(rest) is not None or is_notice(rest)
    text = rest[i + 2 :]
    return text[:1] in NOTICE_MARKS and (system_event_in(text) is not None or is_notice(text))


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
