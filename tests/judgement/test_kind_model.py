"""The shipped kind model: what it is built from, how it scores, and how it explains itself."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from bot.domain import Kind
from bot.judgement.classify import Classifier
from bot.judgement.kind_features import clean, message_features, tokens
from bot.judgement.kind_model import (
    KINDS,
    MODEL_PATH,
    KindModel,
    ModelFileError,
    shipped_model,
)
from bot.judgement.training import FittedModel, build, corpus_hash, load_corpus

MESSAGES = [
    "We're hiring! Payroll Executive, Thane, 1-3 yrs. CVs to hr@acme.example",
    "Can someone share a leave policy for a 30-person startup? 🙏",
    "koi bata sakta hai ki ESIC ke liye kya limit hai abhi?",
    "Culture is what people do when nobody is watching. Think about it.",
    "Thanks Ravi, sorted 👍",
    "opning for HR exec in Nashik urgent\nsend cv",
]


def test_the_shipped_model_was_built_from_the_corpus_in_the_repo() -> None:
    with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as handle:
        payload = json.load(handle)
    assert payload["corpus_sha256"] == corpus_hash(), "corpus changed: run `make model`"
    assert payload["corpus_messages"] == len(load_corpus()) >= 3000


def test_the_model_is_read_once_per_process() -> None:
    assert shipped_model() is shipped_model()
    assert Classifier()._model is Classifier()._model


@pytest.mark.parametrize("text", MESSAGES)
def test_fast_scores_equal_the_dot_product_training_defined(text: str) -> None:
    model = shipped_model()
    reference = FittedModel({n: list(w) for n, w in model.weights.items()}, list(model.bias), 1.0)
    body = clean(text)
    fast = model.score(body, tokens(body), forwarded=False, is_reply=False).scores
    slow = reference.scores(message_features(text))
    assert fast == pytest.approx(slow, abs=1e-9)


@pytest.mark.parametrize("text", MESSAGES)
def test_confidence_is_the_probability_of_the_chosen_kind(text: str) -> None:
    verdict = Classifier().classify(text)
    assert 0.25 <= verdict.confidence <= 1.0
    model = shipped_model()
    body = clean(text)
    probabilities = model.probabilities(
        model.score(body, tokens(body), forwarded=False, is_reply=False).scores
    )
    assert verdict.kind is KINDS[probabilities.index(max(probabilities))]


@pytest.mark.parametrize("text", MESSAGES)
def test_reasons_are_words_a_moderator_can_read(text: str) -> None:
    reason = Classifier().classify(text).reason
    assert reason and not re.search(r"\b(?:w|b|c|cue|shape):", reason)
    for named in re.findall(r"words \(([^)]*)\)", reason):
        for word in named.split(", "):
            assert word in text.lower()


def test_a_hiring_post_is_explained_by_its_hiring_cues() -> None:
    verdict = Classifier().classify(
        "Urgent hiring: HRBP, Pune, 5-8 yrs experience. Share CV at jobs@acme.example"
    )
    assert verdict.kind is Kind.JOB_POST
    assert any(cue in verdict.reason for cue in ("hiring", "experience", "CV", "opening"))


def test_a_model_file_of_another_version_is_refused(tmp_path: Path) -> None:
    with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as handle:
        payload = json.load(handle)
    payload["version"] = 999
    old = tmp_path / "kinds.json.gz"
    with gzip.open(old, "wt", encoding="utf-8") as handle:
        json.dump(payload, handle)
    with pytest.raises(ModelFileError, match="version"):
        KindModel.from_file(old)


def test_a_missing_model_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="cannot read"):
        KindModel.from_file(tmp_path / "absent.json.gz")


def test_building_twice_from_the_same_corpus_gives_the_same_bytes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = sorted((Path(__file__).parents[2] / "bot/judgement/corpus").glob("*.jsonl"))[0]
    lines = source.read_text(encoding="utf-8").splitlines()
    (corpus / "part.jsonl").write_text("\n".join(lines[::6]) + "\n", encoding="utf-8")
    first, second = tmp_path / "one.json.gz", tmp_path / "two.json.gz"
    build(corpus, first)
    build(corpus, second)
    assert first.read_bytes() == second.read_bytes()
    assert KindModel.from_file(first).corpus_sha256 == corpus_hash(corpus)
