"""The `liftbot` command line."""

from __future__ import annotations

from pathlib import Path

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


@app.command("report")
def report_command(
    community: str | None = typer.Option(None, help="Community name (default: the only one)."),
    week: str | None = typer.Option(
        None, help="ISO week like 2026-W47, or 'latest' (default: last complete week)."
    ),
    output_format: str = typer.Option("text", "--format", help="text|json|html|csv|blocks"),
    out: Path | None = typer.Option(None, help="Write to this file instead of the terminal."),
) -> None:
    """Print the weekly imbalance report of a community."""
    from datetime import UTC, datetime

    from bot.report_output import report_output
    from bot.reports import ReportError
    from bot.weeks import WeekError

    try:
        settings = Settings.from_env()
        text = report_output(
            make_engine(settings.database_url),
            settings,
            community=community,
            week=week,
            fmt=output_format,
            now=datetime.now(UTC),
        )
    except (ConfigError, ReportError, WeekError) as exc:
        raise fail(str(exc)) from exc
    if out is None:
        typer.echo(text, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    typer.echo(f"report written to {out}")


@app.command("clock")
def clock_command(
    once: bool = typer.Option(False, "--once", help="Run one tick and exit."),
    console: bool = typer.Option(
        False, "--console", help="Print the posts here instead of sending them (a trial run)."
    ),
) -> None:
    """Run scheduled posts (weekly report, digest, nudges): each claimed once in the database."""
    from bot.jobs import run_clock
    from bot.senders import ConsoleSender, configured_sender

    try:
        settings = Settings.from_env()
        engine = make_engine(settings.database_url)
    except ConfigError as exc:
        raise fail(str(exc)) from exc
    sender = ConsoleSender() if console else configured_sender(settings)
    if sender is None:
        # Claims are final: a clock without a platform sender would mark posts done unsent.
        raise fail("no Slack or WhatsApp sender is configured; use --console for a trial run")
    run_clock(engine, settings, sender, once=once)


def main() -> None:
    """Console-script entry point."""
    app()
