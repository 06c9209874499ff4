"""The composition root: settings, the database engine, and what the web handlers share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.jobs.senders import Sender
from bot.pipeline.classifier_book import ClassifierBook
from handlers.slack.edge import build_edge, drain_pending, slack_context
from handlers.whatsapp.desk import Desk
from storage.db import make_engine


@dataclass
class Services:
    """Everything a handler needs, built once per process."""

    settings: Settings
    engine: Engine
    classifiers: ClassifierBook = field(default_factory=ClassifierBook)
    senders: dict[str, Sender] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)


def build_services(settings: Settings) -> Services:
    """Services for these settings (opens the engine; migrations are `liftbot db upgrade`)."""
    services = Services(settings=settings, engine=make_engine(settings.database_url))
    if settings.slack_bot_token:
        services.senders["slack"] = slack_context(services).api.sender
    return services


def drain_inboxes(services: Services) -> list[str]:
    """Process webhook deliveries left pending or failed (a crash between persist and process)."""
    done: list[str] = []
    settings = services.settings
    if settings.slack_bot_token and settings.slack_signing_secret:
        count = drain_pending(build_edge(services))
        if count:
            done.append(f"re-processed {count} stored Slack event(s)")
    if settings.twilio_account_sid and settings.twilio_auth_token:
        count = Desk(settings, services.engine, classifiers=services.classifiers).process_pending()
        if count:
            done.append(f"re-processed {count} stored WhatsApp message(s)")
    return done
