"""On WhatsApp, `config` and `moderator` are the same words as Slack's `/lift`, from a phone."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from handlers.whatsapp.text_commands import command_text
from storage.tables import Community, CommunitySetting, Member
from tests.handlers.whatsapp.conftest import ASKER, MODERATOR, inbound, post_signed


def settings_stored(engine: Engine) -> dict[str, str]:
    with Session(engine) as session:
        return {r.name: r.value for r in session.exec(select(CommunitySetting))}


def say(client: TestClient, number: str, body: str, name: str = "Priya") -> str:
    return str(post_signed(client, inbound(number, body, name=name)).text)


def test_a_moderator_changes_and_reads_settings_in_the_same_words(
    client: TestClient, engine: Engine
) -> None:
    done = say(client, MODERATOR, "lift config business-hours mon-fri 09:00-18:00")
    assert "Done — business-hours: mon-fri 09:00-18:00." in done
    assert "report-day: friday" in say(client, MODERATOR, "config report-day Friday")
    shown = say(client, MODERATOR, "config")
    assert "• business-hours: mon-fri 09:00-18:00" in shown
    assert "• report-hour: 9:00 (default)" in shown
    assert "channel" not in shown  # Slack only
    assert settings_stored(engine) == {"business-hours": "mon-fri 09:00-18:00",
                                       "report-day": "Friday"}  # fmt: skip
    say(client, MODERATOR, "/lift config timezone Europe/London")
    with Session(engine) as session:
        assert [c.timezone for c in session.exec(select(Community))] == ["Europe/London"]


def test_a_bad_value_from_a_phone_is_one_line_and_stores_nothing(
    client: TestClient, engine: Engine
) -> None:
    reply = say(client, MODERATOR, "lift config report-hour 9:30")
    assert "'9:30' is not an hour: say 0 to 23, like 9 or 18" in reply
    assert settings_stored(engine) == {}


def test_members_are_refused_and_nothing_changes(client: TestClient, engine: Engine) -> None:
    assert "only moderators" in say(client, ASKER, "config report-day friday", name="Meera")
    assert "only moderators" in say(client, ASKER, "lift config", name="Meera")
    assert settings_stored(engine) == {}


def test_a_granted_moderator_stays_one_until_the_grant_is_withdrawn(
    client: TestClient, engine: Engine
) -> None:
    say(client, ASKER, "hello", name="Meera")
    granted = say(client, MODERATOR, f"moderator @{ASKER}")
    assert "Meera is now a moderator here." in granted
    # Her own next message must not undo the grant: the check reads the member row.
    assert "report-day: friday" in say(client, ASKER, "config report-day friday", name="Meera")
    assert "report-hour: 8:00" in say(client, ASKER, "lift config report-hour 8", name="Meera")
    say(client, MODERATOR, f"lift moderator @{ASKER.lstrip('+')} off")
    assert "only moderators" in say(client, ASKER, "config report-day monday", name="Meera")
    with Session(engine) as session:
        meera = session.exec(select(Member).where(col(Member.display_name) == "Meera")).one()
        assert meera.is_moderator is False
    assert settings_stored(engine)["report-day"] == "friday"


def test_plain_config_words_are_commands_only_when_they_name_a_setting() -> None:
    assert command_text("config") == "config"
    assert command_text("Config quiet-hours off") == "Config quiet-hours off"
    assert command_text("moderator @+919876543210") == "moderator @+919876543210"
    assert command_text("config of our HRMS keeps failing after the update, any tips?") is None
    assert command_text("moderators here, please help with a POSH question") is None
