"""What every Slack listener shares, built once per process: settings, database, Web API, sender."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import Settings
from bot.domain import Platform
from bot.judgement.classify import Classifier
from bot.pipeline.classifier_book import ClassifierBook
from handlers.slack.api import SlackApi, make_client
from handlers.slack.sender import SlackSender
from storage import queries

CONTEXT_KEY = "liftbot"  # where the listeners find this context in Bolt's request context


@dataclass
class SlackContext:
    """Settings, database, the Web API, the sender and the community's classifiers."""

    settings: Settings
    engine: Engine
    api: SlackApi
    sender: SlackSender
    classifiers: ClassifierBook

    @classmethod
    def build(cls, settings: Settings, engine: Engine, classifiers: ClassifierBook) -> SlackContext:
        """A context with a Web API client for the configured bot token and API base URL."""
        client = make_client(settings.slack_bot_token, settings.slack_api_url)
        return cls(
            settings=settings,
            engine=engine,
            api=SlackApi(client, settings.slack_bot_token),
            sender=SlackSender(client, engine),
            classifiers=classifiers,
        )

    @property
    def community_name(self) -> str:
        """Where this workspace's messages are stored."""
        return self.settings.slack_community or self.settings.community

    def community_id(self, session: Session, team_id: str) -> int:
        """The Slack community's id, created on first use."""
        row = queries.ensure_community(
            session=session,
            name=self.community_name,
            platform=Platform.SLACK.value,
            timezone=self.settings.timezone,
            external_id=team_id or None,
        )
        assert row.id is not None
        return row.id

    def classifier_for(self, session: Session, community_id: int) -> Classifier:
        """The community's classifier, with its moderators' corrections learnt."""
        return self.classifiers.classifier_for(session=session, community_id=community_id)

    def is_moderator(self, user_id: str) -> bool:
        """Configured moderators and workspace admins/owners (from the signed user id only)."""
        if user_id in self.settings.moderators:
            return True
        profile = self.api.profile(user_id)
        return profile is not None and (profile.is_admin or profile.is_owner)
