"""WhatsApp's own lines: system notices (what event each describes) and message placeholders."""

from __future__ import annotations

import re
from typing import Final

from bot.domain import Marker
from handlers.whatsapp_export.marks import DROP_MARKS, SPACE_MARKS
from handlers.whatsapp_export.strings_table import strings_table

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


def system_event_in(text: str) -> str | None:
    """The kind of system event the text describes, or None if it does not read like one."""
    clean = text.translate(DROP_MARKS).strip()
    for event, pattern in _SYSTEM_EVENTS:
        if pattern.search(clean):
            return event
    return None


def system_event(text: str) -> str:
    """The event a system line reports (English rules first, then every language's strings)."""
    first_line = text.split("\n", 1)[0]
    event = system_event_in(first_line)
    if event is not None:
        return event
    found = strings_table().match(first_line)
    if found is not None and found.section != "placeholder":
        return found.kind
    return "other"


def is_notice(text: str) -> bool:
    """Whether a text after "Name: " is WhatsApp's own notice (any language), not a member's."""
    found = strings_table().match(text.split("\n", 1)[0])
    return found is not None and found.section != "placeholder"


def is_marked_notice(text: str) -> bool:
    """Whether a text that starts with a bidi mark, as iOS writes its notices, is one."""
    return system_event_in(text) is not None or is_notice(text)


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
MARKER_ENDINGS: Final = (">", "omitted", "omitted\u200e", "deleted", "deleted.", "this message")
MARKER_STARTS: Final = "<\u200e\u200f\u2039"
NOTICE_MARKS: Final = "\u200e\u200f"
# iOS writes a caption or a file name, then a left-to-right mark, then the placeholder on the
# same line ("Summit reached \u200eimage omitted", "plan.pdf \u200e<attached: 0001-plan.pdf>").
INLINE_MARK: Final = "\u200e"
_CAPTIONED_MAX: Final = 300
FILE_ATTACHED: Final = " (file attached)"
FILE_ATTACHED_WITHIN: Final = 400  # a file name comes first: the mark is near the start


def markers(text: str, raw_placeholders: frozenset[str]) -> tuple[Marker | None, bool, str]:
    """(marker, edited, body) for a member message's text; `raw_placeholders` gates the rest."""
    if (
        not text.endswith(MARKER_ENDINGS)
        and text[:1] not in MARKER_STARTS
        and FILE_ATTACHED not in text[:FILE_ATTACHED_WITHIN]
        and text not in raw_placeholders
        and INLINE_MARK not in text
    ):  # the common case, decided by five C-level checks (entries repeats them inline)
        return None, False, text
    edited = False
    body = text
    if body.endswith(_EDITED):
        edited = True
        body = body[: -len(_EDITED)].rstrip(SPACE_MARKS)
    elif body.endswith(">"):
        opening = body.rfind("<")
        found = strings_table().match(body[opening:]) if opening >= 0 else None
        if found is not None and found.kind == "edited":
            edited = True
            body = body[:opening].rstrip(SPACE_MARKS)
    stripped = body.strip(SPACE_MARKS)
    if stripped in _MEDIA_EXACT:
        return Marker.MEDIA, edited, ""
    if stripped in _DELETED_EXACT:
        return Marker.DELETED, edited, ""
    if stripped[:1] == "<" and stripped.startswith("<attached: "):
        end = stripped.find(">")
        return Marker.MEDIA, edited, stripped[end + 1 :].strip(SPACE_MARKS) if end > 0 else ""
    attached = stripped.find(FILE_ATTACHED, 0, FILE_ATTACHED_WITHIN)
    if attached >= 0:
        newline = stripped.find("\n", attached)
        caption = stripped[newline + 1 :].strip(SPACE_MARKS) if newline >= 0 else ""
        return Marker.MEDIA, edited, caption
    if stripped.endswith(" omitted") or stripped.endswith(" omitted\u200e"):
        first_line = stripped.rsplit("\n", 1)[-1].translate(DROP_MARKS)
        if _OMITTED.search(first_line):
            return Marker.MEDIA, edited, ""
    if stripped.endswith("attached>"):  # older iOS: "IMG-0001.jpg <\u200eattached>"
        return Marker.MEDIA, edited, ""
    first_line, _, caption = stripped.partition("\n")
    if len(first_line) <= _CAPTIONED_MAX:
        found = strings_table().match(first_line)
        if found is not None and found.section == "placeholder" and found.kind != "edited":
            marker = Marker.MEDIA if found.kind == "media" else Marker.DELETED
            return marker, edited, caption.strip(SPACE_MARKS) if marker is Marker.MEDIA else ""
    mark = stripped.rfind(INLINE_MARK)
    if mark > 0:
        found = strings_table().match(stripped[mark:])
        if found is not None and found.section == "placeholder" and found.kind == "media":
            return Marker.MEDIA, edited, stripped[:mark].strip(SPACE_MARKS)
    return None, edited, body if not edited else body.strip(SPACE_MARKS) or body
