"""Slack ack latency with a full database: in process (raw ASGI) and over loopback HTTP (uvicorn).

`bench_slack_ack(url)` takes a database that already holds many messages (seed one with
`seed_messages(url, n)`); it adds a few hundred Slack events of its own.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import uvicorn
from sqlalchemy import insert

from bot.app.services import Services
from bot.app.web import create_app
from bot.config import Settings
from storage import queries
from storage.db import make_engine, session_scope
from storage.migrate import upgrade
from storage.tables import Message

SECRET = "bench-signing-secret"


def seed_messages(url: str, n: int, *, batch: int = 10_000) -> None:
    """Fill a database with `n` plain messages (Core executemany, one community and member)."""
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        community = queries.ensure_community(
            session=session, name="bench", platform="slack", timezone="UTC"
        )
        assert community.id is not None
        ids = queries.ensure_members(
            session=session, community_id=community.id, people={"UBENCH": ("Bench", False)}
        )
        community_id, member_id = community.id, ids["UBENCH"]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for first in range(0, n, batch):
        rows = [
            {
                "community_id": community_id,
                "platform": "slack",
                "source_key": f"CSEED:{i}.0",
                "member_id": member_id,
                "sent_at": start + timedelta(seconds=i),
                "text": f"seed message {i}",
                "kind": "other",
            }
            for i in range(first, min(n, first + batch))
        ]
        with engine.begin() as conn:
            conn.execute(insert(Message), rows)
    engine.dispose()


def _fake_api() -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: Any) -> None:
            return

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            body = json.dumps(
                {
                    "ok": True,
                    "user_id": "UBOT",
                    "bot_id": "BBOT",
                    "team_id": "TB",
                    "url": "https://bench.slack.com/",
                    "user": {"id": "U1", "name": "m", "profile": {"title": "HRBP"}},
                }
            )
            data = body.encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/api/"


def _signed(n: int) -> tuple[bytes, dict[str, str]]:
    import hashlib
    import hmac

    ts = f"{1718000000 + n}.{uuid.uuid4().int % 1_000_000:06d}"
    event = {
        "type": "message",
        "channel": "CBENCH",
        "user": f"U{n % 50}",
        "ts": ts,
        "text": f"Can anyone help with payroll question {n}? how?",
        "channel_type": "channel",
    }
    payload = {
        "type": "event_callback",
        "team_id": "TB",
        "event_id": f"Ev{uuid.uuid4().hex}",
        "event": event,
    }
    body = json.dumps(payload).encode()
    now = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + now.encode() + b":" + body, hashlib.sha256)
    return body, {
        "content-type": "application/json",
        "x-slack-request-timestamp": now,
        "x-slack-signature": "v0=" + digest.hexdigest(),
    }


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return {
        "p50_ms": round(pick(0.5), 2),
        "p99_ms": round(pick(0.99), 2),
        "max_ms": round(ordered[-1] * 1000, 2),
        "n": len(ordered),
    }


async def _ack_time(app: Any, body: bytes, headers: dict[str, str]) -> float:
    """Seconds until the response is complete (the background work runs after that)."""
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/slack/events",
        "raw_path": b"/slack/events",
        "query_string": b"",
        "root_path": "",
        "scheme": "http",
        "http_version": "1.1",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1),
        "headers": [
            (k.encode(), v.encode())
            for k, v in {**headers, "content-length": str(len(body))}.items()
        ],
    }
    sent = False
    done: list[float] = []
    start = time.perf_counter()

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body" and not message.get("more_body") and not done:
            done.append(time.perf_counter() - start)

    await app(scope, receive, send)
    return done[0]


def bench_slack_ack(
    url: str, *, in_process_events: int = 300, rate: float = 50.0, seconds: float = 10.0
) -> dict[str, Any]:
    """Ack latency p50/p99: raw ASGI in process, then `rate` events/s over HTTP for `seconds`."""
    server, api_url = _fake_api()
    settings = Settings(
        database_url=url,
        secret_key="bench",
        slack_signing_secret=SECRET,
        slack_bot_token="xoxb-bench",
        slack_api_url=api_url,
    )
    engine = make_engine(url)
    upgrade(engine)
    app = create_app(Services(settings=settings, engine=engine))
    in_process = [asyncio.run(_ack_time(app, *_signed(i))) for i in range(in_process_events)]
    http, failures = _http_load(app, rate, seconds)
    server.shutdown()
    engine.dispose()
    return {
        "in_process": _percentiles(in_process),
        "http": {**_percentiles(http), "non_2xx": failures, "rate_per_s": rate},
    }


def _http_load(app: Any, rate: float, seconds: float) -> tuple[list[float], int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}/slack/events"
    total = int(rate * seconds)

    def one(n: int) -> tuple[float, int]:
        body, headers = _signed(100_000 + n)
        start = time.perf_counter()
        request = urllib.request.Request(base, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
                status = response.status
        except Exception:
            status = 0
        return time.perf_counter() - start, status

    results = []
    begin = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        futures = []
        for n in range(total):
            delay = begin + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(one, n))
        results = [f.result() for f in futures]
    server.should_exit = True
    thread.join(timeout=10)
    return [t for t, _ in results], sum(1 for _, s in results if s != 200)


def bench_slack_saturation(
    url: str, *, events: int = 3_000, connections: int = 8, inline: bool | None = True
) -> dict[str, Any]:
    """`events` signed message events as fast as `connections` keep-alive clients can send them
    to one web process started as `serve` starts it (its own process, uvicorn with its default
    HTTP parser and loop): acks/s, latency p50/p99, the web process's CPU per ack, then how
    long until every event was processed once. With `inline` False the web process only stores
    and acks, and a worker (`InboxWorker.drain_once`, as `liftbot worker` runs it) processes
    afterwards: its events/s of CPU time and of wall time. With `inline` True `serve`'s own
    worker process processes meanwhile. `inline` None: each event processed in its request's
    background task (before the worker existed)."""
    server, api_url = _fake_api()
    settings = _settings(url, api_url, inline)
    engine = make_engine(url)
    upgrade(engine)
    before_done, before_messages = _inbox_count(engine, "done"), _slack_messages(engine)
    before_stored = _inbox_count(engine, None)
    web = _WebProcess(settings, hand_off=inline is not None)
    try:
        requests = [_raw_request(*_signed(200_000 + n)) for n in range(events)]
        cpu_before = web.cpu_seconds()
        samples, failures, seconds = asyncio.run(_keep_alive_load(web.port, requests, connections))
        web_cpu = web.cpu_seconds() - cpu_before
        acked_at = time.perf_counter()
        result: dict[str, Any] = {
            "events": events,
            "connections": connections,
            "acks_per_s": round(events / seconds),
            **_percentiles(samples),
            "non_2xx": failures,
            "web_cpu_ms_per_ack": round(web_cpu / events * 1000, 3),
            "inline_processing": inline,
            "stored_once": _inbox_count(engine, None) - before_stored == events,
        }
        if inline is False:
            result.update(_drain_with_a_worker(Services(settings=settings, engine=engine), events))
        else:
            deadline = time.perf_counter() + 600
            while (
                _inbox_count(engine, "done") - before_done < events
                and time.perf_counter() < deadline
            ):
                time.sleep(0.05)
            result["all_processed_after_acks_s"] = round(time.perf_counter() - acked_at, 2)
    finally:
        web.stop()
    result["processed"] = _inbox_count(engine, "done") - before_done
    result["stored_messages_once"] = (
        _slack_messages(engine) - before_messages == result["processed"] == events
    )
    server.shutdown()
    engine.dispose()
    return result


def _settings(url: str, api_url: str, inline: bool | None) -> Settings:
    settings = Settings(
        database_url=url,
        secret_key="bench",
        slack_signing_secret=SECRET,
        slack_bot_token="xoxb-bench",
        slack_api_url=api_url,
    )
    return settings if inline is None else replace(settings, inline_processing=inline)


def _drain_with_a_worker(services: Services, events: int) -> dict[str, Any]:
    """Process everything stored, as `liftbot worker` does; its rate in CPU and wall time."""
    from bot.app.worker import InboxWorker

    processor = InboxWorker(services)
    cpu, wall = time.process_time(), time.perf_counter()
    while processor.drain_once():
        pass
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        "worker_events_per_s_cpu": round(events / cpu) if cpu else None,
        "worker_events_per_s_wall": round(events / wall) if wall else None,
        "worker_batch": processor.batch,
    }


class _WebProcess:
    """`liftbot serve` in a process of its own (spawned), on an ephemeral loopback port."""

    def __init__(self, settings: Settings, *, hand_off: bool) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        ports, self._stop = context.Queue(), context.Event()
        # Not a daemon: `serve`'s own worker is a child process of it.
        self._process = context.Process(target=_serve, args=(settings, hand_off, ports, self._stop))
        self._process.start()
        try:
            self.port: int = ports.get(timeout=120)
        except BaseException:
            self._process.terminate()
            raise

    def cpu_seconds(self) -> float:
        """User and system CPU the web process has used (its own, not its worker's)."""
        import os
        from pathlib import Path

        stat = Path(f"/proc/{self._process.pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """Let the server and its worker finish and exit."""
        self._stop.set()
        self._process.join(60)
        if self._process.is_alive():
            self._process.terminate()


def _serve(settings: Settings, hand_off: bool, ports: Any, stop: Any) -> None:
    """The web process: what `liftbot serve` builds, serving until `stop` is set."""
    from bot.app.services import build_services
    from bot.app.worker import hand_off_processing

    services = build_services(settings, make_engine(settings.database_url))
    worker = None
    if hand_off:  # False: the old way, each event processed in its own request
        worker = hand_off_processing(services)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    server = uvicorn.Server(
        uvicorn.Config(create_app(services), log_level="warning", lifespan="off")
    )

    def watch() -> None:
        stop.wait()
        server.should_exit = True

    threading.Thread(target=watch, daemon=True).start()
    ports.put(sock.getsockname()[1])
    server.run(sockets=[sock])
    if worker is not None:
        worker.close()


def _inbox_count(engine: Any, status: str | None) -> int:
    from sqlalchemy import func, select

    from storage.tables import InboxEvent

    with session_scope(engine) as session:
        query = select(func.count()).select_from(InboxEvent)
        if status is not None:
            query = query.where(InboxEvent.status == status)  # type: ignore[arg-type]
        return int(session.execute(query).scalar_one())


def _slack_messages(engine: Any) -> int:
    from sqlalchemy import func, select

    with session_scope(engine) as session:
        query = (
            select(func.count())
            .select_from(Message)
            .where(
                Message.source_key.like("CBENCH:%")  # type: ignore[attr-defined]
            )
        )
        return int(session.execute(query).scalar_one())


def _raw_request(body: bytes, headers: dict[str, str]) -> bytes:
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return (
        f"POST /slack/events HTTP/1.1\r\nhost: 127.0.0.1\r\n{head}"
        f"content-length: {len(body)}\r\n\r\n"
    ).encode() + body


async def _keep_alive_load(
    port: int, requests: list[bytes], connections: int
) -> tuple[list[float], int, float]:
    """Send `requests` over `connections` persistent HTTP/1.1 connections, each as fast as its
    acks come back (a cheap asyncio client, so that the client is not what is measured);
    (latencies, non-2xx count, wall seconds)."""

    async def client(share: list[bytes]) -> list[tuple[float, int]]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        out = []
        for request in share:
            start = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length:
                await reader.readexactly(length)
            out.append((time.perf_counter() - start, status))
        writer.close()
        return out

    begin = time.perf_counter()
    parts = await asyncio.gather(*(client(requests[i::connections]) for i in range(connections)))
    seconds = time.perf_counter() - begin
    results = [r for part in parts for r in part]
    return [t for t, _ in results], sum(1 for _, s in results if s != 200), seconds


if __name__ == "__main__":
    import sys
    import tempfile

    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{folder}/bench.db"
        seed_messages(db, rows)
        print(json.dumps(bench_slack_ack(db), indent=2))
        for inline in (None, False, True):
            print(json.dumps(bench_slack_saturation(db, inline=inline), indent=2))
