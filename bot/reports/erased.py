"""What a report shows where retention erased a message's text (bot.jobs.retention)."""

from __future__ import annotations

from sqlmodel import Session

from bot.config import Settings
from bot.pipeline.community_config import config_for
from storage.tables import Community


def erased_note(session: Session, community_id: int, settings: Settings) -> str:
    """What stands where a request's text is gone, e.g. "(text erased after 365 days)"."""
    community = session.get(Community, community_id)
    days = (
        config_for(session=session, community=community, settings=settings).retention_days
        if community is not None
        else None
    )
    return f"(text erased after {days} days)" if days else "(text erased)"
