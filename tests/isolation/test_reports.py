"""Every report entry point shows one community's rows only: `liftbot report` in each format,
`liftbot export`, and the clock's weekly reports and digests through the configured router."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from bot.app.cli import app
from bot.app.senders import configured_router
from bot.jobs.clock import run_due_jobs
from tests.isolation.world import MARKERS, World

runner = CliRunner()


def _leaks(world: World, own: str, output: str) -> list[str]:
    return [m for m in world.foreign_markers(own) if m.lower() in output.lower()]


def _cli(world: World, *args: str) -> str:
    env = {"DATABASE_URL": world.engine.url.render_as_string(hide_password=False),
           "LIFTBOT_SECRET_KEY": world.settings.secret_key}  # fmt: skip
    result = runner.invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("fmt", ["json", "text", "html", "csv"])
def test_liftbot_report_of_each_community_holds_its_rows_only(world: World, fmt: str) -> None:
    for own in MARKERS:
        output = _cli(world, "report", "--community", own, "--week", "latest", "--format", fmt)
        mine = [m for m in (own, *MARKERS[own]) if m.lower() in output.lower()]
        assert mine or fmt == "csv", (own, output[:400])  # CSV: figures and names only
        assert _leaks(world, own, output) == [], own


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_liftbot_export_of_each_community_holds_its_rows_only(world: World, fmt: str) -> None:
    for own, words in MARKERS.items():
        output = _cli(world, "export", "--community", own, "--format", fmt)
        assert words[0] in output.lower(), own
        assert _leaks(world, own, output) == [], own


def test_the_clocks_reports_and_digests_each_hold_one_communitys_rows(world: World) -> None:
    router = configured_router(world.settings, world.engine)
    assert router is not None
    zone = ZoneInfo("Asia/Kolkata")
    today = datetime.now(zone)
    digest_time = (today + timedelta(days=1)).replace(hour=19, minute=0, second=0, microsecond=0)
    monday = (today + timedelta(days=7 - today.weekday())).replace(hour=10, minute=0, second=0,
                                                                   microsecond=0)  # fmt: skip
    world.fake_slack.calls.clear(), world.fake_slack.authorizations.clear()
    sent_before = len(world.fake_twilio.messages())
    done = run_due_jobs(world.engine, world.settings, router, digest_time)
    done += run_due_jobs(world.engine, world.settings, router, monday)
    assert any(line.startswith("weekly_report") for line in done), done
    assert any(line.startswith("daily_digest") for line in done), done
    posts = [str(args.get("text", "")) + str(args.get("blocks", "")) for args in
             world.fake_slack.posts()]  # fmt: skip
    posts += [b.decode("utf-8", "replace") for b in world.fake_slack.uploads]
    posts += [str(form) for form in world.fake_twilio.messages()[sent_before:]]
    assert posts
    named = {own: 0 for own in MARKERS}
    for post in posts:
        holders = [own for own, words in MARKERS.items()
                   if any(w.lower() in post.lower() for w in words)]  # fmt: skip
        assert len(holders) <= 1, (holders, post[:600])
        for own in holders:
            named[own] += 1
    assert all(named.values()), named
