"""Week over week: the headline numbers beside last week's, and the findings in plain words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.config import Settings
from bot.domain import Level
from bot.reports.contents import Headline, LevelHelp, Share, format_minutes


def headline_values(
    kinds: Mapping[str, int], overall: LevelHelp, total_open: int
) -> dict[str, float | None]:
    """One week's headline numbers by key (see HEADLINE_LABELS)."""
    total = sum(kinds.values())
    broadcast = kinds.get("job_post", 0) + kinds.get("gyaan", 0)
    return {
        "messages": float(total),
        "help_requests": float(overall.asked),
        "answered_pct": overall.answered_pct,
        "median_first_response": overall.median_minutes,
        "broadcast_pct": 100.0 * broadcast / total if total else None,
        "unanswered": float(total_open),
    }


HEADLINE_LABELS = {
    "messages": ("Member messages", ""),
    "help_requests": ("Help requests", ""),
    "answered_pct": ("Requests answered", "%"),
    "median_first_response": ("Median first response", "min"),
    "broadcast_pct": ("Job posts + gyaan share", "%"),
    "unanswered": ("Still unanswered", ""),
}


def week_headlines(
    kinds: Mapping[str, int],
    overall: LevelHelp,
    total_open: int,
    previous: Mapping[str, float | None],
) -> tuple[Headline, ...]:
    """This week's headline numbers, each beside last week's (`previous`, from headline_values)."""
    now = headline_values(kinds, overall, total_open)
    return tuple(
        Headline(key, label, now[key], previous.get(key), unit)
        for key, (label, unit) in HEADLINE_LABELS.items()
    )


def week_findings(
    mix: Sequence[Share],
    job_levels: Sequence[Share],
    member_levels: Sequence[Share],
    overall: LevelHelp,
    total_open: int,
    settings: Settings,
) -> tuple[str, ...]:
    """The week in a few plain sentences: the mix, the level imbalance, how help requests fared."""
    by_kind = {s.key: s for s in mix}
    if not sum(s.count for s in mix):
        return ("Members wrote nothing this week.",)
    broadcast = by_kind["job_post"].percent + by_kind["gyaan"].percent
    lines = [
        f"Job posts and gyaan were {broadcast:.0f}% of member messages; "
        f"help requests {by_kind['help_request'].percent:.0f}%."
    ]
    imbalance = imbalance_sentence(job_levels, member_levels)
    if imbalance:
        lines.append(imbalance)
    if overall.asked:
        lines.append(
            f"{overall.asked} help requests: {overall.answered_pct:.0f}% answered, "
            f"{overall.resolved_pct:.0f}% resolved, median first response "
            f"{format_minutes(overall.median_minutes)}."
        )
    else:
        lines.append("Nobody asked for help this week.")
    if total_open:
        lines.append(
            f"{total_open} requests still unanswered after {settings.unanswered_after_hours} h."
        )
    return tuple(lines)


def imbalance_sentence(job_levels: Sequence[Share], member_levels: Sequence[Share]) -> str | None:
    """Which level most job posts target, beside how senior the members are; None if unknown."""
    known_jobs = [s for s in job_levels if s.key != Level.UNKNOWN and s.count]
    job_total = sum(s.count for s in job_levels)
    known_members = sum(s.count for s in member_levels if s.key != Level.UNKNOWN)
    if not known_jobs or not known_members:
        return None
    top = max(known_jobs, key=lambda s: s.count)
    upper = sum(s.count for s in member_levels if s.key in (Level.SENIOR, Level.EXECUTIVE))
    unknown = sum(s.count for s in member_levels if s.key == Level.UNKNOWN)
    qualifier = " with a known level" if unknown else ""
    return (
        f"{100 * top.count / job_total:.0f}% of job posts were {top.key} roles; "
        f"{100 * upper / known_members:.0f}% of members{qualifier} are senior or executive."
    )
