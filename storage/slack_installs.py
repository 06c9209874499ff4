"""Slack installations (OAuth v2) in Liftbot's own database: slack_sdk's stores on its tables.

The three tables are slack_sdk's own definitions (its stores' `build_*_table`), registered on
the metadata Liftbot's migrations and tests know; migration 0006 creates them. Two changes to
the library's behaviour: a state is consumed by one DELETE, so two callbacks racing with the
same state cannot both succeed (the library reads, then deletes), and issuing a state clears
the expired ones (the library never does).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col
from sqlmodel import select as select_rows

from storage.queries import ensure_community
from storage.tables import Community

SLACK = "slack"  # Community.platform of a Slack workspace
INSTALLATIONS = SQLAlchemyInstallationStore.build_installations_table(
    SQLModel.metadata, "slack_installations"
)
BOTS = SQLAlchemyInstallationStore.build_bots_table(SQLModel.metadata, "slack_bots")
STATES = SQLAlchemyOAuthStateStore.build_oauth_states_table(SQLModel.metadata, "slack_oauth_states")


class InstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's SQLAlchemy installation store on the migrated tables."""

    def __init__(self, client_id: str, engine: Engine) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self.metadata, self.installations, self.bots = SQLModel.metadata, INSTALLATIONS, BOTS

    def enterprise_of(self, team_id: str) -> str | None:
        """The Enterprise Grid org of an installed workspace (None: a plain workspace)."""
        c = INSTALLATIONS.c
        query = (
            select(c.enterprise_id)
            .where(c.client_id == self.client_id, c.team_id == team_id)
            .order_by(c.installed_at.desc())
            .limit(1)
        )
        with self.engine.connect() as connection:
            found = connection.execute(query).first()
        return found[0] if found is not None else None

    def installed_teams(self) -> list[str]:
        """Ids of the workspaces with a bot token stored, in order."""
        c = BOTS.c
        query = (
            select(c.team_id)
            .where(c.client_id == self.client_id, c.bot_token.is_not(None), c.team_id.is_not(None))
            .distinct()
            .order_by(c.team_id)
        )
        with self.engine.connect() as connection:
            return [str(row[0]) for row in connection.execute(query)]


class OAuthStates(SQLAlchemyOAuthStateStore):
    """slack_sdk's SQLAlchemy OAuth state store on the migrated table; each state used once."""

    def __init__(self, engine: Engine, expiration_seconds: int) -> None:
        super().__init__(expiration_seconds=expiration_seconds, engine=engine)
        self.metadata, self.oauth_states = SQLModel.metadata, STATES

    def issue(self, *args: Any, **kwargs: Any) -> str:
        """A new state; expired ones are cleared first."""
        with self.engine.begin() as connection:
            connection.execute(delete(STATES).where(STATES.c.expire_at <= _now()))
        state: str = super().issue(*args, **kwargs)
        return state

    def consume(self, state: str) -> bool:
        """True once for a state issued here and not expired; False for any replay."""
        with self.engine.begin() as connection:
            gone = connection.execute(
                delete(STATES).where(STATES.c.state == state, STATES.c.expire_at > _now())
            )
        return bool(gone.rowcount)


def _now() -> datetime | None:
    return normalize_datetime_for_db(datetime.now(UTC))


def team_community(*, session: Session, team_id: str, team_name: str, timezone: str) -> Community:
    """A workspace's community (`external_id` = its team id), created on first use and named
    after the workspace — with the team id added when another community has that name."""
    found = session.exec(
        select_rows(Community)
        .where(col(Community.platform) == SLACK, col(Community.external_id) == team_id)
        .order_by(col(Community.id))
    ).first()
    if found is not None:
        return found
    name = " ".join(team_name.split())[:150] or team_id
    for candidate in (name, f"{name} ({team_id})", team_id):
        row = ensure_community(
            session=session, name=candidate, platform=SLACK, timezone=timezone, external_id=team_id
        )
        if row.platform == SLACK and row.external_id == team_id:
            return row
    raise ValueError(f"no free community name for Slack workspace {team_id}")
