"""The `/lift …` grammar shared by Slack (slash command) and WhatsApp (plain text).

`parse` turns words into a `Command`; `run` checks who may run it, has `bot.pipeline.moderation`
change the data and words the reply.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.config import Settings
from bot.domain import Kind, Level, LevelSource
from bot.judgement.seniority import parse_level
from bot.pipeline import moderation
from bot.pipeline.community_config import (
    SettingError,
    config_for,
    default_config,
    describe,
    grant_moderator,
    set_setting,
    setting_named,
)
from bot.pipeline.moderation import WaitingRequest
from bot.reports.output import text_report
from bot.reports.weekly import ReportError
from bot.reports.weeks import WeekError
from storage.tables import Community, Member, Message

USAGE = """Liftbot commands:
• help — this list
• unanswered — open help requests
• iam <level> — say your own level (junior, mid, senior, executive)
• forget me — erase everything Liftbot stored about you
Moderators:
• report [2026-W47] — the weekly report
• tag @member <level> — set a member's level
• expert @member <topic> — note what a member can help with
• resolve <message link or #id> — mark a request resolved
• reclassify <message link or #id> <job_post|help_request|gyaan|other> — correct a kind
• config — this community's settings; config <name> <value> changes one
  (config business-hours mon-fri 09:00-18:00), config <name> default resets it
• moderator @member [off] — make a member a moderator here (off: no longer)"""

VERBS = {
    "help", "unanswered", "report", "tag", "expert", "resolve", "reclassify", "iam", "forget",
    "config", "moderator",
}  # fmt: skip
MODERATOR_VERBS = {"report", "tag", "expert", "reclassify", "config", "moderator"}
_WEEK = re.compile(r"^\d{4}-W\d{2}$|^latest$")


class CommandError(ValueError):
    """A command that cannot run; the message is safe to show to the user."""


@dataclass(frozen=True, slots=True)
class Command:
    """A parsed command: a verb and its arguments."""

    verb: str
    target: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """Who issued the command, as the platform's signed request says."""

    key: str
    name: str
    is_moderator: bool


class Directory(Protocol):
    """Platform lookups: a mention to a member key, a message link to a message key."""

    def member_key(self, mention: str) -> str | None:
        """Member key for a mention like `<@U123>` or `@+919876543210`."""
        ...

    def message_key(self, reference: str) -> str | None:
        """Message source key for a platform link."""
        ...


def parse(text: str) -> Command:
    """Parse command text (with or without a leading `/lift`); raises CommandError with usage."""
    words = text.strip().split()
    if words and words[0].startswith("/"):
        words = words[1:]
    if not words:
        return Command("help")
    verb, args = words[0].lower(), words[1:]
    if verb not in VERBS:
        raise CommandError(f"I don't know '{verb[:30]}'.\n\n{USAGE}")
    if verb in {"help", "unanswered"}:
        return Command(verb)
    if verb == "forget":
        if [a.lower() for a in args] != ["me"]:
            raise CommandError("Say `forget me` to erase your data.")
        return Command(verb)
    if verb == "report":
        if len(args) > 1 or (args and not _WEEK.match(args[0])):
            raise CommandError("Usage: report [2026-W47]")
        return Command(verb, value=args[0] if args else None)
    if verb == "iam":
        return Command(verb, value=_level_word(args, "iam <level>"))
    if verb == "tag":
        if len(args) != 2:
            raise CommandError("Usage: tag @member <junior|mid|senior|executive>")
        return Command(verb, target=args[0], value=_level_word(args[1:], "tag @member <level>"))
    if verb == "expert":
        if len(args) < 2:
            raise CommandError("Usage: expert @member <topic>")
        return Command(verb, target=args[0], value=" ".join(args[1:]).lower()[:60])
    if verb == "resolve":
        if len(args) != 1:
            raise CommandError("Usage: resolve <message link or #id>")
        return Command(verb, target=args[0])
    if verb == "config":
        return Command(verb, target=args[0] if args else None, value=" ".join(args[1:]) or None)
    if verb == "moderator":
        if not 1 <= len(args) <= 2 or (args[1:] and args[1].lower() not in ("on", "off")):
            raise CommandError("Usage: moderator @member [off]")
        return Command(verb, target=args[0], value=args[1].lower() if args[1:] else "on")
    if len(args) != 2 or args[1].lower() not in {k.value for k in Kind}:
        raise CommandError(
            "Usage: reclassify <message link or #id> <job_post|help_request|gyaan|other>"
        )
    return Command(verb, target=args[0], value=args[1].lower())


