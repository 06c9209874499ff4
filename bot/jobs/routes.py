"""Where each community's scheduled posts go: its own platform, chosen per community.

A Slack community's report goes to the Slack admin channel, a live WhatsApp group's to its
moderators, an exported group's to the moderators' WhatsApp or a folder of files. The clock asks
a `Router` once per community and tick; a community without a destination is skipped, unclaimed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.config import Settings
from bot.domain import Platform
from bot.jobs.senders import Sender
from storage.tables import Community


@dataclass(frozen=True, slots=True)
class Route:
    """One community's sender and destination.

    `in_group`: posts reach the group's own channel or its moderators as the group's bot, so
    nudges are sent and the post budget applies; an exported group's admin gets the report and
    digest only (with nudges ready to paste), never budget-limited.
    """

    sender: Sender
    destination: str
    in_group: bool = True


Router = Callable[[Community], Route | None]
"""A community's route, or None when nothing is configured to reach it."""


def is_exported(community: Community) -> bool:
    """A group known only from export files: there is no chat the bot can post into."""
    return community.platform == Platform.WHATSAPP_EXPORT.value


def destination_for(community: Community, settings: Settings) -> str:
    """Where a community's report and digest go: the Slack admin channel, else the group itself."""
    if community.platform == "slack" and settings.slack_admin_channel:
        return settings.slack_admin_channel
    return community.external_id or community.name


def everything_to(sender: Sender, settings: Settings) -> Router:
    """One sender for every community: a trial on the console, or a test's recording sender."""

    def route(community: Community) -> Route:
        where = community.name if is_exported(community) else destination_for(community, settings)
        return Route(sender, where, in_group=not is_exported(community))

    return route


def no_route_reason(community: Community, settings: Settings) -> str:
    """One line on how to give a community without a destination one."""
    if community.platform == Platform.SLACK.value and settings.slack_oauth:
        how = f"its workspace is not installed: add it at {settings.public_base_url}/slack/install"
    elif community.platform == Platform.SLACK.value:
        how = "set SLACK_BOT_TOKEN"
    elif community.platform == Platform.WHATSAPP.value:
        how = "set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and LIFTBOT_TWILIO_WHATSAPP_FROM"
    else:
        how = (
            "set LIFTBOT_REPORT_DIR for report files, or Twilio and LIFTBOT_WHATSAPP_MODERATORS "
            "to send them to the moderators on WhatsApp"
        )
    return f"{community.name} ({community.platform}): no destination for its posts; {how}"
