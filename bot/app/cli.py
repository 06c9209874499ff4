"""The `liftbot` command line.

Commands import their heavy rooms (renderers with matplotlib, platform SDKs, the web server) when
they run, not at the top: `liftbot --help` and `liftbot classify` stay fast (CLI start-up speed).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from alembic.util.exc import CommandError
from rich.console import Console
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from bot.app.contracts import (
    InputError,
    analyze_file,
    classify_records,
    export_meta,
    read_records,
    seniority_records,
)
from bot.app.database import (
    UPGRADE_HINT,
    DatabaseNotReady,
    describe_location,
    make_ready,
    open_database,
    sqlite_file,
)
from bot.app.inbox_cli import inbox_app
from bot.app.progress import import_progress
from bot.app.retention_cli import retention_app
from bot.config import ConfigError, Settings, validate_zone
from bot.judgement.classify import Classifier
from handlers.whatsapp_export import DateOrder, ExportFormatError
from storage.db import make_engine
from storage.migrate import head_revision, upgrade

app = typer.Typer(help="Liftbot: see who gets help in your community.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(inbox_app, name="inbox")
app.add_typer(retention_app, name="retention")
console = Console(stderr=True)


class OutputFormat(StrEnum):
    """Formats of `liftbot export`."""

    JSONL = "jsonl"
    CSV = "csv"


def fail(message: str) -> typer.Exit:
    """Print one readable error line and return the exit to raise."""
    console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a user can act on into one line and exit 1, never a traceback."""
    try:
        yield
    except (ConfigError, DatabaseNotReady, ExportFormatError, InputError) as exc:
        raise fail(str(exc)) from exc
    except FileNotFoundError as exc:
        raise fail(f"no such file: {exc.filename}") from exc
    except OperationalError as exc:
        raise fail(f"database error: {_first_line(exc)} ({UPGRADE_HINT}?)") from exc
    except SQLAlchemyError as exc:
        raise fail(f"database error: {_first_line(exc)}") from exc


def _first_line(error: BaseException) -> str:
    reason = getattr(error, "orig", None) or error
    return (str(reason).strip().splitlines() or [type(reason).__name__])[0]


def _note(message: str) -> None:
    console.print(message, highlight=False, soft_wrap=True)


def command_database(settings: Settings, *, create: bool) -> Engine:
    """The command's engine, schema at head (SQLite migrated on the way; see bot.app.database)."""
    return open_database(settings.database_url, create=create, note=_note)


def _open_input(path: str) -> Any:
    return sys.stdin if path == "-" else open(path, encoding="utf-8")


