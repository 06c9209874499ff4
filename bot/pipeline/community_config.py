"""A community's settings: the deployment's defaults with what its moderators chose on top.

Moderators change them with `/lift config <name> <value>` (the same words on WhatsApp) and reset
one with `/lift config <name> default`; `config_for` is the one place the clock, reports and
commands read them from. Values are stored as the words moderators type, checked here before
anything is stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, time
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.config import ConfigError, Settings, validate_zone
from bot.domain import Platform
from storage import queries
from storage.tables import Community, Member

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_ABBREVIATIONS = {day[:3]: index for index, day in enumerate(WEEKDAYS)}
_DAY_GROUPS = {
    "weekdays": frozenset(range(5)),
    "daily": frozenset(range(7)),
    "everyday": frozenset(range(7)),
    "every-day": frozenset(range(7)),
}
_ALIASES = {"time-zone": "timezone", "zone": "timezone"}
_HOURS = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*([ap]m)?$")
_DURATION = re.compile(r"^(\d{1,4})\s*(h|hours?|d|days?)?$")
_SLACK_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$|^([CG][A-Z0-9]{6,})$")


class SettingError(ConfigError):
    """A setting value that cannot be used; the message says what is expected."""


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """Working days (0 = Monday), opening and closing time, and days off."""

    days: frozenset[int]
    opens: time
    closes: time
    holidays: frozenset[date] = frozenset()

    def describe(self) -> str:
        """Words a moderator would type, e.g. `mon-fri 09:00-18:00`."""
        closes = "24:00" if self.closes == time.max else f"{self.closes:%H:%M}"
        return f"{_describe_days(self.days)} {self.opens:%H:%M}-{closes}"


@dataclass(frozen=True, slots=True)
class CommunityConfig:
    """Everything the clock and the reports need to know about one community's schedule."""

    timezone: str
    report_weekday: int
    report_hour: int
    digest_hour: int
    quiet_hours: tuple[int, int] | None  # None: never quiet
    nudge_after_hours: int
    unanswered_after_hours: int
    business_hours: BusinessHours | None  # None: around the clock
    retention_days: int | None  # None: kept until forgotten
    admin_channel: str  # Slack channel id for reports; empty: the deployment's
    holidays: frozenset[date] = frozenset()  # kept even while business hours are off

    @property
    def zone(self) -> ZoneInfo:
        """The community's time zone."""
        return ZoneInfo(self.timezone)


def default_config(settings: Settings, community: Community | None = None) -> CommunityConfig:
    """The deployment's defaults (LIFTBOT_* settings), in the community's own time zone."""
    return CommunityConfig(
        timezone=(community.timezone if community is not None else "") or settings.timezone,
        report_weekday=settings.report_weekday,
        report_hour=settings.report_hour,
        digest_hour=settings.digest_hour,
        quiet_hours=settings.quiet_hours if settings.quiet_hours[0] != settings.quiet_hours[1]
        else None,
        nudge_after_hours=settings.nudge_after_hours,
        unanswered_after_hours=settings.unanswered_after_hours,
        business_hours=None,
        retention_days=settings.retention_days or None,
        admin_channel=settings.slack_admin_channel,
    )  # fmt: skip


def config_for(*, session: Session, community: Community, settings: Settings) -> CommunityConfig:
    """The community's settings: its moderators' choices over the deployment's defaults."""
    assert community.id is not None
    chosen = queries.community_settings(session=session, community_id=community.id)
    return apply_choices(default_config(settings, community), chosen)


def apply_choices(base: CommunityConfig, chosen: Mapping[str, str]) -> CommunityConfig:
    """`base` with each stored choice applied; a stored value no longer valid is skipped."""
    config = base
    for name, setting in SETTINGS.items():  # in SETTINGS' order: holidays after business hours
        raw = chosen.get(name)
        if raw is None:
            continue
        try:
            config = setting.apply(config, raw)
        except SettingError:
            continue
    return config


def setting_named(name: str) -> _Setting:
    """The setting a moderator means (`report_day` and `Report-Day` are `report-day`)."""
    key = name.strip().lower().replace("_", "-")
    found = SETTINGS.get(_ALIASES.get(key, key))
    if found is None:
        raise SettingError(f"There is no setting '{name[:30]}'. Settings: {', '.join(SETTINGS)}")
    return found


