"""Weekly report build time on a 1,000,000-message SQLite database (`make bench`, step `report`)."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from bot.config import Settings
from bot.reports.weekly import build_weekly_report
from bot.reports.weeks import IsoWeek
from storage.db import make_engine, session_scope
from storage.migrate import upgrade
from storage.tables import Community, Member, Message

ZONE = "Asia/Kolkata"
END = datetime(2026, 11, 23, tzinfo=ZoneInfo(ZONE)).astimezone(UTC)  # a Monday, local midnight
MEMBERS = 2_000
BATCH = 25_000
LEVELS = ("junior", "mid", "senior", "executive", "unknown")
KINDS = ("other", "job_post", "gyaan", "help_request")
KIND_WEIGHTS = (0.45, 0.2, 0.2, 0.15)


def bench_weekly_report(url: str, messages: int = 1_000_000, runs: int = 5) -> dict[str, Any]:
    """Fill a fresh database with `messages` over a year, then time the last week's report."""
    engine = _fresh_engine(url)
    started = time.perf_counter()
    community_id = _fill(engine, messages)
    generate_s = time.perf_counter() - started
    week = IsoWeek.last_complete(END, ZoneInfo(ZONE))
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        with session_scope(engine) as session:
            report = build_weekly_report(session, community_id, week, Settings(timezone=ZONE))
        timings.append(time.perf_counter() - started)
    engine.dispose()
    return {
        "messages": messages,
        "week": week.label,
        "week_messages": report.member_messages,
        "generate_s": round(generate_s, 1),
        "build_first_s": round(timings[0], 3),
        "build_median_s": round(statistics.median(timings), 3),
        "target_s": 0.5,
    }


def _fresh_engine(url: str) -> Engine:
    database = make_url(url).database
    if make_url(url).get_backend_name() == "sqlite" and database:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    upgrade(engine)
    return engine


def _fill(engine: Engine, messages: int) -> int:
    rng = random.Random(47)
    with session_scope(engine) as session:
        community = Community(name="bench", platform="whatsapp_export", timezone=ZONE)
        session.add(community)
        session.flush()
        assert community.id is not None
        community_id = community.id
    levels = [rng.choice(LEVELS) for _ in range(MEMBERS)]
    with engine.begin() as conn:
        conn.execute(Member.__table__.insert(), [  # type: ignore[attr-defined]
            {"id": i + 1, "community_id": community_id, "key": f"m{i}", "display_name": f"M{i}",
             "level": levels[i], "level_source": "none", "level_reason": "", "is_bot": False,
             "is_moderator": False, "created_at": END}
            for i in range(MEMBERS)])  # fmt: skip
    for batch in _message_batches(rng, community_id, levels, messages):
        with engine.begin() as conn:
            conn.execute(Message.__table__.insert(), batch)  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return community_id


def _message_batches(
    rng: random.Random, community_id: int, levels: list[str], messages: int
) -> Iterator[list[dict[str, Any]]]:
    """Messages evenly spread over the year, in batches (so memory stays flat)."""
    step = timedelta(days=365) / messages
    first = END - timedelta(days=365)
    last_request = 0
    rows = []
    for i in range(messages):
        member = rng.randrange(MEMBERS)
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        answered = kind == "help_request" and rng.random() < 0.6
        reply_to = last_request if kind == "other" and last_request and rng.random() < 0.5 else None
        rows.append({
            "id": i + 1, "community_id": community_id, "platform": "whatsapp_export",
            "source_key": f"s{i}", "member_id": member + 1, "sent_at": first + step * i,
            "text": f"message {i}", "system": False, "edited": False, "deleted": False,
            "is_bot": False, "forwarded": False, "kind": kind, "kind_confidence": 0.9,
            "kind_reason": "", "kind_source": "model",
            "role_level": rng.choice(LEVELS) if kind == "job_post" else None,
            "author_level": levels[member], "reply_to_id": reply_to,
            "substantive": reply_to is not None and rng.random() < 0.7,
            "answered": answered if kind == "help_request" else None,
            "resolved": answered and rng.random() < 0.5 if kind == "help_request" else None,
            "first_response_minutes": rng.expovariate(1 / 180) if answered else None,
        })  # fmt: skip
        if kind == "help_request":
            last_request = i + 1
        if len(rows) == BATCH:
            yield rows
            rows = []
    if rows:
        yield rows


if __name__ == "__main__":
    print(bench_weekly_report("sqlite:///bench-data/report.db"))
