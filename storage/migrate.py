"""Run Alembic migrations from code (`liftbot db upgrade`, tests, the Procfile's release)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to this engine."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision`."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision`."""
    command.downgrade(alembic_config(engine), revision)


@cache
def _scripts() -> tuple[str, frozenset[str]]:
    # Read once per process: the migration files do not change while it runs.
    scripts = ScriptDirectory(str(MIGRATIONS))
    head = scripts.get_current_head()
    assert head is not None
    return head, frozenset(s.revision for s in scripts.walk_revisions())


def head_revision() -> str:
    """The newest revision this code knows."""
    return _scripts()[0]


@dataclass(frozen=True)
class SchemaStatus:
    """Where a database's schema stands against the code's migrations."""

    current: str | None  # None: no Liftbot tables yet
    head: str
    known: bool  # False: a revision newer than this code (written by a later release)

    @property
    def at_head(self) -> bool:
        """True when the schema is exactly what the code expects."""
        return self.current == self.head

    @property
    def behind(self) -> bool:
        """True when `upgrade` would bring the schema to head."""
        return self.known and not self.at_head

    def describe(self) -> str:
        """The state in words, for an operator."""
        if self.at_head:
            return f"schema {self.head}"
        if self.current is None:
            return "no Liftbot tables yet"
        if not self.known:
            return f"schema {self.current}, newer than this Liftbot ({self.head})"
        return f"schema {self.current}, this Liftbot needs {self.head}"


def schema_status(engine: Engine) -> SchemaStatus:
    """The database's revision against head; raises SQLAlchemyError when it cannot be read."""
    head, known = _scripts()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return SchemaStatus(current=current, head=head, known=current is None or current in known)
