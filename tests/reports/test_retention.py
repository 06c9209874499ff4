"""Retention: the clock erases text, departed members' names and payloads past a community's
limit, and reports of old weeks keep every figure."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.jobs.clock import run_due_jobs
from bot.jobs.retention import run_retention
from bot.pipeline.community_config import set_setting
from bot.pipeline.moderation import forget_member
from bot.reports.output import report_output
from handlers.export_files import import_file
from storage import inbox, queries
from storage.db import session_scope
from storage.inbox import InboxSource, InboxState
from storage.outbox import OutboxState, record_once
from storage.tables import Community, Correction, InboxEvent, Member, Message, Outbox
from tests.fakes import RecordingSender

NOW = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)  # Monday 11:30 in India
CUTOFF = NOW - timedelta(days=365)
FIRST_MONDAY = date(2024, 6, 3)
WEEKS = 104  # two years of Mondays, up to 2026-05-25
OLD_WEEK = "2024-W40"  # 30 Sep – 6 Oct 2024: a long-erased week with an unanswered ask

ASKS = (
    "Can anyone share a POSH policy template for a 50 person startup? Need it this week",
    "Has anyone rolled out a gratuity trust with LIC? How long did the paperwork take?",
    "Any suggestions for a payroll vendor in Pune that handles PF and ESIC for 200 people?",
    "Can someone help me with the notice period buyout clause? Is it legal in Maharashtra?",
)
ANSWERS = (
    "@Ravi Kumar we use a template from our lawyer, the IC composition section matters most. Sharing on DM",
    "@Ravi Kumar it took us about 6 weeks with LIC; get the trust deed vetted first",
    "@Ravi Kumar we moved to Keka last year, PF and ESIC filings have been smooth",
    "@Ravi Kumar yes it is fine if the appointment letter allows it; we recover it in F&F",
)


def _line(day: date, clock: str, who: str | None, text: str) -> str:
    stamp = f"{day:%d/%m/%Y}, {clock} - "
    return stamp + (f"{who}: {text}" if who else text)


MOVES = {
    date(2024, 12, 2): "Anil Mehta left",
    date(2025, 1, 6): "+91 98450 12345 left",
    date(2025, 1, 13): "Nandini Rao removed Kiran Shah",
    date(2025, 2, 3): "Nandini Rao added Kiran Shah",
    date(2026, 3, 2): "Deepa Rao left",
}


def two_years_of_chat() -> str:
    """A WhatsApp export from 3 Jun 2024 to 27 May 2026: weekly asks and answers, job posts,
    gyaan, a senior's unanswered ask every third week, and members coming and going."""
    lines = [_line(FIRST_MONDAY, "09:00", None, "Nandini Rao created group \"HR Circle\"")]
    for week in range(WEEKS):
        monday = FIRST_MONDAY + timedelta(weeks=week)
        ask = week % len(ASKS)
        lines.append(_line(monday, "10:00", "Ravi Kumar", ASKS[ask]))
        if week % 3 != 2:
            answerer = "Anil Mehta" if monday < date(2024, 11, 25) else "Priya Sharma"
            lines.append(_line(monday, "10:40", answerer, ANSWERS[ask]))
        if monday in MOVES:
            lines.append(_line(monday, "20:00", None, MOVES[monday]))
        tuesday = monday + timedelta(days=1)
        lines.append(_line(tuesday, "11:00", "Aditya Kulkarni",
                           f"Hiring: HR Executive (0-2 yrs), Pune. DM CV. Ref {week}"))  # fmt: skip
        if monday < date(2024, 9, 1):
            lines.append(_line(tuesday, "15:00", "+91 98450 12345",
                               "Hi all, Kiran here from a logistics firm, HR manager"))  # fmt: skip
            lines.append(_line(tuesday, "16:00", "Deepa Rao", "Thanks for adding me, glad to be here"))
            lines.append(_line(tuesday, "16:30", "Kiran Shah", "Good afternoon everyone"))
        wednesday = monday + timedelta(days=2)
        lines.append(_line(wednesday, "09:30", "Meena Iyer",
                           f"Reminder #{week}: the gratuity ceiling is 20 lakh now, update your "
                           "F&F calculators and check the new wage code definitions"))  # fmt: skip
        if week % 3 == 1:
            lines.append(_line(wednesday, "18:00", "Vikram Desai",
                               "Any leads for CHRO roles in Mumbai? My role was impacted last "
                               "week, 22 yrs in HR"))  # fmt: skip
    return "\n".join(lines) + "\n"


