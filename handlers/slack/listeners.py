"""Slack: translate events into ChatMessages and route Bolt listeners into the ingest pipeline."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_bolt import Ack, App
from sqlmodel import Session

from bot.config import Settings
from bot.domain import ChatMessage, Marker, Platform
from bot.pipeline.ingest import apply_delete, apply_edit, ingest
from bot.pipeline.levels import apply_title
from bot.pipeline.moderation import resolve_request
from bot.text import slack_escape
from handlers import commands
from handlers.slack.api import SlackApi, SlackProfile
from storage import queries
from storage.db import session_scope
from storage.tables import InboxEvent, Member

log = logging.getLogger(__name__)

_TS = re.compile(r"^\d{1,12}\.\d{1,9}$")
_MENTION = re.compile(r"^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$")
_BARE_ID = re.compile(r"^@?([UW][A-Z0-9]{2,})$")
_PERMALINK = re.compile(
    r"^<?https://[A-Za-z0-9.-]+\.slack\.com/archives/([CDG][A-Z0-9]{2,})/p(\d{7,12})(\d{6})"
    r"(?:\?[^\s>|]*)?(?:\|[^>]*)?>?$"
)
# Subtypes that carry a member's words; everything else (joins, topics, pins…) is acked and ignored.
_CONTENT_SUBTYPES = {None, "thread_broadcast", "file_share", "bot_message", "me_message"}
STATE_CHANGING_VERBS = {"tag", "expert", "resolve", "reclassify", "iam", "forget"}
HELP_TEXT = (
    "Hi! I'm Liftbot. I notice help requests that go unanswered and report the weekly mix of "
    "job posts, help requests and gyaan. Type `{command} help` for commands."
)


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


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _valid_ts(value: Any) -> str | None:
    return value if isinstance(value, str) and _TS.match(value) else None


def _file_lines(files: Any) -> list[str]:
    """Metadata of shared files (never their bytes)."""
    if not isinstance(files, list):
        return []
    lines = []
    for item in files[:20]:
        if isinstance(item, dict):
            name = _str(item.get("name")) or _str(item.get("title")) or "file"
            kind = _str(item.get("filetype")) or "file"
            lines.append(f"[file: {name[:120]} ({kind[:20]})]")
    return lines


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
    channel = _str(event.get("channel"))
    if event.get("type") != "message" or channel is None:
        return None
    subtype = event.get("subtype")
    where = community or team_id
    if subtype == "message_deleted":
        deleted = _valid_ts(event.get("deleted_ts"))
        if deleted is None:
            return None
        return _deleted(where, channel, deleted)
    if subtype == "message_changed":
        inner = event.get("message")
        if not isinstance(inner, dict):
            return None
        inner_ts = _valid_ts(inner.get("ts"))
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
    ts = _valid_ts(event.get("ts"))
    if ts is None:
        return None
    is_bot = event.get("subtype") == "bot_message" or _str(event.get("bot_id")) is not None
    author = _str(event.get("user")) or (_str(event.get("bot_id")) if is_bot else None)
    text = event.get("text") if isinstance(event.get("text"), str) else ""
    assert isinstance(text, str)
    files = _file_lines(event.get("files"))
    thread_ts = _valid_ts(event.get("thread_ts"))
    # The thread key is the parent's source key, so a reply links to the stored parent.
    thread_key = source_key_of(channel, thread_ts) if thread_ts else None
    reply_to = thread_key if thread_ts and thread_ts != ts else None
    return ChatMessage(
        platform=Platform.SLACK,
        community=community,
        source_key=source_key_of(channel, ts),
        sent_at=sent_at_of(ts),
        author_key=author,
        author_name=_str(event.get("username")) if is_bot else None,
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


@dataclass
class SlackContext:
    """What Slack listeners share: settings, database, the Web API and a classifier source."""

    settings: Settings
    engine: Any
    api: SlackApi
    classifier_for: Callable[[Session, int], Any]
    on_export_upload: Callable[[Mapping[str, Any], str], object] | None = None

    @property
    def community_name(self) -> str:
        """Where this workspace's messages are stored."""
        return self.settings.slack_community or self.settings.community

    def community_id(self, session: Session, team_id: str) -> int:
        """The Slack community's id, created on first use."""
        row = queries.ensure_community(
            session=session,
            name=self.community_name,
            platform=Platform.SLACK.value,
            timezone=self.settings.timezone,
            external_id=team_id or None,
        )
        assert row.id is not None
        return row.id

    def is_moderator(self, user_id: str) -> bool:
        """Configured moderators and workspace admins/owners (from the signed user id only)."""
        if user_id in self.settings.moderators:
            return True
        profile = self.api.profile(user_id)
        return profile is not None and (profile.is_admin or profile.is_owner)


def _is_self(ctx: SlackContext, event: Mapping[str, Any]) -> bool:
    me = ctx.api.identity()
    inner = event.get("message") if isinstance(event.get("message"), dict) else {}
    assert isinstance(inner, dict)
    for candidate in (event, inner):
        if me.bot_id and candidate.get("bot_id") == me.bot_id:
            return True
        if me.user_id and candidate.get("user") == me.user_id:
            return True
    return False


def handle_message(ctx: SlackContext, event: Mapping[str, Any], team_id: str) -> str:
    """Store, edit or delete one message event; returns what happened (for logs and tests)."""
    if _is_self(ctx, event):
        return "self"
    if _is_export_upload(event) and ctx.on_export_upload is not None:
        ctx.on_export_upload(event, team_id)
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
    from dataclasses import replace

    return replace(message, author_name=profile.name, title=profile.title)


