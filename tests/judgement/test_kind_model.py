"""The shipped kind model: what it is built from, how it scores, and how it explains itself.

Scoring runs for a whole batch of messages with arrays; the per-message feature definitions
(kind_features, kind_shapes) are what training sees, and the batch must agree with them exactly.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from bot.domain import Kind
from bot.judgement.classify import Classifier
from bot.judgement.kind_features import clean, message_features, named_cues, tokens
from bot.judgement.kind_model import (
    KINDS,
    MODEL_PATH,
    KindModel,
    ModelFileError,
    shipped_model,
)
from bot.judgement.kind_text import BatchText
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


# Messages that take the batch scorer's rarer paths: chained apostrophes, NUL, letters that
# IGNORECASE folds unlike lower() (ı, ſ, İ, K), words longer than its keys, digits of other
# scripts, quotes before dashes, "?" followed by letters of other scripts, links in capitals.
EDGES = [
    "rock'n'roll a'b'c'd x'y don't it's'x ab'cd9 9'ef 'quoted' it''s",
    "Is ıt ſtill open? İstanbul role, 5 yrs, Kelvin K scale",
    "hi\x00there, we are hiring\x00 a recruiter",
    "supercalifragilisticexpialidocious antidisestablishmentarianism " + "x" * 40,
    "Call ९८७६५ ४३२१० or +91 98765 43210, mail hr@acme.example",
    "\"Culture eats strategy for breakfast\" – Peter Drucker. Think about it",
    "'Leaders don't create followers' ~ Tom Peters",
    "Priya, can you share the JD? कोई है?",
    "Is this remote?_",
    "WWW.ACME.COM/careers has the role",
    "@ravi pls check\n1. one thing here\n2. another thing here\n",
    "Hi Meera – thanks! We need 2 HR executives, freshers ok. DM your CV",
    "My friend was laid off; any openings? Refer me pls 🙏",
    "🙏🙏🙏",
    "?!",
]


def _corpus_texts() -> list[str]:
    return [e.text for e in load_corpus()] + MESSAGES + EDGES


def test_the_batch_reads_the_same_words_as_the_tokenizer() -> None:
    bodies = [b for b in map(clean, _corpus_texts()) if b]
    text = BatchText.read(bodies, shipped_model().tables)
    found: list[list[str]] = [[] for _ in bodies]
    for index, message in enumerate(text.word_message.tolist()):
        found[message].append(text.word(index))
    assert found == [tokens(b.replace("\0", " ")) for b in bodies]


@pytest.mark.parametrize(("forwarded", "is_reply"), [(False, False), (True, False), (False, True)])
def test_batch_cues_are_the_named_cues_of_each_message(forwarded: bool, is_reply: bool) -> None:
    model = shipped_model()
    tables = model.tables
    bodies = [b for b in map(clean, _corpus_texts()) if b]
    batch = model.score_batch(bodies, forwarded=forwarded, is_reply=is_reply)
    found: list[dict[str, tuple[float, str]]] = [{} for _ in bodies]
    columns = (batch.cue_message, batch.cue_index, batch.cue_value, batch.cue_phrase)
    for message, cue, value, phrase in zip(*(c.tolist() for c in columns), strict=True):
        found[message][tables.cues[cue]] = (value, tables.phrases[phrase] if phrase >= 0 else "")
    for body, cues in zip(bodies, found, strict=True):
        expected = named_cues(body, tokens(body), forwarded=forwarded, is_reply=is_reply)
        weighted = {name: cue for name, cue in expected.items() if name in model.weights}
        assert list(cues.items()) == list(weighted.items()), body


@pytest.mark.parametrize(("forwarded", "is_reply"), [(False, False), (True, False), (False, True)])
def test_batch_scores_are_the_dot_product_training_defined(forwarded: bool, is_reply: bool) -> None:
    model = shipped_model()
    reference = FittedModel({n: list(w) for n, w in model.weights.items()}, list(model.bias), 1.0)
    texts = [t for t in _corpus_texts() if clean(t)]
    batch = model.score_batch(list(map(clean, texts)), forwarded=forwarded, is_reply=is_reply)
    for text, scores in zip(texts, batch.scores.tolist(), strict=True):
        features = message_features(text, forwarded=forwarded, is_reply=is_reply)
        assert scores == pytest.approx(reference.scores(features), abs=1e-9), text


def test_a_message_is_judged_the_same_alone_or_in_a_batch() -> None:
    texts = [e.text for e in load_corpus()][::7] + MESSAGES + EDGES + ["", "<Media omitted>"]
    alone = [Classifier().classify(t) for t in texts]
    assert Classifier().classify_many(texts) == alone
    assert Classifier().classify_many(texts + texts[::-1]) == alone + alone[::-1]


@pytest.mark.parametrize("text", MESSAGES)
def test_confidence_is_the_probability_of_the_chosen_kind(text: str) -> None:
    verdict = Classifier().classify(text)
    assert 0.25 <= verdict.confidence <= 1.0
    model = shipped_model()
    scores = model.score_batch([clean(text)], forwarded=False, is_reply=False).scores[0]
    probabilities = model.probabilities(scores.tolist())
    assert verdict.kind is KINDS[probabilities.index(max(probabilities))]
    assert verdict.confidence == round(max(probabilities), 3)


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
