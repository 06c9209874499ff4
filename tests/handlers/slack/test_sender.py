"""SlackSender against the fake Web API: paced, 429-aware, and never posting twice."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.jobs.senders import ReportMessage, SendError
from handlers.slack.api import make_client
from handlers.slack.sender import ChannelPacer, SlackSender
from storage.tables import Outbox


@pytest.fixture
def sender(engine: Engine, fake_slack: Any) -> tuple[SlackSender, list[float]]:
    pauses: list[float] = []
    now = [0.0]
    pacer = ChannelPacer(clock=lambda: now[0], sleep=pauses.append)
    client = make_client("xoxb-test-token", fake_slack.url + "/api/")
    return SlackSender(client, engine, pacer=pacer, sleep=pauses.append), pauses


def outbox(engine: Engine) -> list[Outbox]:
    with Session(engine) as session:
        return list(session.exec(select(Outbox)))


def test_a_429_with_retry_after_then_success_posts_exactly_once(
    sender: tuple[SlackSender, list[float]], fake_slack: Any, engine: Engine
) -> None:
    slack, pauses = sender
    fake_slack.scripted["chat.postMessage"] = [
        (429, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"})
    ]
    ref = slack.send_text("C0ADMIN", "Weekly digest: 3 open requests", dedupe_key="digest:1")
    assert len(fake_slack.posts()) == 2  # the refused attempt and the one that posted
    assert 1.0 in pauses
    [row] = outbox(engine)
    assert row.status == "sent" and ref == row.external_id and ref.startswith("C0ADMIN:")
    assert (
        slack.send_text("C0ADMIN", "Weekly digest: 3 open requests", dedupe_key="digest:1") == ref
    )
    assert len(fake_slack.posts()) == 2


def test_posts_to_one_channel_are_paced_one_per_second(
    sender: tuple[SlackSender, list[float]], fake_slack: Any
) -> None:
    slack, pauses = sender
    for n in range(3):
        slack.send_text("C0GENERAL", f"nudge {n}", dedupe_key=f"n{n}")
    slack.send_text("C0OTHER", "elsewhere", dedupe_key="other")
    assert pauses == [1.0, 2.0]


def test_a_thread_given_as_a_source_key_posts_into_that_thread(
    sender: tuple[SlackSender, list[float]], fake_slack: Any
) -> None:
    slack, _ = sender
    slack.send_text("C0ADMIN", "No answer yet — <!channel> can anyone help?",
                    thread="C0GENERAL:1718000000.000100")  # fmt: skip
    [post] = fake_slack.posts()
    assert post["channel"] == "C0GENERAL" and post["thread_ts"] == "1718000000.000100"
    assert "&lt;!channel&gt;" in post["text"]


def test_an_ambiguous_failure_is_unknown_and_never_reposted(
    sender: tuple[SlackSender, list[float]], fake_slack: Any, engine: Engine
) -> None:
    slack, _ = sender
    fake_slack.scripted["chat.postMessage"] = [(500, {}, {"ok": False, "error": "fatal_error"})]
    with pytest.raises(SendError):
        slack.send_text("C0ADMIN", "report", dedupe_key="r1")
    with pytest.raises(SendError):
        slack.send_text("C0ADMIN", "report", dedupe_key="r1")
    assert len(fake_slack.posts()) == 1
    assert [r.status for r in outbox(engine)] == ["unknown"]


def test_a_report_posts_its_blocks_and_uploads_its_chart(
    sender: tuple[SlackSender, list[float]], fake_slack: Any
) -> None:
    slack, _ = sender
    block = {"type": "section", "text": {"type": "mrkdwn", "text": "*Week 24*"}}
    report = ReportMessage("Liftbot weekly report", ("Week 24",), ((block,), (block,)),
                           chart_png=b"\x89PNG fake")  # fmt: skip
    ids = slack.send_report("C0ADMIN", report)
    assert len(ids) == 3
    posted = [p["blocks"] for p in fake_slack.posts()]
    assert [json.loads(b) if isinstance(b, str) else b for b in posted] == [[block], [block]]
    assert "files.getUploadURLExternal" in fake_slack.methods()
    assert "files.completeUploadExternal" in fake_slack.methods()
    assert fake_slack.uploads and b"PNG fake" in fake_slack.uploads[0]
    slack.send_report("C0ADMIN", report)
    assert len(fake_slack.posts()) == 2
