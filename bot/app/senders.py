"""Which platform posts the scheduled messages: Slack when a bot token is set, else WhatsApp."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.jobs.senders import Sender
from handlers.slack.api import make_client
from handlers.slack.sender import SlackSender
from handlers.whatsapp.report_sender import WhatsAppReportSender


def configured_sender(settings: Settings, engine: Engine) -> Sender | None:
    """Slack's sender when a bot token is set, else WhatsApp's when Twilio is set; else None."""
    if settings.slack_bot_token:
        client = make_client(settings.slack_bot_token, settings.slack_api_url)
        return SlackSender(client, engine)
    twilio = (settings.twilio_account_sid, settings.twilio_auth_token)
    if all(twilio) and settings.twilio_whatsapp_from:
        return WhatsAppReportSender.for_settings(settings, engine)
    return None
