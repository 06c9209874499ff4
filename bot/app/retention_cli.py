"""`liftbot retention run`: erase now what is past each community's retention limit."""

from __future__ import annotations

from datetime import UTC, datetime

import typer
from sqlalchemy.exc import SQLAlchemyError

from bot.app.database import DatabaseNotReady, open_database
from bot.config import ConfigError, Settings

retention_app = typer.Typer(
    help="Erase message text, departed members' names and payloads past the retention limit.",
    no_args_is_help=True,
)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(1)


@retention_app.command("run")
def run(
    community: str | None = typer.Option(None, help="Only this community (default: all)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Count what would go; erase nothing."),
) -> None:
    """Run the retention pass the clock runs daily, now: one line per community."""
    from bot.jobs.retention import run_retention  # start-up speed, like every command's rooms

    try:
        settings = Settings.from_env()
        engine = open_database(settings.database_url, create=False)
        lines = run_retention(
            engine, settings, datetime.now(UTC), community=community, dry_run=dry_run
        )
    except (ConfigError, DatabaseNotReady, LookupError) as exc:
        raise _fail(str(exc)) from exc
    except SQLAlchemyError as exc:
        raise _fail(
            f"database error: {type(exc).__name__} (did you run `liftbot db upgrade`?)"
        ) from exc
    for line in lines:
        typer.echo(line)
