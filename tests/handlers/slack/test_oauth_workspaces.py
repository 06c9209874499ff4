"""Two installed workspaces: each one's events, commands and reports stay its own, with its own
token; uninstalling or revoking removes only that workspace's installation."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.app.senders import configured_router
from bot.config import Settings
from bot.jobs.clock import run_due_jobs, unrouted
from bot.reports.output import report_output
from storage import queries
from storage.tables import Community, Member, Message
from tests.handlers.slack import payloads as p
from tests.handlers.slack.conftest import FakeSlack
from tests.handlers.slack.test_oauth_install import installed
from tests.handlers.slack.workspaces import (
    ACME,
    BETA,
    Workspace,
    install,
    quiet_services,
    web_client,
)
from tests.reports.builders import Chat


def send(client: Any, workspace: Workspace, event: dict[str, Any], event_id: str) -> None:
    """A signed event from a workspace, as Slack delivers it."""
    body, headers = p.json_request(p.envelope(event, event_id, team=workspace.team_id))
    assert client.post("/slack/events", content=body, headers=headers).status_code == 200


def command(client: Any, workspace: Workspace, text: str, *, user: str, trigger: str) -> str:
    """A signed `/lift` from a workspace; the ephemeral reply's text."""
    body, headers = p.command(text, user=user, trigger=trigger, team=workspace.team_id)
    reply = client.post("/slack/events", content=body, headers=headers).json()
    assert reply["response_type"] == "ephemeral"
    return str(reply["text"])


def stored(engine: Engine) -> dict[str, list[tuple[str, str | None]]]:
    """Each community's messages (text, permalink), by community name."""
    with Session(engine) as session:
        found: dict[str, list[tuple[str, str | None]]] = {}
        for community in session.exec(select(Community)):
            rows = session.exec(
                select(Message)
                .where(col(Message.community_id) == community.id)
                .order_by(col(Message.sent_at))
            )
            found[community.name] = [(m.text or "", m.permalink) for m in rows]
        return found


def community_named(engine: Engine, name: str) -> Community:
    with Session(engine) as session:
        found = queries.community_named(session=session, name=name)
        assert found is not None
        return found


def now_ts(offset: int = 0) -> str:
    return f"{int(time.time()) + offset}.000100"


def test_each_workspaces_events_land_in_its_own_community_read_with_its_own_token(
    oauth_client: Any, fake_slack: FakeSlack, engine: Engine
) -> None:
    install(oauth_client, fake_slack, ACME)
    install(oauth_client, fake_slack, BETA)
    fake_slack.calls.clear(), fake_slack.authorizations.clear()
    ask = "Can anyone share a POSH trainer in Pune? Need one this month."
    send(oauth_client, ACME, p.message(ask, "1718000000.000100"), "EvA1")
    tip = "Tip: always benchmark notice-period buyouts against the market."
    send(oauth_client, BETA, p.message(tip, "1718000050.000100", user=p.HELPER), "EvB1")
    mention = {"type": "app_mention", "user": p.ASKER, "text": f"<@{BETA.bot_user}> hi",
               "ts": "1718000060.000100", "event_ts": "1718000060.000100", "channel": p.CHANNEL}  # fmt: skip
    send(oauth_client, BETA, mention, "EvB2")
    assert stored(engine) == {
        "Acme HR": [(ask, f"https://acme.slack.com/archives/{p.CHANNEL}/p1718000000000100")],
        "Beta People": [(tip, f"https://beta.slack.com/archives/{p.CHANNEL}/p1718000050000100")],
    }
    # Bolt met each request with its workspace's bot; profiles and the reply used that token.
    # auth.test once per token (Bolt's authorize caches it), not once per event.
    assert fake_slack.tokens("auth.test") == [ACME.token, BETA.token]
    assert fake_slack.tokens("users.info") == [ACME.token, BETA.token]
    assert fake_slack.posts_with_tokens() == [(p.CHANNEL, BETA.token)]


