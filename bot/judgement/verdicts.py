"""The verdict for what no member wrote: system lines, attachments and deleted messages.

They are `other` with certainty and never reach the classifier; the reason says which they are.
One rule for live messages, imported exports and `liftbot analyze`.
"""

from __future__ import annotations

from bot.domain import Classification, Kind, Marker

SYSTEM_LINE = Classification(Kind.OTHER, 1.0, "system line")
MEDIA_PLACEHOLDER = Classification(Kind.OTHER, 1.0, "media placeholder")
DELETED_MESSAGE = Classification(Kind.OTHER, 1.0, "deleted message")


def placeholder_verdict(*, system: bool, marker: Marker | None) -> Classification | None:
    """`other` for a system line or an entry a marker stands in for; None for member words."""
    if system:
        return SYSTEM_LINE
    if marker is Marker.MEDIA:
        return MEDIA_PLACEHOLDER
    if marker is Marker.DELETED:
        return DELETED_MESSAGE
    return None
