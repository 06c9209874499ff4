"""Slack's wire shapes as Liftbot's: events to ChatMessages, ts to time, mentions to keys.

Pure functions: nothing here talks to Slack or the database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain import ChatMessage, Marker, Platform

_TS = re.compile(r"^\d{1,12}\.\d{1,9}$")
_MENTION = re.compile(r"^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$")
_BARE_ID = re.compile(r"^@?([UW][A-Z0-9]{2,})$")
_PERMALINK = re.compile(
    r"^<?https://[A-Za-z0-9.-]+\.slack\.com/archives/([CDG][A-Z0-9]{2,})/p(\d{7,12})(\d{6})"
    r"(?:\?[^\s>|]*)?(?:\|[^>]*)?>?$"
)
# Subtypes that carry a member's words; everything else (joins, topics, pins…) is acked and ignored.
_CONTENT_SUBTYPES = {None, "thread_broadcast", "file_share", "bot_message", "me_message"}


def sent_at_of(ts: str) -> datetime:
    """The aware UTC time of a Slack `ts` ("1718000000.123456")."""
    seconds, _, micros = ts.partition(".")
    return datetime.fromtimestamp(int(seconds), tz=UTC) + timedelta(
        microseconds=int(micros.ljust(6, "0")[:6])
    )


def source_key_of(channel: str, ts: str) -> str:
    """The natural key of a Slack message within its workspace."""
    return f"{channel}:{ts}"


def permalink_of(domain: str | None, channel: str, ts: str) -> str | None:
    """`https://<domain>.slack.com/archives/<channel>/p<ts digits>` when the domain is known."""
    if not domain:
        return None
    return f"https://{domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"


def text_field(value: Any) -> str | None:
    """A non-empty string field, else None (payload fields are untrusted)."""
    return value if isinstance(value, str) and value else None


def valid_ts(value: Any) -> str | None:
    """A well-formed Slack ts ("1718000000.123456"), else None."""
    return value if isinstance(value, str) and _TS.match(value) else None


def _file_lines(files: Any) -> list[str]:
    """Metadata of shared files (never their bytes)."""
    if not isinstance(files, list):
        return []
    lines = []
    for item in files[:20]:
        if isinstance(item, dict):
            name = text_field(item.get("name")) or text_field(item.get("title")) or "file"
            kind = text_field(item.get("filetype")) or "file"
            lines.append(f"[file: {name[:120]} ({kind[:20]})]")
    return lines


def may_be_new_message(payload: Mapping[str, Any]) -> bool:
    """Whether a stored event_callback can carry a new message (not an edit, a deletion, a
    join or any other event, which may depend on the messages stored before it)."""
    event = payload.get("event")
    return (
        isinstance(event, dict)
        and event.get("type") == "message"
        and event.get("subtype") in _CONTENT_SUBTYPES
    )


def to_chat_message(
    event: Mapping[str, Any],
    team_id: str,
    *,
    community: str | None = None,
    domain: str | None = None,
) -> ChatMessage | None:
    """A Slack `message` event as a ChatMessage; None for subtypes that carry no member words.

    Edits are keyed by the original message's ts, deletions by `deleted_ts` (marker DELETED).
    """
    channel = text_field(event.get("channel"))
    if event.get("type") != "message" or channel is None:
        return None
    subtype = event.get("subtype")
    where = community or team_id
    if subtype == "message_deleted":
        deleted = valid_ts(event.get("deleted_ts"))
        if deleted is None:
            return None
        return _deleted(where, channel, deleted)
    if subtype == "message_changed":
        inner = event.get("message")
        if not isinstance(inner, dict):
            return None
        inner_ts = valid_ts(inner.get("ts"))
        if inner.get("subtype") == "tombstone" and inner_ts:
            return _deleted(where, channel, inner_ts)
        edited = _content(inner, channel, where, domain, edited=True)
        return edited
    if subtype not in _CONTENT_SUBTYPES:
        return None
    return _content(event, channel, where, domain, edited=False)


def _deleted(community: str, channel: str, ts: str) -> ChatMessage:
    return ChatMessage(
        platform=Platform.SLACK,
        community=community,
        source_key=source_key_of(channel, ts),
        sent_at=sent_at_of(ts),
        author_key=None,
        author_name=None,
        text="",
        marker=Marker.DELETED,
    )


def _content(
    event: Mapping[str, Any], channel: str, community: str, domain: str | None, *, edited: bool
) -> ChatMessage | None:
    ts = valid_ts(event.get("ts"))
    if ts is None:
        return None
    is_bot = event.get("subtype") == "bot_message" or text_field(event.get("bot_id")) is not None
    author = text_field(event.get("user")) or (text_field(event.get("bot_id")) if is_bot else None)
    text = event.get("text") if isinstance(event.get("text"), str) else ""
    assert isinstance(text, str)
    files = _file_lines(event.get("files"))
    thread_ts = valid_ts(event.get("thread_ts"))
    # The thread key is the parent's source key, so a reply links to the stored parent.
    thread_key = source_key_of(channel, thread_ts) if thread_ts else None
    reply_to = thread_key if thread_ts and thread_ts != ts else None
    return ChatMessage(
        platform=Platform.SLACK,
        community=community,
        source_key=source_key_of(channel, ts),
        sent_at=sent_at_of(ts),
        author_key=author,
        author_name=text_field(event.get("username")) if is_bot else None,
        text="\n".join([text, *files]) if text and files else (text or "\n".join(files)),
        marker=Marker.MEDIA if files and not text.strip() else None,
        edited=edited,
        is_bot=is_bot,
        thread_key=thread_key,
        reply_to_source_key=reply_to,
        permalink=permalink_of(domain, channel, ts),
    )


@dataclass(frozen=True, slots=True)
class SlackDirectory:
    """Slack mentions and message links, for the `/lift` grammar."""

    def member_key(self, mention: str) -> str | None:
        """`<@U123|name>`, `<@U123>`, `@U123` or `U123` -> "U123"."""
        text = mention.strip()
        found = _MENTION.match(text) or _BARE_ID.match(text)
        return found.group(1) if found else None

    def message_key(self, reference: str) -> str | None:
        """A message permalink -> "C123:1718000000.123456"."""
        found = _PERMALINK.match(reference.strip())
        if found is None:
            return None
        channel, seconds, micros = found.groups()
        return source_key_of(channel, f"{seconds}.{micros}")
