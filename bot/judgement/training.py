"""Fit the kind model on the labelled corpus and write the file the package ships (`make model`).

The fit is deterministic: features come from bot.judgement.kind_features, the solver is lbfgs
with a fixed iteration budget, cross-validation folds use a fixed seed, and the written weights
are rounded and sorted, so the same corpus always gives the same bytes.
scikit-learn is needed here (and for cross-validated evaluation), never to classify.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from bot.domain import Kind
from bot.judgement.kind_features import featurisation, message_features
from bot.judgement.kind_model import KINDS, MODEL_PATH, MODEL_VERSION

CORPUS_DIR = Path(__file__).parent / "corpus"
REGULARISATION = 8.0  # inverse strength, chosen by cross-validation on the corpus alone
MIN_DOCUMENTS = 2  # a word, pair or letter group seen in one message only is noise
FOLDS = 5
SEED = 20261207
_DECIMALS = 4
# The weekly report lists open help requests; a missed request costs more than a false one, so
# help_request's bias is raised until cross-validated recall reaches this (precision permitting).
HELP_RECALL_TARGET = 0.95


@dataclass(frozen=True)
class Example:
    """One labelled message of the corpus."""

    text: str
    kind: Kind
    source: str


@dataclass(frozen=True)
class FittedModel:
    """Weights per feature name (one per kind, in KINDS order), biases and the temperature."""

    weights: dict[str, list[float]]
    bias: list[float]
    temperature: float

    def scores(self, features: dict[str, float]) -> list[float]:
        """Raw scores per kind of one feature vector (the slow, obviously right way)."""
        totals = list(self.bias)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is not None:
                for k in range(len(totals)):
                    totals[k] += row[k] * value
        return totals


def load_corpus(folder: Path = CORPUS_DIR) -> list[Example]:
    """Every labelled message of the corpus folder's .jsonl files, in file and line order."""
    examples = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                examples.append(Example(row["text"], Kind(row["kind"]), row.get("source", "")))
    return examples


def corpus_hash(folder: Path = CORPUS_DIR) -> str:
    """SHA-256 over the corpus files' names and bytes, in name order."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fit(texts: Sequence[str], kinds: Sequence[Kind], *, c: float = REGULARISATION) -> FittedModel:
    """Logistic regression over the messages' features; temperature 1 (see calibrate)."""
    return fit_features([message_features(t) for t in texts], kinds, c=c)


def fit_features(
    rows: Sequence[dict[str, float]], kinds: Sequence[Kind], *, c: float = REGULARISATION
) -> FittedModel:
    """Logistic regression over feature vectors built by message_features."""
    frequency: dict[str, int] = {}
    for row in rows:
        for name in row:
            frequency[name] = frequency.get(name, 0) + 1
    names = sorted(n for n, f in frequency.items() if f >= MIN_DOCUMENTS or _is_cue(n))
    column = {n: i for i, n in enumerate(names)}
    matrix = _matrix(rows, column)
    labels = np.array([KINDS.index(k) for k in kinds])
    model = LogisticRegression(C=c, max_iter=3000, tol=1e-4)
    model.fit(matrix, labels)
    coef = model.coef_
    weights = {
        name: [round(float(coef[k, i]), _DECIMALS) for k in range(len(KINDS))]
        for name, i in column.items()
        if float(np.abs(coef[:, i]).max()) >= 10**-_DECIMALS
    }
    bias = [round(float(b), _DECIMALS) for b in model.intercept_]
    return FittedModel(weights, bias, 1.0)


def _is_cue(name: str) -> bool:
    return name.startswith(("cue:", "shape:"))


def _matrix(rows: Sequence[dict[str, float]], column: dict[str, int]) -> csr_matrix:
    data: list[float] = []
    indices: list[int] = []
    pointers = [0]
    for row in rows:
        for name, value in row.items():
            index = column.get(name)
            if index is not None:
                indices.append(index)
                data.append(value)
        pointers.append(len(indices))
    return csr_matrix((data, indices, pointers), shape=(len(rows), len(column)))


