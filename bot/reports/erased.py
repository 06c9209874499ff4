"""What a report shows where retention erased a message's text (bot.jobs.retention)."""

from __future__ import annotations

from bot.pipeline.community_config import CommunityConfig


def erased_note(config: CommunityConfig) -> str:
    """What stands where a request's text is gone, e.g. "(text erased after 365 days)"."""
    days = config.retention_days
    return f"(text erased after {days} days)" if days else "(text erased)"
