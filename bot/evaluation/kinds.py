"""Kind scoring beyond ../shared/data: the corpus' cross-validation and held-out message sets.

Cross-validation refits the model five times on the corpus (stratified folds, fixed seed), so it
needs scikit-learn; a held-out set (such as the frozen blind set in eval/blind/messages.jsonl) is
scored with the shipped model, exactly as a user would get it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bot.domain import Kind
from bot.evaluation.evaluate import PRF, EvalDataError, kind_scores
from bot.judgement.classify import Classifier
from bot.judgement.kind_model import KINDS
from bot.judgement.training import help_offset, load_corpus, out_of_fold_scores, with_offset

BLIND_MESSAGES = Path(__file__).resolve().parents[2] / "eval" / "blind" / "messages.jsonl"


@dataclass(frozen=True)
class KindScores:
    """Per-kind precision/recall/F1 on one labelled set, with its macro-F1."""

    name: str
    per_kind: dict[str, PRF]
    macro_f1: float
    messages: int

    @property
    def help_request(self) -> PRF:
        """The figures for help requests, the kind the weekly report acts on."""
        return self.per_kind[Kind.HELP_REQUEST.value]


def cross_validated() -> KindScores:
    """Stratified 5-fold cross-validation on the training corpus."""
    examples = load_corpus()
    texts, truth = [e.text for e in examples], [e.kind for e in examples]
    # The help_request offset is chosen on the same folds' scores, as `make model` does.
    raw = out_of_fold_scores(texts, truth)
    scores = with_offset(raw, help_offset(raw, truth))
    predicted = [KINDS[max(range(len(KINDS)), key=s.__getitem__)] for s in scores]
    per_kind, macro = kind_scores(truth, predicted)
    return KindScores("corpus, 5-fold cross-validation", per_kind, macro, len(texts))


def held_out(path: Path, *, name: str | None = None) -> KindScores:
    """The shipped classifier on a labelled .jsonl file of {"text", "kind"} records."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        records = [json.loads(line) for line in lines if line.strip()]
        truth = [Kind(r["kind"]) for r in records]
        texts = [str(r["text"]) for r in records]
    except FileNotFoundError as exc:
        raise EvalDataError(f"{path} not found") from exc
    except (json.JSONDecodeError, KeyError, ValueError, TypeError) as exc:
        raise EvalDataError(f"{path}: not a labelled messages file ({exc})") from exc
    classifier = Classifier()
    predicted = [v.kind for v in classifier.classify_many(texts)]
    per_kind, macro = kind_scores(truth, predicted)
    return KindScores(name or str(path), per_kind, macro, len(texts))


def render_kinds(scores: KindScores) -> str:
    """A plain-text table of one set's kind figures."""
    lines = [f"Kinds ({scores.name}, {scores.messages} messages)"]
    lines.append(f"  {'':<22}{'P':>7}{'R':>7}{'F1':>7}{'n':>7}")
    for kind, s in scores.per_kind.items():
        lines.append(f"  {kind:<22}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.support:>7}")
    lines.append(f"  macro-F1 {scores.macro_f1:.3f}")
    return "\n".join(lines)
