"""One database, four communities: two Slack workspaces installed by OAuth, the live WhatsApp
group and an exported WhatsApp group (fixtures shared with the platform tests)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.handlers.slack.conftest import FakeSlack
from tests.handlers.slack.conftest import fake_slack as fake_slack
from tests.handlers.whatsapp.conftest import FakeTwilio
from tests.handlers.whatsapp.conftest import fake_twilio as fake_twilio
from tests.isolation.world import World, build_world


@pytest.fixture
def world(
    engine: Engine,
    fake_slack: FakeSlack,
    fake_twilio: FakeTwilio,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[World]:
    """The four communities, each with members, help requests, a job post and an answer."""
    with build_world(engine, fake_slack, fake_twilio, tmp_path, monkeypatch) as built:
        yield built
