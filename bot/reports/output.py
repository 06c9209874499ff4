"""The one way every entry point builds a report: `/lift report`, WhatsApp's `report`, the Slack
upload reply, the import summary, `liftbot report` and the clock.

Each picks the community and week here and builds through `build_report`, so every report lists
who might know the answer to each open request (bot.pipeline.suggestions).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import ConfigError, Settings
from bot.pipeline.communities import choose_community
from bot.pipeline.community_config import config_for
from bot.pipeline.suggestions import suggest_for_message
from bot.reports.contents import WeeklyReport
from bot.reports.files import render_csv, render_html, render_json
from bot.reports.render import render_blocks, render_text
from bot.reports.weekly import HelperSuggester, ReportError, build_weekly_report
from bot.reports.weeks import IsoWeek
from storage import queries
from storage.db import session_scope

FORMATS = ("text", "json", "html", "csv", "blocks")


def pick_week(label: str | None, latest: datetime | None, zone: ZoneInfo, now: datetime) -> IsoWeek:
    """`2026-W47`, `latest` (the week of the newest message) or, by default, last complete week."""
    if label is None:
        return IsoWeek.last_complete(now, zone)
    if label.strip().lower() == "latest":
        if latest is None:
            raise ReportError("this community has no messages yet, so there is no latest week")
        return IsoWeek.containing(latest, zone)
    return IsoWeek.parse(label)


@dataclass(frozen=True, slots=True)
class WeekChoice:
    """The week a report covers, and why when it is not the one asked for."""

    week: IsoWeek
    note: str | None = None


def choose_week(
    session: Session,
    community_id: int,
    label: str | None,
    zone: ZoneInfo,
    now: datetime,
) -> WeekChoice:
    """`pick_week`, except that by default a week without messages gives way to the latest week
    that has some (right after an import the data is rarely from last week), saying so."""
    latest = queries.latest_message_at(session=session, community_id=community_id)
    week = pick_week(label, latest, zone, now)
    if label is not None or latest is None:
        return WeekChoice(week)
    start, end = week.bounds(zone)
    if queries.count_member_messages(session=session, community_id=community_id, start=start,
                                     end=end):  # fmt: skip
        return WeekChoice(week)
    newest = IsoWeek.containing(latest, zone)
    if newest == week:
        return WeekChoice(week)
    return WeekChoice(
        newest,
        f"{week.label} has no messages, so this report is for {newest.label}, the latest week "
        f"with data (ask for another by its label, e.g. {newest.previous().label}).",
    )


def build_report(
    session: Session,
    settings: Settings,
    community_id: int,
    week: IsoWeek,
    *,
    now: datetime | None = None,
    suggest: HelperSuggester = suggest_for_message,
) -> WeeklyReport:
    """A community's report for one week, with helper suggestions for its open requests.

    `suggest` is the community's own routing; tests may pass a stand-in, nobody passes none.
    """
    return build_weekly_report(session, community_id, week, settings, suggest=suggest, now=now)


def report_for(
    session: Session,
    settings: Settings,
    *,
    community: str | None,
    week: str | None,
    now: datetime,
) -> WeeklyReport:
    """The report for one community (by name) and week (by label), built in the caller's session."""
    try:
        chosen = choose_community(session=session, name=community, settings=settings)
    except ConfigError as exc:
        raise ReportError(str(exc)) from exc
    assert chosen.id is not None
    zone = config_for(session=session, community=chosen, settings=settings).zone
    choice = choose_week(session, chosen.id, week, zone, now)
    report = build_report(session, settings, chosen.id, choice.week, now=now)
    return replace(report, week_note=choice.note)


def report_output(
    engine: Engine,
    settings: Settings,
    *,
    community: str | None,
    week: str | None,
    fmt: str,
    now: datetime,
) -> str:
    """The report for one community and week, rendered as `fmt` (one of FORMATS)."""
    if fmt not in FORMATS:
        raise ReportError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    with session_scope(engine) as session:
        report = report_for(session, settings, community=community, week=week, now=now)
    if fmt == "json":
        return render_json(report)
    if fmt == "html":
        return render_html(report)
    if fmt == "csv":
        return render_csv(report)
    if fmt == "blocks":
        return json.dumps(render_blocks(report), ensure_ascii=False, indent=2)
    return "\n\n".join(render_text(report)) + "\n"


def text_report(
    session: Session, settings: Settings, *, community: str | None, week: str | None, now: datetime
) -> str:
    """The report as chat text (chunks joined by a blank line), built in the caller's session."""
    report = report_for(session, settings, community=community, week=week, now=now)
    return "\n\n".join(render_text(report))
