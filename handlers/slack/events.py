"""What Liftbot does with a Slack event: store, edit or delete a message; resolve; meet a member."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from bot.domain import ChatMessage, Marker, Platform
from bot.pipeline.ingest import apply_delete, apply_edit, ingest
from bot.pipeline.levels import apply_title
from bot.pipeline.moderation import resolve_request
from handlers.slack.api import SlackProfile
from handlers.slack.context import SlackContext
from handlers.slack.message_batch import defer
from handlers.slack.translate import (
    sent_at_of,
    source_key_of,
    text_field,
    to_chat_message,
    valid_ts,
)
from handlers.slack.upload import import_uploaded_export, is_export_upload
from storage import queries
from storage.db import session_scope
from storage.tables import Member

log = logging.getLogger(__name__)


def is_own_edit(ctx: SlackContext, event: Mapping[str, Any]) -> bool:
    """An edit of the bot's own message (Bolt filters the bot's events, not what they wrap)."""
    inner = event.get("message")
    if not isinstance(inner, dict):
        return False
    me = ctx.api.identity()
    return bool(
        (me.bot_id and inner.get("bot_id") == me.bot_id)
        or (me.user_id and inner.get("user") == me.user_id)
    )


def handle_message(ctx: SlackContext, event: Mapping[str, Any], team_id: str) -> str:
    """Store, edit or delete one message event; returns what happened (for logs and tests)."""
    if is_own_edit(ctx, event):
        return "self"
    if is_export_upload(event):
        import_uploaded_export(ctx, event, team_id)
        return "upload"
    if event.get("channel_type") == "im":
        # A direct message to the bot is not community conversation: not stored (minimisation).
        return "direct message"
    message = to_chat_message(
        event, team_id, community=ctx.community_name, domain=ctx.api.identity().domain
    )
    if message is None:
        return "ignored"
    if message.author_key and not message.is_bot:
        message = _with_profile(ctx, message)
    if message.marker is not Marker.DELETED and not message.edited and defer(ctx, team_id, message):
        return "deferred"  # a worker's batch: stored with the batch's other new messages
    with session_scope(ctx.engine) as session:
        community_id = ctx.community_id(session, team_id)
        if message.marker is Marker.DELETED:
            outcome = apply_delete(
                session=session,
                community_id=community_id,
                source_key=message.source_key,
                platform=Platform.SLACK.value,
                sent_at=message.sent_at,
            )
        else:
            classifier = ctx.classifier_for(session, community_id)
            apply = apply_edit if message.edited else ingest
            outcome = apply(
                message, session=session, community_id=community_id, classifier=classifier
            )
    return outcome.status


def _with_profile(ctx: SlackContext, message: ChatMessage) -> ChatMessage:
    profile = ctx.api.profile(message.author_key or "")
    if profile is None:
        return message
    return replace(message, author_name=profile.name, title=profile.title)


def handle_reaction(ctx: SlackContext, event: Mapping[str, Any], team_id: str) -> str:
    """The resolve reaction by the asker or a moderator resolves the help request."""
    item = event.get("item")
    user = text_field(event.get("user"))
    if event.get("reaction") != ctx.settings.slack_resolve_reaction or not isinstance(item, dict):
        return "ignored"
    channel, ts = text_field(item.get("channel")), valid_ts(item.get("ts"))
    if user is None or channel is None or ts is None:
        return "ignored"
    with session_scope(ctx.engine) as session:
        community_id = ctx.community_id(session, team_id)
        message = queries.message_by_source(
            session=session, community_id=community_id, source_key=source_key_of(channel, ts)
        )
        if message is None or message.deleted:
            return "unknown message"
        asker = session.get(Member, message.member_id) if message.member_id else None
        if (asker is None or asker.key != user) and not ctx.is_moderator(
            user, granted=ctx.granted(session, community_id, user)
        ):
            return "not allowed"
        return "resolved" if resolve_request(session=session, message=message) else "not a request"


def handle_member_joined(ctx: SlackContext, user_id: str, team_id: str) -> str:
    """A member joined: remember them, with the seniority their profile title tells (one who
    had left is back, under their name)."""
    profile = ctx.api.profile(user_id)
    if profile is None:
        return "unknown member"
    with session_scope(ctx.engine) as session:
        community_id = ctx.community_id(session, team_id)
        remember_member(session, community_id, profile)
        back = [(profile.user_id, datetime.now(UTC), False, profile.name)]
        queries.record_movements(session=session, community_id=community_id, moves=back)
    return "member"


def handle_member_left(ctx: SlackContext, event: Mapping[str, Any], team_id: str) -> str:
    """A member left a channel (`channel_leave`, `member_left_channel`): retention erases their
    name once they have been gone, and silent, past its limit."""
    user = text_field(event.get("user"))
    if not user:
        return "no member"
    ts = valid_ts(event.get("ts")) or valid_ts(event.get("event_ts"))
    left = [(user, sent_at_of(ts) if ts else datetime.now(UTC), True, "")]
    with session_scope(ctx.engine) as session:
        community_id = ctx.community_id(session, team_id)
        queries.record_movements(session=session, community_id=community_id, moves=left)
    return "left"


def remember_member(session: Session, community_id: int, profile: SlackProfile) -> None:
    """Create the member if new, and apply their profile title's level when it is stronger."""
    if queries.is_suppressed(session=session, community_id=community_id, key=profile.user_id):
        return
    queries.ensure_members(
        session=session,
        community_id=community_id,
        people={profile.user_id: (profile.name, profile.is_bot)},
    )
    member = queries.member_by_key(session=session, community_id=community_id, key=profile.user_id)
    if member is None or not profile.title:
        return
    apply_title(session, member, profile.title)
