"""Shared fixtures: a migrated database (SQLite file, or PostgreSQL when configured)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from storage.db import make_engine, normalise_url
from storage.migrate import upgrade

PG_URL = os.environ.get("LIFTBOT_TEST_DATABASE_URL", "")
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FIXTURES = Path(__file__).parent / "fixtures"


def _backends() -> list[str]:
    return ["sqlite", "postgres"] if PG_URL else ["sqlite"]


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A throwaway PostgreSQL database for this test session, migrated once."""
    if not PG_URL:
        pytest.skip("LIFTBOT_TEST_DATABASE_URL is not set")
    admin = make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    name = f"liftbot_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = normalise_url(PG_URL).rsplit("/", 1)[0]
    url = f"{base}/{name}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=_backends())
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A freshly migrated database on each configured backend."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'liftbot.db'}")
        upgrade(eng)
    else:
        url = request.getfixturevalue("pg_database")
        eng = make_engine(url)
        _truncate_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite database file only (for tests about files and processes)."""
    eng = make_engine(f"sqlite:///{tmp_path / 'liftbot.db'}")
    upgrade(eng)
    yield eng
    eng.dispose()


def _truncate_all(engine: Engine) -> None:
    from sqlmodel import SQLModel

    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
