"""Authors: splitting "author: text" after a header and deciding what each raw author means."""

from __future__ import annotations

import re
from typing import Final

from handlers.whatsapp_export.marks import DROP_MARKS, PHONE, SPACE_MARKS
from handlers.whatsapp_export.strings_table import strings_table
from handlers.whatsapp_export.system_lines import (
    NOTICE_MARKS,
    is_marked_notice,
    is_notice,
    system_event_in,
)

_MAX_AUTHOR_CACHE: Final = 100_000
# Text before a notice's own ": " is a clause of several words, longer than most names.
_NOTICE_MIN_SPACES: Final = 3
_NOT_CACHED: Final[tuple[str, bool, str]] = ("", False, "")
# Names a system line mentions: "X added A, B and C", "X removed Y", "Y joined using…", "Y left".
_NAMES_IN_SYSTEM: Final = re.compile(
    r"\b(?:added|removed) (?P<objects>.+)$|^(?P<subject>.+?) (?:joined using|joined from|left$)"
)


class Authors:
    """Splits "author: text" and caches what each raw author string means.

    The author ends at the first ": " after the header, except when a longer name that itself
    contains ": " is known from an earlier system line ("X added Team: HR").
    """

    __slots__ = ("cache", "colon", "raw_placeholders", "raw_system")

    def __init__(self) -> None:
        self.colon: dict[str, str] = {}
        self.cache: dict[str, tuple[str, bool, str] | None] = {}
        table = strings_table()
        self.raw_system = table.raw_system
        self.raw_placeholders = table.raw_placeholders

    def split(self, rest: str) -> tuple[str, bool, str, str] | None:
        """(author, is_phone, text, author as written) for a member message; None for system."""
        i = rest.find(": ")
        start = i + 2  # where the text begins
        if i < 0:
            i = rest.find(":")
            # "Name:" (an empty message, trailing space trimmed) or "Name:." (only punctuation)
            if i <= 0 or not _only_punctuation(rest[i + 1 :]) or is_notice(rest):
                return None
            start = i + 2 if rest[i + 1 : i + 2] == " " else i + 1
        raw = rest[:i]
        colon = self.colon
        if colon and raw in colon:
            end = i + 2 + len(colon[raw])
            if rest.startswith(colon[raw], i + 2):
                if not rest.startswith(": ", end) and system_event_in(rest) is not None:
                    return None  # "Team: HR left"
                if rest.startswith(": ", end):
                    raw, i, start = rest[:end], end, end + 2
        info = self.cache.get(raw, _NOT_CACHED)
        if info is _NOT_CACHED:
            if raw.count(" ") >= _NOTICE_MIN_SPACES and is_notice(rest):
                return None  # a notice with ": " in it ("…subject to: X"), in any language
            info = self._info(raw)
        if info is None:
            return None
        text = rest[start:]
        if text[:1] in NOTICE_MARKS:
            if is_marked_notice(text):
                return None
        elif text in self.raw_system:  # a notice written without its mark
            return None  # iOS attributes notices to the group or contact: "Group: \u200eX added Y"
        name, phone, written = info
        return name, phone, text, written

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
            prefix, sep, segment = name.strip(SPACE_MARKS).partition(": ")
            if sep and segment and ": " not in segment:
                self.colon[prefix] = segment


def _author_info(raw: str) -> tuple[str, bool, str] | None:
    """(display name, is phone, as written) for a raw author string; None for a system line."""
    if system_event_in(raw) is not None:
        return None
    written = raw.translate(DROP_MARKS).strip()
    name = written
    if name[:1] == "~":
        name = name[1:].lstrip(" \u202f\u00a0")
    if not name:
        return None
    return name, PHONE.fullmatch(name) is not None, written


def _only_punctuation(text: str) -> bool:
    """Whether a message text is nothing but punctuation ("." or "?!"), or empty."""
    return ":" not in text and not any(ch.isalnum() or ch.isspace() for ch in text)
