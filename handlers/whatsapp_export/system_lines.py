"""WhatsApp's own lines: system notices (what event each describes) and message placeholders."""

from __future__ import annotations

import re
from typing import Final

from bot.domain import Marker
from handlers.whatsapp_export.marks import DROP_MARKS, SPACE_MARKS

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
    first_line = text.split("\n", 1)[0]
    return system_event_in(first_line) or "other"


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
_MARKER_ENDINGS: Final = (">", "omitted", "omitted\u200e", "deleted", "deleted.", "this message")
_MARKER_STARTS: Final = "<\u200e"


def markers(text: str) -> tuple[Marker | None, bool, str]:
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
        body = body[: -len(_EDITED)].rstrip(SPACE_MARKS)
    stripped = body.strip(SPACE_MARKS)
    if stripped in _MEDIA_EXACT:
        return Marker.MEDIA, edited, ""
    if stripped in _DELETED_EXACT:
        return Marker.DELETED, edited, ""
    if stripped[:1] == "<" and stripped.startswith("<attached: "):
        end = stripped.find(">")
        return Marker.MEDIA, edited, stripped[end + 1 :].strip(SPACE_MARKS) if end > 0 else ""
    attached = stripped.find(" (file attached)", 0, 400)
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
    return None, edited, body if not edited else body.strip(SPACE_MARKS) or body
