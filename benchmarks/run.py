"""`make bench`: speed and memory figures, each step in its own process so peak RSS is its own.

Usage: python -m benchmarks.run [--messages N] [--only STEP,...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

DATA = Path("bench-data")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_parse(export: str) -> dict[str, Any]:
    """Liftbot's streaming parse of the export."""
    from benchmarks.export_bench import bench_parse

    return bench_parse(Path(export))


def step_whatstk(export: str) -> dict[str, Any]:
    """whatstk's auto-detecting parse of the same file, for comparison."""
    from benchmarks.export_bench import bench_whatstk

    return bench_whatstk(Path(export))


def step_import(export: str) -> dict[str, Any]:
    """Import (parse, classify, store) into a fresh database, then link answers and levels.

    SQLite by default; LIFTBOT_BENCH_DATABASE_URL names a PostgreSQL database to use instead
    (its tables are emptied first). Wall and CPU seconds: the machine is shared, and parsing
    and classifying run in a second process whose CPU time is reported on its own.
    """
    from bot.config import Settings
    from bot.pipeline.reanalysis import reanalyze
    from handlers.export_files import import_file
    from storage import queries
    from storage.db import make_engine, session_scope
    from storage.migrate import upgrade

    url = os.environ.get("LIFTBOT_BENCH_DATABASE_URL", "")
    if not url:
        db = DATA / "import.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{db}"
    engine = make_engine(url)
    upgrade(engine)
    if not url.startswith("sqlite"):
        _empty_postgres(engine)
    settings = Settings.from_env({"DATABASE_URL": url, "LIFTBOT_SECRET_KEY": "bench"})
    started, cpu = time.perf_counter(), time.process_time()
    summary = import_file(
        Path(export), engine=engine, settings=settings, community="bench", link_answers=False
    )
    stored, stored_cpu = time.perf_counter() - started, time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert summary.first is not None
    started, cpu = time.perf_counter(), time.process_time()
    with session_scope(engine) as session:
        community = queries.community_named(session=session, name="bench")
    assert community is not None and community.id is not None
    judged = reanalyze(engine=engine, community_id=community.id, since=summary.first)
    link_seconds, link_cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "messages": summary.entries,
        "backend": engine.dialect.name,
        "seconds": round(stored, 2),
        "messages_per_s": round(summary.entries / stored),
        "writer_cpu_seconds": round(stored_cpu, 2),
        "reader_process_cpu_seconds": round(children.ru_utime + children.ru_stime, 2),
        "reader_process_peak_rss_mb": round(children.ru_maxrss / 1024, 1),
        "link_answers_seconds": round(link_seconds, 2),
        "link_answers_cpu_seconds": round(link_cpu, 2),
        # The linking pass's own rate (issue 15: ≥ 50,000 messages/s), by wall and by CPU time.
        "link_answers_messages_per_s": round(judged / link_seconds),
        "link_answers_messages_per_cpu_s": round(judged / link_cpu),
    }


def _empty_postgres(engine: Any) -> None:
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(
            text(
                "TRUNCATE message, member, import_run, inbox_event, community"
                " RESTART IDENTITY CASCADE"
            )
        )


def step_classify(export: str) -> dict[str, Any]:
    """Classifier throughput on one core (CPU time, best of three on the shared machine): the
    export's first 200,000 bodies, which repeat as real chats do ("Good morning", "+1"), and
    distinct messages (the corpus, the held-out sets and ../shared/data), each seen once by a
    new classifier. Reading the model and laying out its tables is start-up, not timed; a
    first, untimed batch of other text warms the process. Role levels of job posts are part
    of a verdict; their share is reported too."""
    from itertools import islice

    from bot.domain import Kind
    from bot.judgement.classify import Classifier
    from bot.judgement.job_levels import role_level
    from bot.judgement.kind_features import clean
    from bot.judgement.kind_model import shipped_model
    from handlers.whatsapp_export import open_export, parse_export

    bodies = [e.body for e in islice(parse_export(open_export(Path(export))), 200_000)]
    distinct = list(dict.fromkeys(_distinct_messages()))
    shipped_model().tables  # noqa: B018  # start-up: the model is read once per process
    Classifier().classify_many(list(dict.fromkeys(bodies))[:2_000])
    seconds = min(_cpu(lambda: Classifier().classify_many(bodies)) for _ in range(3))
    distinct_seconds = min(_cpu(lambda: Classifier().classify_many(distinct)) for _ in range(3))
    posts = [clean(t) for t, v in zip(distinct, Classifier().classify_many(distinct), strict=True)
             if v.kind is Kind.JOB_POST]  # fmt: skip
    level_seconds = min(_cpu(lambda: [role_level(p) for p in posts]) for _ in range(3))
    return {"messages": len(bodies), "seconds": round(seconds, 2),
            "messages_per_s": round(len(bodies) / seconds),
            "distinct_messages": len(distinct), "distinct_seconds": round(distinct_seconds, 3),
            "distinct_messages_per_s": round(len(distinct) / distinct_seconds),
            "distinct_job_posts": len(posts), "role_level_seconds": round(level_seconds, 3),
            "distinct_without_levels_per_s": round(
                len(distinct) / (distinct_seconds - level_seconds))}  # fmt: skip


