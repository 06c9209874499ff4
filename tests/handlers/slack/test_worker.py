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


def _stored_for_the_worker(client: Any, services: Services, events: list[tuple[Any, str]]) -> None:
    services.settings = replace(services.settings, inline_processing=False)
    hand_off_processing(services)
    for event, event_id in events:
        assert post_event(client, event, event_id).status_code == 200


def test_one_batch_keeps_the_order_of_a_question_its_answer_its_resolution_and_its_edit(
    client: Any, services: Services, engine: Engine
) -> None:
    question, asked = "Anyone have a template for a PIP? Help?", "1718002000.000100"
    answer = "We use a 60 day plan with weekly check-ins; happy to share our template doc."
    _stored_for_the_worker(client, services, [
        (p.message(question, asked), "EvB1"),
        (p.thread_reply(answer, "1718002100.000100", asked), "EvB2"),
        (p.reaction(p.ASKER, asked), "EvB3"),
        (p.changed(asked, question + " Thanks in advance", "1718002200.000100"), "EvB4"),
        (p.message("Good morning all", "1718002300.000100"), "EvB5"),
    ])  # fmt: skip
    assert InboxWorker(services).drain_once() == 5
    rows = messages(engine)
    asked_row, answer_row = rows[f"{p.CHANNEL}:{asked}"], rows[f"{p.CHANNEL}:1718002100.000100"]
    assert asked_row.edited and asked_row.text.endswith("Thanks in advance")
    assert asked_row.answered is True and asked_row.first_answer_id == answer_row.id
    assert asked_row.resolved is True
    assert len(rows) == 3
    assert [e.status for e in inbox(engine)] == ["done"] * 5


def test_a_message_that_cannot_be_stored_fails_only_its_own_row(
    client: Any, services: Services, engine: Engine, monkeypatch: Any
) -> None:
    from bot.pipeline import ingest as ingest_module

    real_row = ingest_module.message_row

    def refusing(message: Any, **values: Any) -> dict[str, Any]:
        if "poison" in message.text:
            raise ValueError("the database refuses this row")
        return real_row(message, **values)

    monkeypatch.setattr(ingest_module, "message_row", refusing)
    _stored_for_the_worker(client, services, [
        (p.message("Any leads on a payroll vendor? Help?", "1718003000.000100"), "EvP1"),
        (p.message("poison pill", "1718003100.000100"), "EvP2"),
        (p.message("Hiring an HRBP in Pune, apply here", "1718003200.000100"), "EvP3"),
    ])  # fmt: skip
    InboxWorker(services).drain_once()
    assert sorted((e.event_id, e.status) for e in inbox(engine)) == [
        ("EvP1", "done"), ("EvP2", "failed"), ("EvP3", "done")
    ]  # fmt: skip
    assert sorted(messages(engine)) == [
        f"{p.CHANNEL}:1718003000.000100", f"{p.CHANNEL}:1718003200.000100"
    ]  # fmt: skip