def settings_for(engine: Engine, days: int = 365) -> Settings:
    return Settings.from_env({"DATABASE_URL": str(engine.url), "LIFTBOT_SECRET_KEY": "pepper",
                              "LIFTBOT_RETENTION_DAYS": str(days)})  # fmt: skip


def import_chat(engine: Engine, tmp_path: Path, settings: Settings, name: str = "HR Circle") -> int:
    path = tmp_path / f"{name}.txt"
    path.write_text(two_years_of_chat(), encoding="utf-8")
    import_file(path, engine=engine, settings=settings, community=name, timezone="Asia/Kolkata")
    with session_scope(engine) as session:
        community = queries.community_named(session=session, name=name)
        assert community is not None and community.id is not None
        return community.id


def texts_before(engine: Engine, community_id: int, moment: datetime) -> int:
    """Messages sent before `moment` that still hold text (queried directly)."""
    with session_scope(engine) as session:
        query = select(func.count()).where(
            Message.community_id == community_id,  # type: ignore[arg-type]
            Message.sent_at < moment,  # type: ignore[arg-type,operator]
            Message.text != "",  # type: ignore[arg-type]
        )
        return int(session.execute(query).scalar_one())


def names(engine: Engine, community_id: int) -> dict[str, Member]:
    with session_scope(engine) as session:
        members = queries.members_of(session=session, community_id=community_id)
    return {m.display_name: m for m in members}


_TEXT_FIELDS = frozenset({"text", "excerpt", "nudge", "action", "helpers", "name"})


