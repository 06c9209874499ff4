"""Render a WeeklyReport as chat text (WhatsApp, terminal) or Slack Block Kit messages.

File formats (HTML, JSON, CSV) are in files.py, the chart in chart.py; character rules in
bot/text.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.reports.contents import (
    Headline,
    LevelHelp,
    OpenRequest,
    Share,
    WeeklyReport,
    format_minutes,
)
from bot.text import (
    WHATSAPP_BODY_UNITS,
    safe_url,
    slack_escape,
    split_lines,
    strip_bidi,
    utf16_length,
)

SLACK_SECTION_CHARS = 3_000
SLACK_MAX_BLOCKS = 50
SLACK_MESSAGE_CHARS = 12_000  # Slack rejects block messages well below 40k (msg_blocks_too_long)
SLACK_HEADER_CHARS = 150

KIND_LABELS = {
    "job_post": "Job posts",
    "help_request": "Help requests",
    "gyaan": "Gyaan",
    "other": "Other",
}


@dataclass(frozen=True, slots=True)
class Style:
    """How one chat platform marks up member text, emphasis and links."""

    member: Callable[[str], str]
    link: Callable[[str, str], str]


TEXT_STYLE = Style(member=strip_bidi, link=lambda url, label: f"{label} {url}")
SLACK_STYLE = Style(
    member=lambda s: slack_escape(strip_bidi(s)),
    link=lambda url, label: f"<{url}|{label}>",
)


def percent(value: float | None) -> str:
    """`71%`, or an em dash when there is nothing to divide."""
    return "—" if value is None else f"{value:.0f}%"


def sections(report: WeeklyReport, style: Style) -> list[tuple[str, list[str]]]:
    """The report as (heading, lines), shared by every chat renderer."""
    return [
        ("Findings", [f"• {style.member(line)}" for line in report.findings]),
        (f"Mix of {report.member_messages:,} member messages", _mix_lines(report.mix)),
        ("Job posts by role level · members by level", _level_lines(report)),
        ("Help requests by asker level", _help_lines(report.help_by_level, report.help_overall)),
        (_unanswered_heading(report), _unanswered_lines(report.unanswered, style)),
        ("Real connectors: substantive help given", _contributor_lines(report, style)),
        ("Week over week", [_headline_line(h) for h in report.headlines]),
    ]


def _mix_lines(mix: Sequence[Share]) -> list[str]:
    return [f"• {KIND_LABELS.get(s.key, s.key)}: {s.count:,} ({percent(s.percent)})" for s in mix]


def _level_lines(report: WeeklyReport) -> list[str]:
    members = {s.key: s for s in report.member_levels}
    lines = []
    for jobs in report.job_levels:
        people = members.get(jobs.key)
        count, share = (people.count, people.percent) if people else (0, None)
        lines.append(
            f"• {jobs.key}: job posts {jobs.count} ({percent(jobs.percent)})"
            f" · members {count} ({percent(share)})"
        )
    return lines


def _help_lines(levels: Sequence[LevelHelp], overall: LevelHelp) -> list[str]:
    if not overall.asked:
        return ["• No help requests this week."]
    return [
        f"• {x.level}: {x.asked} asked, {percent(x.answered_pct)} answered, "
        f"{percent(x.resolved_pct)} resolved, first response median "
        f"{format_minutes(x.median_minutes)}, p90 {format_minutes(x.p90_minutes)}"
        for x in (*levels, overall)
        if x.asked
    ]


def _unanswered_heading(report: WeeklyReport) -> str:
    shown = len(report.unanswered)
    more = f", {shown} shown" if report.unanswered_total > shown else ""
    return (
        f"Still unanswered after {report.unanswered_after_hours} h "
        f"({report.unanswered_total}{more})"
    )


def _unanswered_lines(requests: Sequence[OpenRequest], style: Style) -> list[str]:
    if not requests:
        return ["• Every request got an answer."]
    lines: list[str] = []
    for r in requests:
        where = style.member(r.reference)
        url = safe_url(r.permalink)
        if url:
            where = style.link(url, where)
        lines.append(
            f"• {style.member(r.asker)} ({r.level}), {r.age_hours:.0f} h old: "
            f"“{style.member(r.excerpt)}” — {where}"
        )
        if r.helpers:
            names = "; ".join(
                f"{style.member(h.name)} ({style.member(h.reason)})" for h in r.helpers
            )
            lines.append(f"   might know: {names}")
    return lines


def _contributor_lines(report: WeeklyReport, style: Style) -> list[str]:
    lines = [
        f"• {style.member(c.name)} ({c.level}): helped {c.helped} · "
        f"gyaan {c.gyaan} · job posts {c.job_posts}"
        for c in report.connectors
    ] or ["• Nobody gave a substantive answer this week."]
    if report.broadcasters:
        lines.append("Posting, not helping:")
        lines += [
            f"• {style.member(c.name)} ({c.level}): gyaan {c.gyaan} · job posts {c.job_posts}"
            for c in report.broadcasters
        ]
    return lines


def _headline_line(h: Headline) -> str:
    def show(v: float | None) -> str:
        if v is None:
            return "—"
        if h.unit == "min":
            return format_minutes(v)
        return f"{v:.0f}{h.unit}" if h.unit else f"{v:,.0f}"

    change = h.change
    if change is None:
        trend = "no comparison"
    elif abs(change) < 0.5:
        trend = "unchanged"
    else:
        unit = " pts" if h.unit == "%" else (" min" if h.unit == "min" else "")
        trend = f"{'▲' if change > 0 else '▼'} {abs(change):,.0f}{unit}"
    return f"• {h.label}: {show(h.value)} (last week {show(h.previous)}; {trend})"


def period_label(report: WeeklyReport) -> str:
    """`16 Nov – 22 Nov 2026 (Asia/Kolkata)`: the local days the week covers."""
    zone = ZoneInfo(report.timezone)
    first = report.start.astimezone(zone).date()
    last = report.end.astimezone(zone).date() - timedelta(days=1)
    return f"{first:%d %b} – {last:%d %b %Y} ({report.timezone})"


def render_text(report: WeeklyReport) -> list[str]:
    """Plain chat text in chunks of at most 1,600 characters (WhatsApp, terminal).

    Whole sections go together when they fit, so a chunk rarely starts mid-list.
    """
    parts = [[f"*{strip_bidi(report.title)}*", period_label(report)]]
    parts += [[f"*{heading}*", *body] for heading, body in sections(report, TEXT_STYLE)]
    chunks: list[str] = []
    for part in parts:
        for piece in split_lines(part):
            joined = f"{chunks[-1]}\n\n{piece}" if chunks else piece
            if chunks and utf16_length(joined) <= WHATSAPP_BODY_UNITS:
                chunks[-1] = joined
            else:
                chunks.append(piece)
    return chunks


def render_blocks(report: WeeklyReport, chart_url: str | None = None) -> list[list[dict[str, Any]]]:
    """Slack Block Kit messages (≤ 50 blocks, sections ≤ 3,000 characters), mentions escaped."""
    title = strip_bidi(report.title)[:SLACK_HEADER_CHARS]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title, "emoji": True}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": period_label(report)}]},
    ]
    url = safe_url(chart_url)
    if url:
        blocks.append({"type": "image", "image_url": url, "alt_text": "Answer rate and mix"})
    for heading, body in sections(report, SLACK_STYLE):
        blocks.append({"type": "divider"})
        lines = [f"*{slack_escape(heading)}*", *body]
        for text in split_lines(lines, SLACK_SECTION_CHARS, len):
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    return _pack(blocks)


def _pack(blocks: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    messages: list[list[dict[str, Any]]] = [[]]
    size = 0
    for block in blocks:
        block_size = len(str(block))
        full = len(messages[-1]) >= SLACK_MAX_BLOCKS or size + block_size > SLACK_MESSAGE_CHARS
        if messages[-1] and full:
            messages.append([])
            size = 0
        if not (block["type"] == "divider" and not messages[-1]):
            messages[-1].append(block)
            size += block_size
    return messages
