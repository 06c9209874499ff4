"""Real HTTP on 127.0.0.1 (uvicorn, ephemeral port), Socket Mode envelopes, export upload."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from slack_sdk.socket_mode.request import SocketModeRequest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.app.web import create_app
from storage.tables import Community, InboxEvent, Message
from tests.handlers.slack import payloads as p


@pytest.fixture
def live_url(services: Any) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(services), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url + "/slack/events", data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


def _wait_for(check: Any) -> None:
    deadline = time.monotonic() + 10
    while not check() and time.monotonic() < deadline:
        time.sleep(0.02)


def test_over_real_http_a_retried_event_is_stored_once(live_url: str, engine: Engine) -> None:
    body, headers = p.json_request(p.envelope(p.message("live hello", "1718005000.000100"), "EvL"))
    assert _post(live_url, body, headers) == 200
    assert _post(live_url, body, {**headers, "x-slack-retry-num": "1"}) == 200

    def stored() -> bool:
        with Session(engine) as session:
            return len(session.exec(select(Message)).all()) == 1

    _wait_for(stored)
    assert stored()


class RecordingSocketClient:
    """Stands in for SocketModeClient: records the acks."""

    def __init__(self) -> None:
        self.acks: list[str] = []

    def send_socket_mode_response(self, response: Any) -> None:
        self.acks.append(response.envelope_id)


def test_socket_mode_first_delivery_with_retry_attempt_zero_is_processed_once(
    services: Any, engine: Engine
) -> None:
    from bot.app.services import slack_edge
    from handlers.slack.socket import InboxSocketModeHandler

    handler = InboxSocketModeHandler.__new__(InboxSocketModeHandler)
    handler.edge = slack_edge(services)
    client = RecordingSocketClient()
    payload = p.envelope(p.message("via socket", "1718006000.000100"), "EvS")
    for attempt, envelope_id in ((0, "env-1"), (1, "env-2")):
        request = SocketModeRequest(type="events_api", envelope_id=envelope_id, payload=payload,
                                    retry_attempt=attempt, retry_reason="")  # fmt: skip
        handler.handle(client, request)
    assert client.acks == ["env-1", "env-2"]
    with Session(engine) as session:
        assert [m.text for m in session.exec(select(Message))] == ["via socket"]
        assert [e.status for e in session.exec(select(InboxEvent))] == ["done"]


EXPORT = (
    "24/06/2024, 09:15 - Asha: Can anyone help with a notice period buyout? How?\n"
    "24/06/2024, 09:40 - Ravi: We pay it out pro rata, happy to share the policy.\n"
)


@pytest.mark.parametrize(("user", "imported"), [(p.MODERATOR, True), (p.OUTSIDER, False)])
def test_a_moderator_dms_an_export_and_gets_the_import_summary(
    client: Any, fake_slack: Any, engine: Engine, user: str, imported: bool
) -> None:
    from tests.handlers.slack.test_events import post_event

    fake_slack.files["export.txt"] = EXPORT.encode()
    upload = p.file_share("", "1718007000.000100", channel="D0DM", channel_type="im", user=user,
                          name="WhatsApp Chat with HR Circle.txt",
                          download=f"{fake_slack.url}/files/export.txt")  # fmt: skip
    post_event(client, upload, "EvUp")
    [reply] = fake_slack.posts()
    assert reply["channel"] == "D0DM"
    with Session(engine) as session:
        names = [c.name for c in session.exec(select(Community))]
    if imported:
        assert "Imported" in reply["text"] and "HR Circle" in names
        assert ("files.download", {"auth": "Bearer xoxb-test-token"}) in fake_slack.calls
    else:
        assert "Only moderators" in reply["text"] and "HR Circle" not in names
