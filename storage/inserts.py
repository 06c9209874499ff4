"""Insert-or-ignore on natural keys, the one way every external row is written once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel


def _insert_for(session: Session, model: type[SQLModel]) -> Any:
    table = SQLModel.metadata.tables[str(model.__tablename__)]
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def insert_ignore(session: Session, model: type[SQLModel], values: Mapping[str, Any]) -> bool:
    """Atomically insert a row unless its natural key exists; True when it was inserted."""
    # RETURNING tells a fresh row from an ignored one on every backend (psycopg's rowcount
    # after ON CONFLICT DO NOTHING is not reliable).
    statement = _insert_for(session, model).values(**values).on_conflict_do_nothing()
    key = SQLModel.metadata.tables[str(model.__tablename__)].primary_key.columns.values()[0]
    return session.execute(statement.returning(key)).first() is not None


def insert_many_ignore(
    session: Session, model: type[SQLModel], rows: Sequence[Mapping[str, Any]]
) -> None:
    """Bulk insert-or-ignore (one executemany); existing natural keys are left untouched."""
    if rows:
        session.execute(_insert_for(session, model).on_conflict_do_nothing(), list(rows))
