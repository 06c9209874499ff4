"""Builders that make test messages read like the conversations they stand for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain import ChatMessage, Platform

T0 = datetime(2026, 11, 16, 4, 30, tzinfo=UTC)  # Monday 10:00 in India


def said(
    author: str,
    text: str,
    *,
    minutes: float = 0,
    key: str | None = None,
    reply_to: str | None = None,
    thread: str | None = None,
    is_bot: bool = False,
    community: str = "HR Leaders",
    title: str | None = None,
) -> ChatMessage:
    """A live message by `author`, `minutes` after T0, with an optional structural reply link."""
    return ChatMessage(
        platform=Platform.SLACK,
        community=community,
        source_key=key or f"C1:{author}:{minutes}",
        sent_at=T0 + timedelta(minutes=minutes),
        author_key=f"U-{author}",
        author_name=author,
        text=text,
        is_bot=is_bot,
        thread_key=thread,
        reply_to_source_key=reply_to,
        title=title,
    )
