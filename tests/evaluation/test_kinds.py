"""Kind scoring of held-out labelled messages, as `liftbot eval` prints it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.evaluation.evaluate import EvalDataError
from bot.evaluation.kinds import held_out, render_kinds

LABELLED = [
    ("Hiring: Payroll Executive, Thane, 1-3 yrs. Share CV at hr@acme.example", "job_post"),
    ("Can anyone share a POSH policy template for a 40-person startup? 🙏", "help_request"),
    ("Great read on why exit interviews fail: https://blog.example.com/exit", "gyaan"),
    ("Good morning all 🌞", "other"),
]


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_held_out_file_is_scored_per_kind(tmp_path: Path) -> None:
    path = _write(tmp_path / "held.jsonl", [{"text": t, "kind": k} for t, k in LABELLED])
    scores = held_out(path, name="four messages")
    assert scores.messages == 4
    assert set(scores.per_kind) == {"job_post", "help_request", "gyaan", "other"}
    assert scores.macro_f1 == pytest.approx(1.0)
    table = render_kinds(scores)
    assert "four messages, 4 messages" in table and "macro-F1 1.000" in table


def test_a_wrong_label_lowers_the_figures(tmp_path: Path) -> None:
    rows = [{"text": t, "kind": k} for t, k in LABELLED]
    rows[0]["kind"] = "other"
    scores = held_out(_write(tmp_path / "held.jsonl", rows))
    assert scores.per_kind["job_post"].precision == 0.0
    assert scores.macro_f1 < 1.0


@pytest.mark.parametrize(
    "content", ['{"text": "hello"}\n', "not json\n", '{"text": "hi", "kind": "spam"}\n']
)
def test_a_file_that_is_not_labelled_messages_is_one_clear_error(
    tmp_path: Path, content: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvalDataError, match=r"bad\.jsonl"):
        held_out(path)


def test_a_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EvalDataError, match="not found"):
        held_out(tmp_path / "absent.jsonl")


def test_the_corpus_cross_validation_scores_every_corpus_message_once() -> None:
    from bot.evaluation.kinds import cross_validated
    from bot.judgement.training import load_corpus

    scores = cross_validated()
    assert scores.messages == len(load_corpus())
    assert sum(s.support for s in scores.per_kind.values()) == scores.messages
    # Out-of-fold predictions of a working model sit far above chance (0.25 for four kinds).
    assert scores.macro_f1 > 0.8
