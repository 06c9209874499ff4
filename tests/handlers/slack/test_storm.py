"""A Slack retry storm across three web processes on one database (PostgreSQL when configured):
every event stored and processed once, every request answered 2xx."""

from __future__ import annotations

import multiprocessing
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from storage.db import session_scope
from storage.tables import InboxEvent, Message
from tests.handlers.slack import payloads as p
from tests.handlers.slack.conftest import FakeSlack
from tests.handlers.slack.storm_worker import serve_until_stopped

PROCESSES, EVENTS, COPIES = 3, 60, 4


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url + "/slack/events", data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _count(engine: Engine, table: Any) -> int:
    with session_scope(engine) as session:
        return int(session.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_retry_storm_over_three_processes_stores_each_event_once(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    context = multiprocessing.get_context("spawn")
    ports, stop = context.Queue(), context.Event()
    url = engine.url.render_as_string(hide_password=False)
    servers = [
        context.Process(
            target=serve_until_stopped, args=(url, fake_slack.url + "/api/", ports, stop)
        )
        for _ in range(PROCESSES)
    ]
    for server in servers:
        server.start()
    try:
        bases = [f"http://127.0.0.1:{ports.get(timeout=60)}" for _ in servers]
        now = int(time.time())
        requests = []
        for n in range(EVENTS):
            event = p.message(f"storm message {n}: any leads for HRBP roles?", f"{now - n}.000100")
            body, headers = p.json_request(p.envelope(event, f"EvStorm{n:04d}"))
            for copy in range(COPIES):
                retry = {"x-slack-retry-num": str(copy)} if copy else {}
                requests.append((bases[(n + copy) % PROCESSES], body, {**headers, **retry}))
        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(lambda r: _post(*r), requests))
        assert all(200 <= s < 300 for s in statuses), sorted(set(statuses))
        deadline = time.monotonic() + 20
        while _count(engine, Message) < EVENTS and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        for server in servers:
            server.join(timeout=20)
    assert _count(engine, InboxEvent) == EVENTS
    assert _count(engine, Message) == EVENTS
    with session_scope(engine) as session:
        states = set(session.execute(select(InboxEvent.status)).scalars())  # type: ignore[call-overload]
    assert states == {"done"}
