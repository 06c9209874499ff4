"""The public JSON contracts of the CLI, exercised as a script would use them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.pipeline.test_importing import CHAT

CLASSIFY_KEYS = {"id", "kind", "confidence", "reason", "author_level", "role_level"}
KINDS = {"job_post", "help_request", "gyaan", "other"}
LEVELS = {"junior", "mid", "senior", "executive", "unknown"}


def liftbot(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed CLI as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "bot.app.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_classify_reads_json_lines_and_writes_the_contract_fields() -> None:
    given = [
        {"id": "a", "text": "Hiring: Talent Acquisition Executive, 1-3 yrs, Pune. DM CV"},
        {
            "id": 7,
            "text": "I'm a CHRO, impacted by a restructuring last month. Any leads for CHRO roles?",
        },
        {"id": "c", "text": "Good morning all 🌞"},
    ]
    done = liftbot("classify", "-", stdin="\n".join(json.dumps(g) for g in given))
    assert done.returncode == 0, done.stderr
    out = lines(done.stdout)
    assert [o["id"] for o in out] == ["a", 7, "c"]
    for record in out:
        assert set(record) == CLASSIFY_KEYS
        assert record["kind"] in KINDS and record["author_level"] in LEVELS
        assert 0.0 <= record["confidence"] <= 1.0 and record["reason"]
    assert out[0]["kind"] == "job_post" and out[0]["role_level"] == "junior"
    assert out[1]["kind"] == "help_request" and out[1]["role_level"] is None
    assert out[1]["author_level"] == "executive"


def test_seniority_reads_titles_and_writes_level_and_reason() -> None:
    given = [{"id": 1, "text": "VP – People & Culture"}, {"id": 2, "text": "HR Intern"}]
    done = liftbot("seniority", stdin="\n".join(json.dumps(g) for g in given))
    assert done.returncode == 0, done.stderr
    out = lines(done.stdout)
    assert [(o["id"], o["level"]) for o in out] == [(1, "executive"), (2, "junior")]
    assert all(set(o) == {"id", "level", "reason"} and o["reason"] for o in out)


def test_bad_json_input_is_one_readable_error_line() -> None:
    done = liftbot("classify", stdin='{"id": 1, "text": "ok"}\n{oops\n')
    assert done.returncode == 1
    assert "line 2" in done.stderr and "Traceback" not in done.stderr


def test_analyze_writes_one_object_per_entry_in_file_order(tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text(CHAT, encoding="utf-8")
    done = liftbot("analyze", str(chat), "--json")
    assert done.returncode == 0, done.stderr
    out = lines(done.stdout)
    assert [o["index"] for o in out] == list(range(8))
    assert out[0]["system"] is True and out[0]["author"] is None
    assert out[5]["author"] == "~\u202fSunita Pillai"  # as the export writes it
    assert out[5]["sent_at"] == "2026-11-16T10:40"
    assert out[5]["text"].endswith("It should cover sabbaticals too.")
    assert out[5]["kind"] == "help_request"
    assert out[5]["answered"] is True and out[5]["first_answer_index"] == 6
    assert out[5]["first_response_minutes"] == 12.0
    assert out[6]["reply_to_index"] == 5
    assert out[4]["kind"] == "job_post" and out[4]["role_level"] == "junior"


def test_analyze_of_a_missing_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    done = liftbot("analyze", str(tmp_path / "nope.txt"), "--json")
    assert done.returncode == 1 and "Traceback" not in done.stderr


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_gives_every_stored_message_with_its_analysis(tmp_path: Path, fmt: str) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text(CHAT + '16/11/2026, 11:30 - Aditya Kulkarni: =HYPERLINK("http://x.example")\n')
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'l.db'}", "LIFTBOT_SECRET_KEY": "k"}
    assert liftbot("import", str(chat), "--community", "HR", env=env).returncode == 0
    done = liftbot("export", "--community", "HR", "--format", fmt, env=env)
    assert done.returncode == 0, done.stderr
    if fmt == "jsonl":
        out = lines(done.stdout)
        assert len(out) == 9
        ask = out[5]
        assert ask["community"] == "HR" and ask["platform"] == "whatsapp_export"
        assert ask["message_id"] and ask["kind"] == "help_request"
        assert ask["first_answer_index"] == 6 and out[6]["reply_to_index"] == 5
        assert (
            isinstance(ask["suggested_helpers"], list)
            and "Sunita Pillai" not in ask["suggested_helpers"]
        )
        assert out[4]["suggested_helpers"] is None
    else:
        rows = list(csv.DictReader(io.StringIO(done.stdout)))
        assert len(rows) == 9
        assert rows[-1]["text"].startswith("'=HYPERLINK")


def test_eval_scores_the_judgement_against_labelled_data() -> None:
    from tests.conftest import SHARED_DATA

    if not SHARED_DATA.is_dir():
        pytest.skip("the shared data folder is not beside this clone")
    done = liftbot("eval", "--data", str(SHARED_DATA), "--no-cv")  # CV has its own test
    assert done.returncode == 0, done.stderr
    for line in ("macro-F1", "Title level accuracy", "answered", "reply links", "helper recall@3"):
        assert line in done.stdout


def test_eval_without_data_is_a_readable_error(tmp_path: Path) -> None:
    done = liftbot("eval", "--data", str(tmp_path / "missing"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
