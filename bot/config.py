"""Settings: the only reader of the environment (and of the `.env` file beside it)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from storage.db import DEFAULT_DATABASE_URL

ENV_FILE = ".env"
# manifest.yml's bot scopes; `incoming-webhook` lets an installer choose the admin channel.
DEFAULT_SLACK_SCOPES = (
    "channels:history",
    "groups:history",
    "im:history",
    "chat:write",
    "commands",
    "users:read",
    "reactions:read",
    "files:read",
    "app_mentions:read",
    "channels:read",
    "incoming-webhook",
)


class ConfigError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


def _switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be 1 or 0 (on or off), got {raw!r}")


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in env.get(name, "").split(",") if part.strip())


def validate_zone(name: str, source: str = "time zone") -> str:
    """`name` if it is an IANA time zone; else ConfigError naming `source` (a setting or option)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ConfigError(
            f"{source} {name!r} is not an IANA time zone name (like Asia/Kolkata or Europe/London)"
        ) from exc
    return name


def process_environment(env_file: Path | None = None) -> dict[str, str]:
    """The process environment over the `.env` file of the working directory.

    The environment wins: a setting exported in the shell or by the host overrides the same
    line in `.env`, so one file can hold defaults while a deployment sets what differs.
    """
    path = Path(ENV_FILE) if env_file is None else env_file
    from_file = dotenv_values(path) if path.is_file() else {}
    merged = {name: value for name, value in from_file.items() if value is not None}
    merged.update(os.environ)
    return merged


