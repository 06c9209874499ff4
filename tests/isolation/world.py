"""Four communities in one database, built through the real entry points: two Slack workspaces
installed by OAuth (signed events), the live WhatsApp group (signed Twilio webhooks) and an
exported WhatsApp group (`import_file`). Each has its own distinctive words and names, so any
leak into another community's replies, reports or files is visible."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from bot.config import Settings
from handlers.export_files import import_file
from storage import queries
from storage.tables import Member, Message
from tests.handlers.slack import payloads as p
from tests.handlers.slack.conftest import PROFILES, FakeSlack
from tests.handlers.slack.workspaces import ACME, BETA, Workspace, install, quiet_services
from tests.handlers.slack.workspaces import web_client as slack_web_client
from tests.handlers.whatsapp import conftest as wa
from tests.handlers.whatsapp.conftest import FakeTwilio, inbound, post_signed

LIVE, EXPORTED = "Circle Live", "Alumni Export"
ACME_NAME, BETA_NAME = ACME.name, BETA.name
ADMIN = "UADMIN"  # a workspace admin in both workspaces (users.info says is_admin)
ACME_ONLY, BETA_ONLY = "UZUBIN", "UWILMA"  # members of one workspace each
EXPORT_PHONE = "+919845012345"  # writes in the exported group only

# Words and names found in one community only.
MARKERS = {
    ACME_NAME: ("zebra", "Zubin Acmeson"),
    BETA_NAME: ("walrus", "Wilma Betaford"),
    LIVE: ("quokka", "Quentin Livewell", "Hortense Livehelp"),
    EXPORTED: ("xylophone", "Xavier Exportman", "Yolanda Exportwise"),
}
_PROFILES = {
    ACME_ONLY: {"id": ACME_ONLY, "name": "zubin", "profile": {"display_name": "Zubin Acmeson",
                "title": "Head of HR"}},
    BETA_ONLY: {"id": BETA_ONLY, "name": "wilma", "profile": {"display_name": "Wilma Betaford",
                "title": "CHRO"}},
}  # fmt: skip


@dataclass
class World:
    """The communities, the web app serving them, and how to speak in each."""

    engine: Engine
    settings: Settings
    client: Any
    fake_slack: FakeSlack
    fake_twilio: FakeTwilio
    export_file: Path
    ids: dict[str, int]  # community name → id
    asks: dict[str, int]  # community name → the id of its open help request

    def slack(self, workspace: Workspace, text: str, *, user: str = ADMIN) -> str:
        """A signed `/lift` from a workspace; the ephemeral reply."""
        body, headers = p.command(text, user=user, trigger=f"tr-{time.monotonic_ns()}",
                                  team=workspace.team_id)  # fmt: skip
        reply = self.client.post("/slack/events", content=body, headers=headers)
        assert reply.status_code == 200, reply.text
        return str(reply.json()["text"])

    def whatsapp(self, number: str, text: str, *, name: str = "Mona Moderata") -> str:
        """A signed message to the bot's WhatsApp number; the TwiML reply's text."""
        reply = post_signed(self.client, inbound(number, text, name=name))
        assert reply.status_code == 200, reply.text
        return unescape(reply.text)

    def permalink(self, message_id: int) -> str:
        """A message's link as its platform shows it."""
        with Session(self.engine) as session:
            message = session.get(Message, message_id)
            assert message is not None and message.permalink
            return message.permalink

    def others(self, own: str) -> list[int]:
        """Ids of every community but `own`."""
        return [i for name, i in self.ids.items() if name != own]

    def foreign_markers(self, own: str) -> list[str]:
        """Every other community's distinctive words and names."""
        return [m for name, words in MARKERS.items() if name != own for m in words]


