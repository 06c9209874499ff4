"""`/healthz` tells a load balancer the truth: "ok" only when a webhook delivery can be stored.

The promise checked here: whenever /healthz says ok, a signed Slack event is stored (200); when
the database is unreachable or its schema is behind, /healthz answers 503 and says why.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.app.services import Services
from bot.app.web import create_app
from bot.config import Settings
from storage.db import make_engine
from storage.migrate import downgrade, head_revision, upgrade
from tests.handlers.slack import payloads as p
from tests.handlers.slack.conftest import FakeSlack, _handler
from tests.loopback import serve


def _client(url: str, fake: FakeSlack) -> TestClient:
    settings = Settings(
        database_url=url,
        secret_key="test-pepper",
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=p.SECRET,
        slack_api_url=fake.url + "/api/",
    )
    return TestClient(create_app(Services(settings=settings, engine=make_engine(url))))


def _signed_event(client: TestClient) -> Any:
    event = p.message("Any leads for HRBP roles in Pune?", "1718001300.000100")
    body, signed = p.json_request(p.envelope(event, "EvHealth1"))
    return client.post("/slack/events", content=body, headers=signed)


@pytest.fixture
def slack_api() -> Iterator[FakeSlack]:
    """The loopback Slack Web API the stored events are processed against."""
    fake = FakeSlack()
    with serve(_handler(fake)) as url:
        fake.url = url
        yield fake


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    url = f"sqlite:///{tmp_path / 'liftbot.db'}"
    engine = make_engine(url)
    yield url, engine
    engine.dispose()


def test_a_migrated_database_is_ok_and_events_are_stored(
    database: tuple[str, Engine], slack_api: FakeSlack
) -> None:
    url, engine = database
    upgrade(engine)
    with _client(url, slack_api) as client:
        health = client.get("/healthz")
        assert (health.status_code, health.text) == (200, "ok")
        assert _signed_event(client).status_code == 200


def test_a_database_never_upgraded_is_503_with_the_fix(
    database: tuple[str, Engine], slack_api: FakeSlack
) -> None:
    url, _ = database
    with _client(url, slack_api) as client:
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.text == "database not ready: no Liftbot tables yet (run `liftbot db upgrade`)"
        assert _signed_event(client).status_code == 503


def test_a_schema_behind_the_code_is_503_naming_both_revisions(
    database: tuple[str, Engine], slack_api: FakeSlack
) -> None:
    url, engine = database
    upgrade(engine)
    downgrade(engine, "0003")
    with _client(url, slack_api) as client:
        health = client.get("/healthz")
        assert health.status_code == 503
        assert f"schema 0003, this Liftbot needs {head_revision()}" in health.text


def test_an_unreachable_database_is_503(tmp_path: Path, slack_api: FakeSlack) -> None:
    url = f"sqlite:///{tmp_path / 'gone' / 'liftbot.db'}"
    with _client(url, slack_api) as client:
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.text.startswith("database unreachable: unable to open database file")
        assert _signed_event(client).status_code == 503