def out_of_fold_scores(
    texts: Sequence[str], kinds: Sequence[Kind], *, c: float = REGULARISATION
) -> list[list[float]]:
    """Each message's raw scores from a model fitted without its fold (stratified 5-fold)."""
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    labels = [KINDS.index(k) for k in kinds]
    rows = [message_features(t) for t in texts]
    scores: list[list[float]] = [[] for _ in texts]
    for train, test in folds.split(np.zeros(len(labels)), labels):
        fitted = fit_features([rows[i] for i in train], [kinds[i] for i in train], c=c)
        for i in test:
            scores[i] = fitted.scores(rows[i])
    return scores


def calibrate(scores: Sequence[Sequence[float]], kinds: Sequence[Kind]) -> float:
    """The temperature that minimises log-loss of held-out scores (a grid, so deterministic)."""
    truth = [KINDS.index(k) for k in kinds]
    best, best_loss = 1.0, math.inf
    for step in range(20, 301, 5):
        temperature = step / 100
        loss = sum(
            -math.log(softmax(s, temperature)[t]) for s, t in zip(scores, truth, strict=True)
        )
        if loss < best_loss - 1e-9:
            best, best_loss = temperature, loss
    return best


def help_offset(scores: Sequence[Sequence[float]], kinds: Sequence[Kind]) -> float:
    """The smallest raise of help_request's score (0.05 steps, at most 1) at which held-out
    recall of help requests reaches HELP_RECALL_TARGET."""
    helping = KINDS.index(Kind.HELP_REQUEST)
    wanted = [k is Kind.HELP_REQUEST for k in kinds]
    total = sum(wanted)
    for step in range(21):
        offset = step / 20
        found = sum(
            want
            and max(range(len(s)), key=lambda k: s[k] + (offset if k == helping else 0.0))
            == helping
            for s, want in zip(scores, wanted, strict=True)
        )
        if total and found / total >= HELP_RECALL_TARGET:
            return offset
    return 1.0


def with_offset(scores: Sequence[Sequence[float]], offset: float) -> list[list[float]]:
    """Scores with help_request's raised by `offset`."""
    helping = KINDS.index(Kind.HELP_REQUEST)
    return [[v + (offset if k == helping else 0.0) for k, v in enumerate(s)] for s in scores]


def softmax(scores: Sequence[float], temperature: float = 1.0) -> list[float]:
    """Probabilities from raw scores."""
    top = max(scores)
    exps = [math.exp((s - top) / temperature) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def build(folder: Path = CORPUS_DIR, out: Path = MODEL_PATH) -> FittedModel:
    """Fit on the whole corpus, calibrate on out-of-fold scores and write the model file."""
    examples = load_corpus(folder)
    texts, kinds = [e.text for e in examples], [e.kind for e in examples]
    held_out = out_of_fold_scores(texts, kinds)
    offset = help_offset(held_out, kinds)
    temperature = calibrate(with_offset(held_out, offset), kinds)
    fitted = fit(texts, kinds)
    bias = with_offset([fitted.bias], offset)[0]
    fitted = FittedModel(fitted.weights, [round(b, _DECIMALS) for b in bias], temperature)
    payload = {
        "version": MODEL_VERSION,
        "corpus_sha256": corpus_hash(folder),
        "corpus_messages": len(examples),
        "kinds": [k.value for k in KINDS],
        "featurisation": featurisation(),
        "bias": fitted.bias,
        "help_offset": offset,
        "temperature": temperature,
        "features": fitted.weights,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(text.encode("utf-8"))
    return fitted


def main() -> None:
    """`make model`: rebuild the shipped model from the corpus."""
    fitted = build()
    digest = hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()[:16]
    print(
        f"{MODEL_PATH}: {len(fitted.weights):,} features, temperature {fitted.temperature}, "
        f"sha256 {digest}…"
    )


if __name__ == "__main__":
    main()
