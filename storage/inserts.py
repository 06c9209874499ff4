"""Insert-or-ignore on natural keys, the one way every external row is written once."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Boolean, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlmodel import Session, SQLModel


def _insert_for(session: Session, model: type[SQLModel]) -> Any:
    table = SQLModel.metadata.tables[str(model.__tablename__)]
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def insert_ignore(session: Session, model: type[SQLModel], values: Mapping[str, Any]) -> bool:
    """Atomically insert a row unless its natural key exists; True when it was inserted."""
    return insert_ignore_id(session, model, values) is not None


def insert_ignore_id(
    session: Session, model: type[SQLModel], values: Mapping[str, Any]
) -> int | None:
    """`insert_ignore` that returns the new row's primary key (None: the natural key existed).

    One prepared statement per (table, columns), run on the driver: the hot paths (a webhook
    stored before its ack, a live message) pay no statement construction per call.
    """
    table = SQLModel.metadata.tables[str(model.__tablename__)]
    connection = session.connection()
    dialect = connection.dialect
    given = dict(values)
    for name, value in _defaults(table, frozenset(given)):
        given[name] = value() if callable(value) else value
    columns = tuple(given)
    row: Sequence[Any] = tuple(given.values())
    processors = _processors(table, columns, dialect)
    if processors:
        row = _processed([row], processors)[0]
    # RETURNING tells a fresh row from an ignored one on every backend (psycopg's rowcount
    # after ON CONFLICT DO NOTHING is not reliable).
    sql = _insert_sql(table, columns, dialect.name, returning=True)
    inserted = connection.exec_driver_sql(sql, row).first()
    return None if inserted is None else int(inserted[0])


def insert_many_ignore_returning(
    session: Session,
    model: type[SQLModel],
    rows: Sequence[Mapping[str, Any]],
    returning: Sequence[str],
) -> list[tuple[Any, ...]]:
    """Insert-or-ignore many rows (all with the same columns) in one statement per chunk; the
    `returning` columns of the rows inserted, in no promised order (a row whose natural key
    existed, or came earlier in `rows`, is left out)."""
    if not rows:
        return []
    table = SQLModel.metadata.tables[str(model.__tablename__)]
    connection = session.connection()
    dialect = connection.dialect
    given = [dict(row) for row in rows]
    defaults = _defaults(table, frozenset(given[0]))
    for row in given:
        for name, value in defaults:
            row[name] = value() if callable(value) else value
    columns = tuple(given[0])
    values: Sequence[Sequence[Any]] = [tuple(row[name] for name in columns) for row in given]
    processors = _processors(table, columns, dialect)
    if processors:
        values = _processed(values, processors)
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(values), _ROWS_PER_STATEMENT):
        chunk = values[start : start + _ROWS_PER_STATEMENT]
        sql = _insert_many_sql(table, columns, dialect.name, len(chunk), tuple(returning))
        flat = [value for row in chunk for value in row]
        found += [tuple(r) for r in connection.exec_driver_sql(sql, tuple(flat)).fetchall()]
    return found


_ROWS_PER_STATEMENT = 200  # well under both backends' limits on parameters per statement


@lru_cache(maxsize=256)
def _insert_many_sql(
    table: Table, columns: tuple[str, ...], dialect: str, rows: int, returning: tuple[str, ...]
) -> str:
    """INSERT … VALUES (…), (…) … ON CONFLICT DO NOTHING RETURNING …, driver parameter style."""
    names = ", ".join(f'"{name}"' for name in columns)
    mark = "%s" if dialect == "postgresql" else "?"
    group = "(" + ", ".join(mark for _ in columns) + ")"
    tail = ", ".join(f'"{name}"' for name in returning)
    return (
        f'INSERT INTO "{table.name}" ({names}) VALUES {", ".join([group] * rows)} '
        f"ON CONFLICT DO NOTHING RETURNING {tail}"
    )


def insert_many_ignore(
    session: Session, model: type[SQLModel], rows: Sequence[Mapping[str, Any]]
) -> None:
    """Bulk insert-or-ignore (one executemany); existing natural keys are left untouched."""
    if rows:
        session.execute(_insert_for(session, model).on_conflict_do_nothing(), list(rows))


def insert_rows_ignore(
    session: Session,
    model: type[SQLModel],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Bulk insert-or-ignore of plain tuples at the driver's speed, in the session's transaction.

    Values go through each column's own bind processing (the same conversion the ORM applies,
    so stored bytes are identical), then straight to the driver: one `executemany` of
    `INSERT OR IGNORE` on SQLite, `COPY` into a scratch table and one `INSERT … SELECT … ON
    CONFLICT DO NOTHING` on PostgreSQL. Rows are inserted in the given order.
    """
    if not rows:
        return
    table = SQLModel.metadata.tables[str(model.__tablename__)]
    connection = session.connection()
    dialect = connection.dialect
    defaults = _defaults(table, frozenset(columns))
    if defaults:
        extra = tuple(value() if callable(value) else value for _, value in defaults)
        columns = (*columns, *(name for name, _ in defaults))
        rows = [(*row, *extra) for row in rows]
    processors = _processors(table, tuple(columns), dialect)
    if processors:
        rows = _processed(rows, processors)
    if dialect.name == "postgresql":
        names = ", ".join(f'"{name}"' for name in columns)
        _copy_then_insert(connection.connection.dbapi_connection, table.name, names, rows)
        return
    sql = _insert_sql(table, tuple(columns), dialect.name, returning=False)
    connection.exec_driver_sql(sql, [tuple(row) for row in rows])


