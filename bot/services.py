"""The composition root: settings, the database engine, and what the web handlers share."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.classify import Classifier
from bot.config import Settings
from bot.domain import Kind
from bot.senders import Sender
from storage import queries
from storage.db import make_engine


@dataclass
class ClassifierCache:
    """One classifier per community, rebuilt when its moderators' corrections change."""

    _cache: dict[int, tuple[int, Classifier]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, session: Session, community_id: int) -> Classifier:
        """The community's classifier, trained on its corrections."""
        count = queries.count_corrections(session=session, community_id=community_id)
        with self._lock:
            cached = self._cache.get(community_id)
            if cached is not None and cached[0] == count:
                return cached[1]
        corrections = queries.corrections_of(session=session, community_id=community_id)
        classifier = Classifier((text, Kind(kind)) for text, kind in corrections)
        with self._lock:
            self._cache[community_id] = (count, classifier)
        return classifier


@dataclass
class Services:
    """Everything a handler needs, built once per process."""

    settings: Settings
    engine: Engine
    classifiers: ClassifierCache = field(default_factory=ClassifierCache)
    senders: dict[str, Sender] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)


def build_services(settings: Settings) -> Services:
    """Services for these settings (opens the engine; migrations are `liftbot db upgrade`)."""
    services = Services(settings=settings, engine=make_engine(settings.database_url))
    if settings.slack_bot_token:
        from handlers.slack_edge import slack_context

        services.senders["slack"] = slack_context(services).api.sender
    return services
