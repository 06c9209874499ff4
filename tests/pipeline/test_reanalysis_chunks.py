"""A long conversation is judged in chunks; a thread that crosses a chunk's edge is judged whole."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from bot.pipeline import reanalysis
from bot.pipeline.reanalysis import reanalyze
from storage.db import session_scope
from storage.tables import Message
from tests.reports.builders import make_chat


def test_a_request_answered_past_a_chunks_edge_is_stored_answered(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Chunks of four messages with two of context: the request ends the first chunk and its
    # answer opens the second, where the request is only context.
    monkeypatch.setattr(reanalysis, "CHUNK", 4)
    monkeypatch.setattr(reanalysis, "CONTEXT", 2)
    with session_scope(engine) as session:
        chat = make_chat(session)
        asha, ravi = chat.member("Asha Menon", "mid"), chat.member("Ravi Kumar", "senior")
        neha, omar = chat.member("Neha Joshi", "junior"), chat.member("Omar Shaikh", "mid")
        chat.post(neha, "2026-11-16 09:00", "other", "Good morning all ☀️")
        chat.post(omar, "2026-11-16 09:05", "other", "Morning! Busy week ahead 😅")
        chat.post(neha, "2026-11-16 09:10", "other", "Coffee first ☕")
        ask = chat.ask(
            asha,
            "2026-11-16 10:00",
            "Need a POSH external member for our IC in Pune – 120 people. Any leads? 🙏",
        )
        answer = chat.post(
            ravi,
            "2026-11-16 11:30",
            "other",
            "Asha, try Adv. Meera Kulkarni in Baner – she sits on 3 ICs and does POSH training too",
        )
        chat.post(asha, "2026-11-16 11:45", "other", "Thank you Ravi sir 🙏 calling her today")
        community_id = chat.community_id
    reanalyze(engine=engine, community_id=community_id, since=datetime(2026, 11, 1, tzinfo=UTC))
    with session_scope(engine) as session:
        request = session.get(Message, ask)
        reply = session.get(Message, answer)
        assert request is not None and reply is not None
        assert reply.reply_to_id == ask
        assert (request.answered, request.first_answer_id) == (True, answer)
        assert request.first_response_minutes == pytest.approx(90.0)
