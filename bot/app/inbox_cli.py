"""`liftbot inbox`: what the webhook inbox holds, and retrying or dropping what failed."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.app.database import DatabaseNotReady, open_database
from bot.config import ConfigError, Settings
from storage import inbox
from storage.db import session_scope

inbox_app = typer.Typer(
    help="Webhook deliveries: counts, failures, retry and drop.", no_args_is_help=True
)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(1)


def _engine() -> Engine:
    try:
        return open_database(Settings.from_env().database_url, create=False)
    except (ConfigError, DatabaseNotReady) as exc:
        raise _fail(str(exc)) from exc


@inbox_app.command("list")
def list_deliveries(limit: int = typer.Option(50, help="How many failures to show.")) -> None:
    """Counts per platform and state, then the dead, failed and rejected deliveries."""
    try:
        with session_scope(_engine()) as session:
            counts = inbox.counts(session=session)
            rows = inbox.troubled(session=session, limit=limit)
    except SQLAlchemyError as exc:
        reason = f"database error: {type(exc).__name__} (did you run `liftbot db upgrade`?)"
        raise _fail(reason) from exc
    console = Console()
    summary = Table("source", "state", "deliveries")
    for (source, state), n in sorted(counts.items()):
        summary.add_row(source, state, str(n))
    console.print(summary)
    if rows:
        trouble = Table("id", "source", "state", "attempts", "received", "error")
        for row in rows:
            trouble.add_row(
                str(row.id), row.source, row.status, str(row.attempts),
                f"{row.received_at:%Y-%m-%d %H:%M}", row.error or "",
            )  # fmt: skip
        console.print(trouble)


@inbox_app.command("retry")
def retry(
    ids: list[int] = typer.Argument(None, help="Delivery ids (see `liftbot inbox list`)."),
    all_dead: bool = typer.Option(False, "--all-dead", help="Every dead delivery."),
) -> None:
    """Give failed or dead deliveries a fresh set of attempts at the next clock tick."""
    try:
        with session_scope(_engine()) as session:
            chosen = inbox.dead_ids(session=session) if all_dead else list(ids or [])
            if not chosen:
                raise _fail("name delivery ids, or --all-dead")
            count = inbox.retry(session=session, ids=chosen)
    except SQLAlchemyError as exc:
        raise _fail(f"database error: {type(exc).__name__}") from exc
    typer.echo(f"{count} deliver{'y' if count == 1 else 'ies'} will be retried")


@inbox_app.command("drop")
def drop(ids: list[int] = typer.Argument(..., help="Delivery ids to give up on.")) -> None:
    """Give up on deliveries: their payload is erased; a redelivery stays a duplicate."""
    try:
        with session_scope(_engine()) as session:
            count = inbox.drop(session=session, ids=ids)
    except SQLAlchemyError as exc:
        raise _fail(f"database error: {type(exc).__name__}") from exc
    typer.echo(f"{count} deliver{'y' if count == 1 else 'ies'} dropped")
