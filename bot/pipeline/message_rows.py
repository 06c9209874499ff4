"""The one shape of a stored message row, for live ingest, tombstones and export imports."""

from __future__ import annotations

from typing import Any

from bot.domain import ChatMessage, Classification, Kind

# The columns of `message_values`, in order (the bulk import writes plain tuples).
MESSAGE_COLUMNS = (
    "community_id",
    "platform",
    "source_key",
    "member_id",
    "sent_at",
    "text",
    "system",
    "system_event",
    "marker",
    "edited",
    "deleted",
    "is_bot",
    "forwarded",
    "thread_key",
    "reply_to_source_key",
    "permalink",
    "kind",
    "kind_confidence",
    "kind_reason",
    "kind_source",
    "role_level",
    "author_level",
    "reply_to_id",
    "substantive",
    "answered",
    "resolved",
    "import_id",
)
MEMBER_ID_POSITION = MESSAGE_COLUMNS.index("member_id")


def message_values(
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
) -> tuple[Any, ...]:
    """Values for one `message` row in MESSAGE_COLUMNS order: the message as translated, and
    its judgement. A help request starts unanswered and unresolved; anything else has neither.
    """
    is_request = verdict.kind is Kind.HELP_REQUEST
    return (
        community_id,
        message.platform.value,
        message.source_key,
        member_id,
        message.sent_at,
        message.text,
        message.system,
        message.system_event,
        message.marker.value if message.marker else None,
        message.edited,
        deleted,
        message.is_bot,
        message.forwarded,
        message.thread_key,
        message.reply_to_source_key,
        message.permalink,
        verdict.kind.value,
        verdict.confidence,
        verdict.reason[:300],
        "model",
        verdict.role_level.value if verdict.role_level else None,
        author_level,
        reply_to_id,
        substantive,
        False if is_request else None,
        False if is_request else None,
        import_id,
    )


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
    """The same values as `message_values`, by column name."""
    values = message_values(
        message,
        community_id=community_id,
        verdict=verdict,
        member_id=member_id,
        author_level=author_level,
        reply_to_id=reply_to_id,
        substantive=substantive,
        deleted=deleted,
        import_id=import_id,
    )
    return dict(zip(MESSAGE_COLUMNS, values, strict=True))
