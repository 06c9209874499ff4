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

from bot.reports.actions import (
    MEMBER_FLOOR,
    SAMPLE_FLOOR,
    action_line,
    count_share,
    days_label,
)
from bot.reports.contents import (
    Headline,
    OpenRequest,
    Share,
    WeeklyReport,
    format_minutes,
)
from bot.reports.weekly import excerpt
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

CHART_ALT = "Help requests answered, by asker level"

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
    bold: Callable[[str], str] = lambda s: f"*{s}*"
    nudges: bool = (
        False  # a ready-to-paste nudge per open request (for groups the bot cannot tag in)
    )
    excerpt_chars: int = 280


TEXT_STYLE = Style(member=strip_bidi, link=lambda url, label: f"{label} {url}", nudges=True)
SLACK_STYLE = Style(
    member=lambda s: slack_escape(strip_bidi(s)),
    link=lambda url, label: f"<{url}|{label}>",
)


def percent(value: float | None) -> str:
    """`71%`, or an em dash when there is nothing to divide."""
    return "—" if value is None else f"{value:.0f}%"


def sections(report: WeeklyReport, style: Style) -> list[tuple[str, list[str]]]:
    """The report as (heading, items), action first, shared by every chat renderer.

    An item may span lines; renderers never split one across messages.
    """
    if not report.help_overall.asked and not report.unanswered_total:
        if not report.member_messages:
            return [("This week", [NO_REQUESTS])]
        head = [("This week", [NO_REQUESTS])]
    else:
        head = [(_do_this_heading(report), _do_this_items(report, style))]
        if report.gap:
            head.append(("The gap", [report.gap]))
    evidence = [
        ("Findings", [f"• {style.member(line)}" for line in report.findings]),
        (f"Trends, last {len(report.trend_weeks) or 2} weeks", trend_lines(report, style)),
        ("Help requests by asker level", help_lines(report)),
        ("Real connectors: substantive help given", _contributor_lines(report, style)),
        (f"Mix of {report.member_messages:,} member messages", _mix_lines(report.mix)),
        ("Job posts by role level · members by level", _level_lines(report)),
    ]
    return head + [(heading, items) for heading, items in evidence if items]


NO_REQUESTS = "No help requests this week."


def _do_this_heading(report: WeeklyReport) -> str:
    shown, total = len(report.unanswered), report.unanswered_total
    if not total:
        return "This week, do this"
    waiting = f"{total} request{'s' * (total != 1)} waiting over {report.unanswered_after_hours} h"
    return f"This week, do this ({waiting}, most senior and oldest first)" + (
        f" · {shown} shown" if total > shown else ""
    )


def _do_this_items(report: WeeklyReport, style: Style) -> list[str]:
    if not report.unanswered:
        return [
            f"Nothing to chase: no help request waited over {report.unanswered_after_hours} h "
            "without an answer."
        ]
    return [_item(number, r, style) for number, r in enumerate(report.unanswered, start=1)]


def _item(number: int, r: OpenRequest, style: Style) -> str:
    when = style.member(r.when or r.reference)
    url = safe_url(r.permalink)
    if url:
        when = style.link(url, when)
    if r.latest_when:
        when += f" · last activity {r.latest_when}"
    lines = [
        f"{number}. {style.bold(style.member(r.asker))} ({r.level}) · waiting "
        f"{days_label(r.age_days)} · {when}",
        f"   “{style.member(excerpt(r.text or r.excerpt, style.excerpt_chars))}”",
        f"   → {style.member(r.action or action_line(r.helpers, r.topic))}",
    ]
    others = r.helpers[1:]
    if others:
        names = "; ".join(_helper(h.name, h.reason, style) for h in others)
        lines.append(f"   also might know: {names}")
    if style.nudges and r.nudge:
        lines.append(f"   paste in the group: {style.member(r.nudge)}")
    return "\n".join(lines)


def _helper(name: str, reason: str, style: Style) -> str:
    reason = reason.strip()
    return f"{style.member(name)} ({style.member(reason)})" if reason else style.member(name)


def trend_lines(report: WeeklyReport, style: Style) -> list[str]:
    """One line per headline: this week, the change coloured better/worse, the weeks before."""
    return [_trend_line(h, style) for h in report.headlines]


VERDICT_MARKS = {"better": "🟢 better", "worse": "🔴 worse", "unchanged": "unchanged"}


def _trend_line(h: Headline, style: Style) -> str:
    value = show_value(h, h.value)
    if h.sample is not None and h.value is not None:
        value += f" (n={h.sample})"
    verdict = h.verdict
    if verdict is None:
        trend = "no comparison"
    elif verdict == "unchanged":
        trend = "about the same"
    else:
        mark = VERDICT_MARKS.get(verdict, "")
        trend = " ".join(part for part in (mark, change_label(h)) if part)
    weeks = ", ".join(show_value(h, v) for v in h.history)
    history = f" · {len(h.history)} wks: {weeks}" if len(h.history) > 2 else ""
    return f"• {h.label}: {value} — {trend}{history}"


def show_value(h: Headline, v: float | None) -> str:
    """A headline value in its unit: `61%`, `45 min`, `1,200`; an em dash when unknown."""
    if v is None:
        return "—"
    if h.unit == "min":
        return format_minutes(v)
    return f"{v:.0f}{h.unit}" if h.unit else f"{v:,.0f}"


