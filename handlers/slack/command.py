"""`/lift …` on Slack: the signed user id decides who asks; each trigger_id applies once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.text import slack_escape
from handlers import commands
from handlers.slack.context import SlackContext
from handlers.slack.translate import SlackDirectory, text_field
from storage import inbox
from storage.db import session_scope
from storage.inbox import InboxSource, InboxState

STATE_CHANGING_VERBS = {
    "tag", "expert", "resolve", "reclassify", "iam", "forget", "config", "moderator",
}  # fmt: skip


def run_command(ctx: SlackContext, form: Mapping[str, Any], now: datetime) -> str:
    """Run `/lift …` for the signed `user_id`; state-changing commands apply once per trigger_id."""
    user_id, team_id = text_field(form.get("user_id")), text_field(form.get("team_id")) or ""
    if user_id is None:
        return "I could not tell who you are."
    try:
        command = commands.parse(str(form.get("text") or ""))
    except commands.CommandError as exc:
        return str(exc)
    needs_moderator = command.verb in commands.MODERATOR_VERBS or command.verb == "resolve"
    with session_scope(ctx.engine) as session:
        community = ctx.community(session, team_id)
        assert community.id is not None
        granted = needs_moderator and ctx.granted(session, community.id, user_id)
    # users.info (for admins and owners) runs outside any transaction.
    actor = commands.Actor(
        key=user_id,
        name=text_field(form.get("user_name")) or user_id,
        is_moderator=needs_moderator and ctx.is_moderator(user_id, granted=granted),
    )
    with session_scope(ctx.engine) as session:
        if command.verb in STATE_CHANGING_VERBS:
            trigger = text_field(form.get("trigger_id"))
            if trigger is None:
                return "This command needs a trigger id; please run it again from Slack."
            stored = inbox.store_once(
                session=session,
                source=InboxSource.SLACK_COMMAND,
                event_id=trigger[:200],
                payload=command.verb,
                now=now,
                state=InboxState.DONE,
            )
            if not stored.inserted:
                return "Already done (this command was delivered twice)."
        context = commands.CommandContext(
            session=session,
            community_id=community.id,
            actor=actor,
            directory=SlackDirectory(),
            now=now,
            zone=ctx.settings.zone,
            reporter=_slack_reporter(ctx, session, community.name, now),
            settings=ctx.settings,
        )
        try:
            return commands.run(command, context)
        except commands.CommandError as exc:
            return str(exc)


def _slack_reporter(
    ctx: SlackContext, session: Session, community: str, now: datetime
) -> Callable[[str | None], str]:
    """The community's text report as one ephemeral reply, escaped so that names never ping."""
    report = commands.text_reporter(session, ctx.settings, community, now)
    return lambda week: slack_escape(report(week))