def set_setting(
    *, session: Session, community: Community, settings: Settings, name: str, raw: str, by: str = ""
) -> str:
    """Check and store one setting (`default` resets it); the reply says what it is now.

    Everything is checked before anything is written, so a refused value leaves no trace.
    """
    setting = setting_named(name)
    assert community.id is not None
    value = " ".join(raw.split())
    if not value:
        raise SettingError(f"Say a value, like `config {setting.name} {setting.example}`.")
    if setting.name == "channel" and community.platform != Platform.SLACK.value:
        raise SettingError("channel applies to Slack communities only.")
    reset = value.lower() == "default"
    if setting.name == "timezone":
        # The zone lives on the community itself: the importer and the week boundaries read it.
        zone = settings.timezone if reset else _zone(value)
        community.timezone = zone
        session.add(community)
    elif reset:
        queries.drop_community_setting(
            session=session, community_id=community.id, name=setting.name
        )
    else:
        setting.apply(config_for(session=session, community=community, settings=settings), value)
        queries.put_community_setting(
            session=session, community_id=community.id, name=setting.name, value=value, by=by
        )
    now = config_for(session=session, community=community, settings=settings)
    return f"{setting.name}: {setting.show(now)}"


def grant_moderator(*, session: Session, member: Member, on: bool) -> None:
    """Make a member a moderator of their community (`moderator @member`), or stop (`off`).

    The grant is the member row's `is_moderator`; both platforms' moderator checks honour it
    beside the deployment's lists (LIFTBOT_MODERATORS, LIFTBOT_WHATSAPP_MODERATORS).
    """
    member.is_moderator = on
    session.add(member)


def describe(
    config: CommunityConfig, defaults: CommunityConfig | None = None, *, platform: str = "slack"
) -> str:
    """One line per setting, as `/lift config` shows them; `(default)` where nothing was chosen.

    `channel` is shown to Slack communities only: nothing else posts to a channel.
    """
    lines = []
    for s in SETTINGS.values():
        if s.name == "channel" and platform != Platform.SLACK.value:
            continue
        shown = s.show(config)
        same = defaults is not None and s.show(defaults) == shown
        lines.append(f"• {s.name}: {shown}{' (default)' if same else ''}")
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class _Setting:
    name: str
    example: str
    apply: Callable[[CommunityConfig, str], CommunityConfig]
    show: Callable[[CommunityConfig], str]


def _hour_minute(raw: str) -> tuple[int, int] | None:
    """`9`, `09:30`, `9.30`, `6pm`, `12am` as (hour, minute) on a 24-hour clock; None otherwise."""
    match = _HOURS.match(raw.strip().lower())
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    return (hour, minute) if hour <= 24 and minute <= 59 else None


def _hour(raw: str) -> int:
    found = _hour_minute(raw)
    if found is None or found[0] > 23 or found[1]:
        raise SettingError(f"'{raw[:20]}' is not an hour: say 0 to 23, like 9 or 18")
    return found[0]


def _clock_time(raw: str) -> time:
    found = _hour_minute(raw)
    if found is None or (found[0] == 24 and found[1]):
        raise SettingError(f"'{raw[:20]}' is not a time of day: say it like 09:00 or 18:30")
    return time.max if found == (24, 0) else time(*found)


def _hours(raw: str, what: str) -> int:
    match = _DURATION.match(raw.strip().lower())
    if not match:
        raise SettingError(f"{what} must be a number of hours, like 4h or 24")
    amount = int(match[1]) * (24 if (match[2] or "h").startswith("d") else 1)
    if amount < 1:
        raise SettingError(f"{what} must be at least one hour")
    return amount


def _weekday(raw: str) -> int:
    found = _DAY_ABBREVIATIONS.get(raw.strip().lower()[:3])
    if found is None:
        raise SettingError(f"'{raw[:20]}' is not a day of the week: say monday … sunday")
    return found


def _days(raw: str) -> frozenset[int]:
    named = _DAY_GROUPS.get(raw.strip().lower())
    if named is not None:
        return named
    days: set[int] = set()
    for part in raw.lower().split(","):
        first, _, last = part.strip().partition("-")
        start = _weekday(first)
        end = _weekday(last) if last else start
        days.update((start + step) % 7 for step in range((end - start) % 7 + 1))
    return frozenset(days)


def _describe_days(days: frozenset[int]) -> str:
    """`mon-fri`, `sun-thu` (a week may wrap), `mon,wed,fri`: runs of three or more as ranges."""
    if len(days) == 7:
        return "mon-sun"
    # Start after a day off so that a run wrapping past Sunday stays one run.
    first = next(d for d in range(7) if (d - 1) % 7 not in days and d in days)
    runs: list[list[int]] = []
    for step in range(7):
        day = (first + step) % 7
        if day not in days:
            continue
        if runs and (runs[-1][-1] + 1) % 7 == day:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        f"{WEEKDAYS[run[0]][:3]}-{WEEKDAYS[run[-1]][:3]}"
        if len(run) > 2
        else ",".join(WEEKDAYS[d][:3] for d in run)
        for run in runs
    )


