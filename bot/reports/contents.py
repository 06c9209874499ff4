"""What a weekly report holds: frozen data, built once by weekly.py and read by every renderer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import HelperSuggestion, Kind, Level
from bot.reports.weeks import IsoWeek

LEVEL_ORDER: tuple[str, ...] = (*(lvl.value for lvl in Level.known()), Level.UNKNOWN.value)
KIND_ORDER: tuple[str, ...] = tuple(kind.value for kind in Kind)


@dataclass(frozen=True, slots=True)
class Share:
    """A count and its share of a whole, in percent (0 when the whole is empty)."""

    key: str
    count: int
    percent: float


@dataclass(frozen=True, slots=True)
class LevelHelp:
    """How help requests of askers at one level fared."""

    level: str
    asked: int
    answered: int
    resolved: int
    median_minutes: float | None
    p90_minutes: float | None
    # Measured in business hours; None when the community has none set (or nothing answered).
    business_median_minutes: float | None = None
    business_p90_minutes: float | None = None

    @property
    def answered_pct(self) -> float | None:
        """Share answered, in percent; None without requests."""
        return 100.0 * self.answered / self.asked if self.asked else None

    @property
    def resolved_pct(self) -> float | None:
        """Share resolved, in percent; None without requests."""
        return 100.0 * self.resolved / self.asked if self.asked else None


@dataclass(frozen=True, slots=True)
class OpenRequest:
    """A help request nobody has answered yet."""

    message_id: int
    asker: str
    level: str
    sent_at: datetime
    age_hours: float
    permalink: str | None
    reference: str  # "2026-11-18 10:42 · Meera", for platforms without links
    excerpt: str
    helpers: tuple[HelperSuggestion, ...]  # named members first, phone-only ones after
    age_days: int = 0  # whole days waiting, as of the report's `as_of`
    when: str = ""  # "Tue 18 Nov 10:42": local time, the way a chat shows it
    text: str = ""  # the full message (bounded), for HTML details and the JSON
    topic: str | None = None  # "POSH", "payroll and compliance": what it is about, when known
    action: str = ""  # "Tag Priya: answered 3 POSH questions" or "No obvious helper — ask …"
    nudge: str = ""  # ready to paste into the group
    latest_activity_at: datetime | None = None  # its thread's newest message (bump, follow-up)
    latest_when: str = ""  # that moment in local time, "" when nothing came after the request


@dataclass(frozen=True, slots=True)
class Contributor:
    """A member's week: substantive help given next to what they broadcast."""

    name: str
    level: str
    helped: int
    gyaan: int
    job_posts: int


@dataclass(frozen=True, slots=True)
class Headline:
    """A headline number with last week's value."""

    key: str
    label: str
    value: float | None
    previous: float | None
    unit: str  # "", "%" or "min"
    history: tuple[float | None, ...] = ()  # the last weeks, oldest first, this week last
    better: str = ""  # "up", "down", or "" when neither direction is good or bad
    sample: int | None = None  # how many requests a share or time is computed from

    @property
    def verdict(self) -> str | None:
        """`better`, `worse` or `unchanged` against last week (`up`/`down` for a number that is
        neither good nor bad); None without both weeks."""
        change = self.change
        if change is None or self.previous is None:
            return None
        # Noise is not news: a point of a share, or 5% of a count or a time, reads as unchanged.
        noise = 1.0 if self.unit == "%" else max(0.5, 0.05 * abs(self.previous))
        if abs(change) < noise:
            return "unchanged"
        if not self.better:
            return "up" if change > 0 else "down"
        return "better" if (change > 0) == (self.better == "up") else "worse"

    @property
    def change(self) -> float | None:
        """This week minus last week; None when either is missing."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True, slots=True)
class WeeklyReport:
    """Everything a weekly report says, ready for any renderer."""

    community: str
    timezone: str
    week: IsoWeek
    start: datetime
    end: datetime
    as_of: datetime
    unanswered_after_hours: int
    member_messages: int
    mix: tuple[Share, ...]
    job_levels: tuple[Share, ...]
    member_levels: tuple[Share, ...]
    help_by_level: tuple[LevelHelp, ...]
    help_overall: LevelHelp
    unanswered: tuple[OpenRequest, ...]
    unanswered_total: int
    connectors: tuple[Contributor, ...]
    broadcasters: tuple[Contributor, ...]
    headlines: tuple[Headline, ...]
    findings: tuple[str, ...]
    gap: str | None = None  # "Executives: 0 of 2 answered; juniors: 1 of 1 in 9 min."
    resolution_tracked: bool = False  # resolved counts mean something only when True
    trend_weeks: tuple[str, ...] = ()  # labels of Headline.history, oldest first
    week_note: str | None = None  # why this week was chosen, when it was not the one asked for
    business_hours: str | None = None  # "mon-fri 09:00-18:00" when set; None: around the clock
    response_time_basis: str = "wall_clock"  # or "wall_clock_and_business"
    response_time_note: str = ""  # which clock the response times are on, in words

    @property
    def title(self) -> str:
        """`HR Leaders Circle · week 2026-W47`."""
        return f"{self.community} · week {self.week.label}"


def format_minutes(minutes: float | None) -> str:
    """`45 min`, `3.2 h`, `2.1 d`; an em dash when unknown."""
    if minutes is None:
        return "—"
    if minutes < 90:
        return f"{minutes:.0f} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} h"
    return f"{minutes / 1440:.1f} d"
