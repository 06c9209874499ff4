"""Which platform posts each community's scheduled messages: routing per community.

A Slack community's posts go through Slack — with its own workspace's bot token in OAuth mode —
to its admin channel; a live WhatsApp group's to its moderators through Twilio; an exported
group's to the WhatsApp moderators (Twilio and LIFTBOT_WHATSAPP_MODERATORS set) or else to files
in LIFTBOT_REPORT_DIR. Never one sender for all.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.domain import Platform
from bot.jobs.folder import FolderSender
from bot.jobs.routes import Route, Router, destination_for
from bot.jobs.senders import Sender
from bot.pipeline.classifier_book import ClassifierBook
from bot.pipeline.community_config import config_for
from handlers.slack.context import SlackContext
from handlers.whatsapp.report_sender import WhatsAppReportSender
from storage.db import session_scope
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
            return slack_route(slack, community, engine) if slack else None
        if community.platform == Platform.WHATSAPP.value:
            return Route(whatsapp, community.name) if whatsapp else None
        if whatsapp is not None and settings.whatsapp_moderators:
            # The moderators are members of the live WhatsApp community: their contacts are there.
            return Route(whatsapp, settings.whatsapp_community_name, in_group=False)
        if folder is not None:
            return Route(folder, community.name, in_group=False)
        return None

    return route


def slack_route(slack: SlackContext, community: Community, engine: Engine) -> Route | None:
    """A Slack community's sender — its workspace's token, refreshed when due — and its admin
    channel (`/lift config channel`, the channel chosen at install, else
    LIFTBOT_SLACK_ADMIN_CHANNEL); None when its workspace has no installation."""
    view = slack.for_team(community.external_id or "")
    if view is None:
        return None
    with session_scope(engine) as session:
        channel = config_for(session=session, community=community, settings=slack.settings)
    return Route(view.sender, channel.admin_channel or destination_for(community, slack.settings))


def _slack(settings: Settings, engine: Engine) -> SlackContext | None:
    if not settings.slack_on:
        return None
    return SlackContext.build(settings, engine, ClassifierBook())


def _whatsapp(settings: Settings, engine: Engine) -> Sender | None:
    twilio = (settings.twilio_account_sid, settings.twilio_auth_token)
    if all(twilio) and settings.twilio_whatsapp_from:
        return WhatsAppReportSender.for_settings(settings, engine)
    return None
