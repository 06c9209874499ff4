"""Which platform posts each community's scheduled messages: routing per community.

A Slack community's posts go through Slack, a live WhatsApp group's to its moderators through
Twilio, an exported group's to the WhatsApp moderators (Twilio and LIFTBOT_WHATSAPP_MODERATORS
set) or else to files in LIFTBOT_REPORT_DIR. Never one sender for all.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.domain import Platform
from bot.jobs.folder import FolderSender
from bot.jobs.routes import Route, Router, destination_for
from bot.jobs.senders import Sender
from handlers.slack.api import make_client
from handlers.slack.sender import SlackSender
from handlers.whatsapp.report_sender import WhatsAppReportSender
from storage.tables import Community


def configured_router(settings: Settings, engine: Engine) -> Router | None:
    """Each community's route from the settings; None when no platform or folder is set up."""
    slack = _slack(settings, engine)
    whatsapp = _whatsapp(settings, engine)
    folder = FolderSender(Path(settings.report_dir)) if settings.report_dir else None
    if slack is None and whatsapp is None and folder is None:
        return None

    def route(community: Community) -> Route | None:
        if community.platform == Platform.SLACK.value:
            return Route(slack, destination_for(community, settings)) if slack else None
        if community.platform == Platform.WHATSAPP.value:
            return Route(whatsapp, community.name) if whatsapp else None
        if whatsapp is not None and settings.whatsapp_moderators:
            # The moderators are members of the live WhatsApp community: their contacts are there.
            return Route(whatsapp, settings.whatsapp_community_name, in_group=False)
        if folder is not None:
            return Route(folder, community.name, in_group=False)
        return None

    return route


def _slack(settings: Settings, engine: Engine) -> Sender | None:
    if not settings.slack_bot_token:
        return None
    return SlackSender(make_client(settings.slack_bot_token, settings.slack_api_url), engine)


def _whatsapp(settings: Settings, engine: Engine) -> Sender | None:
    twilio = (settings.twilio_account_sid, settings.twilio_auth_token)
    if all(twilio) and settings.twilio_whatsapp_from:
        return WhatsAppReportSender.for_settings(settings, engine)
    return None