@dataclass(frozen=True)
class Settings:
    """Every setting Liftbot reads, with defaults that work on a laptop."""

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = ""
    timezone: str = "Asia/Kolkata"
    community: str = "default"
    max_import_bytes: int = 200 * 1024 * 1024
    max_body_bytes: int = 1024 * 1024
    moderators: tuple[str, ...] = field(default_factory=tuple)
    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_app_token: str = ""
    slack_api_url: str = "https://slack.com/api/"
    slack_command: str = "/lift"
    slack_admin_channel: str = ""
    slack_resolve_reaction: str = "white_check_mark"
    slack_community: str = ""  # empty: LIFTBOT_COMMUNITY
    slack_team_ids: tuple[str, ...] = field(default_factory=tuple)  # empty: any workspace
    slack_app_id: str = ""  # empty: any app id
    # OAuth v2 (installable in many workspaces) when both are set; else the one SLACK_BOT_TOKEN.
    slack_client_id: str = ""
    slack_client_secret: str = ""
    slack_scopes: tuple[str, ...] = DEFAULT_SLACK_SCOPES
    slack_token_rotation: bool = False  # the Slack app issues expiring tokens with refresh tokens
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_api_url: str = ""
    twilio_whatsapp_from: str = ""
    twilio_template_sid: str = ""
    whatsapp_community: str = ""  # empty: the default community
    whatsapp_moderators: tuple[str, ...] = field(default_factory=tuple)  # E.164 numbers
    public_base_url: str = ""
    report_dir: str = ""  # exported groups' reports and digests as files here (empty: none)
    report_weekday: int = 0  # Monday
    report_hour: int = 9
    digest_hour: int = 18
    nudge_after_hours: int = 4
    quiet_hours: tuple[int, int] = (21, 8)
    unanswered_after_hours: int = 24
    nudge_max_age_hours: int = 72
    bot_posts_per_100: int = 3
    job_max_attempts: int = 5
    retention_days: int = 0  # 0: message text kept until a member asks to be forgotten
    # `serve` processes stored webhook deliveries itself, in the background, unless a separate
    # `liftbot worker` does (LIFTBOT_INLINE_PROCESSING=0).
    inline_processing: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from an environment mapping (default: the environment over `.env`)."""
        env = process_environment() if env is None else env
        quiet = _list(env, "LIFTBOT_QUIET_HOURS") or ("21", "8")
        if len(quiet) != 2 or not all(q.isdigit() and int(q) < 24 for q in quiet):
            raise ConfigError("LIFTBOT_QUIET_HOURS must be two hours like '21,8'")
        weekday = _int(env, "LIFTBOT_REPORT_WEEKDAY", 0)
        if not 0 <= weekday <= 6:
            raise ConfigError("LIFTBOT_REPORT_WEEKDAY must be 0 (Monday) to 6 (Sunday)")
        return cls(
            database_url=env.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL,
            inline_processing=_switch(env, "LIFTBOT_INLINE_PROCESSING", True),
            secret_key=env.get("LIFTBOT_SECRET_KEY", "").strip(),
            timezone=validate_zone(
                env.get("LIFTBOT_TIMEZONE", "").strip() or "Asia/Kolkata", "LIFTBOT_TIMEZONE"
            ),
            community=env.get("LIFTBOT_COMMUNITY", "").strip() or "default",
            max_import_bytes=_int(env, "LIFTBOT_MAX_IMPORT_BYTES", 200 * 1024 * 1024),
            max_body_bytes=_int(env, "LIFTBOT_MAX_BODY_BYTES", 1024 * 1024),
            moderators=_list(env, "LIFTBOT_MODERATORS"),
            slack_bot_token=env.get("SLACK_BOT_TOKEN", ""),
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET", ""),
            slack_app_token=env.get("SLACK_APP_TOKEN", ""),
            slack_api_url=env.get("SLACK_API_URL", "").strip() or "https://slack.com/api/",
            slack_command=env.get("LIFTBOT_SLACK_COMMAND", "").strip() or "/lift",
            slack_admin_channel=env.get("LIFTBOT_SLACK_ADMIN_CHANNEL", ""),
            slack_resolve_reaction=env.get("LIFTBOT_RESOLVE_REACTION", "").strip()
            or "white_check_mark",
            slack_community=env.get("LIFTBOT_SLACK_COMMUNITY", "").strip(),
            slack_team_ids=_list(env, "LIFTBOT_SLACK_TEAM_IDS"),
            slack_app_id=env.get("LIFTBOT_SLACK_APP_ID", "").strip(),
            slack_client_id=env.get("SLACK_CLIENT_ID", "").strip(),
            slack_client_secret=env.get("SLACK_CLIENT_SECRET", "").strip(),
            slack_scopes=_list(env, "LIFTBOT_SLACK_SCOPES") or DEFAULT_SLACK_SCOPES,
            slack_token_rotation=_switch(env, "SLACK_TOKEN_ROTATION", False),
            twilio_account_sid=env.get("TWILIO_ACCOUNT_SID", ""),
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN", ""),
            twilio_api_url=env.get("LIFTBOT_TWILIO_API_URL", ""),
            twilio_whatsapp_from=env.get("LIFTBOT_TWILIO_WHATSAPP_FROM", ""),
            twilio_template_sid=env.get("LIFTBOT_TWILIO_TEMPLATE_SID", ""),
            whatsapp_community=env.get("LIFTBOT_WHATSAPP_COMMUNITY", "").strip(),
            whatsapp_moderators=_list(env, "LIFTBOT_WHATSAPP_MODERATORS"),
            public_base_url=env.get("LIFTBOT_PUBLIC_BASE_URL", "").rstrip("/"),
            report_dir=env.get("LIFTBOT_REPORT_DIR", "").strip(),
            report_weekday=weekday,
            report_hour=_int(env, "LIFTBOT_REPORT_HOUR", 9),
            digest_hour=_int(env, "LIFTBOT_DIGEST_HOUR", 18),
            nudge_after_hours=_int(env, "LIFTBOT_NUDGE_AFTER_HOURS", 4),
            quiet_hours=(int(quiet[0]), int(quiet[1])),
            unanswered_after_hours=_int(env, "LIFTBOT_UNANSWERED_AFTER_HOURS", 24),
            nudge_max_age_hours=_int(env, "LIFTBOT_NUDGE_MAX_AGE_HOURS", 72),
            bot_posts_per_100=_int(env, "LIFTBOT_BOT_POSTS_PER_100", 3),
            job_max_attempts=_int(env, "LIFTBOT_JOB_MAX_ATTEMPTS", 5),
            retention_days=_int(env, "LIFTBOT_RETENTION_DAYS", 0),
        )

    @property
    def slack_oauth(self) -> bool:
        """Installable in many workspaces (OAuth v2): SLACK_CLIENT_ID and SLACK_CLIENT_SECRET."""
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def slack_on(self) -> bool:
        """Slack is configured: OAuth installations, or the one workspace's SLACK_BOT_TOKEN."""
        return self.slack_oauth or bool(self.slack_bot_token)

    @property
    def whatsapp_community_name(self) -> str:
        """The community that messages to the bot's WhatsApp number belong to."""
        return self.whatsapp_community or self.community

    @property
    def zone(self) -> ZoneInfo:
        """The community's time zone."""
        return ZoneInfo(self.timezone)

    def resolved_secret_key(self) -> str:
        """The HMAC pepper; on SQLite without one, a per-install key file beside the database.

        The key is kept outside the database on purpose (pseudonyms must not be reversible from a
        dump alone). PostgreSQL deployments must set LIFTBOT_SECRET_KEY explicitly.
        """
        if self.secret_key:
            return self.secret_key
        if not self.database_url.startswith("sqlite"):
            raise ConfigError("LIFTBOT_SECRET_KEY must be set when DATABASE_URL is not SQLite")
        return _local_key_file(self.database_url)


def _local_key_file(database_url: str) -> str:
    db_path = database_url.split(":///", 1)[-1] if ":///" in database_url else ""
    folder = Path(db_path).resolve().parent if db_path and db_path != ":memory:" else Path.cwd()
    key_file = folder / ".liftbot_secret"
    if not key_file.exists():
        key_file.write_text(os.urandom(32).hex())
        key_file.chmod(0o600)
    return key_file.read_text().strip()