def _level_word(args: list[str], usage: str) -> str:
    level = parse_level(" ".join(args)) if args else None
    if level is None or level.value == "unknown":
        raise CommandError(f"Usage: {usage} — level is junior, mid, senior or executive")
    return level.value


@dataclass(frozen=True, slots=True)
class CommandContext:
    """Everything a command needs besides its words."""

    session: Session
    community_id: int
    actor: Actor
    directory: Directory
    now: datetime
    zone: ZoneInfo
    reporter: Callable[[str | None], str] | None = None
    settings: Settings | None = None  # the deployment's defaults, under `config` choices


def run(command: Command, ctx: CommandContext) -> str:
    """Carry out a command and return the reply text; refused commands change nothing."""
    if command.verb in MODERATOR_VERBS and not ctx.actor.is_moderator:
        return "Sorry, only moderators can do that."
    handler = _HANDLERS[command.verb]
    return handler(command, ctx)


def _help(_: Command, __: CommandContext) -> str:
    return USAGE


UNANSWERED_SHOWN = 15


def _unanswered(_: Command, ctx: CommandContext) -> str:
    found = moderation.unanswered(
        session=ctx.session, community_id=ctx.community_id, now=ctx.now, limit=UNANSWERED_SHOWN
    )
    if not found.total:
        return "No open help requests 🎉"
    lines = [f"{found.total} open help request(s):"]
    lines.extend("• " + _describe(ctx, request) for request in found.oldest)
    if found.total > len(found.oldest):
        lines.append(f"… and {found.total - len(found.oldest)} more")
    return "\n".join(lines)


