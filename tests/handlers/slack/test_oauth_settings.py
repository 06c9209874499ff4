"""OAuth mode as an operator sets it up: the settings, the manifest, the start-up lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.app.platforms import clock_startup_line, web_startup_line
from bot.config import DEFAULT_SLACK_SCOPES, ConfigError, Settings

MANIFEST = Path(__file__).resolve().parents[3] / "manifest.yml"


def manifest_list(key: str) -> list[str]:
    """The items of a YAML list in manifest.yml (`key:` then `- item` lines)."""
    lines = MANIFEST.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"{key}:")
    indent = len(lines[start + 1]) - len(lines[start + 1].lstrip())
    items = []
    for line in lines[start + 1 :]:
        if not line.strip().startswith("- ") or len(line) - len(line.lstrip()) != indent:
            break
        items.append(line.strip()[2:])
    return items


def test_oauth_mode_needs_both_the_client_id_and_secret() -> None:
    both = Settings.from_env({"SLACK_CLIENT_ID": "1111.2222", "SLACK_CLIENT_SECRET": "s"})
    assert both.slack_oauth and both.slack_on and not both.slack_token_rotation
    assert both.slack_scopes == DEFAULT_SLACK_SCOPES
    assert not Settings.from_env({"SLACK_CLIENT_ID": "1111.2222"}).slack_oauth
    single = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1"})
    assert single.slack_on and not single.slack_oauth
    assert not Settings().slack_on


def test_scopes_and_rotation_are_read_as_written() -> None:
    settings = Settings.from_env(
        {"LIFTBOT_SLACK_SCOPES": "chat:write, commands", "SLACK_TOKEN_ROTATION": "on"}
    )
    assert settings.slack_scopes == ("chat:write", "commands")
    assert settings.slack_token_rotation is True
    with pytest.raises(ConfigError, match="SLACK_TOKEN_ROTATION must be 1 or 0"):
        Settings.from_env({"SLACK_TOKEN_ROTATION": "sometimes"})


def test_the_manifest_asks_for_the_default_scopes_and_sends_installers_back() -> None:
    assert tuple(manifest_list("bot")) == DEFAULT_SLACK_SCOPES
    assert manifest_list("redirect_urls") == ["https://liftbot.example.com/slack/oauth_redirect"]
    assert {"app_uninstalled", "tokens_revoked"} <= set(manifest_list("bot_events"))
    text = MANIFEST.read_text(encoding="utf-8")
    assert re.search(r"^\s+token_rotation_enabled: false$", text, re.MULTILINE)


def test_startup_lines_say_where_workspaces_install() -> None:
    oauth = Settings(slack_client_id="1111.2222", slack_client_secret="s",
                     slack_signing_secret="x", slack_admin_channel="C0ADMIN")  # fmt: skip
    assert web_startup_line(oauth).startswith(
        "Slack: on (many workspaces: install at /slack/install, events and /lift at "
        "/slack/events); "
    )
    assert clock_startup_line(oauth).startswith(
        "Slack: on (each installed workspace with its own token: report and digest to its "
        "channel (else C0ADMIN), nudges in threads); "
    )
    unsigned = Settings(slack_client_id="1111.2222", slack_client_secret="s")
    assert web_startup_line(unsigned).startswith("Slack: off (SLACK_SIGNING_SECRET not set); ")