Processors = tuple[tuple[int, Callable[[Any], Any]], ...]


@lru_cache(maxsize=256)
def _insert_sql(table: Table, columns: tuple[str, ...], dialect: str, *, returning: bool) -> str:
    """INSERT … ON CONFLICT DO NOTHING in the driver's own parameter style."""
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join(("%s" if dialect == "postgresql" else "?") for _ in columns)
    key = table.primary_key.columns.values()[0].name
    tail = f' RETURNING "{key}"' if returning else ""
    return f'INSERT INTO "{table.name}" ({names}) VALUES ({marks}) ON CONFLICT DO NOTHING{tail}'


@lru_cache(maxsize=256)
def _defaults(table: Table, given: frozenset[str]) -> tuple[tuple[str, Any], ...]:
    """(column, value or zero-argument factory) for the model defaults a row leaves out, as
    SQLAlchemy would fill them in (the primary key and server-side defaults excepted)."""
    found = []
    for column in table.columns:
        if column.name in given or column.primary_key or column.default is None:
            continue
        default: Any = column.default
        if default.is_scalar:
            found.append((column.name, default.arg))
        elif default.is_callable:
            found.append((column.name, _factory(default.arg)))
    return tuple(found)


def _factory(wrapped: Callable[[Any], Any]) -> Callable[[], Any]:
    # SQLAlchemy wraps a model's default factory to take an execution context it ignores.
    return lambda: wrapped(None)


@lru_cache(maxsize=64)
def _processors(table: Table, columns: tuple[str, ...], dialect: Dialect) -> Processors:
    """(position, converter) for every column whose type converts values on the way in."""
    found = []
    for position, name in enumerate(columns):
        column_type = table.columns[name].type
        if dialect.name == "sqlite" and isinstance(column_type, Boolean):
            continue  # sqlite3 binds Python bools as the same 0/1 integers the processor makes
        processor = column_type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            found.append((position, processor))
    return tuple(found)


def _processed(rows: Sequence[Sequence[Any]], processors: Processors) -> list[tuple[Any, ...]]:
    # Column by column with map(): a batch has thousands of rows and a handful of converting
    # columns, so this keeps the per-value work out of Python's loop.
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for position, processor in processors:
        columns[position] = list(map(processor, columns[position]))
    return list(zip(*columns, strict=True))


def _copy_then_insert(
    dbapi_connection: Any, table: str, names: str, rows: Sequence[Sequence[Any]]
) -> None:
    """PostgreSQL: COPY the batch into a scratch table dropped at commit, then insert what is
    new in one statement (COPY itself cannot skip existing keys)."""
    scratch = f"liftbot_copy_{table}"
    with dbapi_connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TEMP TABLE "{scratch}" ON COMMIT DROP AS '
            f'SELECT {names} FROM "{table}" WITH NO DATA'
        )
        cursor.execute(f'ALTER TABLE "{scratch}" ADD COLUMN liftbot_order BIGSERIAL')
        with cursor.copy(f'COPY "{scratch}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f'INSERT INTO "{table}" ({names}) SELECT {names} FROM "{scratch}" '
            "ORDER BY liftbot_order ON CONFLICT DO NOTHING"
        )
        cursor.execute(f'DROP TABLE "{scratch}"')