def _describe(ctx: CommandContext, request: WaitingRequest) -> str:
    """One line about a request: reference, time, author, level, age and its start."""
    age_hours = max(0, int((ctx.now - request.sent_at).total_seconds() // 3600))
    age = f"{age_hours // 24}d" if age_hours >= 48 else f"{age_hours}h"
    who = f"{request.author} ({request.author_level})" if request.author else "someone"
    snippet = " ".join(request.text.split())[:80]
    local = request.sent_at.astimezone(ctx.zone)
    return f"#{request.message_id} · {local:%Y-%m-%d %H:%M} · {who} · {age} open: {snippet}"


def text_reporter(
    session: Session, settings: Settings, community: str, now: datetime
) -> Callable[[str | None], str]:
    """A `CommandContext.reporter`: the community's text report for a week (default: the last)."""

    def report(week: str | None) -> str:
        try:
            return text_report(session, settings, community=community, week=week, now=now)
        except (ReportError, WeekError) as exc:
            raise CommandError(str(exc)) from exc

    return report


def _report(command: Command, ctx: CommandContext) -> str:
    if ctx.reporter is None:
        return "Reports are not available here."
    return ctx.reporter(command.value)


def _member(ctx: CommandContext, mention: str | None) -> Member:
    key = ctx.directory.member_key(mention or "")
    member = (
        moderation.member_with_key(session=ctx.session, community_id=ctx.community_id, key=key)
        if key
        else None
    )
    if member is None:
        raise CommandError(f"I don't know the member {mention}.")
    return member


def _message(ctx: CommandContext, reference: str | None) -> Message:
    reference = reference or ""
    message: Message | None = None
    if reference.startswith("#") and reference[1:].isdigit():
        message = moderation.live_message(
            session=ctx.session, community_id=ctx.community_id, message_id=int(reference[1:])
        )
    elif key := ctx.directory.message_key(reference):
        message = moderation.live_message(
            session=ctx.session, community_id=ctx.community_id, source_key=key
        )
    if message is None:
        raise CommandError(f"I can't find the message {reference[:80]}.")
    return message


def _level(command: Command) -> Level:
    level = parse_level(command.value or "")
    assert level is not None  # parse() only accepts known level words
    return level


def _tag(command: Command, ctx: CommandContext) -> str:
    member, level = _member(ctx, command.target), _level(command)
    moderation.tag_level(
        session=ctx.session,
        member=member,
        level=level,
        source=LevelSource.MODERATOR_TAG,
        by=ctx.actor.key,
    )
    return f"Tagged {member.display_name} as {level.value}."


def _iam(command: Command, ctx: CommandContext) -> str:
    level = _level(command)
    member = moderation.state_own_level(
        session=ctx.session,
        community_id=ctx.community_id,
        key=ctx.actor.key,
        name=ctx.actor.name,
        level=level,
    )
    shown = member.level
    note = "" if shown == level.value else f" (a moderator's tag, {shown}, still takes precedence)"
    return f"Noted: you are {level.value}{note}."


def _expert(command: Command, ctx: CommandContext) -> str:
    member = _member(ctx, command.target)
    added = moderation.add_expertise(session=ctx.session, member=member, topic=command.value or "")
    verb = "Noted" if added else "Already noted"
    return f"{verb}: {member.display_name} can help with {command.value}."


def _resolve(command: Command, ctx: CommandContext) -> str:
    message = _message(ctx, command.target)
    if not ctx.actor.is_moderator and not moderation.asked_by(
        session=ctx.session, message=message, key=ctx.actor.key
    ):
        return "Sorry, only the asker or a moderator can resolve a request."
    if not moderation.resolve_request(session=ctx.session, message=message):
        return f"#{message.id} is not a help request (it is {message.kind})."
    return f"Marked #{message.id} as resolved."


def _reclassify(command: Command, ctx: CommandContext) -> str:
    message = _message(ctx, command.target)
    kind = Kind(command.value or "other")
    moderation.reclassify(session=ctx.session, message=message, kind=kind, by=ctx.actor.key)
    return f"Reclassified #{message.id} as {kind.value}; I'll learn from it."


def _forget(_: Command, ctx: CommandContext) -> str:
    erased = moderation.forget_member(
        session=ctx.session, community_id=ctx.community_id, key=ctx.actor.key
    )
    return f"Done: I erased your profile and {erased} message(s), and won't store new ones."


def _config(command: Command, ctx: CommandContext) -> str:
    community = ctx.session.get(Community, ctx.community_id)
    if ctx.settings is None or community is None:
        return "Settings can't be shown or changed here."
    try:
        if command.target is None:
            config = config_for(session=ctx.session, community=community, settings=ctx.settings)
            return (
                f"Settings of {community.name}:\n"
                f"{describe(config, default_config(ctx.settings), platform=community.platform)}\n"
                f"{CONFIG_HINT}"
            )
        if command.value is None:
            setting = setting_named(command.target)
            config = config_for(session=ctx.session, community=community, settings=ctx.settings)
            return (
                f"{setting.name}: {setting.show(config)}. Change it with "
                f"`config {setting.name} {setting.example}`, or `config {setting.name} default`."
            )
        reply = set_setting(
            session=ctx.session,
            community=community,
            settings=ctx.settings,
            name=command.target,
            raw=command.value,
            by=ctx.actor.key,
        )
    except SettingError as exc:
        raise CommandError(str(exc)) from exc
    return f"Done — {reply}."


CONFIG_HINT = (
    "Change one with `config <name> <value>` (e.g. `config business-hours mon-fri 09:00-18:00`); "
    "`config <name> default` goes back to the default."
)


def _moderator(command: Command, ctx: CommandContext) -> str:
    member = _member(ctx, command.target)
    if member.is_bot:
        return f"{member.display_name} is a bot; bots can't be moderators."
    on = command.value != "off"
    grant_moderator(session=ctx.session, member=member, on=on)
    if on:
        return f"{member.display_name} is now a moderator here."
    return (
        f"{member.display_name} is no longer a moderator here (moderators named in the "
        "deployment's settings, and Slack workspace admins, always are)."
    )


_HANDLERS: dict[str, Callable[[Command, CommandContext], str]] = {
    "help": _help,
    "unanswered": _unanswered,
    "report": _report,
    "tag": _tag,
    "iam": _iam,
    "expert": _expert,
    "resolve": _resolve,
    "reclassify": _reclassify,
    "forget": _forget,
    "config": _config,
    "moderator": _moderator,
}