def test_commands_answer_from_the_workspaces_own_community_and_moderators(
    oauth_client: Any, fake_slack: FakeSlack, engine: Engine
) -> None:
    install(oauth_client, fake_slack, ACME)
    install(oauth_client, fake_slack, BETA)
    for workspace, ts in ((ACME, "1718000000.000100"), (BETA, "1718000001.000100")):
        send(oauth_client, workspace, p.message("Hello all, glad to be here", ts, user=p.HELPER),
             f"Ev-{workspace.team_id}-helper")  # fmt: skip
        send(oauth_client, workspace, p.message("Hi everyone", ts.replace("00.", "02."),
                                                user=p.OUTSIDER), f"Ev-{workspace.team_id}-out")  # fmt: skip
    fake_slack.calls.clear(), fake_slack.authorizations.clear()
    tag = f"tag <@{p.HELPER}> senior"
    # A workspace admin (users.info, with that workspace's token) may moderate there.
    assert "only moderators" not in command(oauth_client, BETA, tag, user="UADMIN", trigger="t1")
    assert fake_slack.tokens("users.info") == [BETA.token]
    assert "only moderators" in command(oauth_client, ACME, tag, user=p.OUTSIDER, trigger="t2")
    # A moderator grant holds in its own community only.
    with Session(engine) as session:
        acme = queries.community_named(session=session, name="Acme HR")
        assert acme is not None and acme.id is not None
        member = queries.member_by_key(session=session, community_id=acme.id, key=p.OUTSIDER)
        assert member is not None
        member.is_moderator = True
        session.add(member)
        session.commit()
    assert "only moderators" not in command(oauth_client, ACME, tag, user=p.OUTSIDER, trigger="t3")
    assert "only moderators" in command(oauth_client, BETA, tag, user=p.OUTSIDER, trigger="t4")
    with Session(engine) as session:
        tagged = session.exec(
            select(Community.name, Member.level_source)
            .join(Member, col(Member.community_id) == col(Community.id))
            .where(col(Member.key) == p.HELPER)
            .order_by(col(Community.name))
        ).all()
    assert [tuple(row) for row in tagged] == [
        ("Acme HR", "moderator_tag"), ("Beta People", "moderator_tag")]  # fmt: skip
    report = command(oauth_client, ACME, "report latest", user=p.OUTSIDER, trigger="t5")
    assert "Acme HR" in report and "Beta People" not in report


def test_each_communitys_report_goes_to_its_channel_with_its_token(
    oauth_client: Any, fake_slack: FakeSlack, engine: Engine, oauth_settings: Settings
) -> None:
    gamma = Workspace("TGAMMA", "Gamma Circle", "xoxb-gamma", "UBOTG", "BBOTG", "")
    install(oauth_client, fake_slack, ACME)
    install(oauth_client, fake_slack, BETA)
    install(oauth_client, fake_slack, gamma, incoming_webhook=None)  # no channel chosen
    with Session(engine) as session:
        for name in ("Acme HR", "Beta People", "Gamma Circle"):
            community = queries.community_named(session=session, name=name)
            assert community is not None and community.id is not None
            chat = Chat(session, community.id, ZoneInfo("Asia/Kolkata"))
            chat.ask(chat.member("Meera", "junior"), "2026-11-17 10:00", f"{name}: POSH trainer?")
        session.commit()
    fake_slack.calls.clear(), fake_slack.authorizations.clear()
    router = configured_router(oauth_settings, engine)
    assert router is not None
    done = run_due_jobs(engine, oauth_settings, router, chat.at("2026-11-23 09:00"))
    assert len(done) == 3
    posts = fake_slack.posts_with_tokens()
    assert sorted(set(posts)) == [
        ("C0ACMEADM", ACME.token), ("C0BETAADM", BETA.token), ("C0FALLBACK", gamma.token)]  # fmt: skip
    # Each report names its own community only.
    for (name, args), (channel, _) in zip(
        [c for c in fake_slack.calls if c[0] == "chat.postMessage"], posts, strict=True
    ):
        assert name == "chat.postMessage"
        expected = {"C0ACMEADM": "Acme HR", "C0BETAADM": "Beta People"}.get(channel, "Gamma")
        assert expected in str(args.get("text"))
    # The chart went up with each workspace's token too.
    assert sorted(fake_slack.tokens("files.getUploadURLExternal")) == sorted(
        [ACME.token, BETA.token, gamma.token]
    )


