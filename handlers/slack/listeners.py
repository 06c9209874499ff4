"""Bolt listeners, starter-template style: `register(app)` attaches module-level callbacks.

Each callback finds the process's SlackContext in Bolt's request context (put there by
`_ContextProvider`), so nothing here closes over state built elsewhere. Unknown events are acked and
ignored: a 404 would make Slack retry and, in the end, disable the app.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext

from handlers.slack.command import run_command
from handlers.slack.context import CONTEXT_KEY, SlackContext
from handlers.slack.events import (
    handle_member_joined,
    handle_member_left,
    handle_message,
    handle_reaction,
)
from handlers.slack.translate import text_field, valid_ts

log = logging.getLogger(__name__)

NOT_INSTALLED = "Liftbot is no longer installed in this workspace; an admin can add it again."

HELP_TEXT = (
    "Hi! I'm Liftbot. I notice help requests that go unanswered and report the weekly mix of "
    "job posts, help requests and gyaan. Type `{command} help` for commands."
)


@dataclass(frozen=True, slots=True)
class _ContextProvider:
    """Bolt middleware that hands every listener the process's SlackContext."""

    slack: SlackContext

    def provide(self, context: BoltContext, next: Callable[[], None]) -> None:
        """Bolt names the continuation `next`; it passes arguments by name."""
        context[CONTEXT_KEY] = self.slack
        next()


def register(app: App, context: SlackContext) -> None:
    """Attach every Liftbot listener to a Bolt app."""

    app.use(_ContextProvider(context).provide)
    if context.installs is not None:
        app.event("app_uninstalled")(on_app_uninstalled)
        app.event("tokens_revoked")(on_tokens_revoked)
    app.command(context.settings.slack_command)(on_command)
    app.event("message")(on_message)
    app.event("reaction_added")(on_reaction_added)
    app.event("member_joined_channel")(on_member_joined_channel)
    app.event("member_left_channel")(on_member_left_channel)
    app.event("app_mention")(on_app_mention)
    app.event(re.compile(".*"))(on_any_other_event)


def _process_context(context: BoltContext) -> SlackContext:
    found = context[CONTEXT_KEY]
    assert isinstance(found, SlackContext)
    return found


def _liftbot(context: BoltContext) -> SlackContext | None:
    """The view that speaks for the request's workspace, with the token Bolt authorized it by
    (None: the workspace has no installation)."""
    return _process_context(context).for_team(context.team_id or "", context.authorize_result)


def _team(body: dict[str, Any]) -> str:
    return text_field(body.get("team_id")) or ""


def on_command(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """`/lift …`: answered in the ack itself, visible only to the caller."""
    ctx = _liftbot(context)
    text = run_command(ctx, body, datetime.now(UTC)) if ctx is not None else NOT_INSTALLED
    ack(response_type="ephemeral", text=text)


def on_message(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    """A message, an edit, a deletion, a file share or a channel join."""
    ctx = _liftbot(context)
    if ctx is None:
        return
    user = text_field(event.get("user"))
    if event.get("subtype") == "channel_join" and user:
        handle_member_joined(ctx, user, _team(body))
        return
    if event.get("subtype") == "channel_leave":
        handle_member_left(ctx, event, _team(body))
        return
    log.debug("slack message event: %s", handle_message(ctx, event, _team(body)))


def on_reaction_added(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    """The resolve reaction on a help request."""
    ctx = _liftbot(context)
    if ctx is not None:
        handle_reaction(ctx, event, _team(body))


def on_member_joined_channel(
    event: dict[str, Any], body: dict[str, Any], context: BoltContext
) -> None:
    """A member joined a channel the bot is in."""
    user, ctx = text_field(event.get("user")), _liftbot(context)
    if user and ctx is not None:
        handle_member_joined(ctx, user, _team(body))


def on_member_left_channel(
    event: dict[str, Any], body: dict[str, Any], context: BoltContext
) -> None:
    """A member left a channel the bot is in."""
    ctx = _liftbot(context)
    if ctx is not None:
        handle_member_left(ctx, event, _team(body))


def on_app_mention(event: dict[str, Any], context: BoltContext) -> None:
    """Someone mentioned the bot: a one-line introduction in the thread."""
    ctx = _liftbot(context)
    channel, ts = text_field(event.get("channel")), valid_ts(event.get("ts"))
    if ctx is not None and channel and ts:
        ctx.sender.send_text(
            channel,
            HELP_TEXT.format(command=ctx.settings.slack_command),
            thread=valid_ts(event.get("thread_ts")) or ts,
            dedupe_key=f"slack:mention:{channel}:{ts}",
        )


def on_app_uninstalled(context: BoltContext) -> None:
    """The workspace removed Liftbot: its installation and tokens go; its community's data
    stays (its reports still render) until a moderator has it forgotten."""
    _forget_installation(context)


def on_tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
    """The bot's token was revoked: the installation goes as on uninstall. (Liftbot asks for
    no user tokens, so a revoked user token changes nothing.)"""
    tokens = event.get("tokens")
    if isinstance(tokens, dict) and tokens.get("bot"):
        _forget_installation(context)


def _forget_installation(context: BoltContext) -> None:
    ctx = _process_context(context)
    team_id = context.team_id
    if ctx.installs is not None and team_id:
        ctx.installs.forget(enterprise_id=context.enterprise_id, team_id=team_id)
        ctx.forget_team(team_id)


def on_any_other_event() -> None:
    """Acknowledge and ignore."""
