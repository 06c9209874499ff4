"""The `liftbot` command line."""

from __future__ import annotations

import typer

from bot.config import ConfigError, Settings
from storage.db import make_engine
from storage.migrate import upgrade

app = typer.Typer(help="Liftbot: see who gets help in your community.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def fail(message: str) -> typer.Exit:
    """Print one readable error line and return the exit to raise."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code=1)


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Create or migrate the database schema."""
    try:
        settings = Settings.from_env()
        upgrade(make_engine(settings.database_url), revision)
    except ConfigError as exc:
        raise fail(str(exc)) from exc
    typer.echo(f"database at {revision}")


def main() -> None:
    """Console-script entry point."""
    app()