def _distinct_messages() -> list[str]:
    """Realistic messages that are all different: the corpus, then labelled sets never trained
    on (benchmarks/heldout_kinds*.jsonl and, when present, ../shared/data)."""
    from bot.judgement.training import load_corpus
    from handlers.whatsapp_export import open_export, parse_export

    texts = [e.text for e in load_corpus()]
    for path in sorted(Path(__file__).parent.glob("heldout_kinds*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text().splitlines() if line]
    shared = next((p for p in (Path("../shared/data"), Path("../../shared/data")) if p.is_dir()),
                  None)  # fmt: skip
    if shared is not None:
        lines = (shared / "messages.jsonl").read_text().splitlines()
        texts += [json.loads(line)["text"] for line in lines if line]
        texts += [e.body for e in parse_export(open_export(shared / "sample_chat.txt"))]
    return texts


def _cpu(work: Callable[[], object]) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def step_report(_: str) -> dict[str, Any]:
    """Weekly report build time on a 1,000,000-message database."""
    from benchmarks.report_bench import bench_weekly_report

    return bench_weekly_report(f"sqlite:///{DATA / 'report.db'}")


def step_slack(_: str) -> dict[str, Any]:
    """Slack ack latency with a large database."""
    from benchmarks.slack_bench import bench_slack_ack

    return bench_slack_ack(f"sqlite:///{DATA / 'import.db'}")


def step_slack_load(_: str) -> dict[str, Any]:
    """3,000 signed Slack events over 8 keep-alive connections to one web process (its own
    process, as `serve` runs), as fast as acks come back: acks/s, p50/p99, the web process's
    CPU per ack; first storing only, a separate worker processing after (its events/s of CPU
    and wall time), then with `serve`'s own worker process processing meanwhile. SQLite by
    default; LIFTBOT_BENCH_DATABASE_URL names a PostgreSQL database to use instead (emptied)."""
    from benchmarks.slack_bench import bench_slack_saturation, seed_messages
    from storage.db import make_engine
    from storage.migrate import upgrade

    url = os.environ.get("LIFTBOT_BENCH_DATABASE_URL", "")
    if url:
        engine = make_engine(url)
        upgrade(engine)
        _empty_postgres(engine)
        engine.dispose()
    else:
        url = f"sqlite:///{DATA / 'slack_load.db'}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DATA / 'slack_load.db'}{suffix}").unlink(missing_ok=True)
    seed_messages(url, 100_000)
    return {
        "separate_worker": bench_slack_saturation(url, inline=False),
        "inline_worker": bench_slack_saturation(url, inline=True),
    }


def step_whatsapp(_: str) -> dict[str, Any]:
    """Twilio webhook latency at 20 requests/s."""
    from benchmarks.whatsapp_bench import bench_webhook

    return bench_webhook(f"sqlite:///{DATA / 'import.db'}")


STEPS: dict[str, Callable[[str], dict[str, Any]]] = {
    "parse": step_parse,
    "whatstk": step_whatstk,
    "classify": step_classify,
    "import": step_import,
    "report": step_report,
    "slack": step_slack,
    "slack_load": step_slack_load,
    "whatsapp": step_whatsapp,
}


def child(step: str, export: str) -> None:
    """Run one step in this process and print its figures with this process's peak RSS."""
    figures = STEPS[step](export)
    figures["peak_rss_mb"] = round(_peak_rss_mb(), 1)
    print(json.dumps(figures))


def run_step(step: str, export: Path) -> dict[str, Any]:
    """Run a step in a child process; a failing step reports its error instead of figures."""
    code = f"import benchmarks.run as r; r.child({step!r}, {str(export)!r})"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=900, check=False
    )
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Generate the data set once, run every step, print a table and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--only", default=",".join(STEPS))
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    export = DATA / f"export_{args.messages}.txt"
    if not export.exists():
        from benchmarks.export_bench import generate_export

        print(f"generating {args.messages:,} messages -> {export}", flush=True)
        with tempfile.NamedTemporaryFile(dir=DATA, delete=False) as tmp:
            generate_export(Path(tmp.name), args.messages)
        os.replace(tmp.name, export)
    results: dict[str, Any] = {}
    for step in args.only.split(","):
        print(f"running {step} …", flush=True)
        results[step] = run_step(step, export)
        print(f"  {step}: {json.dumps(results[step])}", flush=True)
    _summarise(results)
    (DATA / "results.json").write_text(json.dumps(results, indent=2))


def _summarise(results: dict[str, Any]) -> None:
    parse, whatstk = results.get("parse", {}), results.get("whatstk", {})
    imp = results.get("import", {})
    if "seconds" in parse and "seconds" in whatstk:
        speed_up = whatstk["seconds"] / parse["seconds"]
        print(f"parse speed-up over whatstk: {speed_up:.1f}x (target >= 5x)")
    if "cpu_seconds" in parse and "cpu_seconds" in whatstk:
        cpu_speed_up = whatstk["cpu_seconds"] / parse["cpu_seconds"]
        print(f"parse speed-up over whatstk in CPU time: {cpu_speed_up:.1f}x (target >= 5x)")
    if "seconds" in imp and "seconds" in whatstk:
        verdict = "meets" if imp["seconds"] < whatstk["seconds"] else "misses"
        print(f"full import {imp['seconds']} s vs whatstk parse {whatstk['seconds']} s: {verdict}")
    if "link_answers_messages_per_s" in imp:
        rate, cpu_rate = imp["link_answers_messages_per_s"], imp["link_answers_messages_per_cpu_s"]
        verdict = "meets" if rate >= 50_000 else "misses"
        print(f"answer linking {rate:,} msg/s ({cpu_rate:,} per CPU s) vs >= 50,000: {verdict}")


if __name__ == "__main__":
    main()