def _is_export_upload(event: Mapping[str, Any]) -> bool:
    if event.get("channel_type") != "im" or event.get("subtype") != "file_share":
        return False
    files = event.get("files")
    return isinstance(files, list) and any(
        isinstance(f, dict) and str(f.get("name", "")).lower().endswith((".txt", ".zip"))
        for f in files
    )


def handle_reaction(ctx: SlackContext, event: Mapping[str, Any], team_id: str) -> str:
    """The resolve reaction by the asker or a moderator resolves the help request."""
    item = event.get("item")
    user = _str(event.get("user"))
    if event.get("reaction") != ctx.settings.slack_resolve_reaction or not isinstance(item, dict):
        return "ignored"
    channel, ts = _str(item.get("channel")), _valid_ts(item.get("ts"))
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
        if (asker is None or asker.key != user) and not ctx.is_moderator(user):
            return "not allowed"
        return "resolved" if resolve_request(session=session, message=message) else "not a request"


def handle_member_joined(ctx: SlackContext, user_id: str, team_id: str) -> str:
    """A member joined: remember them, with the seniority their profile title tells."""
    profile = ctx.api.profile(user_id)
    if profile is None:
        return "unknown member"
    with session_scope(ctx.engine) as session:
        community_id = ctx.community_id(session, team_id)
        remember_member(session, community_id, profile)
    return "member"


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


def run_command(ctx: SlackContext, form: Mapping[str, Any], now: datetime) -> str:
    """Run `/lift …` for the signed `user_id`; state-changing commands apply once per trigger_id."""
    user_id, team_id = _str(form.get("user_id")), _str(form.get("team_id")) or ""
    if user_id is None:
        return "I could not tell who you are."
    try:
        command = commands.parse(str(form.get("text") or ""))
    except commands.CommandError as exc:
        return str(exc)
    needs_moderator = command.verb in commands.MODERATOR_VERBS or command.verb == "resolve"
    actor = commands.Actor(
        key=user_id,
        name=_str(form.get("user_name")) or user_id,
        is_moderator=needs_moderator and ctx.is_moderator(user_id),
    )
    with session_scope(ctx.engine) as session:
        if command.verb in STATE_CHANGING_VERBS:
            trigger = _str(form.get("trigger_id"))
            if trigger is None:
                return "This command needs a trigger id; please run it again from Slack."
            if not queries.insert_ignore(session, InboxEvent, _command_row(trigger, command)):
                return "Already done (this command was delivered twice)."
        context = commands.CommandContext(
            session=session,
            community_id=ctx.community_id(session, team_id),
            actor=actor,
            directory=SlackDirectory(),
            now=now,
            zone=ctx.settings.zone,
            unanswered_after=timedelta(hours=ctx.settings.unanswered_after_hours),
            reporter=_slack_reporter(ctx, session, now),
        )
        try:
            return commands.run(command, context)
        except commands.CommandError as exc:
            return str(exc)


def _slack_reporter(
    ctx: SlackContext, session: Session, now: datetime
) -> Callable[[str | None], str]:
    """The text report as one ephemeral reply, escaped so that names in it never ping."""
    report = commands.text_reporter(session, ctx.settings, ctx.community_name, now)
    return lambda week: slack_escape(report(week))


def _command_row(trigger: str, command: commands.Command) -> dict[str, Any]:
    from storage.tables import utcnow

    return {
        "source": "slack_command",
        "event_id": trigger[:200],
        "payload": command.verb,
        "status": "done",
        "received_at": utcnow(),
        "processed_at": utcnow(),
    }


def register(app: App, services: Any, ctx: SlackContext | None = None) -> SlackContext:
    """Attach every Liftbot listener to a Bolt app; unknown events are acked and ignored."""
    from handlers.slack.edge import slack_context

    context = ctx or slack_context(services)
    settings = context.settings

    @app.command(settings.slack_command)
    def on_command(ack: Ack, body: dict[str, Any]) -> None:
        text = run_command(context, body, datetime.now(UTC))
        ack(response_type="ephemeral", text=text)

    @app.event("message")
    def on_message(event: dict[str, Any], body: dict[str, Any]) -> None:
        team = _str(body.get("team_id")) or ""
        if event.get("subtype") == "channel_join" and _str(event.get("user")):
            handle_member_joined(context, str(event["user"]), team)
            return
        status = handle_message(context, event, team)
        log.debug("slack message event: %s", status)

    @app.event("reaction_added")
    def on_reaction_added(event: dict[str, Any], body: dict[str, Any]) -> None:
        handle_reaction(context, event, _str(body.get("team_id")) or "")

    @app.event("member_joined_channel")
    def on_member_joined_channel(event: dict[str, Any], body: dict[str, Any]) -> None:
        user = _str(event.get("user"))
        if user:
            handle_member_joined(context, user, _str(body.get("team_id")) or "")

    @app.event("app_mention")
    def on_app_mention(event: dict[str, Any], body: dict[str, Any]) -> None:
        channel, ts = _str(event.get("channel")), _valid_ts(event.get("ts"))
        if channel and ts and not _is_self(context, event):
            thread = _valid_ts(event.get("thread_ts")) or ts
            context.api.sender.send_text(
                channel,
                HELP_TEXT.format(command=settings.slack_command),
                thread=thread,
                dedupe_key=f"slack:mention:{channel}:{ts}",
            )

    @app.event(re.compile(".*"))
    def on_any_other_event() -> None:
        """Acknowledge and ignore (a 404 would make Slack retry and eventually disable us)."""

    return context
