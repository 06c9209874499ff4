"""What every Slack listener shares, built once per process: settings, database, Web API, sender.

One workspace (SLACK_BOT_TOKEN): the context speaks for it. Many workspaces (OAuth v2): the
process's context holds the installations, and `for_team` gives each workspace its own view —
its bot token's Web API client, profile cache and sender — so that a reply, a users.info or a
report always goes with the token of the team it is for.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

from slack_bolt.authorization import AuthorizeResult
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import Settings
from bot.domain import Platform
from bot.judgement.classify import Classifier
from bot.pipeline.classifier_book import ClassifierBook
from handlers.slack.api import BotIdentity, SlackApi, domain_of, make_client
from handlers.slack.installs import Installs
from handlers.slack.sender import SlackSender
from storage import queries
from storage.slack_installs import team_community
from storage.tables import Community

CONTEXT_KEY = "liftbot"  # where the listeners find this context in Bolt's request context


@dataclass(frozen=True, slots=True)
class Team:
    """The workspace a view speaks for, as its authorization says."""

    team_id: str
    name: str
    token: str


@dataclass
class SlackContext:
    """Settings, database, the Web API, the sender and the community's classifiers."""

    settings: Settings
    engine: Engine
    api: SlackApi
    sender: SlackSender
    classifiers: ClassifierBook
    installs: Installs | None = None  # OAuth mode: the installed workspaces
    team: Team | None = None  # OAuth mode: the workspace this view speaks for
    _views: dict[str, SlackContext] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def build(cls, settings: Settings, engine: Engine, classifiers: ClassifierBook) -> SlackContext:
        """A context for the configured bot token (or, in OAuth mode, for no team yet)."""
        token = "" if settings.slack_oauth else settings.slack_bot_token
        client = make_client(token, settings.slack_api_url)
        installs = Installs.build(settings, engine, client) if settings.slack_oauth else None
        return cls(
            settings=settings,
            engine=engine,
            api=SlackApi(client, token),
            sender=SlackSender(client, engine),
            classifiers=classifiers,
            installs=installs,
        )

    def for_team(self, team_id: str, known: AuthorizeResult | None = None) -> SlackContext | None:
        """The view that speaks for `team_id`: this context in single-workspace mode; in OAuth
        mode a view with the team's bot token (`known`: Bolt's authorization of the request, else
        looked up and refreshed when due), or None when the team has no installation."""
        if self.installs is None:
            return self
        auth = known if known is not None and known.bot_token else self.installs.for_team(team_id)
        if auth is None or not auth.bot_token:
            return None
        with self._lock:
            view = self._views.get(team_id)
            if view is None or view.team is None or view.team.token != auth.bot_token:
                view = self._view(team_id, auth)
                self._views[team_id] = view
        return view

    def _view(self, team_id: str, auth: AuthorizeResult) -> SlackContext:
        token = str(auth.bot_token)
        client = make_client(token, self.settings.slack_api_url)
        api = SlackApi(client, token)
        api.know(BotIdentity(team_id, auth.bot_user_id, auth.bot_id, domain_of(auth.url)))
        # One pacer for every team: the per-channel pace holds whichever token posts.
        sender = SlackSender(client, self.engine, pacer=self.sender.pacer, sleep=self.sender.sleep)
        team = Team(team_id=team_id, name=str(auth.team or ""), token=token)
        return replace(self, api=api, sender=sender, team=team, _views={}, _lock=self._lock)

    def forget_team(self, team_id: str) -> None:
        """Drop a workspace's view (it was uninstalled)."""
        with self._lock:
            self._views.pop(team_id, None)

    @property
    def community_name(self) -> str:
        """Where this workspace's messages are stored (OAuth mode: named after the workspace)."""
        if self.team is not None:
            return self.team.name or self.team.team_id
        return self.settings.slack_community or self.settings.community

    def community(self, session: Session, team_id: str, team_name: str = "") -> Community:
        """The workspace's community, created on first use (OAuth mode: named after the
        workspace, `team_name` or the name its authorization gave)."""
        if self.installs is not None:
            name = team_name or (self.team.name if self.team is not None else "")
            return team_community(
                session=session, team_id=team_id, team_name=name, timezone=self.settings.timezone
            )
        return queries.ensure_community(
            session=session,
            name=self.community_name,
            platform=Platform.SLACK.value,
            timezone=self.settings.timezone,
            external_id=team_id or None,
        )

    def community_id(self, session: Session, team_id: str) -> int:
        """The workspace's community id, created on first use."""
        row = self.community(session, team_id)
        assert row.id is not None
        return row.id

    def classifier_for(self, session: Session, community_id: int) -> Classifier:
        """The community's classifier, with its moderators' corrections learnt."""
        return self.classifiers.classifier_for(session=session, community_id=community_id)

    @staticmethod
    def granted(session: Session, community_id: int, user_id: str) -> bool:
        """Whether the member was made a moderator of this community (a `/lift` grant)."""
        member = queries.member_by_key(session=session, community_id=community_id, key=user_id)
        return member is not None and member.is_moderator

    def is_moderator(self, user_id: str, *, granted: bool = False) -> bool:
        """Configured moderators, members granted moderation (`granted`, see `granted()`), and
        the workspace's admins/owners — from the signed user id only."""
        if granted or user_id in self.settings.moderators:
            return True
        profile = self.api.profile(user_id)
        return profile is not None and (profile.is_admin or profile.is_owner)
