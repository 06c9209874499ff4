"""Render a WeeklyReport as files: one self-contained HTML page, JSON and CSV."""

from __future__ import annotations

import base64
import csv
import dataclasses
import io
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.reports.actions import MEMBER_FLOOR, SAMPLE_FLOOR, days_label
from bot.reports.chart import render_chart
from bot.reports.contents import WeeklyReport, format_minutes
from bot.reports.render import (
    CHART_ALT,
    KIND_LABELS,
    NO_REQUESTS,
    change_label,
    percent,
    period_label,
    show_value,
)
from bot.text import formula_safe, safe_url, strip_bidi

TEMPLATES = Path(__file__).parent / "templates"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(member=strip_bidi, pct=percent, minutes=format_minutes, url=safe_url)
    return env


def render_html(report: WeeklyReport, chart_png: bytes | None = None) -> str:
    """One self-contained page (chart embedded as a data: URL), readable on a phone; a week
    without help requests has no chart."""
    png = render_chart(report) if chart_png is None else chart_png
    template = _environment().get_template("report.html")
    return template.render(
        report=report,
        period=period_label(report),
        chart=base64.b64encode(png).decode("ascii") if png else None,
        chart_alt=CHART_ALT,
        no_requests=NO_REQUESTS,
        trends=[(h, show_value(h, h.value), change_label(h)) for h in report.headlines],
        show=show_value,
        kind_labels=KIND_LABELS,
        member_levels={s.key: s for s in report.member_levels},
        job_total=sum(s.count for s in report.job_levels),
        known_members=sum(s.count for s in report.member_levels if s.key != "unknown"),
        sample_floor=SAMPLE_FLOOR,
        member_floor=MEMBER_FLOOR,
        days=days_label,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str):
        return strip_bidi(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def render_json(report: WeeklyReport) -> str:
    """The whole report as JSON (UTC ISO timestamps, percentages 0-100)."""
    data = dataclasses.asdict(report)
    data["week"] = report.week.label
    data["title"] = report.title
    for entry, level in zip(data["help_by_level"], report.help_by_level, strict=True):
        entry.update(answered_pct=level.answered_pct, resolved_pct=level.resolved_pct)
    data["help_overall"].update(
        answered_pct=report.help_overall.answered_pct,
        resolved_pct=report.help_overall.resolved_pct,
    )
    for entry, headline in zip(data["headlines"], report.headlines, strict=True):
        entry.update(change=headline.change, verdict=headline.verdict)
    return json.dumps(_plain(data), ensure_ascii=False, indent=2)


def csv_cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return formula_safe("" if value is None else strip_bidi(str(value)))


def _csv_rows(report: WeeklyReport) -> Iterator[tuple[object, ...]]:
    week = report.week.label
    for h in report.headlines:
        yield week, "headline", h.label, "value", h.value
        yield week, "headline", h.label, "last_week", h.previous
        yield week, "headline", h.label, "verdict", h.verdict
        for label, past in zip(report.trend_weeks, h.history, strict=False):
            yield week, "trend", h.label, label, past
    if report.gap:
        yield week, "gap", "", "sentence", report.gap
    for s in report.mix:
        yield week, "mix", KIND_LABELS.get(s.key, s.key), "messages", s.count
    for s in report.job_levels:
        yield week, "job_posts_by_role_level", s.key, "job_posts", s.count
    for s in report.member_levels:
        yield week, "members_by_level", s.key, "members", s.count
    metrics: tuple[str, ...] = ("asked", "answered", "resolved", "median_minutes", "p90_minutes")
    yield week, "response_times", "", "basis", report.response_time_basis
    if report.business_hours:
        yield week, "response_times", "", "business_hours", report.business_hours
        metrics += ("business_median_minutes", "business_p90_minutes")
    for x in (*report.help_by_level, report.help_overall):
        for metric in metrics if report.resolution_tracked else _without("resolved", metrics):
            yield week, "help_by_asker_level", x.level, metric, getattr(x, metric)
    for r in report.unanswered:
        helpers = "; ".join(f"{h.name} ({h.reason})" for h in r.helpers)
        values: tuple[tuple[str, object], ...] = (
            ("asker", r.asker),
            ("level", r.level),
            ("age_hours", round(r.age_hours, 1)),
            ("age_days", r.age_days),
            ("link", r.permalink),
            ("latest_activity", r.latest_activity_at.isoformat() if r.latest_activity_at else None),
            ("text", r.excerpt),
            ("might_know", helpers),
            ("action", r.action),
            ("nudge", r.nudge),
        )
        for metric, value in values:
            yield week, "unanswered", r.reference, metric, value
    for c in (*report.connectors, *report.broadcasters):
        for metric in ("level", "helped", "gyaan", "job_posts"):
            yield week, "contributors", c.name, metric, getattr(c, metric)


def _without(name: str, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(n for n in names if n != name)


def render_csv(report: WeeklyReport) -> str:
    """The report as long-format CSV (week, section, item, metric, value), formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("week", "section", "item", "metric", "value"))
    for row in _csv_rows(report):
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()
