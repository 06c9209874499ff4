"""Installing Liftbot in many workspaces (OAuth v2), end to end against the fake Slack API."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.config import DEFAULT_SLACK_SCOPES
from storage import queries
from storage.slack_installs import InstallationStore
from storage.tables import Community
from tests.handlers.slack.conftest import FakeSlack
from tests.handlers.slack.workspaces import (
    ACME,
    BETA,
    STATE_COOKIE,
    authorize_query,
    install,
    state_of,
)


def communities(engine: Engine) -> dict[str, tuple[str, str | None, dict[str, str]]]:
    """Each community's platform, external id and chosen settings, by name."""
    with Session(engine) as session:
        rows = session.exec(select(Community).order_by(col(Community.name))).all()
        return {
            c.name: (
                c.platform,
                c.external_id,
                queries.community_settings(session=session, community_id=c.id or 0),
            )
            for c in rows
        }


def installed(engine: Engine, team_id: str) -> str | None:
    """The bot token stored for a workspace (None: not installed)."""
    store = InstallationStore(FakeSlack.client_id, engine)
    found = store.find_installation(enterprise_id=None, team_id=team_id)
    bot = store.find_bot(enterprise_id=None, team_id=team_id)
    assert (found is None) == (bot is None)
    return found.bot_token if found is not None else None


def test_the_install_page_links_to_slack_with_a_state_the_browser_keeps(
    oauth_client: Any, fake_slack: FakeSlack
) -> None:
    page = oauth_client.get("/slack/install")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    query = authorize_query(page)
    assert query["client_id"] == [fake_slack.client_id]
    assert query["scope"] == [",".join(DEFAULT_SLACK_SCOPES)]
    cookie = page.headers["set-cookie"]
    assert cookie.startswith(f"{STATE_COOKIE}={state_of(page)};")
    assert "Secure" in cookie and "HttpOnly" in cookie
    assert fake_slack.calls == []  # nothing reaches Slack before the installer consents


def test_two_workspaces_install_each_as_its_own_community_with_its_channel(
    oauth_client: Any, fake_slack: FakeSlack, engine: Engine
) -> None:
    for workspace in (ACME, BETA):
        done = install(oauth_client, fake_slack, workspace)
        assert done.status_code == 200
        assert "Thank you!" in done.text
        assert f"team={workspace.team_id}" in done.text  # the page opens the workspace
    assert installed(engine, ACME.team_id) == ACME.token
    assert installed(engine, BETA.team_id) == BETA.token
    assert communities(engine) == {
        "Acme HR": ("slack", "TACME", {"channel": "C0ACMEADM"}),
        "Beta People": ("slack", "TBETA", {"channel": "C0BETAADM"}),
    }
    # Each code was exchanged once with the app's credentials; Bolt met each bot by its token.
    assert fake_slack.methods().count("oauth.v2.access") == 2
    assert fake_slack.tokens("auth.test") == [ACME.token, BETA.token]


def test_a_state_is_used_once_and_only_from_the_browser_it_was_given_to(
    oauth_client: Any, fake_slack: FakeSlack, engine: Engine
) -> None:
    state = state_of(oauth_client.get("/slack/install"))
    fake_slack.grants["code-1"] = ACME.grant()
    fake_slack.teams[ACME.token] = ACME.auth_test()
    first = oauth_client.get("/slack/oauth_redirect", params={"code": "code-1", "state": state})
    assert first.status_code == 200
    fake_slack.grants["code-2"] = BETA.grant()
    replayed = oauth_client.get(
        "/slack/oauth_redirect",
        params={"code": "code-2", "state": state},
        headers={"cookie": f"{STATE_COOKIE}={state}"},
    )
    assert replayed.status_code == 401
    assert "invalid_state" in replayed.text
    made_up = oauth_client.get(
        "/slack/oauth_redirect",
        params={"code": "code-2", "state": "0f1e2d3c-made-up"},
        headers={"cookie": f"{STATE_COOKIE}=0f1e2d3c-made-up"},
    )
    assert made_up.status_code == 401
    other_browser = state_of(oauth_client.get("/slack/install"))
    oauth_client.cookies.clear()
    no_cookie = oauth_client.get(
        "/slack/oauth_redirect", params={"code": "code-2", "state": other_browser}
    )
    assert no_cookie.status_code == 400
    assert "invalid_browser" in no_cookie.text
    # Only the first exchange reached Slack; Beta's code was never spent.
    assert fake_slack.methods().count("oauth.v2.access") == 1
    assert "code-2" in fake_slack.grants
    assert installed(engine, BETA.team_id) is None
    assert list(communities(engine)) == ["Acme HR"]


def test_a_cancelled_install_or_a_bad_code_stores_nothing(
    oauth_client: Any, fake_slack: FakeSlack, engine: Engine
) -> None:
    state = state_of(oauth_client.get("/slack/install"))
    cancelled = oauth_client.get(
        "/slack/oauth_redirect", params={"error": "access_denied", "state": state}
    )
    assert cancelled.status_code == 200 and "access_denied" in cancelled.text
    state = state_of(oauth_client.get("/slack/install"))
    bad = oauth_client.get("/slack/oauth_redirect", params={"code": "never-issued", "state": state})
    assert bad.status_code == 401 and "invalid_code" in bad.text
    assert installed(engine, ACME.team_id) is None
    assert communities(engine) == {}


def test_a_workspace_with_the_name_of_another_community_gets_its_id_added(
    oauth_client: Any, fake_slack: FakeSlack, engine: Engine
) -> None:
    with Session(engine) as session:
        queries.ensure_community(
            session=session, name="Acme HR", platform="whatsapp_export", timezone="Asia/Kolkata"
        )
        session.commit()
    assert install(oauth_client, fake_slack, ACME).status_code == 200
    assert communities(engine)["Acme HR (TACME)"] == ("slack", "TACME", {"channel": "C0ACMEADM"})
    # A reinstall finds its community again, with the newly chosen channel.
    again = install(oauth_client, fake_slack, ACME, code="code-again", token="xoxb-acme-new")
    assert again.status_code == 200
    assert installed(engine, ACME.team_id) == "xoxb-acme-new"
    assert list(communities(engine)) == ["Acme HR", "Acme HR (TACME)"]
