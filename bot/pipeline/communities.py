"""Choosing the community a command is about."""

from __future__ import annotations

from sqlmodel import Session

from bot.config import ConfigError, Settings
from storage import queries
from storage.tables import Community


def choose_community(*, session: Session, name: str | None, settings: Settings) -> Community:
    """The named community; without a name, the only one, else LIFTBOT_COMMUNITY."""
    if name:
        found = queries.community_named(session=session, name=name)
        if found is None:
            known = ", ".join(c.name for c in queries.list_communities(session=session)) or "none"
            raise ConfigError(f"no community named '{name}' (known: {known})")
        return found
    communities = queries.list_communities(session=session)
    if len(communities) == 1:
        return communities[0]
    if not communities:
        raise ConfigError("no community yet: run `liftbot import FILE` first")
    return choose_community(session=session, name=settings.community, settings=settings)