def _print_json_lines(records: Iterator[dict[str, Any]]) -> None:
    for record in records:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Create or migrate the database schema."""
    with user_errors():
        settings = Settings.from_env()
        path = sqlite_file(settings.database_url)
        if path is not None and not path.parent.is_dir():
            raise fail(f"cannot create the database {path}: no folder {path.parent}")
        try:
            upgrade(make_engine(settings.database_url), revision)
        except CommandError as exc:
            raise fail(f"cannot upgrade to {revision!r}: {exc}") from exc
        except SQLAlchemyError as exc:
            where = describe_location(settings.database_url)
            raise fail(f"cannot upgrade the database {where}: {_first_line(exc)}") from exc
    target = head_revision() if revision == "head" else revision
    console.print(f"database at schema {target}", highlight=False)


@app.command("import")
def import_command(
    file: Path = typer.Argument(
        ..., help="WhatsApp export: .txt, or .zip as shared from the phone."
    ),
    community: str | None = typer.Option(None, help="Community name (default: from the file)."),
    date_order: DateOrder | None = typer.Option(
        None, help="Day/month order if the file is ambiguous."
    ),
    timezone: str | None = typer.Option(None, help="Zone of the exporting phone (IANA name)."),
) -> None:
    """Import a WhatsApp "Export chat" file; importing it again adds nothing."""
    from bot.pipeline.importer import summary_sentence  # start-up speed
    from handlers.export_files import check_export, import_file, line_count

    with user_errors():
        settings = Settings.from_env()
        if timezone is not None:
            validate_zone(timezone, "--timezone")
        # The file is judged before the database is opened: a refused file creates nothing.
        check_export(file, max_bytes=settings.max_import_bytes, date_order=date_order)
        engine = command_database(settings, create=True)
        with import_progress(console) as progress:
            total = line_count(file) if not progress.disable else 0
            task = progress.add_task(f"importing {file.name}", total=total or None, messages=0)

            def advance(entries: int, line: int) -> None:
                done = progress.tasks[task].fields["messages"] + entries
                progress.update(task, completed=min(line, total) if total else None, messages=done)

            summary = import_file(
                file,
                engine=engine,
                settings=settings,
                community=community,
                date_order=date_order,
                timezone=timezone,
                progress=advance,
                checked=True,
            )
    console.print(summary_sentence(summary), highlight=False)


@app.command()
def analyze(
    file: Path = typer.Argument(..., help="WhatsApp export (.txt or .zip)."),
    as_json: bool = typer.Option(True, "--json/--no-json", help="JSON lines (the only format)."),
    date_order: DateOrder | None = typer.Option(None, help="Day/month order if ambiguous."),
    meta: bool = typer.Option(
        False, "--meta", help='First print {"meta": {format, date_order, language, ...}}.'
    ),
) -> None:
    """Parse and judge an export without a database; one JSON object per entry."""
    with user_errors():
        if meta:
            _print_json_lines(iter([export_meta(file, date_order=date_order)]))
        _print_json_lines(analyze_file(file, date_order=date_order))


@app.command()
def classify(
    path: str = typer.Argument("-", help='JSON lines {"id", "text"}; - for stdin.'),
) -> None:
    """Classify messages: {"id","kind","confidence","reason","author_level","role_level"} out."""
    with user_errors(), _open_input(path) as stream:
        _print_json_lines(classify_records(read_records(stream), Classifier()))


@app.command()
def seniority(
    path: str = typer.Argument("-", help='JSON lines {"id", "text"}; - for stdin.'),
) -> None:
    """Level of titles, display names or self-introductions: {"id","level","reason"} out."""
    with user_errors(), _open_input(path) as stream:
        _print_json_lines(seniority_records(read_records(stream)))


@app.command("export")
def export_command(
    community: str | None = typer.Option(None, help="Community name (default: the only one)."),
    output_format: OutputFormat = typer.Option(OutputFormat.JSONL, "--format"),
    out: Path | None = typer.Option(None, help="Write to this file instead of stdout."),
) -> None:
    """Every stored message with its analysis, as JSON lines or CSV."""
    from bot.reports.stored_messages import export_messages  # start-up speed

    with user_errors():
        settings = Settings.from_env()
        engine = command_database(settings, create=False)
        stream = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout  # noqa: SIM115
        try:
            export_messages(engine, settings, community, output_format.value, stream)
        finally:
            if out:
                stream.close()


@app.command("eval")
def eval_command(
    data: Path = typer.Option(
        Path("../shared/data"), help="Folder with messages.jsonl, titles.jsonl, sample_chat*."
    ),
    chats: Path | None = typer.Option(
        None, help="Score every labelled chat (*_truth.json) in this folder instead."
    ),
    cv: bool = typer.Option(True, help="Also cross-validate the kind model on its corpus."),
    blind: Path | None = typer.Option(
        None, help="Held-out labelled messages (default: eval/blind/messages.jsonl if present)."
    ),
) -> None:
    """Score the judgement against labelled data and print a table."""
    # Imported here for start-up speed, like every command's heavy modules.
    from bot.evaluation.chat_truth import TruthFileError
    from bot.evaluation.chats import evaluate_chats, render_chats
    from bot.evaluation.evaluate import EvalDataError, evaluate, render_eval
    from bot.evaluation.kinds import BLIND_MESSAGES, cross_validated, held_out, render_kinds

    with user_errors():
        if chats is not None:
            if not chats.is_dir():
                raise fail(f"no chats folder at {chats} (use --chats DIR)")
            try:
                typer.echo(render_chats(evaluate_chats(chats)))
            except (EvalDataError, TruthFileError) as exc:
                raise fail(str(exc)) from exc
            return
        if not data.is_dir():
            raise fail(f"no data folder at {data} (use --data DIR)")
        try:
            report = evaluate(data)
        except EvalDataError as exc:
            raise fail(str(exc)) from exc
        typer.echo(render_eval(report))
        held = blind or (BLIND_MESSAGES if BLIND_MESSAGES.exists() else None)
        if held is not None:
            try:
                scores = held_out(held, name=f"held out: {held}")
            except EvalDataError as exc:
                raise fail(str(exc)) from exc
            typer.echo("\n" + render_kinds(scores))
        if cv:
            typer.echo("\n" + render_kinds(cross_validated()))


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
    # Imported here for start-up speed: the renderers load matplotlib.
    from bot.reports.output import report_output
    from bot.reports.weekly import ReportError
    from bot.reports.weeks import WeekError

    with user_errors():
        settings = Settings.from_env()
        try:
            text = report_output(
                command_database(settings, create=False),
                settings,
                community=community,
                week=week,
                fmt=output_format,
                now=datetime.now(UTC),
            )
        except (ReportError, WeekError) as exc:
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
    to_console: bool = typer.Option(
        False, "--console", help="Print the posts here instead of sending them (a trial run)."
    ),
) -> None:
    """Run scheduled posts (weekly report, digest, nudges): each claimed once in the database."""
    # Imported here for start-up speed: the platform SDKs and the renderers are heavy.
    from bot.app.platforms import clock_startup_line
    from bot.app.senders import configured_router
    from bot.app.services import build_services, drain_inboxes
    from bot.jobs.clock import run_clock
    from bot.jobs.senders import ConsoleSender

    with user_errors():
        settings = Settings.from_env()
        _note(clock_startup_line(settings))
        engine = make_engine(settings.database_url)  # connects lazily: nothing is created yet
        sender = ConsoleSender() if to_console else configured_router(settings, engine)
        if sender is None:
            # Claims are final: a clock without a platform sender would mark posts done unsent.
            raise fail(
                "no Slack, WhatsApp or LIFTBOT_REPORT_DIR destination is configured; "
                "use --console for a trial run"
            )
        make_ready(engine, create=True, note=_note)
        services = build_services(settings, engine)
    run_clock(
        services.engine,
        settings,
        sender,
        once=once,
        maintenance=lambda: drain_inboxes(services),
    )


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Run the web app (Slack events, webhooks); Socket Mode when SLACK_APP_TOKEN is set."""
    # Imported here for start-up speed: the web stack and the platform SDKs are heavy.
    import uvicorn

    from bot.app.platforms import web_startup_line
    from bot.app.services import build_services, slack_edge
    from bot.app.web import create_app
    from bot.app.worker import hand_off_processing
    from handlers.slack.socket import connect_socket_mode

    with user_errors():
        settings = Settings.from_env()
        services = build_services(settings, command_database(settings, create=True))
        _note(web_startup_line(settings))
        hand_off_processing(services)
        if settings.slack_app_token:
            connect_socket_mode(slack_edge(services))
        uvicorn.run(create_app(services), host=host, port=port)


@app.command()
def worker(
    once: bool = typer.Option(False, "--once", help="Process what is due now, then exit."),
) -> None:
    """Process stored Slack and WhatsApp deliveries in batches (run beside `serve` with
    LIFTBOT_INLINE_PROCESSING=0; several workers may run on PostgreSQL)."""
    from bot.app.services import build_services  # start-up speed
    from bot.app.worker import InboxWorker

    with user_errors():
        inbox_worker = InboxWorker(build_services(Settings.from_env()))
        if once:
            while inbox_worker.drain_once():
                pass
            return
        inbox_worker.run()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
