"""The composition root: settings, the database engine, and what the web handlers share."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot.config import Settings
from storage.db import make_engine


@dataclass
class Services:
    """Everything a handler needs, built once per process."""

    settings: Settings
    engine: Engine


def build_services(settings: Settings) -> Services:
    """Services for these settings (opens the engine; migrations are `liftbot db upgrade`)."""
    return Services(settings=settings, engine=make_engine(settings.database_url))
