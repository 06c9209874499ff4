"""The one shape of a stored message row, for live ingest, tombstones and export imports."""

from __future__ import annotations

from typing import Any

from bot.domain import ChatMessage, Classification, Kind


def message_row(
    message: ChatMessage,
    *,
    community_id: int,
    verdict: Classification,
    member_id: int | None = None,
    author_level: str = "unknown",
    reply_to_id: int | None = None,
    substantive: bool = False,
    deleted: bool = False,
    import_id: int | None = None,
) -> dict[str, Any]:
    """Values for one `message` row: the message as translated, and its judgement.

    A help request starts unanswered and unresolved; anything else has neither.
    """
    is_request = verdict.kind is Kind.HELP_REQUEST
    return {
        "community_id": community_id,
        "platform": message.platform.value,
        "source_key": message.source_key,
        "member_id": member_id,
        "sent_at": message.sent_at,
        "text": message.text,
        "system": message.system,
        "system_event": message.system_event,
        "marker": message.marker.value if message.marker else None,
        "edited": message.edited,
        "deleted": deleted,
        "is_bot": message.is_bot,
        "forwarded": message.forwarded,
        "thread_key": message.thread_key,
        "reply_to_source_key": message.reply_to_source_key,
        "permalink": message.permalink,
        "kind": verdict.kind.value,
        "kind_confidence": verdict.confidence,
        "kind_reason": verdict.reason[:300],
        "kind_source": "model",
        "role_level": verdict.role_level.value if verdict.role_level else None,
        "author_level": author_level,
        "reply_to_id": reply_to_id,
        "substantive": substantive,
        "answered": False if is_request else None,
        "resolved": False if is_request else None,
        "import_id": import_id,
    }
