"""Per-community settings: what moderators changed from the deployment's defaults."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.inserts import insert_ignore
from storage.tables import CommunitySetting, utcnow


def community_settings(*, session: Session, community_id: int) -> dict[str, str]:
    """The settings chosen for one community, by name."""
    rows = session.exec(
        select(CommunitySetting.name, CommunitySetting.value).where(
            col(CommunitySetting.community_id) == community_id
        )
    )
    return {name: value for name, value in rows}


def put_community_setting(
    *, session: Session, community_id: int, name: str, value: str, by: str = ""
) -> None:
    """Set (or replace) one community's setting; concurrent writers leave one row."""
    insert_ignore(
        session,
        CommunitySetting,
        {"community_id": community_id, "name": name, "value": value, "updated_by": by,
         "updated_at": utcnow()},
    )  # fmt: skip
    row = session.exec(
        select(CommunitySetting).where(
            col(CommunitySetting.community_id) == community_id, col(CommunitySetting.name) == name
        )
    ).one()
    row.value, row.updated_by, row.updated_at = value, by, utcnow()
    session.add(row)
    session.flush()


def drop_community_setting(*, session: Session, community_id: int, name: str) -> bool:
    """Back to the default for one setting; False when it was not set."""
    result = session.execute(
        delete(CommunitySetting).where(
            col(CommunitySetting.community_id) == community_id, col(CommunitySetting.name) == name
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
