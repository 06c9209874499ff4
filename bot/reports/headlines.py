"""Week over week: the headline numbers over the last four weeks, and the findings in plain words.

Small samples are said as counts ("3 of 4"), never as percentages (actions.SAMPLE_FLOOR).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from bot.domain import Level
from bot.reports.actions import MEMBER_FLOOR, SAMPLE_FLOOR, count_share
from bot.reports.contents import Headline, LevelHelp, Share, format_minutes

TREND_WEEKS = 4
BUSINESS_MEDIAN = "median_first_response_business"
MESSAGE_FLOOR = 20  # fewer member messages than this: the mix is said in counts


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
        "median_first_response_business": overall.business_median_minutes,
        "broadcast_pct": 100.0 * broadcast / total if total else None,
        "unanswered": float(total_open),
    }


# Which way is good: more unanswered requests is bad even though the number went up.
GOOD_DIRECTION = {
    "messages": "up",
    "help_requests": "",
    "answered_pct": "up",
    "median_first_response": "down",
    "median_first_response_business": "down",
    "broadcast_pct": "down",
    "unanswered": "down",
}

# The share answered is computed from the week's requests, the median from its answered ones.
_SAMPLED: dict[str, Callable[[LevelHelp], int]] = {
    "answered_pct": lambda x: x.asked,
    "median_first_response": lambda x: x.answered,
    "median_first_response_business": lambda x: x.answered,
}

HEADLINE_LABELS = {
    "messages": ("Member messages", ""),
    "help_requests": ("Help requests", ""),
    "answered_pct": ("Requests answered", "%"),
    "median_first_response": ("Median first response", "min"),
    "median_first_response_business": ("Median first response, business hours", "min"),
    "broadcast_pct": ("Job posts + gyaan share", "%"),
    "unanswered": ("Still unanswered", ""),
}


def week_headlines(
    kinds: Mapping[str, int],
    overall: LevelHelp,
    total_open: int,
    earlier: Sequence[Mapping[str, float | None]],
    *,
    business: bool = False,
) -> tuple[Headline, ...]:
    """This week's headline numbers with the weeks before (`earlier`: from headline_values,
    oldest first, last week last); the business-hours median only where business hours are set."""
    now = headline_values(kinds, overall, total_open)
    previous = earlier[-1] if earlier else {}
    return tuple(
        Headline(
            key,
            label,
            now[key],
            previous.get(key),
            unit,
            history=(*(week.get(key) for week in earlier), now[key]),
            better=GOOD_DIRECTION[key],
            sample=_SAMPLED[key](overall) if key in _SAMPLED else None,
        )
        for key, (label, unit) in HEADLINE_LABELS.items()
        if business or key != BUSINESS_MEDIAN
    )


def week_findings(
    mix: Sequence[Share],
    job_levels: Sequence[Share],
    member_levels: Sequence[Share],
    overall: LevelHelp,
    *,
    resolution_tracked: bool = False,
) -> tuple[str, ...]:
    """The week in a few plain sentences: the mix, the level imbalance, how help requests fared."""
    by_kind = {s.key: s for s in mix}
    total = sum(s.count for s in mix)
    if not total:
        return ()
    broadcast = by_kind["job_post"].count + by_kind["gyaan"].count
    asks = by_kind["help_request"].count
    if total < MESSAGE_FLOOR:
        mix_line = (
            f"{broadcast} of {total} member messages were job posts or gyaan; "
            f"{asks} {'was a help request' if asks == 1 else 'were help requests'}."
        )
    else:
        mix_line = (
            f"Job posts and gyaan were {100 * broadcast / total:.0f}% of member messages; "
            f"help requests {100 * asks / total:.0f}%."
        )
    lines = [mix_line]
    imbalance = imbalance_sentence(job_levels, member_levels)
    if imbalance:
        lines.append(imbalance)
    if not overall.asked:
        return tuple(lines)  # the report's one line about it is "No help requests this week."
    requests = "help request" if overall.asked == 1 else "help requests"
    line = f"{overall.asked} {requests}, {count_share(overall.answered, overall.asked)} answered"
    if resolution_tracked:
        line += f", {overall.resolved} resolved"
    if overall.median_minutes is not None:
        line += f", median first response {format_minutes(overall.median_minutes)}"
        if overall.business_median_minutes is not None:
            line += f" ({format_minutes(overall.business_median_minutes)} in business hours)"
    lines.append(line + ".")
    return tuple(lines)


def imbalance_sentence(job_levels: Sequence[Share], member_levels: Sequence[Share]) -> str | None:
    """Which level most job posts target, beside how senior the members are; None if unknown.

    Each half is withheld below its floor: a share of 2 people says nothing about a group.
    """
    known_jobs = [s for s in job_levels if s.key != Level.UNKNOWN and s.count]
    job_total = sum(s.count for s in job_levels)
    known_members = sum(s.count for s in member_levels if s.key != Level.UNKNOWN)
    if not known_jobs:
        return None
    top = max(known_jobs, key=lambda s: s.count)
    if job_total < SAMPLE_FLOOR:
        jobs = f"{top.count} of {job_total} job posts were {top.key} roles"
    else:
        jobs = f"{100 * top.count / job_total:.0f}% of job posts were {top.key} roles"
    if known_members < MEMBER_FLOOR:
        return f"{jobs}."
    upper = sum(s.count for s in member_levels if s.key in (Level.SENIOR, Level.EXECUTIVE))
    unknown = sum(s.count for s in member_levels if s.key == Level.UNKNOWN)
    qualifier = f" with a known level ({known_members})" if unknown else ""
    return (
        f"{jobs}; {100 * upper / known_members:.0f}% of members{qualifier} are senior or executive."
    )
