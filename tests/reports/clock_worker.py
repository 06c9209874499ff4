"""A clock process for the race test: ticks the scheduler, recording posts to a shared file."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.jobs.clock import run_due_jobs
from storage.db import make_engine
from tests.fakes import RecordingSender


def run_clock_process(url: str, log_path: str, start_iso: str, ticks: int, barrier: Any) -> None:
    """Wait for the other clocks, then run `ticks` one-minute ticks from `start_iso`."""
    engine = make_engine(url)
    sender = RecordingSender(log_path=Path(log_path))
    start = datetime.fromisoformat(start_iso)
    barrier.wait(timeout=60)
    for minute in range(ticks):
        run_due_jobs(engine, Settings(), sender, start + timedelta(minutes=minute),
                     worker=f"clock-{os.getpid()}")  # fmt: skip
    engine.dispose()
