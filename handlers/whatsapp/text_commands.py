"""Commands written to the bot's WhatsApp number: `/lift …`, `lift …`, or plain keywords."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.config import Settings
from bot.pipeline.community_config import SettingError, setting_named
from bot.privacy.identity import phone_key
from bot.privacy.phones import normalise_phone
from handlers.commands import Actor, CommandContext, CommandError, parse, run, text_reporter
from handlers.whatsapp.translate import SID
from storage import queries
from storage.tables import Community

_PLAIN_COMMANDS = {"help", "unanswered", "forget me", "helper on", "helper off", "config"}


@dataclass(frozen=True, slots=True)
class CommandDesk:
    """Where a text command runs: the community, its settings, the pepper and the time."""

    settings: Settings
    community_id: int
    community_name: str
    secret: str
    now: datetime


def command_text(body: str) -> str | None:
    """The command in a message (`/lift …`, `lift …`, or a plain keyword), else None."""
    stripped = " ".join(body.split())
    low = stripped.lower()
    if low.startswith("/lift"):
        return stripped
    if low == "lift":
        return "help"
    if low.startswith("lift "):
        return stripped[5:]
    if low in _PLAIN_COMMANDS or low.startswith(("iam ", "moderator @")) or _is_config(low):
        return stripped
    return None


def _is_config(low: str) -> bool:
    """`config <setting> …` without `lift`: only when it names a setting, so a member's
    question that happens to start with "config" still reaches the help desk."""
    words = low.split()
    if len(words) < 2 or words[0] != "config":
        return False
    try:
        setting_named(words[1])
    except SettingError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class WhatsAppDirectory:
    """Mentions are phone numbers (`@+919876543210`), keyed by HMAC like every member."""

    secret: str

    def member_key(self, mention: str) -> str | None:
        """Member key for `@+919876543210` or `@919876543210`."""
        number = normalise_phone(mention.removeprefix("@"), bare_digits=True)
        return phone_key(self.secret, number) if number else None

    def message_key(self, reference: str) -> str | None:
        """A Twilio MessageSid is the message's key; `#id` is handled by commands.py."""
        return reference if SID.match(reference) else None


def run_text_command(session: Session, desk: CommandDesk, actor: Actor, text: str) -> str:
    """Run a command written as text; CommandFailed when it raised (the reply is apologetic)."""
    words = [w.lower() for w in text.split()]
    if words and words[0].startswith("/"):
        words = words[1:]
    try:
        with session.begin_nested():
            if words in (["helper", "on"], ["helper", "off"]):
                reply = _set_helper(session, desk.community_id, actor, words[1] == "on")
            else:
                reply = run(parse(text), _context(session, desk, actor))
    except CommandError as exc:
        reply = str(exc)
    return reply


def _context(session: Session, desk: CommandDesk, actor: Actor) -> CommandContext:
    settings = desk.settings
    return CommandContext(
        session=session,
        community_id=desk.community_id,
        actor=actor,
        directory=WhatsAppDirectory(desk.secret),
        now=desk.now,
        zone=_zone(session, desk),
        # The TwiML reply splits a long report into messages of at most 1,600 characters.
        reporter=text_reporter(session, settings, desk.community_name, desk.now),
        settings=settings,
    )


def _zone(session: Session, desk: CommandDesk) -> ZoneInfo:
    """The community's own zone (`config timezone`), for the times commands show."""
    community = session.get(Community, desk.community_id)
    return ZoneInfo((community.timezone if community else "") or desk.settings.timezone)


def _set_helper(session: Session, community_id: int, actor: Actor, on: bool) -> str:
    member = queries.member_by_key(session=session, community_id=community_id, key=actor.key)
    if member is None:
        return "You asked me to forget you, so I can't add you as a helper."
    member.helper_opt_in = on
    session.add(member)
    if on:
        return "Thanks! I'll ask you when someone needs your help. Say `helper off` to stop."
    return "OK, I won't ask you to help any more. Say `helper on` to start again."
