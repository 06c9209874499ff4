"""`/lift` over HTTP: ephemeral replies, permission from the signed user id, once per trigger."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.tables import LevelTag, Member
from tests.handlers.slack import payloads as p
from tests.handlers.slack.test_events import post_event


def run(client: Any, text: str, *, user: str, trigger: str) -> dict[str, Any]:
    body, headers = p.command(text, user=user, trigger=trigger)
    response = client.post("/slack/events", content=body, headers=headers)
    assert response.status_code == 200
    reply: dict[str, Any] = response.json()
    assert reply["response_type"] == "ephemeral"
    return reply


def member(engine: Engine, key: str) -> Member:
    with Session(engine) as session:
        return session.exec(select(Member).where(col(Member.key) == key)).one()


def test_help_lists_the_commands(client: Any) -> None:
    assert "tag @member" in run(client, "help", user=p.OUTSIDER, trigger="t-help")["text"]


def test_malformed_command_text_gets_usage(client: Any) -> None:
    assert "Usage: tag" in run(client, "tag <@UHELPER>", user=p.MODERATOR, trigger="t1")["text"]
    assert "don't know" in run(client, "dance", user=p.MODERATOR, trigger="t2")["text"]


def test_a_non_moderators_tag_changes_nothing(client: Any, engine: Engine) -> None:
    post_event(client, p.message("hello all", "1718000000.000100", user=p.HELPER), "Ev1")
    reply = run(client, f"tag <@{p.HELPER}|ravi> executive", user=p.OUTSIDER, trigger="t-out")
    assert "only moderators" in reply["text"]
    assert member(engine, p.HELPER).level_source != "moderator_tag"


def test_a_spoofed_user_name_does_not_make_a_moderator(client: Any, engine: Engine) -> None:
    post_event(client, p.message("hello all", "1718000000.000100", user=p.HELPER), "Ev1")
    body, headers = p.command(f"tag <@{p.HELPER}> junior", user=p.OUTSIDER, trigger="t-spoof")
    body = body.replace(b"user_name=someone", b"user_name=UMOD")
    from tests.handlers.slack.payloads import sign

    client.post("/slack/events", content=body, headers={**headers, **sign(body)})
    assert member(engine, p.HELPER).level_source != "moderator_tag"


def test_a_moderators_tag_applies_once_per_trigger_id(client: Any, engine: Engine) -> None:
    post_event(client, p.message("hello all", "1718000000.000100", user=p.HELPER), "Ev1")
    first = run(client, f"tag <@{p.HELPER}|ravi> executive", user=p.MODERATOR, trigger="t-tag")
    assert "Tagged Ravi as executive" in first["text"]
    again = run(client, f"tag <@{p.HELPER}|ravi> executive", user=p.MODERATOR, trigger="t-tag")
    assert "Already done" in again["text"]
    with Session(engine) as session:
        assert len(session.exec(select(LevelTag)).all()) == 1
    assert member(engine, p.HELPER).level == "executive"


def test_workspace_admins_are_moderators(client: Any, engine: Engine) -> None:
    post_event(client, p.message("hello all", "1718000000.000100", user=p.HELPER), "Ev1")
    run(client, f"tag <@{p.HELPER}> mid", user="UADMIN", trigger="t-admin")
    assert member(engine, p.HELPER).level == "mid"


def test_resolve_by_permalink(client: Any, engine: Engine) -> None:
    post_event(client, p.message("Anyone help with gratuity math? how?", "1718000000.123456"),
               "Ev1")  # fmt: skip
    link = f"<https://acme.slack.com/archives/{p.CHANNEL}/p1718000000123456>"
    reply = run(client, f"resolve {link}", user=p.ASKER, trigger="t-res")
    assert "resolved" in reply["text"]


def test_commands_from_another_workspace_are_ignored(services: Any, engine: Engine) -> None:
    from dataclasses import replace

    from starlette.testclient import TestClient

    from bot.app.web import create_app

    services.settings = replace(services.settings, slack_team_ids=(p.TEAM,))
    services.extras.clear()
    with TestClient(create_app(services)) as client:
        body, headers = p.command("iam senior", user=p.ASKER, trigger="t-x", team="T0OTHER")
        assert client.post("/slack/events", content=body, headers=headers).text == ""


def test_a_moderators_report_gets_the_weeks_text_report(client: Any) -> None:
    post_event(client, p.message("hello all", "1718000000.000100", user=p.HELPER), "Ev1")
    reply = run(client, "report 2024-W24", user=p.MODERATOR, trigger="t-report")["text"]
    assert "Acme HR · week 2024-W24" in reply
    assert "not available" not in reply
    refused = run(client, "report 2024-W24", user=p.OUTSIDER, trigger="t-report-2")["text"]
    assert "only moderators" in refused