def snapshot(
    engine: Engine, community_ids: list[int], *, skip: tuple[str, ...] = ()
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of these communities, table by table (member-owned tables through their
    members), in a stable order; `skip` leaves out columns by name."""
    tables = SQLModel.metadata.tables
    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        members = [
            int(i)
            for (i,) in conn.execute(
                select(tables["member"].c.id).where(
                    tables["member"].c.community_id.in_(community_ids)
                )
            )
        ]
        for name, table in tables.items():
            query = _rows_of(table, community_ids, members)
            if query is not None:
                rows = conn.execute(query).mappings()
                found[name] = sorted(
                    (tuple(v for k, v in row.items() if k not in skip) for row in rows), key=repr
                )
    return found


def _rows_of(table: Table, community_ids: list[int], members: list[int]) -> Any:
    if table.name == "community":
        return select(table).where(table.c.id.in_(community_ids))
    if "community_id" in table.c:
        return select(table).where(table.c.community_id.in_(community_ids))
    if "member_id" in table.c:
        return select(table).where(table.c.member_id.in_(members))
    return None  # inbox, outbox, delivery statuses: the deployment's, not a community's


def world_settings(engine: Engine, fake_slack: FakeSlack, fake_twilio: FakeTwilio) -> Settings:
    """One deployment: Slack by OAuth in many workspaces, and the WhatsApp number's group."""
    return Settings(
        database_url=str(engine.url),
        secret_key="test-pepper-iso",
        slack_client_id=fake_slack.client_id,
        slack_client_secret=fake_slack.client_secret,
        slack_signing_secret=p.SECRET,
        slack_api_url=fake_slack.url + "/api/",
        slack_admin_channel="C0FALLBACK",
        moderators=(p.MODERATOR,),
        whatsapp_community=LIVE,
        twilio_account_sid=wa.ACCOUNT_SID,
        twilio_auth_token=wa.AUTH_TOKEN,
        twilio_api_url=fake_twilio.url,
        twilio_whatsapp_from=wa.BOT_NUMBER,
        twilio_template_sid=wa.TEMPLATE_SID,
        public_base_url=wa.PUBLIC,
        whatsapp_moderators=(wa.MODERATOR,),
    )


def _ts(offset: int) -> str:
    return f"{int(time.time()) - 3600 + offset}.000100"


def _slack_history(client: Any, workspace: Workspace, word: str, only: str, base: int) -> None:
    """A help request by a member of both workspaces, a job post and an answer from this
    workspace's own member, and a help request nobody answered."""
    events = [
        p.message(f"Can anyone recommend a payroll vendor for a {word} startup in Pune? "
                  "Need help this week.", _ts(base), user=p.ASKER),
        p.thread_reply(f"We used Keka for our {word} team, payroll and compliance in one "
                       "place, worth a demo.", _ts(base + 5), _ts(base), user=only),
        p.message(f"We are hiring an HR Business Partner in Bangalore at {word.title()} Labs, "
                  "5+ years, DM me.", _ts(base + 10), user=only),
        p.message(f"Need help: how do we handle {word} notice-period buyouts for senior "
                  "hires? Any policy samples?", _ts(base + 20), user=p.HELPER),
    ]  # fmt: skip
    for n, event in enumerate(events):
        body, headers = p.json_request(
            p.envelope(event, f"Ev-{workspace.team_id}-{n}", team=workspace.team_id)
        )
        assert client.post("/slack/events", content=body, headers=headers).status_code == 200


def _export(tmp_path: Path) -> Path:
    spaced = f"{EXPORT_PHONE[:3]} {EXPORT_PHONE[3:8]} {EXPORT_PHONE[8:]}"
    day = time.strftime("%d/%m/%Y", time.localtime(time.time() - 86400))
    chat = tmp_path / f"WhatsApp Chat with {EXPORTED}.txt"
    chat.write_text(
        f"{day}, 09:15 - Xavier Exportman: Can anyone suggest a xylophone-themed offsite "
        "vendor in Goa? Need help for 60 people.\n"
        f"{day}, 09:40 - Yolanda Exportwise: We used Goa Events Co for our xylophone offsite, "
        "very reliable and good with large groups.\n"
        f"{day}, 10:05 - {spaced}: We are hiring a Talent Acquisition Lead at Xylophone Works, "
        "Mumbai, 6+ years. DM me.\n"
        f"{day}, 11:30 - Xavier Exportman: Need help: any xylophone payroll auditor "
        "recommendations for a 200-person firm?\n",
        encoding="utf-8",
    )
    return chat


@contextmanager
def build_world(
    engine: Engine,
    fake_slack: FakeSlack,
    fake_twilio: FakeTwilio,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[World]:
    """Install both workspaces, let every community talk, import the export."""
    for user, profile in _PROFILES.items():
        monkeypatch.setitem(PROFILES, user, profile)
    settings = world_settings(engine, fake_slack, fake_twilio)
    with slack_web_client(quiet_services(settings, engine), "https://testserver") as client:
        install(client, fake_slack, ACME)
        install(client, fake_slack, BETA)
        _slack_history(client, ACME, "zebra", ACME_ONLY, 0)
        _slack_history(client, BETA, "walrus", BETA_ONLY, 100)
        for number, name, text in (
            (wa.HELPER, "Hortense Livehelp", "helper on"),
            (wa.ASKER, "Quentin Livewell", "Can anyone share a quokka night-shift allowance "
                                           "policy for nurses? Need help."),
            (wa.MODERATOR, "Mona Moderata", "Hello circle, welcome to the quokka desk"),
        ):  # fmt: skip
            assert post_signed(client, inbound(number, text, name=name)).status_code == 200
        export = _export(tmp_path)
        import_file(export, engine=engine, settings=settings, community=EXPORTED)
        ids, asks = _ids(engine)
        yield World(engine, settings, client, fake_slack, fake_twilio, export, ids, asks)


def _ids(engine: Engine) -> tuple[dict[str, int], dict[str, int]]:
    ids: dict[str, int] = {}
    asks: dict[str, int] = {}
    with Session(engine) as session:
        for name in MARKERS:
            community = queries.community_named(session=session, name=name)
            assert community is not None and community.id is not None, name
            ids[name] = community.id
            first = session.scalars(
                select(Message.id)  # type: ignore[call-overload]
                .where(Message.community_id == community.id, Message.kind == "help_request")
                .order_by(Message.sent_at)
            ).first()
            assert first is not None, f"{name} has no help request"
            asks[name] = int(first)
    return ids, asks


def member_of(engine: Engine, community_id: int, key: str) -> Member | None:
    """The member with this key in a community."""
    with Session(engine) as session:
        return queries.member_by_key(session=session, community_id=community_id, key=key)
