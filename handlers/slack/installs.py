"""Installed workspaces (OAuth v2): whose bot token speaks for which team, refreshed when due.

One `Installs` per process holds slack_sdk's installation and state stores on Liftbot's database
and Bolt's `InstallationStoreAuthorize` over them — the one place a team's token is looked up
(and rotated through oauth.v2.access when it is about to expire), for events, commands and the
clock alike.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy.engine import Engine

from bot.config import Settings
from storage.slack_installs import InstallationStore, OAuthStates

log = logging.getLogger(__name__)

STATE_SECONDS = 600  # an install started must come back within ten minutes
# A rotating token (12 hours) is refreshed when it has less than this left.
REFRESH_MINUTES_BEFORE_EXPIRY = 120


class InstallRefused(BoltError):
    """An installation Liftbot will not keep; `reason` is the code shown to the installer.

    A BoltError, so that Bolt's OAuth flow treats it as a failure to store (nothing is kept).
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


class _Authorize(InstallationStoreAuthorize):
    """Bolt's authorize by installation, for requests with and without a user alike.

    Bolt looks a request that names no user (the clock; a bot's message; a deletion) up a
    second time as "that user's own installation", finds the installer's, and refreshes a
    rotating token twice — the second time with the refresh token the first one spent, which
    fails the request. No installer has the user id "", so it finds none.
    """

    def __call__(self, **request: Any) -> AuthorizeResult | None:
        request["user_id"] = request.get("user_id") or ""
        found: AuthorizeResult | None = super().__call__(**request)
        return found


@dataclass
class Installs:
    """The installation and state stores, and Bolt's authorize over them."""

    settings: Settings
    client: WebClient  # token-less: oauth.v2.access, auth.test with a given token, rotation
    store: InstallationStore
    states: OAuthStates
    authorize: _Authorize

    @classmethod
    def build(cls, settings: Settings, engine: Engine, client: WebClient) -> Installs:
        """The stores on `engine`, authorize with the app's credentials (they refresh tokens)."""
        store = InstallationStore(settings.slack_client_id, engine)
        authorize = _Authorize(
            logger=logging.getLogger("slack_bolt.Authorize"),
            installation_store=store,
            # Always given: an installation that came with a refresh token keeps working.
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
            token_rotation_expiration_minutes=REFRESH_MINUTES_BEFORE_EXPIRY,
            # auth.test once per token (a rotated token is a new key), not once per event.
            cache_enabled=True,
            client=client,
        )
        return cls(settings, client, store, OAuthStates(engine, STATE_SECONDS), authorize)

    def for_team(self, team_id: str) -> AuthorizeResult | None:
        """The team's bot token and identity, refreshed first when it is about to expire; None
        when the team has no installation (never installed, or uninstalled)."""
        if not team_id:
            return None
        context = BoltContext({"client": self.client, "is_enterprise_install": False})
        return self.authorize(
            context=context,
            enterprise_id=self.store.enterprise_of(team_id),
            team_id=team_id,
            user_id=None,
        )

    def forget(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Delete a workspace's installations and bot tokens (it uninstalled or revoked them)."""
        if team_id:
            self.store.delete_all(enterprise_id=enterprise_id, team_id=team_id)
            log.info("slack: installation of %s removed", team_id)

    def check(self, installation: Installation) -> None:
        """Raise InstallRefused for an installation this deployment cannot serve."""
        settings = self.settings
        team_id = installation.team_id
        if installation.is_enterprise_install or not team_id:
            raise InstallRefused(
                "org_install_unsupported", "org-wide installations are not supported"
            )
        if settings.slack_team_ids and team_id not in settings.slack_team_ids:
            raise InstallRefused(
                "workspace_not_allowed", f"workspace {team_id} is not in LIFTBOT_SLACK_TEAM_IDS"
            )
        if installation.bot_refresh_token and not settings.slack_token_rotation:
            raise InstallRefused(
                "token_rotation_off",
                "the Slack app issues rotating tokens: set SLACK_TOKEN_ROTATION=on, install again",
            )
