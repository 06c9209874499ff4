"""A `liftbot serve` web process for the storm test: the full app on an ephemeral loopback port."""

from __future__ import annotations

import socket
import threading
from typing import Any

import uvicorn

from bot.app.services import Services
from bot.app.web import create_app
from bot.config import Settings
from storage.db import make_engine
from tests.handlers.slack import payloads as p


def serve_until_stopped(database_url: str, api_url: str, ports: Any, stop: Any) -> None:
    """Serve the web app on 127.0.0.1 (the port goes to `ports`) until `stop` is set."""
    engine = make_engine(database_url)
    settings = Settings(
        database_url=database_url,
        secret_key="test-pepper",
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=p.SECRET,
        slack_api_url=api_url,
        community="Acme HR",
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(256)  # connections wait in the backlog until uvicorn has started
    config = uvicorn.Config(
        create_app(Services(settings=settings, engine=engine)), log_level="error", lifespan="off"
    )
    server = uvicorn.Server(config)
    threading.Thread(target=lambda: (stop.wait(60), setattr(server, "should_exit", True))).start()
    ports.put(sock.getsockname()[1])
    server.run(sockets=[sock])
    engine.dispose()
