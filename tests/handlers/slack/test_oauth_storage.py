"""Installations and OAuth states in Liftbot's database: slack_sdk's tables, made by migration."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy.engine import Engine

from storage.db import session_scope
from storage.migrate import downgrade, upgrade
from storage.slack_installs import STATES, InstallationStore, OAuthStates, team_community

SLACK_TABLES = ("slack_installations", "slack_bots", "slack_oauth_states")


def library_tables() -> dict[str, sa.Table]:
    """The tables as slack_sdk itself declares them (its stores' own builders)."""
    metadata = sa.MetaData()
    return {
        "slack_installations": SQLAlchemyInstallationStore.build_installations_table(
            metadata, "slack_installations"
        ),
        "slack_bots": SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots"),
        "slack_oauth_states": SQLAlchemyOAuthStateStore.build_oauth_states_table(
            metadata, "slack_oauth_states"
        ),
    }


def shape(column_type: sa.types.TypeEngine[object]) -> tuple[str, int | None]:
    """A column type as both backends report it: its kind and length."""
    kinds = {sa.Integer: "int", sa.String: "text", sa.DateTime: "time", sa.Boolean: "bool"}
    for kind, name in kinds.items():
        if isinstance(column_type, kind):
            return name, getattr(column_type, "length", None)
    return type(column_type).__name__, None


def test_the_migration_makes_the_tables_slack_sdk_reads_and_writes(engine: Engine) -> None:
    inspector = sa.inspect(engine)
    for name, table in library_tables().items():
        made = {c["name"]: (shape(c["type"]), c["nullable"]) for c in inspector.get_columns(name)}
        declared = {c.name: (shape(c.type), c.nullable) for c in table.columns}
        assert made == declared, name
        assert inspector.get_pk_constraint(name)["constrained_columns"] == ["id"]
        indexes = {i["name"]: i["column_names"] for i in inspector.get_indexes(name)}
        assert indexes == {i.name: [c.name for c in i.columns] for i in table.indexes}


def test_the_tables_go_with_a_downgrade_and_come_back(sqlite_engine: Engine) -> None:
    downgrade(sqlite_engine, "0005")
    assert not set(SLACK_TABLES) & set(sa.inspect(sqlite_engine).get_table_names())
    upgrade(sqlite_engine)
    assert set(SLACK_TABLES) <= set(sa.inspect(sqlite_engine).get_table_names())


def test_an_installation_round_trips_and_goes_with_its_team(engine: Engine) -> None:
    store = InstallationStore("1111.2222", engine)
    for team, token in (("TACME", "xoxb-acme"), ("TBETA", "xoxb-beta")):
        store.save(Installation(app_id="A0LIFT", team_id=team, team_name=team.title(),
                                user_id="UADMIN", bot_token=token, bot_id="B1", bot_user_id="U1",
                                bot_scopes="chat:write", incoming_webhook_channel_id="C0ADM"))  # fmt: skip
    found = store.find_installation(enterprise_id=None, team_id="TACME")
    assert found is not None and found.bot_token == "xoxb-acme"
    assert found.incoming_webhook_channel_id == "C0ADM"
    assert store.installed_teams() == ["TACME", "TBETA"]
    store.delete_all(enterprise_id=None, team_id="TACME")
    assert store.find_installation(enterprise_id=None, team_id="TACME") is None
    assert store.find_bot(enterprise_id=None, team_id="TACME") is None
    assert store.installed_teams() == ["TBETA"]
    # Another app's client id sees none of this app's installations.
    assert InstallationStore("9999.0000", engine).installed_teams() == []


def test_a_state_is_consumed_once_even_by_callbacks_racing_for_it(engine: Engine) -> None:
    states = OAuthStates(engine, expiration_seconds=600)
    state = states.issue()
    results: list[bool] = []
    start = threading.Barrier(4)

    def consume() -> None:
        start.wait()
        results.append(states.consume(state))

    threads = [threading.Thread(target=consume) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    assert states.consume("never-issued") is False


def test_an_expired_state_is_refused_and_cleared(engine: Engine) -> None:
    states = OAuthStates(engine, expiration_seconds=600)
    past = datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=1)
    with engine.begin() as connection:
        connection.execute(STATES.insert(), {"state": "stale", "expire_at": past})
    assert states.consume("stale") is False
    fresh = states.issue()
    with engine.connect() as connection:
        left = [row[0] for row in connection.execute(sa.select(STATES.c.state))]
    assert left == [fresh]


def test_a_workspace_community_is_found_by_its_team_and_named_uniquely(engine: Engine) -> None:
    with session_scope(engine) as session:
        taken = team_community(session=session, team_id="TOTHER", team_name="HR Circle",
                               timezone="UTC")  # fmt: skip
        first = team_community(session=session, team_id="TACME", team_name="  HR   Circle ",
                               timezone="UTC")  # fmt: skip
        again = team_community(session=session, team_id="TACME", team_name="Renamed",
                               timezone="UTC")  # fmt: skip
        nameless = team_community(session=session, team_id="TNONAME", team_name="",
                                  timezone="UTC")  # fmt: skip
        assert (taken.name, taken.external_id) == ("HR Circle", "TOTHER")
        assert (first.name, first.platform, first.external_id) == (
            "HR Circle (TACME)", "slack", "TACME")  # fmt: skip
        assert again.id == first.id
        assert nameless.name == "TNONAME"
