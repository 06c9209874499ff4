"""The web process only verifies, stores and acks; a worker processes the inbox in batches."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.engine import Engine

from bot.app.services import Services, slack_edge
from bot.app.worker import InboxWorker, hand_off_processing
from tests.handlers.slack import payloads as p
from tests.handlers.slack.test_events import inbox, messages, post_event


def test_with_a_separate_worker_the_ack_only_stores_and_the_worker_processes_in_a_batch(
    client: Any, services: Services, engine: Engine
) -> None:
    services.settings = replace(services.settings, inline_processing=False)
    assert hand_off_processing(services) is None
    questions = [f"Can anyone help with gratuity case {n}? How do you handle it?" for n in range(3)]
    for n, question in enumerate(questions):
        response = post_event(client, p.message(question, f"171800000{n}.000100"), f"EvW{n}")
        assert response.status_code == 200
    assert [e.status for e in inbox(engine)] == ["pending"] * 3
    assert messages(engine) == {}

    assert InboxWorker(services, batch=2).drain_once() == 2
    assert InboxWorker(services, batch=2).drain_once() == 1
    assert InboxWorker(services, batch=2).drain_once() == 0
    assert [e.status for e in inbox(engine)] == ["done"] * 3
    stored = messages(engine)
    assert sorted(m.text for m in stored.values()) == sorted(questions)
    assert {m.kind for m in stored.values()} == {"help_request"}


def test_a_redelivered_event_is_stored_once_and_processed_once(
    client: Any, services: Services, engine: Engine
) -> None:
    slack_edge(services).handoff = lambda _inbox_id: None  # as with `liftbot worker`
    event = p.message("Any leads on a payroll vendor in Pune? Help?", "1718000009.000100")
    post_event(client, event, "EvSame")
    post_event(client, event, "EvSame", **{"x-slack-retry-num": "1"})
    assert len(inbox(engine)) == 1
    assert InboxWorker(services).drain_once() == 1
    assert InboxWorker(services).drain_once() == 0
    assert len(messages(engine)) == 1


def test_a_writer_turn_left_held_by_a_killed_worker_does_not_stop_acks(
    client: Any, services: Services, engine: Engine, monkeypatch: Any
) -> None:
    import threading

    from handlers.slack import edge as edge_module

    monkeypatch.setattr(edge_module, "TURN_WAIT_SECONDS", 0.01)
    edge = slack_edge(services)
    edge.handoff = lambda _inbox_id: None
    edge.write_turn = threading.Lock()
    edge.write_turn.acquire()  # as a worker killed mid-write leaves it
    event = p.message("Any leads on a payroll vendor in Pune? Help?", "1718000010.000100")
    assert post_event(client, event, "EvHeld").status_code == 200
    assert [e.status for e in inbox(engine)] == ["pending"]
