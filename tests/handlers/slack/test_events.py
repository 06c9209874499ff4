"""Signed, real-shape Events API deliveries POSTed to the app: what gets stored, once."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.tables import InboxEvent, Member, Message
from tests.handlers.slack import payloads as p


def post_event(client: Any, event: dict[str, Any], event_id: str, **headers: str) -> Any:
    body, signed = p.json_request(p.envelope(event, event_id))
    return client.post("/slack/events", content=body, headers={**signed, **headers})


def messages(engine: Engine) -> dict[str, Message]:
    with Session(engine) as session:
        return {m.source_key: m for m in session.exec(select(Message))}


def inbox(engine: Engine) -> list[InboxEvent]:
    with Session(engine) as session:
        return list(session.exec(select(InboxEvent)))


def test_channel_message_is_stored_with_key_time_author_and_permalink(
    client: Any, engine: Engine
) -> None:
    question = "Can anyone help with a notice-period buyout? How do you handle it?"
    assert post_event(client, p.message(question, "1718000000.123456"), "Ev01").status_code == 200
    row = messages(engine)[f"{p.CHANNEL}:1718000000.123456"]
    assert row.text == question and row.kind == "help_request" and row.answered is False
    assert row.sent_at.isoformat() == "2024-06-10T06:13:20.123456+00:00"
    assert row.permalink == f"https://acme.slack.com/archives/{p.CHANNEL}/p1718000000123456"
    with Session(engine) as session:
        author = session.get(Member, row.member_id)
    assert author is not None and author.key == p.ASKER and author.display_name == "Asha"
    assert [e.status for e in inbox(engine)] == ["done"]


def test_thread_reply_links_to_its_parent_and_answers_it(client: Any, engine: Engine) -> None:
    post_event(client, p.message("Anyone have advice on ESOP vesting? Help?", "1718000100.000100"),
               "Ev10")  # fmt: skip
    reply = "We use a four year schedule with a one year cliff; happy to share our policy doc."
    post_event(client, p.thread_reply(reply, "1718000200.000200", "1718000100.000100"), "Ev11")
    rows = messages(engine)
    parent, child = rows[f"{p.CHANNEL}:1718000100.000100"], rows[f"{p.CHANNEL}:1718000200.000200"]
    assert child.thread_key == parent.source_key == child.reply_to_source_key
    assert parent.answered is True and parent.first_answer_id == child.id


def test_broadcast_file_share_and_other_bots_are_stored_as_such(
    client: Any, engine: Engine
) -> None:
    post_event(client, p.message("Root question, how to help?", "1718000300.000100"), "Ev20")
    post_event(client, p.broadcast("Answer for everyone", "1718000301.000100",
                                   "1718000300.000100"), "Ev21")  # fmt: skip
    post_event(client, p.file_share("Our salary bands", "1718000302.000100"), "Ev22")
    post_event(client, p.bot_message("New job: HRBP, hiring now", "1718000303.000100"), "Ev23")
    rows = messages(engine)
    assert rows[f"{p.CHANNEL}:1718000301.000100"].reply_to_source_key == (
        f"{p.CHANNEL}:1718000300.000100"
    )
    shared = rows[f"{p.CHANNEL}:1718000302.000100"]
    assert shared.text == "Our salary bands\n[file: salary-bands.pdf (pdf)]"
    bot = rows[f"{p.CHANNEL}:1718000303.000100"]
    assert bot.is_bot is True and bot.answered is None


def test_the_bots_own_posts_are_ignored(client: Any, engine: Engine) -> None:
    own = p.bot_message("No answer yet — can anyone help?", "1718000400.000100", bot_id=p.BOT_ID)
    assert post_event(client, own, "Ev30").status_code == 200
    assert messages(engine) == {}


def test_message_changed_updates_text_and_kind_keyed_by_original_ts(
    client: Any, engine: Engine
) -> None:
    post_event(client, p.message("Morning all", "1718000500.000100"), "Ev40")
    edit = p.changed("1718000500.000100", "Morning! Can anyone help with a PF transfer?",
                     "1718000600.000100")  # fmt: skip
    post_event(client, edit, "Ev41")
    rows = messages(engine)
    assert set(rows) == {f"{p.CHANNEL}:1718000500.000100"}
    row = rows[f"{p.CHANNEL}:1718000500.000100"]
    assert row.edited and row.kind == "help_request" and "PF transfer" in row.text


def test_message_deleted_before_its_original_wins(client: Any, engine: Engine) -> None:
    post_event(client, p.deleted("1718000700.000100", "1718000800.000100"), "Ev50")
    post_event(client, p.message("secret salary numbers", "1718000700.000100"), "Ev51")
    row = messages(engine)[f"{p.CHANNEL}:1718000700.000100"]
    assert row.deleted and row.text == ""


def test_message_deleted_after_its_original_erases_it(client: Any, engine: Engine) -> None:
    post_event(client, p.message("Can anyone help me, how?", "1718000900.000100"), "Ev60")
    post_event(client, p.deleted("1718000900.000100", "1718000950.000100"), "Ev61")
    row = messages(engine)[f"{p.CHANNEL}:1718000900.000100"]
    assert row.deleted and row.text == "" and row.answered is None


def test_resolve_reaction_by_the_asker_resolves(client: Any, engine: Engine) -> None:
    post_event(client, p.message("Any advice on a PIP template? help?", "1718001000.000100"),
               "Ev70")  # fmt: skip
    post_event(client, p.reaction(p.OUTSIDER, "1718001000.000100"), "Ev71")
    assert messages(engine)[f"{p.CHANNEL}:1718001000.000100"].resolved is False
    post_event(client, p.reaction(p.ASKER, "1718001000.000100"), "Ev72")
    assert messages(engine)[f"{p.CHANNEL}:1718001000.000100"].resolved is True


def test_member_joining_is_known_with_the_level_of_their_title(
    client: Any, engine: Engine, fake_slack: Any
) -> None:
    post_event(client, p.joined("UNEW"), "Ev80")
    with Session(engine) as session:
        member = session.exec(select(Member).where(col(Member.key) == "UNEW")).one()
    assert member.display_name == "Nina" and member.title == "VP People"
    assert member.level == "executive" and member.level_source == "profile_title"
    assert ("users.info", {"user": "UNEW"}) in fake_slack.calls


def test_app_mention_gets_short_help_in_its_thread(client: Any, fake_slack: Any) -> None:
    ts = "1718001100.000100"
    mention = {"type": "app_mention", "user": p.ASKER, "text": f"<@{p.BOT_USER}> hi",
               "ts": ts, "channel": p.CHANNEL, "event_ts": ts}  # fmt: skip
    post_event(client, mention, "Ev90")
    post_event(client, mention, "Ev90", **{"x-slack-retry-num": "1"})
    [post] = fake_slack.posts()
    assert post["thread_ts"] == "1718001100.000100" and "/lift help" in post["text"]


@pytest.mark.parametrize(
    "event",
    [
        {
            "type": "message",
            "subtype": "channel_topic",
            "channel": p.CHANNEL,
            "ts": "1718001200.000100",
            "topic": "hiring",
        },
        {
            "type": "message",
            "subtype": "some_future_subtype",
            "channel": p.CHANNEL,
            "ts": "1718001200.000100",
        },
        {"type": "pin_added", "user": p.ASKER, "channel_id": p.CHANNEL},
        {"type": "message", "channel": 7, "ts": None, "text": {"not": "text"}},
        {"no_type": True},
    ],
)
def test_unknown_events_and_subtypes_are_acked_and_ignored(
    client: Any, engine: Engine, event: dict[str, Any]
) -> None:
    response = post_event(client, event, "EvUnknown")
    assert response.status_code == 200
    assert messages(engine) == {}
    assert [e.status for e in inbox(engine)] in (["done"], ["ignored"])


def test_events_from_another_workspace_are_acked_and_not_stored(
    services: Any, engine: Engine
) -> None:
    from dataclasses import replace

    from starlette.testclient import TestClient

    from bot.app.web import create_app

    services.settings = replace(services.settings, slack_team_ids=(p.TEAM,))
    services.extras.clear()
    with TestClient(create_app(services)) as client:
        body, signed = p.json_request(p.envelope(p.message("hi", "1718001300.000100"), "EvX",
                                                 team="T0OTHER"))  # fmt: skip
        assert client.post("/slack/events", content=body, headers=signed).status_code == 200
    assert messages(engine) == {} and inbox(engine) == []


def test_retry_storm_from_threads_stores_each_event_once(client: Any, engine: Engine) -> None:
    events = [(p.message(f"Update number {i} on the hiring freeze", f"17180020{i:02d}.000100"),
               f"EvStorm{i}") for i in range(12)]  # fmt: skip
    deliveries = [(e, i, str(n)) for e, i in events for n in ("", "1", "2", "3")]

    def deliver(item: tuple[dict[str, Any], str, str]) -> int:
        event, event_id, retry = item
        headers = {"x-slack-retry-num": retry, "x-slack-retry-reason": "http_timeout"}
        return int(post_event(client, event, event_id, **(headers if retry else {})).status_code)

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(deliver, deliveries))
    assert statuses == [200] * len(deliveries)
    assert len(messages(engine)) == 12
    assert sorted(e.event_id for e in inbox(engine)) == sorted(i for _, i in events)


def test_a_failed_processing_is_retried_by_the_next_delivery(
    client: Any, engine: Engine, services: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from handlers.slack import listeners as slack

    calls = {"n": 0}
    original = slack.handle_message

    def flaky(*args: Any) -> str:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("database hiccup")
        return original(*args)

    monkeypatch.setattr(slack, "handle_message", flaky)
    event = p.message("Flaky first time", "1718003000.000100")
    post_event(client, event, "EvFlaky")
    assert [e.status for e in inbox(engine)] == ["failed"] and messages(engine) == {}
    post_event(client, event, "EvFlaky", **{"x-slack-retry-num": "1"})
    assert [e.status for e in inbox(engine)] == ["done"] and len(messages(engine)) == 1


def test_url_verification_echoes_the_challenge_only_when_signed(client: Any) -> None:
    payload = {"token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
               "type": "url_verification"}  # fmt: skip
    body, signed = p.json_request(payload)
    response = client.post("/slack/events", content=body, headers=signed)
    assert response.json() == {"challenge": payload["challenge"]}
    unsigned = client.post("/slack/events", content=body,
                           headers={"content-type": "application/json"})  # fmt: skip
    assert unsigned.status_code == 401


def test_ssl_check_is_answered_without_side_effects(client: Any, engine: Engine) -> None:
    form = {"content-type": "application/x-www-form-urlencoded"}
    response = client.post("/slack/events", content=b"ssl_check=1&token=legacy", headers=form)
    assert response.status_code == 200 and inbox(engine) == []


def test_inbox_row_keeps_the_raw_payload(client: Any, engine: Engine) -> None:
    post_event(client, p.message("keep me", "1718004000.000100"), "EvRaw")
    [row] = inbox(engine)
    assert json.loads(row.payload)["event"]["text"] == "keep me"
