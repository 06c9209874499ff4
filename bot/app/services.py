"""The composition root: settings, the database engine, and what the web handlers share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.jobs.senders import Sender
from bot.pipeline.classifier_book import ClassifierBook
from handlers.slack.context import SlackContext
from handlers.slack.edge import SlackEdge, build_edge, drain_pending
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


def build_services(settings: Settings, engine: Engine | None = None) -> Services:
    """Services for these settings, on `engine` (default: a new engine for DATABASE_URL)."""
    services = Services(settings=settings, engine=engine or make_engine(settings.database_url))
    if settings.slack_bot_token and not settings.slack_oauth:  # OAuth: a sender per workspace
        services.senders["slack"] = slack_context(services).sender
    return services


def slack_context(services: Services) -> SlackContext:
    """The process's Slack context (Web API client, sender, caches), built once per Services."""
    existing = services.extras.get("slack")
    if isinstance(existing, SlackContext):
        return existing
    context = SlackContext.build(services.settings, services.engine, services.classifiers)
    services.extras["slack"] = context
    return context


def slack_edge(services: Services) -> SlackEdge:
    """The process's Slack edge (one Bolt app), built once per Services."""
    existing = services.extras.get("slack_edge")
    if isinstance(existing, SlackEdge):
        return existing
    edge = build_edge(slack_context(services))
    services.extras["slack_edge"] = edge
    return edge


def drain_inboxes(services: Services) -> list[str]:
    """Process webhook deliveries that are due (left by a crash, or failures past their wait)."""
    done: list[str] = []
    settings = services.settings
    if settings.slack_on and settings.slack_signing_secret:
        tally = drain_pending(slack_edge(services))
        if tally.total:
            done.append(f"stored Slack events: {tally}")
    if settings.twilio_account_sid and settings.twilio_auth_token:
        tally = whatsapp_desk(services).process_pending()
        if tally.total:
            done.append(f"stored WhatsApp messages: {tally}")
    return done


def whatsapp_desk(services: Services) -> Desk:
    """The process's WhatsApp desk (Twilio client, sender), built once per Services."""
    existing = services.extras.get("whatsapp_desk")
    if isinstance(existing, Desk):
        return existing
    desk = Desk(services.settings, services.engine, classifiers=services.classifiers)
    services.extras["whatsapp_desk"] = desk
    return desk
