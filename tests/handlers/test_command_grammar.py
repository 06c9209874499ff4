"""The `/lift` grammar is shared by Slack and WhatsApp; bad text gets usage, never a crash."""

from __future__ import annotations

import pytest

from handlers.commands import Command, CommandError, parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Command("help")),
        ("/lift", Command("help")),
        ("help", Command("help")),
        ("/lift unanswered", Command("unanswered")),
        ("UNANSWERED", Command("unanswered")),
        ("report", Command("report")),
        ("report 2026-W47", Command("report", value="2026-W47")),
        (
            "tag <@U024BE7LH|priya> senior",
            Command("tag", target="<@U024BE7LH|priya>", value="senior"),
        ),
        ("tag @+919876543210 VP", Command("tag", target="@+919876543210", value="executive")),
        (
            "expert <@U1> Payroll Compliance",
            Command("expert", target="<@U1>", value="payroll compliance"),
        ),
        ("resolve #42", Command("resolve", target="#42")),
        ("reclassify #42 gyaan", Command("reclassify", target="#42", value="gyaan")),
        ("iam senior", Command("iam", value="senior")),
        ("forget me", Command("forget")),
        ("/lift Forget Me", Command("forget")),
        ("config", Command("config")),
        ("/lift config report-day", Command("config", target="report-day")),
        ("config timezone Europe/London", Command("config", "timezone", "Europe/London")),
        (
            "config business-hours  mon-fri 09:00-18:00",
            Command("config", target="business-hours", value="mon-fri 09:00-18:00"),
        ),
        ("moderator <@U1>", Command("moderator", target="<@U1>", value="on")),
        ("moderator @+919876543210 OFF", Command("moderator", "@+919876543210", "off")),
    ],
)
def test_command_text_parses_to_the_same_command_everywhere(text: str, expected: Command) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "dance",
        "tag @x",
        "tag @x wizard",
        "iam",
        "report last-week",
        "reclassify #1 spam",
        "resolve",
        "forget everyone",
        "'; DROP TABLE message;--",
        "{{7*7}} ${jndi:ldap://x}",
        "tag <@U1> \u202e senior",
        "moderator",
        "moderator <@U1> maybe",
    ],
)
def test_malformed_commands_get_usage_not_a_crash(text: str) -> None:
    with pytest.raises(CommandError) as caught:
        parse(text)
    assert (
        "Usage" in str(caught.value)
        or "don't know" in str(caught.value)
        or "forget me" in str(caught.value)
    )