def figures(report: str) -> Any:
    """A JSON report without what is read from text or names: every count, level, time,
    topic, finding and sentence made of figures stays."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in _TEXT_FIELDS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(json.loads(report))


def old_report(engine: Engine, settings: Settings, fmt: str = "json") -> str:
    return report_output(engine, settings, community="HR Circle", week=OLD_WEEK, fmt=fmt, now=NOW)


def test_the_clock_erases_old_text_and_old_reports_keep_their_figures(
    engine: Engine, tmp_path: Path
) -> None:
    settings = settings_for(engine)
    community_id = import_chat(engine, tmp_path, settings)
    before = old_report(engine, settings)
    assert json.loads(before)["unanswered"], "the old week has an unanswered ask"
    assert texts_before(engine, community_id, CUTOFF) > 200

    done = run_due_jobs(engine, settings, RecordingSender(), NOW)

    assert texts_before(engine, community_id, CUTOFF) == 0
    assert texts_before(engine, community_id, NOW) > 150  # the last year keeps its text
    [line] = [d for d in done if d.startswith("retention HR Circle")]
    assert line.startswith("retention HR Circle: erased the text of ")
    assert line.endswith("and 2 departed members' names (older than 365 days)")
    after = old_report(engine, settings)
    assert figures(after) == figures(before)
    asks, earlier = json.loads(after)["unanswered"], json.loads(before)["unanswered"]
    assert [a["asker"] for a in asks] == [a["asker"] for a in earlier] == ["Ravi Kumar"]
    assert [a["text"] for a in asks] == ["(text erased after 365 days)"]
    assert [a["topic"] for a in asks] == [a["topic"] for a in earlier] == ["payroll and compliance"]
    text = old_report(engine, settings, "text")
    assert "(text erased after 365 days)" in text and "“”" not in text
    html = old_report(engine, settings, "html")
    assert "(text erased after 365 days)" in html and "Full message" not in html


def test_old_messages_keep_kinds_levels_and_answer_links(engine: Engine, tmp_path: Path) -> None:
    settings = settings_for(engine)
    community_id = import_chat(engine, tmp_path, settings)
    columns = (Message.id, Message.kind, Message.author_level, Message.answered,
               Message.first_answer_id, Message.first_response_minutes, Message.reply_to_id,
               Message.topic, Message.sent_at, Message.member_id)  # fmt: skip

    def judged() -> list[tuple[Any, ...]]:
        with session_scope(engine) as session:
            query = select(*columns).where(Message.community_id == community_id)  # type: ignore[arg-type]
            return [tuple(r) for r in session.execute(query.order_by(Message.id))]  # type: ignore[arg-type]

    kept = judged()
    run_due_jobs(engine, settings, RecordingSender(), NOW)
    assert judged() == kept
    with session_scope(engine) as session:
        reasons = session.execute(
            select(func.count()).where(Message.sent_at < CUTOFF, Message.kind_reason != "")  # type: ignore[arg-type,operator]
        ).scalar_one()
    assert reasons == 0  # a kind's reason quotes the message's words
    # A later export reaching into the erased weeks re-links that stretch: what was judged
    # from the erased text stands.
    late = tmp_path / "late.txt"
    late.write_text(_line(date(2024, 10, 1), "12:00", "Meena Iyer", "Good afternoon all") + "\n",
                    encoding="utf-8")  # fmt: skip
    import_file(late, engine=engine, settings=settings, community="HR Circle")
    assert judged()[: len(kept)] == kept


def test_departed_members_lose_their_names_once_gone_past_the_limit(
    engine: Engine, tmp_path: Path
) -> None:
    settings = settings_for(engine)
    community_id = import_chat(engine, tmp_path, settings)
    present = names(engine, community_id)
    assert present["Anil Mehta"].departed_at == datetime(2024, 12, 2, 14, 30, tzinfo=UTC)
    assert present["Deepa Rao"].departed_at is not None
    assert present["Kiran Shah"].departed_at is None  # removed, then added back
    phone = next(m for name, m in present.items() if name.startswith("+91"))
    assert phone.departed_at is not None

    run_due_jobs(engine, settings, RecordingSender(), NOW)

    after = names(engine, community_id)
    anil, gone_phone = present["Anil Mehta"], phone
    assert f"Former member #{anil.id}" in after and f"Former member #{gone_phone.id}" in after
    assert "Anil Mehta" not in after and phone.display_name not in after
    former = after[f"Former member #{anil.id}"]
    assert (former.level, former.title, former.level_reason) == (anil.level, None, "")
    # Left two months ago: the name stays until a year after they were last seen.
    assert "Deepa Rao" in after and "Kiran Shah" in after and "Priya Sharma" in after


def test_a_second_tick_and_the_next_day_find_nothing_left_to_erase(
    engine: Engine, tmp_path: Path
) -> None:
    settings = settings_for(engine)
    import_chat(engine, tmp_path, settings)
    first = run_due_jobs(engine, settings, RecordingSender(), NOW)
    assert any(line.startswith("retention HR Circle") for line in first)
    later = run_due_jobs(engine, settings, RecordingSender(), NOW + timedelta(minutes=1))
    assert not [line for line in later if line.startswith("retention")]
    assert run_retention(engine, settings, NOW + timedelta(hours=1)) == [
        "retention HR Circle: erased the text of 0 messages and 0 departed members' names "
        "(older than 365 days)",
        "retention: erased 0 webhook payloads and 0 bot posts older than 365 days",
    ]


def test_per_community_limits_one_at_30_days_one_off(engine: Engine, tmp_path: Path) -> None:
    settings = settings_for(engine, days=0)  # the deployment keeps text
    short = import_chat(engine, tmp_path, settings, "Short Memory")
    kept = import_chat(engine, tmp_path, settings, "Keeps Everything")
    with session_scope(engine) as session:
        for community_id, value in ((short, "30d"), (kept, "off")):
            community = session.get(Community, community_id)
            assert community is not None
            set_setting(session=session, community=community, settings=settings,
                        name="retention", raw=value)  # fmt: skip

    done = run_due_jobs(engine, settings, RecordingSender(), NOW)

    month = NOW - timedelta(days=30)
    assert texts_before(engine, short, month) == 0
    assert texts_before(engine, short, NOW) > 0
    assert texts_before(engine, kept, CUTOFF) > 200
    assert [line for line in done if line.startswith("retention")] == [
        line for line in done if line.startswith("retention Short Memory")
    ]


def test_a_moderators_correction_loses_its_copy_of_the_text(engine: Engine, tmp_path: Path) -> None:
    settings = settings_for(engine)
    community_id = import_chat(engine, tmp_path, settings)
    with session_scope(engine) as session:
        old = session.execute(
            select(Message).where(Message.community_id == community_id,  # type: ignore[arg-type]
                                  Message.kind == "gyaan").order_by(Message.sent_at)  # type: ignore[arg-type]
        ).scalars().first()
        assert old is not None
        queries.replace_correction(session=session, message=old, kind="other", corrected_by="mod")
    run_due_jobs(engine, settings, RecordingSender(), NOW)
    with session_scope(engine) as session:
        [correction] = session.execute(select(Correction)).scalars().all()
        assert correction.text == "" and correction.kind == "other"
        assert queries.corrections_of(session=session, community_id=community_id) == []


def _delivery(engine: Engine, event_id: str, received: datetime, state: InboxState) -> int:
    with session_scope(engine) as session:
        stored = inbox.store_once(session=session, source=InboxSource.SLACK_EVENT,
                                  event_id=event_id, payload='{"event": {"text": "secret"}}',
                                  now=received)  # fmt: skip
        if state is not InboxState.PENDING:
            session.execute(
                InboxEvent.__table__.update()  # type: ignore[attr-defined]
                .where(InboxEvent.id == stored.id)  # type: ignore[arg-type]
                .values(status=state.value, processed_at=received + timedelta(seconds=1))
            )
        return stored.id


def payloads(engine: Engine) -> dict[str, tuple[str, str]]:
    with session_scope(engine) as session:
        rows = session.execute(select(InboxEvent.event_id, InboxEvent.status, InboxEvent.payload))  # type: ignore[call-overload]
        return {e: (s, "kept" if p else "erased") for e, s, p in rows}


@pytest.mark.parametrize("days", [0, 365])
def test_processed_payloads_go_after_the_retry_window_pending_ones_stay(
    engine: Engine, days: int
) -> None:
    settings = settings_for(engine, days=days)
    with session_scope(engine) as session:
        session.add(Community(name="Anyone", platform="slack"))
    _delivery(engine, "done-2d", NOW - timedelta(days=2), InboxState.DONE)
    _delivery(engine, "done-1h", NOW - timedelta(hours=1), InboxState.DONE)
    _delivery(engine, "ignored-3d", NOW - timedelta(days=3), InboxState.IGNORED)
    _delivery(engine, "pending-3d", NOW - timedelta(days=3), InboxState.PENDING)
    _delivery(engine, "failed-2d", NOW - timedelta(days=2), InboxState.FAILED)
    _delivery(engine, "dead-2d", NOW - timedelta(days=2), InboxState.DEAD)
    _delivery(engine, "dead-400d", NOW - timedelta(days=400), InboxState.DEAD)

    done = run_due_jobs(engine, settings, RecordingSender(), NOW)

    old_dead = ("dropped", "erased") if days else ("dead", "kept")
    assert payloads(engine) == {
        "done-2d": ("done", "erased"), "done-1h": ("done", "kept"),
        "ignored-3d": ("ignored", "erased"), "pending-3d": ("pending", "kept"),
        "failed-2d": ("failed", "kept"), "dead-2d": ("dead", "kept"), "dead-400d": old_dead,
    }  # fmt: skip
    erased = 3 if days else 2
    assert f"retention: erased {erased} webhook payloads" in done[-1]


def test_old_bot_posts_lose_their_body_unsent_ones_keep_it(engine: Engine) -> None:
    settings = settings_for(engine)
    with session_scope(engine) as session:
        session.add(Community(name="Anyone", platform="slack"))
        for key, age, state in (("old-sent", 400, OutboxState.SENT),
                                ("old-pending", 400, OutboxState.PENDING),
                                ("new-sent", 10, OutboxState.SENT)):  # fmt: skip
            record_once(session=session, dedupe_key=key, platform="slack", destination="C1",
                        body="Meera asked: any POSH trainer?", now=NOW - timedelta(days=age),
                        state=state)  # fmt: skip
    run_due_jobs(engine, settings, RecordingSender(), NOW)
    with session_scope(engine) as session:
        bodies = dict(session.execute(select(Outbox.dedupe_key, Outbox.body)).all())  # type: ignore[call-overload]
    assert bodies == {"old-sent": "", "old-pending": "Meera asked: any POSH trainer?",
                      "new-sent": "Meera asked: any POSH trainer?"}  # fmt: skip


def test_forget_me_stays_immediate_under_retention(engine: Engine, tmp_path: Path) -> None:
    settings = settings_for(engine)
    community_id = import_chat(engine, tmp_path, settings)
    priya = names(engine, community_id)["Priya Sharma"]
    with session_scope(engine) as session:
        assert forget_member(session=session, community_id=community_id, key=priya.key) > 0
    with session_scope(engine) as session:
        left = session.execute(select(func.count()).where(Message.member_id == priya.id))  # type: ignore[arg-type]
        assert left.scalar_one() == 0 and session.get(Member, priya.id) is None
    run_due_jobs(engine, settings, RecordingSender(), NOW)
    assert "Priya Sharma" not in names(engine, community_id)


def test_a_dry_run_counts_and_erases_nothing(engine: Engine, tmp_path: Path) -> None:
    settings = settings_for(engine)
    community_id = import_chat(engine, tmp_path, settings)
    waiting = texts_before(engine, community_id, CUTOFF)
    lines = run_retention(engine, settings, NOW, community="HR Circle", dry_run=True)
    assert lines == [f"retention HR Circle: would erase the text of {waiting:,} messages and 2 "
                     "departed members' names (older than 365 days)"]  # fmt: skip
    assert texts_before(engine, community_id, CUTOFF) == waiting
    with pytest.raises(LookupError, match="no community named 'Nobody'"):
        run_retention(engine, settings, NOW, community="Nobody")
