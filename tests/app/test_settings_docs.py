"""Settings as an operator meets them: `.env` under the environment, `.env.example` and README agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.app.platforms import clock_startup_line, web_startup_line
from bot.config import ConfigError, Settings, process_environment, validate_zone

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "bot" / "config.py"
ENV_EXAMPLE = ROOT / ".env.example"
README = ROOT / "README.md"


def settings_read_by_config() -> set[str]:
    """Every variable name bot/config.py reads (the only reader of the environment)."""
    source = CONFIG.read_text(encoding="utf-8")
    return set(re.findall(r'"((?:DATABASE_URL|LIFTBOT_|SLACK_|TWILIO_)[A-Z0-9_]*)"', source))


def example_lines() -> list[tuple[str, str, str]]:
    """(name, value, the comment block above it) for each setting in .env.example."""
    found: list[tuple[str, str, str]] = []
    comment: list[str] = []
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            comment.append(line)
        elif "=" in line:
            name, value = line.split("=", 1)
            found.append((name, value, "\n".join(comment)))
        else:
            comment = []
    return found


def test_config_reads_the_settings_this_test_knows_about() -> None:
    read = settings_read_by_config()
    assert {"DATABASE_URL", "SLACK_BOT_TOKEN", "LIFTBOT_TWILIO_WHATSAPP_FROM"} <= read
    assert len(read) > 30


def test_every_setting_is_in_env_example_exactly_once_with_a_comment() -> None:
    names = [name for name, _, _ in example_lines()]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
    assert set(names) == settings_read_by_config()
    assert [name for name, _, comment in example_lines() if not comment] == []


def test_env_example_values_are_the_defaults_settings_accept() -> None:
    values = {name: value for name, value, _ in example_lines()}
    assert Settings.from_env(values) == Settings.from_env({})


def test_every_setting_is_named_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    assert sorted(n for n in settings_read_by_config() if f"`{n}`" not in readme) == []


def test_readme_and_env_example_give_one_format_for_the_whatsapp_sender() -> None:
    readme = README.read_text(encoding="utf-8")
    example = dict((name, comment) for name, _, comment in example_lines())
    assert "whatsapp:+" not in readme and "whatsapp:+" not in ENV_EXAMPLE.read_text()
    assert "`+14155238886`" in readme
    assert "+14155238886" in example["LIFTBOT_TWILIO_WHATSAPP_FROM"]


def test_dot_env_fills_what_the_environment_leaves_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# comments and blank lines are fine\n\n"
        "LIFTBOT_COMMUNITY=From the file\n"
        'LIFTBOT_TIMEZONE="Europe/London"\n'
        "LIFTBOT_DIGEST_HOUR=17\n"
    )
    monkeypatch.setenv("LIFTBOT_DIGEST_HOUR", "20")
    monkeypatch.delenv("LIFTBOT_COMMUNITY", raising=False)
    monkeypatch.delenv("LIFTBOT_TIMEZONE", raising=False)
    settings = Settings.from_env(process_environment(env_file))
    assert settings.community == "From the file"
    assert settings.timezone == "Europe/London"
    assert settings.digest_hour == 20  # the environment wins


def test_settings_read_dot_env_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("LIFTBOT_SLACK_COMMAND=/helpme\n")
    monkeypatch.delenv("LIFTBOT_SLACK_COMMAND", raising=False)
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env().slack_command == "/helpme"


def test_no_dot_env_is_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert process_environment() is not None


@pytest.mark.parametrize("zone", ["Mars/Olympus", "IST", "", "../../etc/passwd", "Asia/"])
def test_a_zone_that_is_not_iana_names_its_source(zone: str) -> None:
    with pytest.raises(ConfigError, match=r"^--timezone .* is not an IANA time zone name"):
        validate_zone(zone, "--timezone")


def test_startup_lines_say_what_is_on_and_what_is_missing() -> None:
    nothing = Settings()
    assert web_startup_line(nothing) == (
        "Slack: off (SLACK_BOT_TOKEN not set); WhatsApp: off (TWILIO_ACCOUNT_SID, "
        "TWILIO_AUTH_TOKEN, LIFTBOT_PUBLIC_BASE_URL not set)"
    )
    slack_http = Settings(slack_bot_token="xoxb-1", slack_signing_secret="s")
    assert web_startup_line(slack_http).startswith(
        "Slack: on (events and /lift at /slack/events); WhatsApp: off ("
    )
    no_secret = Settings(slack_bot_token="xoxb-1")
    assert "Slack: off (SLACK_SIGNING_SECRET not set" in web_startup_line(no_secret)
    socket = Settings(slack_bot_token="xoxb-1", slack_app_token="xapp-1")
    assert web_startup_line(socket).startswith("Slack: on (Socket Mode")
    twilio = Settings(
        twilio_account_sid="AC1",
        twilio_auth_token="t",
        twilio_whatsapp_from="+14155238886",
        public_base_url="https://bot.example.org",
        whatsapp_moderators=("+919876543210",),
    )
    assert web_startup_line(twilio).endswith(
        "WhatsApp: on (webhooks at https://bot.example.org/twilio/whatsapp and "
        "https://bot.example.org/twilio/status)"
    )
    assert "; WhatsApp: on (report, digest and nudges to 1 moderator privately); " in (
        clock_startup_line(twilio)
    )
    assert clock_startup_line(twilio).endswith(
        "Exported groups: on (report and digest to the same moderators)"
    )
    assert clock_startup_line(Settings(report_dir="/srv/reports")).endswith(
        "Exported groups: on (report and digest as files in /srv/reports)"
    )
    assert clock_startup_line(Settings()).endswith(
        "Exported groups: off (LIFTBOT_REPORT_DIR not set, nor Twilio with "
        "LIFTBOT_WHATSAPP_MODERATORS)"
    )
    with_channel = Settings(slack_bot_token="xoxb-1", slack_admin_channel="C0ADMIN")
    assert clock_startup_line(with_channel).startswith(
        "Slack: on (report and digest to C0ADMIN, nudges in threads)"
    )
