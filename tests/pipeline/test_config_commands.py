"""`config` and `moderator`: moderators see and change a community's settings, and grant the role."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import Settings
from bot.pipeline.community_config import config_for
from handlers.commands import Actor, CommandError
from storage import queries
from storage.db import session_scope
from storage.tables import Community, Member
from tests.pipeline.commands_context import lift
from tests.reports.builders import make_chat

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SETTINGS = Settings(timezone="Asia/Kolkata", report_weekday=0, report_hour=9, digest_hour=18)
MODERATOR = Actor(key="k-mod", name="Mod", is_moderator=True)
MEMBER = Actor(key="k-member", name="Member", is_moderator=False)


def run(session: Session, community: int, text: str, actor: Actor = MODERATOR) -> str:
    return lift(session, community, text, now=NOW, actor=actor, settings=SETTINGS)


def stored(session: Session, community: int) -> dict[str, str]:
    return queries.community_settings(session=session, community_id=community)


def test_a_moderator_sees_every_setting_with_the_defaults_marked(engine: Engine) -> None:
    with session_scope(engine) as session:
        community = make_chat(session).community_id
        run(session, community, "config report-day friday")
        shown = run(session, community, "config")
    lines = shown.splitlines()
    assert lines[0] == "Settings of HR Leaders Circle:"
    assert "• report-day: friday" in lines
    assert "• report-hour: 9:00 (default)" in lines
    assert "• timezone: Asia/Kolkata (default)" in lines
    assert "• channel: not set (default)" in lines
    assert "• business-hours: off (response times around the clock) (default)" in lines
    assert "config business-hours mon-fri 09:00-18:00" in lines[-1]


def test_a_setting_is_set_shown_and_reset(engine: Engine) -> None:
    with session_scope(engine) as session:
        community = make_chat(session).community_id
        reply = run(session, community, "config business-hours mon-fri 09:00-18:00")
        assert reply == "Done — business-hours: mon-fri 09:00-18:00."
        assert run(session, community, "config holidays 2026-12-25, 2027-01-26") == (
            "Done — holidays: 2026-12-25, 2027-01-26."
        )
        assert run(session, community, "config business-hours").startswith(
            "business-hours: mon-fri 09:00-18:00. Change it with"
        )
        assert stored(session, community) == {
            "business-hours": "mon-fri 09:00-18:00", "holidays": "2026-12-25, 2027-01-26"}  # fmt: skip
        assert run(session, community, "config business-hours default") == (
            "Done — business-hours: off (response times around the clock)."
        )
        assert "business-hours" not in stored(session, community)


def test_the_time_zone_is_the_communitys_own_and_default_is_the_deployments(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        community = make_chat(session, timezone="Asia/Kolkata").community_id
        assert run(session, community, "config timezone Europe/London") == (
            "Done — timezone: Europe/London."
        )
        row = session.get(Community, community)
        assert row is not None and row.timezone == "Europe/London"
        assert config_for(session=session, community=row, settings=SETTINGS).timezone == (
            "Europe/London"
        )
        run(session, community, "config timezone default")
        assert row.timezone == SETTINGS.timezone


@pytest.mark.parametrize(
    ("text", "says"),
    [("config report-hour 25", "'25' is not an hour"),
     ("config report-day someday", "not a day of the week"),
     ("config business-hours mon-fri 18:00-09:00", "close after they open"),
     ("config business-hours 9 to 5", "like mon-fri 09:00-18:00"),
     ("config quiet-hours 8-8", "different hours"),
     ("config nudge-after soon", "number of hours"),
     ("config channel #hr-admins", "Slack communities only"),
     ("config colour blue", "There is no setting 'colour'")],
)  # fmt: skip
def test_a_bad_value_is_one_clear_line_and_nothing_is_stored(
    engine: Engine, text: str, says: str
) -> None:
    with session_scope(engine) as session:
        community = make_chat(session, platform="whatsapp").community_id
        with pytest.raises(CommandError) as refused:
            run(session, community, text)
        assert says in str(refused.value) and "\n" not in str(refused.value)
        assert stored(session, community) == {}


def test_members_may_neither_see_nor_change_settings(engine: Engine) -> None:
    with session_scope(engine) as session:
        community = make_chat(session).community_id
        for text in ("config", "config report-day friday", "config report-day default"):
            assert run(session, community, text, MEMBER) == "Sorry, only moderators can do that."
        assert stored(session, community) == {}


def test_a_moderator_grants_and_withdraws_the_role(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session)
        priya = chat.member("Priya", "senior")
        key = session.get(Member, priya).key  # type: ignore[union-attr]
        refused = run(session, chat.community_id, f"moderator @{key}", MEMBER)
        assert refused == "Sorry, only moderators can do that."
        assert session.get(Member, priya).is_moderator is False  # type: ignore[union-attr]
        granted = run(session, chat.community_id, f"moderator @{key}")
        assert granted == "Priya is now a moderator here."
        assert session.get(Member, priya).is_moderator is True  # type: ignore[union-attr]
        withdrawn = run(session, chat.community_id, f"moderator @{key} off")
        assert withdrawn.startswith("Priya is no longer a moderator here")
        assert session.get(Member, priya).is_moderator is False  # type: ignore[union-attr]
        with pytest.raises(CommandError, match="I don't know the member @nobody"):
            run(session, chat.community_id, "moderator @nobody")


def test_without_the_deployments_settings_config_says_so_and_changes_nothing(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        community = make_chat(session).community_id
        reply = lift(session, community, "config report-day friday", now=NOW, actor=MODERATOR)
        assert reply == "Settings can't be shown or changed here."
        assert stored(session, community) == {}
