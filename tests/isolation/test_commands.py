"""Every `/lift` verb, issued in one community, reads and changes that community only.

Each case runs commands in a Slack workspace (by signed slash command) or in the live WhatsApp
group (by signed Twilio webhook) and then checks: every other community's rows are exactly as
before, and no reply carries another community's words or names. References to another
community's messages and members are refused as unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from handlers.commands import VERBS
from tests.handlers.slack import payloads as p
from tests.handlers.slack.workspaces import ACME
from tests.handlers.whatsapp import conftest as wa
from tests.isolation.world import (
    ACME_NAME,
    ACME_ONLY,
    BETA_NAME,
    BETA_ONLY,
    EXPORT_PHONE,
    EXPORTED,
    LIVE,
    World,
    snapshot,
)

UNKNOWN_MEMBER, UNKNOWN_MESSAGE = "I don't know the member", "I can't find the message"


@dataclass(frozen=True)
class Case:
    """Commands from one community, what each reply says, and whether its own rows change."""

    verb: str
    platform: str  # "slack" (Acme HR) or "whatsapp" (the live group)
    commands: tuple[tuple[str, str], ...]  # (command, a phrase its reply contains)
    actor: str = ""
    changes_own: bool = False
    refs: dict[str, str] = field(default_factory=dict)


def _foreign_asks(verb: str, platform: str) -> tuple[tuple[str, str], ...]:
    """`resolve`/`reclassify` of each other community's open request, by `#id`."""
    own, lift = ("acme", "") if platform == "slack" else ("live", "lift ")
    suffix = " gyaan" if verb == "reclassify" else ""
    return tuple((f"{lift}{verb} #{{{c}}}{suffix}", UNKNOWN_MESSAGE)
                 for c in ("acme", "beta", "live", "export") if c != own)  # fmt: skip


SLACK_CASES = [
    Case("help", "slack", (("help", "Liftbot commands"),)),
    Case("unanswered", "slack", (("unanswered", "zebra"),)),
    Case("report", "slack", (("report latest", ACME_NAME),)),
    Case("tag", "slack", ((f"tag <@{BETA_ONLY}> senior", UNKNOWN_MEMBER),)),
    Case("tag", "slack", ((f"tag <@{p.HELPER}> executive", "Tagged"),), changes_own=True),
    Case("expert", "slack", ((f"expert <@{BETA_ONLY}> payroll", UNKNOWN_MEMBER),)),
    Case("expert", "slack", ((f"expert <@{p.HELPER}> payroll", "Noted"),), changes_own=True),
    Case("resolve", "slack", _foreign_asks("resolve", "slack")),
    Case(
        "resolve",
        "slack",
        (("resolve {beta_link}", UNKNOWN_MESSAGE), ("resolve #{acme}", "Marked")),
        changes_own=True,
    ),
    Case("reclassify", "slack", _foreign_asks("reclassify", "slack")),
    Case(
        "reclassify",
        "slack",
        (
            ("reclassify {beta_link} gyaan", UNKNOWN_MESSAGE),
            ("reclassify #{acme} gyaan", "Reclassified"),
        ),
        changes_own=True,
    ),
    Case("iam", "slack", (("iam senior", "Noted"),), actor=p.HELPER, changes_own=True),
    Case("forget", "slack", (("forget me", "erased"),), actor=ACME_ONLY, changes_own=True),
    Case(
        "config",
        "slack",
        (
            ("config", f"Settings of {ACME_NAME}"),
            ("config retention 365d", "Done"),
            ("config digest-hour 7", "Done"),
        ),
        changes_own=True,
    ),
    Case("moderator", "slack", ((f"moderator <@{BETA_ONLY}>", UNKNOWN_MEMBER),)),
    Case("moderator", "slack", ((f"moderator <@{p.ASKER}>", "now a moderator"),), changes_own=True),
]
WHATSAPP_CASES = [
    Case("help", "whatsapp", (("lift help", "Liftbot commands"),)),
    Case("unanswered", "whatsapp", (("unanswered", "quokka"),)),
    Case("report", "whatsapp", (("lift report latest", LIVE),)),
    Case("tag", "whatsapp", ((f"lift tag @{EXPORT_PHONE} senior", UNKNOWN_MEMBER),)),
    Case("tag", "whatsapp", ((f"lift tag @{wa.ASKER} junior", "Tagged"),), changes_own=True),
    Case("expert", "whatsapp", ((f"lift expert @{EXPORT_PHONE} payroll", UNKNOWN_MEMBER),)),
    Case("resolve", "whatsapp", _foreign_asks("resolve", "whatsapp")),
    Case("resolve", "whatsapp", (("lift resolve #{live}", "Marked"),), changes_own=True),
    Case("reclassify", "whatsapp", _foreign_asks("reclassify", "whatsapp")),
    Case("iam", "whatsapp", (("iam senior", "Noted"),), actor=wa.HELPER, changes_own=True),
    Case("forget", "whatsapp", (("forget me", "erased"),), actor=wa.HELPER, changes_own=True),
    Case(
        "config",
        "whatsapp",
        (("config", f"Settings of {LIVE}"), ("config retention 365d", "Done")),
        changes_own=True,
    ),
    Case("moderator", "whatsapp", ((f"moderator @{EXPORT_PHONE}", UNKNOWN_MEMBER),)),
    Case(
        "moderator", "whatsapp", ((f"moderator @{wa.ASKER}", "now a moderator"),), changes_own=True
    ),
]
CASES = SLACK_CASES + WHATSAPP_CASES


def test_every_verb_is_covered_on_both_platforms() -> None:
    for platform in ("slack", "whatsapp"):
        assert {c.verb for c in CASES if c.platform == platform} == VERBS, platform


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c.platform}-{c.verb}-{n}" for n, c in enumerate(CASES)]
)
def test_a_command_reads_and_changes_its_own_community_only(world: World, case: Case) -> None:
    own = ACME_NAME if case.platform == "slack" else LIVE
    refs = {
        "acme": world.asks[ACME_NAME], "beta": world.asks[BETA_NAME],
        "live": world.asks[LIVE], "export": world.asks[EXPORTED],
        "beta_link": world.permalink(world.asks[BETA_NAME]),
    }  # fmt: skip
    others_before = snapshot(world.engine, world.others(own))
    # A WhatsApp message notes when its sender last wrote (the 24-hour window): not a change.
    own_before = snapshot(world.engine, [world.ids[own]], skip=("last_inbound_at",))
    for template, expected in case.commands:
        text = template.format(**refs)
        if case.platform == "slack":
            reply = world.slack(ACME, text, user=case.actor or "UADMIN")
        else:
            reply = world.whatsapp(case.actor or wa.MODERATOR, text)
        assert expected in reply, (text, reply)
        leaked = [m for m in world.foreign_markers(own) if m.lower() in reply.lower()]
        assert leaked == [], (text, reply)
    assert snapshot(world.engine, world.others(own)) == others_before
    changed = snapshot(world.engine, [world.ids[own]], skip=("last_inbound_at",)) != own_before
    assert changed is case.changes_own
