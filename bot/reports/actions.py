"""What the admin should do this week: open requests in the order to chase them, a helper to tag
(or an honest "no obvious helper"), a nudge ready to paste, and the gap in one sentence.

Pure functions over report data; weekly.py calls them while building the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain import HelperSuggestion, Level
from bot.reports.contents import LevelHelp, OpenRequest, format_minutes
from bot.text import strip_bidi

SAMPLE_FLOOR = 5
"""Below this many requests a share is given as "n of N", never as a percentage."""

MEMBER_FLOOR = 10
"""Below this many members with a known level, the report says nothing about the level mix."""

NUDGE_EXCERPT_CHARS = 120

_PLURALS = {
    Level.EXECUTIVE.value: "executives",
    Level.SENIOR.value: "seniors",
    Level.MID.value: "mid-level members",
    Level.JUNIOR.value: "juniors",
    Level.UNKNOWN.value: "members of unknown level",
}


def level_rank(level: str) -> int:
    """Executive highest; an unrecognised level ranks with unknown."""
    try:
        return Level(level).rank
    except ValueError:
        return Level.UNKNOWN.rank


def chase_order(requests: Sequence[OpenRequest]) -> tuple[OpenRequest, ...]:
    """Most senior asker first, then the oldest request first."""
    return tuple(sorted(requests, key=lambda r: (-level_rank(r.level), r.sent_at, r.message_id)))


def named_first(helpers: Sequence[HelperSuggestion]) -> tuple[HelperSuggestion, ...]:
    """Members the admin can tag by name before members known only by a (masked) number."""
    return tuple(sorted(helpers, key=lambda h: is_masked_number(h.name)))


def is_masked_number(name: str) -> bool:
    """True for a name shown as a masked phone number (`+91••••••6655`)."""
    return "•" in name or name.lstrip("+").replace(" ", "").isdigit()


def local_when(moment: datetime, zone: ZoneInfo) -> str:
    """`Tue 18 Nov 10:42`, joined by no-break spaces so a phone never breaks it mid-date."""
    return f"{moment.astimezone(zone):%a %d %b %H:%M}".replace(" ", "\u00a0")


def days_label(days: int) -> str:
    """`1 day`, `3 days`; `under a day` for 0."""
    if days <= 0:
        return "under a day"
    return f"{days} day{'s' * (days != 1)}"


def action_line(helpers: Sequence[HelperSuggestion], topic: str | None) -> str:
    """`Tag Priya: answered 3 POSH questions`, or who to ask when nobody stands out."""
    if helpers:
        best = helpers[0]
        reason = strip_bidi(best.reason).strip()
        return f"Tag {best.name}: {reason}" if reason else f"Tag {best.name}"
    if topic:
        return f"No obvious helper — ask the group's {topic} people"
    return "No obvious helper — ask the group"


def nudge_text(asker: str, when: str, excerpt: str, helpers: Sequence[HelperSuggestion],
               topic: str | None) -> str:  # fmt: skip
    """A message the admin can paste into the group to get the request answered."""
    quoted = excerpt if len(excerpt) <= NUDGE_EXCERPT_CHARS else _cut(excerpt)
    ask = f"{asker} asked on {when.replace(chr(0xA0), ' ')}: “{quoted}”"
    named = [h.name for h in helpers if not is_masked_number(h.name)][:2]
    if named:
        who = " and ".join(f"@{name}" for name in named)
        return f"{ask} {who}, could you share what worked for you?"
    if topic:
        return f"{ask} Anyone here who has handled {topic}: could you help?"
    return f"{ask} Can anyone here help?"


def _cut(text: str) -> str:
    head = text[: NUDGE_EXCERPT_CHARS - 1].rsplit(" ", 1)[0]
    return (head or text[: NUDGE_EXCERPT_CHARS - 1]) + "…"


def count_share(part: int, whole: int) -> str:
    """`8 (47%)`; just `0` below the sample floor, where a percentage would mislead."""
    if whole < SAMPLE_FLOOR:
        return f"{part}"
    return f"{part} ({100 * part / whole:.0f}%)"


def gap_sentence(levels: Sequence[LevelHelp]) -> str | None:
    """`Executives: 0 of 2 answered; juniors: 1 of 1 in 9 min.`, most senior first (with the
    business-hours median beside the wall-clock one where business hours are set)."""
    asked = sorted((x for x in levels if x.asked), key=lambda x: -level_rank(x.level))
    if not asked:
        return None
    parts = []
    for x in asked:
        part = f"{_PLURALS.get(x.level, x.level)}: {x.answered} of {x.asked} answered"
        if x.answered and x.median_minutes is not None:
            typical = " in" if x.answered == 1 else ", median"
            part += f"{typical} {format_minutes(x.median_minutes)}"
            if x.business_median_minutes is not None:
                part += f" ({format_minutes(x.business_median_minutes)} business)"
        parts.append(part)
    sentence = "; ".join(parts) + "."
    return sentence[0].upper() + sentence[1:]
