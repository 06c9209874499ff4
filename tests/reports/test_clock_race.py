"""Three clock processes racing over one database post each scheduled message exactly once."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import Engine

from storage.db import session_scope
from tests.fakes import read_log
from tests.reports.builders import make_chat
from tests.reports.clock_worker import run_clock_process


def test_three_racing_clocks_send_one_report_one_digest_and_one_nudge_each(
    engine: Engine, tmp_path: Path
) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session)
        chatty, meera = chat.member("Chatty", "mid"), chat.member("Meera", "junior")
        for i in range(300):
            chat.post(chatty, chat.at("2026-11-23 08:00") - timedelta(minutes=15 * i))
        requests = [chat.ask(meera, f"2026-11-23 {h}:00", f"Question at {h}?") for h in (10, 11)]
        start = chat.at("2026-11-23 17:58")  # the report is due; digest at 18:00; nudges due
    log = tmp_path / "posts.jsonl"
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(3)
    url = engine.url.render_as_string(hide_password=False)
    clocks = [context.Process(target=run_clock_process,
                              args=(url, str(log), start.isoformat(), 4, barrier))
              for _ in range(3)]  # fmt: skip
    for clock in clocks:
        clock.start()
    for clock in clocks:
        clock.join(timeout=120)
        assert clock.exitcode == 0
    posts = read_log(log)
    kinds = Counter(p["method"] for p in posts)
    assert kinds["report"] == 1
    assert sum("HR Leaders Circle · week 2026-W47" in p["text"] for p in posts) == 1
    assert sum(p["text"].startswith("*Still waiting") for p in posts) == 1
    nudges = Counter(p["thread"] for p in posts if p["text"].startswith("No answer yet"))
    assert sorted(nudges.values()) == [1, 1] and len(requests) == 2