def change_label(h: Headline) -> str:
    """`▲ 20`, `▼ 9 pts`, `▼ 15 min`; empty when unchanged or unknown."""
    change = h.change
    if change is None or h.verdict == "unchanged":
        return ""
    unit = " pts" if h.unit == "%" else (" min" if h.unit == "min" else "")
    return f"{'▲' if change > 0 else '▼'} {abs(change):,.0f}{unit}"


def help_lines(report: WeeklyReport) -> list[str]:
    """Per asker level: answered (a count below the sample floor), resolved where tracked, times."""
    if not report.help_overall.asked:
        return []
    lines = []
    for x in (*report.help_by_level, report.help_overall):
        if not x.asked:
            continue
        line = f"• {x.level}: {x.asked} asked, {count_share(x.answered, x.asked)} answered"
        if report.resolution_tracked:
            line += f", {x.resolved} resolved"
        if x.median_minutes is not None:
            line += f", first response median {_times(x.median_minutes, x.business_median_minutes)}"
            if x.answered >= SAMPLE_FLOOR:
                line += f", p90 {_times(x.p90_minutes, x.business_p90_minutes)}"
        lines.append(line)
    if report.response_time_note and report.help_overall.median_minutes is not None:
        lines.append(report.response_time_note)
    return lines


def _times(wall: float | None, business: float | None) -> str:
    """`2.5 d`, or `2.5 d (1.5 h business)` when business hours are set."""
    shown = format_minutes(wall)
    return f"{shown} ({format_minutes(business)} business)" if business is not None else shown


def _mix_lines(mix: Sequence[Share]) -> list[str]:
    if not sum(s.count for s in mix):
        return []
    return [f"• {KIND_LABELS.get(s.key, s.key)}: {s.count:,} ({percent(s.percent)})" for s in mix]


def _level_lines(report: WeeklyReport) -> list[str]:
    members = {s.key: s for s in report.member_levels}
    known = sum(s.count for s in report.member_levels if s.key != "unknown")
    jobs_total = sum(s.count for s in report.job_levels)
    lines = []
    for jobs in report.job_levels:
        people = members.get(jobs.key)
        count = people.count if people else 0
        if not (jobs.count or count):
            continue
        job_share = f" ({percent(jobs.percent)})" if jobs_total >= SAMPLE_FLOOR else ""
        share = f" ({percent(people.percent)})" if people and known >= MEMBER_FLOOR else ""
        lines.append(f"• {jobs.key}: job posts {jobs.count}{job_share} · members {count}{share}")
    return lines


def _contributor_lines(report: WeeklyReport, style: Style) -> list[str]:
    if not report.member_messages:
        return []
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


def period_label(report: WeeklyReport) -> str:
    """`16 Nov – 22 Nov 2026 (Asia/Kolkata)`: the local days the week covers."""
    zone = ZoneInfo(report.timezone)
    first = report.start.astimezone(zone).date()
    last = report.end.astimezone(zone).date() - timedelta(days=1)
    return f"{first:%d %b} – {last:%d %b %Y} ({report.timezone})"


def render_text(report: WeeklyReport) -> list[str]:
    """Plain chat text in messages of at most 1,600 UTF-16 units (WhatsApp, terminal).

    Messages are numbered "(1/3)" when there are several; an item is never split across two.
    """
    head = [f"*{strip_bidi(report.title)}*", period_label(report)]
    if report.week_note:
        head.append(f"_{report.week_note}_")
    units = [("\n".join(head), True)]
    for heading, items in sections(report, TEXT_STYLE):
        units.append((f"*{heading}*\n{items[0]}", True))
        units += [(item, False) for item in items[1:]]
    return number_chunks(pack(units, WHATSAPP_BODY_UNITS - NUMBERING_UNITS))


NUMBERING_UNITS = 10  # "(12/12) " and a little room


def pack(units: Sequence[tuple[str, bool]], limit: int) -> list[str]:
    """Join (text, starts_a_section) units into chunks of at most `limit` units, never splitting a
    unit unless it alone is too long; sections are separated by a blank line."""
    chunks: list[str] = []
    for text, new_section in units:
        for piece in (
            [text] if utf16_length(text) <= limit else split_lines(text.split("\n"), limit)
        ):
            glue = "\n\n" if new_section else "\n"
            joined = f"{chunks[-1]}{glue}{piece}" if chunks else piece
            if chunks and utf16_length(joined) <= limit:
                chunks[-1] = joined
            else:
                chunks.append(piece)
    return chunks


def number_chunks(chunks: Sequence[str]) -> list[str]:
    """`(1/3) …` on each message when there is more than one."""
    if len(chunks) < 2:
        return list(chunks)
    return [f"({i}/{len(chunks)}) {chunk}" for i, chunk in enumerate(chunks, start=1)]


def render_blocks(report: WeeklyReport, chart_url: str | None = None) -> list[list[dict[str, Any]]]:
    """Slack Block Kit messages (≤ 50 blocks, sections ≤ 3,000 characters), mentions escaped."""
    title = strip_bidi(report.title)[:SLACK_HEADER_CHARS]
    context = period_label(report)
    if report.week_note:
        context += f" · {slack_escape(report.week_note)}"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title, "emoji": True}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": context}]},
    ]
    url = safe_url(chart_url)
    if url:
        blocks.append({"type": "image", "image_url": url, "alt_text": CHART_ALT})
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