def _business_hours(config: CommunityConfig, raw: str) -> CommunityConfig:
    if raw.strip().lower() in ("off", "none", "always"):
        return replace(config, business_hours=None)
    words = _dashes(raw).split()
    if len(words) != 2 or "-" not in words[1]:
        raise SettingError("business-hours takes days and hours, like mon-fri 09:00-18:00 (or off)")
    opens, closes = (_clock_time(part) for part in words[1].partition("-")[::2])
    if closes <= opens:
        raise SettingError("business hours must close after they open, like 09:00-18:00")
    hours = BusinessHours(days=_days(words[0]), opens=opens, closes=closes)
    return replace(config, business_hours=replace(hours, holidays=config.holidays))


def _holidays(config: CommunityConfig, raw: str) -> CommunityConfig:
    if raw.strip().lower() in ("none", "off"):
        days: set[date] = set()
    else:
        days = {_date(part) for part in raw.replace(" ", ",").split(",") if part.strip()}
    chosen = frozenset(days)
    hours = config.business_hours and replace(config.business_hours, holidays=chosen)
    return replace(config, holidays=chosen, business_hours=hours)


def _date(raw: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise SettingError(f"'{raw[:20]}' is not a date: say it like 2026-12-25") from exc


def _dashes(raw: str) -> str:
    """Phones turn `-` into en or em dashes; ranges read the same either way."""
    return raw.replace("\u2013", "-").replace("\u2014", "-")


def _quiet(config: CommunityConfig, raw: str) -> CommunityConfig:
    if raw.strip().lower() in ("off", "none"):
        return replace(config, quiet_hours=None)
    start, _, end = _dashes(raw).replace(" ", "").partition("-")
    if not end:
        raise SettingError("quiet-hours takes two hours, like 21-8 (or off)")
    quiet = (_hour(start), _hour(end))
    if quiet[0] == quiet[1]:
        raise SettingError("quiet hours must start and end at different hours, like 21-8 (or off)")
    return replace(config, quiet_hours=quiet)


def _retention(config: CommunityConfig, raw: str) -> CommunityConfig:
    if raw.strip().lower() in ("off", "none", "forever"):
        return replace(config, retention_days=None)
    match = _DURATION.match(raw.strip().lower())
    if not match or (match[2] or "d")[0] != "d" or int(match[1]) < 1:
        raise SettingError("retention takes a number of days, like 365d (or off)")
    return replace(config, retention_days=int(match[1]))


def _channel(config: CommunityConfig, raw: str) -> CommunityConfig:
    match = _SLACK_CHANNEL.match(raw.strip())
    if not match:
        raise SettingError("channel takes a Slack channel, like #hr-admins")
    return replace(config, admin_channel=match[1] or match[2])


def _hours_shown(hours: int) -> str:
    return f"{hours} h"


def _show_holidays(config: CommunityConfig) -> str:
    if not config.holidays:
        return "none"
    shown = ", ".join(d.isoformat() for d in sorted(config.holidays))
    return shown if config.business_hours else f"{shown} (count once business hours are set)"


SETTINGS: dict[str, _Setting] = {
    s.name: s
    for s in (
        _Setting("timezone", "Asia/Kolkata",
                 lambda c, r: replace(c, timezone=_zone(r)), lambda c: c.timezone),
        _Setting("report-day", "monday",
                 lambda c, r: replace(c, report_weekday=_weekday(r)),
                 lambda c: WEEKDAYS[c.report_weekday]),
        _Setting("report-hour", "9",
                 lambda c, r: replace(c, report_hour=_hour(r)), lambda c: f"{c.report_hour}:00"),
        _Setting("digest-hour", "18",
                 lambda c, r: replace(c, digest_hour=_hour(r)), lambda c: f"{c.digest_hour}:00"),
        _Setting("quiet-hours", "21-8", _quiet,
                 lambda c: f"{c.quiet_hours[0]}:00-{c.quiet_hours[1]}:00" if c.quiet_hours
                 else "off"),
        _Setting("nudge-after", "4h",
                 lambda c, r: replace(c, nudge_after_hours=_hours(r, "nudge-after")),
                 lambda c: _hours_shown(c.nudge_after_hours)),
        _Setting("unanswered-after", "24h",
                 lambda c, r: replace(c, unanswered_after_hours=_hours(r, "unanswered-after")),
                 lambda c: _hours_shown(c.unanswered_after_hours)),
        _Setting("business-hours", "mon-fri 09:00-18:00", _business_hours,
                 lambda c: c.business_hours.describe() if c.business_hours
                 else "off (response times around the clock)"),
        _Setting("holidays", "2026-12-25,2027-01-26", _holidays, _show_holidays),
        _Setting("retention", "365d", _retention,
                 lambda c: f"{c.retention_days} days" if c.retention_days else "off (kept)"),
        _Setting("channel", "#hr-admins", _channel,
                 lambda c: f"<#{c.admin_channel}>" if c.admin_channel else "not set"),
    )
}  # fmt: skip


def _zone(raw: str) -> str:
    try:
        return validate_zone(raw.strip(), "time zone")
    except ConfigError as exc:
        raise SettingError(str(exc)) from exc
