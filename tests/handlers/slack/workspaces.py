"""Two workspaces that install Liftbot through the fake Slack API, and the browser's part of it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlparse

from sqlalchemy.engine import Engine

from bot.app.services import Services, slack_context
from bot.config import Settings
from handlers.slack.sender import ChannelPacer

STATE_COOKIE = "slack-app-oauth-state"
_AUTHORIZE_LINK = re.compile(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"')


@dataclass(frozen=True)
class Workspace:
    """A workspace as Slack describes it at install."""

    team_id: str
    name: str
    token: str
    bot_user: str
    bot_id: str
    channel: str  # the channel its installer picks for incoming webhooks
    installer: str = "UADMIN"

    def grant(self, token: str | None = None, **extra: Any) -> dict[str, Any]:
        """oauth.v2.access's answer to this workspace's code (a real response's fields)."""
        return {
            "app_id": "A0LIFT",
            "authed_user": {"id": self.installer},
            "scope": "channels:history,chat:write,commands,users:read,incoming-webhook",
            "token_type": "bot",
            "access_token": token or self.token,
            "bot_user_id": self.bot_user,
            "team": {"id": self.team_id, "name": self.name},
            "enterprise": None,
            "is_enterprise_install": False,
            "incoming_webhook": {
                "channel": "#hr-admins",
                "channel_id": self.channel,
                "configuration_url": f"https://{self.team_id.lower()}.slack.com/services/B1",
                "url": f"https://hooks.slack.com/services/{self.team_id}/B1/x",
            },
            **extra,
        }

    def auth_test(self) -> dict[str, Any]:
        """auth.test's answer for this workspace's bot token."""
        return {
            "url": f"https://{self.name.split()[0].lower()}.slack.com/",
            "team": self.name,
            "team_id": self.team_id,
            "user": "liftbot",
            "user_id": self.bot_user,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }


ACME = Workspace("TACME", "Acme HR", "xoxb-acme", "UBOTA", "BBOTA", "C0ACMEADM")
BETA = Workspace("TBETA", "Beta People", "xoxb-beta", "UBOTB", "BBOTB", "C0BETAADM")


def state_of(page: Any) -> str:
    """The state in the install page's "Add to Slack" link."""
    return authorize_query(page)["state"][0]


def authorize_query(page: Any) -> dict[str, list[str]]:
    """The query of the install page's link to Slack's authorize page."""
    found = _AUTHORIZE_LINK.search(page.text)
    assert found is not None, page.text
    return parse_qs(urlparse(unescape(found[1])).query)


def install(client: Any, fake: Any, workspace: Workspace, code: str = "", **grant: Any) -> Any:
    """The installer's browser: the install page, Slack's consent (scripted on the fake), and
    the redirect back with Slack's code and the page's state."""
    code = code or f"code-{workspace.team_id}"
    fake.grants[code] = workspace.grant(**grant)
    fake.teams[grant.get("token") or workspace.token] = workspace.auth_test()
    state = state_of(client.get("/slack/install"))
    return client.get("/slack/oauth_redirect", params={"code": code, "state": state})


def quiet_services(settings: Settings, engine: Engine) -> Services:
    """Services whose Slack senders never really sleep (pauses are recorded instead)."""
    built = Services(settings=settings, engine=engine)
    sender = slack_context(built).sender
    sleeps: list[float] = []
    sender.pacer = ChannelPacer(sleep=sleeps.append)
    sender.sleep = sleeps.append
    built.extras["sleeps"] = sleeps
    return built


@contextmanager
def web_client(services: Services, base_url: str = "http://testserver") -> Iterator[Any]:
    """A TestClient on the full web app (background tasks run before it returns)."""
    from starlette.testclient import TestClient

    from bot.app.web import create_app

    with TestClient(create_app(services), base_url=base_url) as test_client:
        yield test_client
