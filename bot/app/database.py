"""A command's database, ready for the code: migrated when that is safe, refused in one line if not.

What an operator expects differs by backend:
- SQLite is a file on this machine, owned by this install: a schema behind the code is migrated at
  once (a release that forgot `liftbot db upgrade` just works). A missing file is created only by
  commands that fill it (`import`, `serve`, `clock`); a command that reads (`report`, `export`,
  `inbox`) says there is no database instead of leaving an empty file behind.
- PostgreSQL is shared by several processes and releases: migrating is the release step's job
  (`liftbot db upgrade`, the Procfile's `release`), so a schema behind the code stops the command.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from storage.db import make_engine, normalise_url
from storage.migrate import SchemaStatus, schema_status, upgrade

UPGRADE_HINT = "run `liftbot db upgrade`"
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


class DatabaseNotReady(Exception):
    """The database cannot serve this command; the message is one line saying what to do."""


def sqlite_file(database_url: str) -> Path | None:
    """The file of a SQLite URL; None for other backends and in-memory SQLite."""
    try:
        url = make_url(normalise_url(database_url))
    except ArgumentError as exc:
        raise DatabaseNotReady(f"DATABASE_URL is not a database URL: {database_url!r}") from exc
    if url.get_backend_name() not in SUPPORTED_BACKENDS:
        raise DatabaseNotReady(
            f"DATABASE_URL must be sqlite:///FILE or postgresql://…, not {url.get_backend_name()}"
        )
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def describe_location(database_url: str) -> str:
    """Where the database is, for a message: a SQLite file, or host/name without credentials."""
    path = sqlite_file(database_url)
    if path is not None:
        return str(path)
    url = make_url(normalise_url(database_url))
    return f"{url.host or 'localhost'}/{url.database or ''}"


def open_database(
    database_url: str, *, create: bool, note: Callable[[str], None] = lambda _: None
) -> Engine:
    """An engine whose schema is at head, or DatabaseNotReady with the one line to show.

    `create`: this command may create a missing SQLite file (it is about to store something).
    `note` hears what was done on the way (a file created, a schema migrated).
    """
    sqlite_file(database_url)  # a malformed URL is refused before any engine exists
    engine = make_engine(database_url)
    try:
        make_ready(engine, create=create, note=note)
    except DatabaseNotReady:
        engine.dispose()
        raise
    return engine


def make_ready(
    engine: Engine, *, create: bool, note: Callable[[str], None] = lambda _: None
) -> None:
    """Bring an engine's database to head as `open_database` does (an engine connects lazily)."""
    database_url = engine.url.render_as_string(hide_password=False)
    path = sqlite_file(database_url)
    if path is not None:
        _ready_sqlite(engine, database_url, path, create=create, note=note)
        return
    status = _status(engine, database_url)
    if not status.at_head:
        raise DatabaseNotReady(_not_at_head(status, database_url))


def _ready_sqlite(
    engine: Engine, database_url: str, path: Path, *, create: bool, note: Callable[[str], None]
) -> None:
    if not path.exists():
        if not create:
            raise DatabaseNotReady(
                f"no database at {path}: import an export first (`liftbot import FILE`) "
                f"or {UPGRADE_HINT}"
            )
        if not path.parent.is_dir():
            raise DatabaseNotReady(f"cannot create the database {path}: no folder {path.parent}")
    status = _status(engine, database_url)
    if status.at_head:
        return
    if not status.known:
        raise DatabaseNotReady(_not_at_head(status, database_url))
    try:
        upgrade(engine)
    except SQLAlchemyError as exc:
        raise DatabaseNotReady(f"could not migrate {path}: {_first_line(exc)}") from exc
    if status.current is None:
        note(f"created the database {path} (schema {status.head})")
    else:
        note(f"migrated the database {path} from schema {status.current} to {status.head}")


def _status(engine: Engine, database_url: str) -> SchemaStatus:
    try:
        return schema_status(engine)
    except SQLAlchemyError as exc:
        where = describe_location(database_url)
        raise DatabaseNotReady(f"cannot open the database {where}: {_first_line(exc)}") from exc


def _not_at_head(status: SchemaStatus, database_url: str) -> str:
    where = describe_location(database_url)
    if not status.known:
        return f"the database {where} has {status.describe()}: upgrade Liftbot to use it"
    return f"the database {where} has {status.describe()}: {UPGRADE_HINT}"


def _first_line(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def database_problem(engine: Engine) -> str | None:
    """Why the database cannot serve requests now (unreachable, schema not at head), or None."""
    try:
        status = schema_status(engine)
    except SQLAlchemyError as exc:
        return f"database unreachable: {_first_line(exc)}"
    if status.at_head:
        return None
    hint = "upgrade Liftbot" if not status.known else UPGRADE_HINT
    return f"database not ready: {status.describe()} ({hint})"
