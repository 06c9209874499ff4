"""Which platforms a process will serve, and why not: the one line `serve` and `clock` print first.

An operator who set four variables and sees nothing happen should not have to read code: each
platform is "on" with where it listens or posts, or "off" with the settings that are missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings


@dataclass(frozen=True)
class PlatformStatus:
    """One platform's state for this process."""

    name: str
    on: bool
    detail: str

    def __str__(self) -> str:
        return f"{self.name}: {'on' if self.on else 'off'} ({self.detail})"


def _missing(pairs: dict[str, str]) -> list[str]:
    return [name for name, value in pairs.items() if not value.strip()]


def _not_set(names: list[str]) -> str:
    return f"{', '.join(names)} not set"


def slack_for_web(settings: Settings) -> PlatformStatus:
    """Slack in `liftbot serve`: HTTP events, or Socket Mode with an app-level token."""
    if settings.slack_oauth:
        if not settings.slack_signing_secret:
            return PlatformStatus("Slack", False, _not_set(["SLACK_SIGNING_SECRET"]))
        return PlatformStatus(
            "Slack",
            True,
            "many workspaces: install at /slack/install, events and /lift at /slack/events",
        )
    if not settings.slack_bot_token:
        return PlatformStatus("Slack", False, _not_set(["SLACK_BOT_TOKEN"]))
    if settings.slack_app_token:
        return PlatformStatus("Slack", True, "Socket Mode, SLACK_APP_TOKEN set")
    if not settings.slack_signing_secret:
        why = _not_set(["SLACK_SIGNING_SECRET"]) + " (or set SLACK_APP_TOKEN for Socket Mode)"
        return PlatformStatus("Slack", False, why)
    return PlatformStatus("Slack", True, "events and /lift at /slack/events")


def whatsapp_for_web(settings: Settings) -> PlatformStatus:
    """WhatsApp in `liftbot serve`: Twilio's signed webhooks need the credentials and public URL."""
    missing = _missing(
        {
            "TWILIO_ACCOUNT_SID": settings.twilio_account_sid,
            "TWILIO_AUTH_TOKEN": settings.twilio_auth_token,
            "LIFTBOT_PUBLIC_BASE_URL": settings.public_base_url,
        }
    )
    if missing:
        return PlatformStatus("WhatsApp", False, _not_set(missing))
    base = settings.public_base_url
    detail = f"webhooks at {base}/twilio/whatsapp and {base}/twilio/status"
    if not settings.twilio_whatsapp_from:
        detail += "; replies only, no messages of its own: LIFTBOT_TWILIO_WHATSAPP_FROM not set"
    return PlatformStatus("WhatsApp", True, detail)


def slack_for_clock(settings: Settings) -> PlatformStatus:
    """Slack in `liftbot clock`: nudges in threads, report and digest in the admin channel."""
    if settings.slack_oauth:
        fallback = settings.slack_admin_channel or "none"
        why = (
            "each installed workspace with its own token: report and digest to its channel "
            f"(else {fallback}), nudges in threads"
        )
        return PlatformStatus("Slack", True, why)
    if not settings.slack_bot_token:
        return PlatformStatus("Slack", False, _not_set(["SLACK_BOT_TOKEN"]))
    if not settings.slack_admin_channel:
        why = "nudges in threads; no report or digest: LIFTBOT_SLACK_ADMIN_CHANNEL not set"
        return PlatformStatus("Slack", True, why)
    channel = settings.slack_admin_channel
    return PlatformStatus("Slack", True, f"report and digest to {channel}, nudges in threads")


def whatsapp_for_clock(settings: Settings) -> PlatformStatus:
    """WhatsApp in `liftbot clock`: posts go privately to the moderators' numbers."""
    missing = _missing(
        {
            "TWILIO_ACCOUNT_SID": settings.twilio_account_sid,
            "TWILIO_AUTH_TOKEN": settings.twilio_auth_token,
            "LIFTBOT_TWILIO_WHATSAPP_FROM": settings.twilio_whatsapp_from,
        }
    )
    if missing:
        return PlatformStatus("WhatsApp", False, _not_set(missing))
    count = len(settings.whatsapp_moderators)
    if not count:
        why = "nobody to send to: LIFTBOT_WHATSAPP_MODERATORS not set"
        return PlatformStatus("WhatsApp", False, why)
    who = f"{count} moderator{'s' if count != 1 else ''}"
    return PlatformStatus("WhatsApp", True, f"report, digest and nudges to {who} privately")


def exports_for_clock(settings: Settings) -> PlatformStatus:
    """Exported groups in `liftbot clock`: the moderators' WhatsApp, else a folder of files."""
    if whatsapp_for_clock(settings).on:
        return PlatformStatus("Exported groups", True, "report and digest to the same moderators")
    if settings.report_dir:
        return PlatformStatus(
            "Exported groups", True, f"report and digest as files in {settings.report_dir}"
        )
    why = "LIFTBOT_REPORT_DIR not set, nor Twilio with LIFTBOT_WHATSAPP_MODERATORS"
    return PlatformStatus("Exported groups", False, why)


def startup_line(statuses: list[PlatformStatus]) -> str:
    """The statuses in one line: "Slack: on (…); WhatsApp: off (… not set)"."""
    return "; ".join(str(status) for status in statuses)


def web_startup_line(settings: Settings) -> str:
    """What `liftbot serve` listens for."""
    return startup_line([slack_for_web(settings), whatsapp_for_web(settings)])


def clock_startup_line(settings: Settings) -> str:
    """What `liftbot clock` posts where."""
    return startup_line(
        [slack_for_clock(settings), whatsapp_for_clock(settings), exports_for_clock(settings)]
    )