def test_uninstalling_removes_that_workspaces_installation_and_keeps_its_data(
    oauth_client: Any, fake_slack: FakeSlack, engine: Engine, oauth_settings: Settings
) -> None:
    install(oauth_client, fake_slack, ACME)
    install(oauth_client, fake_slack, BETA)
    ask = "Can anyone suggest a payroll vendor for 40 people? Need help."
    send(oauth_client, ACME, p.message(ask, "1718000000.000100"), "EvA1")
    send(oauth_client, ACME, {"type": "app_uninstalled", "event_ts": now_ts()}, "EvA-gone")
    assert installed(engine, ACME.team_id) is None
    assert installed(engine, BETA.team_id) == BETA.token
    # Its community and messages stay, and its report still renders, until forgotten.
    acme = community_named(engine, "Acme HR")
    text = report_output(engine, oauth_settings, community="Acme HR", week="latest", fmt="text",
                         now=datetime.now(UTC))  # fmt: skip
    assert "Acme HR" in text
    # Nothing reaches it any more: no events processed, no route for the clock.
    send(oauth_client, ACME, p.message("Still there?", "1718000100.000100"), "EvA2")
    assert [t for t, _ in stored(engine)["Acme HR"]] == [ask]
    router = configured_router(oauth_settings, engine)
    assert router is not None and router(acme) is None
    assert [line.split(":")[0] for line in unrouted(engine, oauth_settings, router)] == [
        "Acme HR (slack)"
    ]
    # A revoked bot token removes the other workspace's installation the same way.
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [BETA.bot_user]},
               "event_ts": now_ts()}  # fmt: skip
    send(oauth_client, BETA, revoked, "EvB-revoked")
    assert installed(engine, BETA.team_id) is None
    assert set(stored(engine)) == {"Acme HR", "Beta People"}


def test_a_rotating_token_is_refreshed_once_before_it_expires_for_events(
    fake_slack: FakeSlack, engine: Engine, oauth_settings: Settings
) -> None:
    settings = replace(oauth_settings, slack_token_rotation=True)
    with web_client(quiet_services(settings, engine), "https://testserver") as client:
        # Slack's rotating tokens: 12 hours, here one minute left (inside the refresh margin).
        first, second = "xoxe.xoxb-acme-1", "xoxe.xoxb-acme-2"
        assert install(client, fake_slack, ACME, token=first, refresh_token="xoxe-1-r1",
                       expires_in=60).status_code == 200  # fmt: skip
        fake_slack.refreshes["xoxe-1-r1"] = ACME.grant(
            token=second, refresh_token="xoxe-1-r2", expires_in=43200
        )
        fake_slack.teams[second] = ACME.auth_test()
        fake_slack.calls.clear(), fake_slack.authorizations.clear()
        # The first request names no user (another app's post): one refresh all the same.
        send(client, ACME, p.bot_message("New job: HRBP, Pune", "1718000000.000100"), "EvR1")
        send(client, ACME, p.message("Anyone hiring HRBPs?", "1718000001.000100"), "EvR2")
    refresh = [args for name, args in fake_slack.calls if name == "oauth.v2.access"]
    assert refresh == [{"grant_type": "refresh_token", "refresh_token": "xoxe-1-r1"}]
    assert fake_slack.tokens("users.info") == [second]
    assert fake_slack.tokens("auth.test") == [second]
    assert installed(engine, ACME.team_id) == second
    assert len(stored(engine)["Acme HR"]) == 2


def test_the_clock_refreshes_an_expiring_token_before_posting(
    fake_slack: FakeSlack, engine: Engine, oauth_settings: Settings
) -> None:
    settings = replace(oauth_settings, slack_token_rotation=True)
    with web_client(quiet_services(settings, engine), "https://testserver") as client:
        install(client, fake_slack, BETA, token="xoxe.xoxb-beta-1", refresh_token="xoxe-1-b1",
                expires_in=30)  # fmt: skip
    fake_slack.refreshes["xoxe-1-b1"] = BETA.grant(
        token="xoxe.xoxb-beta-2", refresh_token="xoxe-1-b2", expires_in=43200
    )
    fake_slack.teams["xoxe.xoxb-beta-2"] = BETA.auth_test()
    router = configured_router(settings, engine)
    assert router is not None
    route = router(community_named(engine, "Beta People"))
    assert route is not None and route.destination == "C0BETAADM"
    route.sender.send_text(route.destination, "The weekly report is on its way.")
    assert fake_slack.posts_with_tokens() == [("C0BETAADM", "xoxe.xoxb-beta-2")]
    assert installed(engine, BETA.team_id) == "xoxe.xoxb-beta-2"


def test_installations_this_deployment_cannot_serve_are_refused(
    fake_slack: FakeSlack, engine: Engine, oauth_settings: Settings
) -> None:
    only_acme = replace(oauth_settings, slack_team_ids=(ACME.team_id,))
    with web_client(quiet_services(only_acme, engine), "https://testserver") as client:
        outsider = install(client, fake_slack, BETA)
        rotating = install(client, fake_slack, ACME, refresh_token="xoxe-1-r", expires_in=43200)
    assert outsider.status_code == 403 and "workspace_not_allowed" in outsider.text
    assert rotating.status_code == 403 and "token_rotation_off" in rotating.text
    assert installed(engine, BETA.team_id) is None and installed(engine, ACME.team_id) is None
    with Session(engine) as session:
        assert queries.list_communities(session=session) == []
