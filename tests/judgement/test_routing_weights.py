"""Specifications of the fitted helper ranking: what weighs, what is said, how it is fitted."""

from __future__ import annotations

import numpy as np

from bot.domain import Level
from bot.evaluation.helper_fit import Choice, fit, render
from bot.judgement.answers import infer_answers
from bot.judgement.helper_features import FEATURES
from bot.judgement.helper_weights import WEIGHTS
from bot.judgement.routing import rank_helpers
from tests.judgement.chats import chat


def test_every_feature_has_a_fitted_weight_and_no_weight_is_left_over() -> None:
    assert list(WEIGHTS) == list(FEATURES)


def test_a_member_who_wrote_the_requests_telling_words_is_suggested_and_the_words_named() -> None:
    turns, kinds = chat(
        ("09:00", "Nisha Rao", "-", "Good morning all ☀️"),
        (
            "09:30",
            "Joseph Thomas",
            "gyaan",
            "Reminder: the Shops and Establishment renewal in Karnataka is now fully online",
        ),
        ("d1 10:00", "Tina Roy", "ask", "Has anyone done the Shops and Establishment renewal online?"),
    )
    helpers = rank_helpers(2, turns, kinds, infer_answers(turns, kinds), levels={})
    assert [h.name for h in helpers] == ["Joseph Thomas"]  # nothing to say for Nisha
    assert "“Establishment”" in helpers[0].reason or "“renewal”" in helpers[0].reason


def test_words_any_message_may_hold_are_never_named_as_what_a_member_wrote_about() -> None:
    turns, kinds = chat(
        ("09:00", "Nisha Rao", "-", "Good morning all ☀️"),
        (
            "09:30",
            "Joseph Thomas",
            "gyaan",
            "Reminder: the Shops and Establishment renewal in Karnataka costs more per year now",
        ),
        ("d1 10:00", "Tina Roy", "ask", "Per year, more or less, what does Establishment renewal cost?"),
    )
    helpers = rank_helpers(2, turns, kinds, infer_answers(turns, kinds), levels={})
    assert [h.name for h in helpers] == ["Joseph Thomas"]
    assert "“Establishment”" in helpers[0].reason or "“renewal”" in helpers[0].reason
    for plain in ("per", "year", "more"):
        assert f"“{plain}”" not in helpers[0].reason.lower()


def test_a_shared_word_opening_the_request_is_shown_without_its_sentence_capital() -> None:
    turns, kinds = chat(
        ("09:30", "Joseph Thomas", "gyaan", "Tip: gratuity is taxable above 20 lakh"),
        ("d1 10:00", "Tina Roy", "ask", "Gratuity above 20 lakh – taxable or not?"),
    )
    helpers = rank_helpers(1, turns, kinds, infer_answers(turns, kinds), levels={})
    assert "“gratuity”" in helpers[0].reason


def test_who_answered_a_topic_ranks_above_who_only_asked_about_it() -> None:
    turns, kinds = chat(
        ("09:00", "Asha Iyer", "ask", "Who can be the external member of a POSH internal committee?"),
        (
            "09:20",
            "Vikram Das",
            "-",
            "Asha, an NGO person or a lawyer familiar with POSH cases can be the external member",
        ),
        ("d2 10:00", "Tina Roy", "ask", "POSH internal committee: how many members are needed?"),
    )
    names = [h.name for h in rank_helpers(2, turns, kinds, infer_answers(turns, kinds), levels={})]
    assert names[0] == "Vikram Das"
    assert "Asha Iyer" not in names[:1]


def test_a_member_with_no_evidence_for_them_is_not_suggested_even_at_a_good_level() -> None:
    turns, kinds = chat(
        ("09:00", "Nisha Rao", "-", "Good morning all ☀️"),
        ("d1 10:00", "Tina Roy", "ask", "Any vendor for background verification in Indore?"),
    )
    levels = {"Nisha Rao": Level.SENIOR}
    assert rank_helpers(1, turns, kinds, infer_answers(turns, kinds), levels=levels) == []


def test_a_member_silent_for_a_month_ranks_below_one_with_the_same_record_seen_this_week() -> None:
    turns, kinds = chat(
        ("09:00", "Ravi Shankar", "ask", "Is PF mandatory above 15k basic? Vendor says no"),
        ("09:20", "Anil Kapoor", "-", "Ravi, PF is optional above 15k basic for new joiners only"),
        ("d35 09:00", "Sonal Gupta", "ask", "Is ESIC mandatory above 21k gross? Vendor says no"),
        ("d35 09:20", "Meera Nair", "-", "Sonal, ESIC stops above 21k gross at the next period"),
        ("d40 10:00", "Tina Roy", "ask", "PF and ESIC for trainees on stipend – mandatory?"),
    )
    names = [h.name for h in rank_helpers(4, turns, kinds, infer_answers(turns, kinds), levels={})]
    assert names[:2] == ["Meera Nair", "Anil Kapoor"]  # by name alone Anil would come first


def test_the_fit_is_deterministic_and_learns_which_number_tells() -> None:
    rng = np.random.default_rng(7)
    telling = FEATURES.index("role_fits")
    found = []
    for _ in range(60):
        values = rng.random((6, len(FEATURES)))
        values[:, telling] = 0.0
        answerer = int(rng.integers(6))
        values[answerer, telling] = 1.0  # the member whose field it is answers
        found.append(Choice(values, answerer))
    weights = fit(found, penalty=1.0)
    assert weights == fit(found, penalty=1.0)
    assert weights[telling] > 1.0
    assert max(abs(w) for i, w in enumerate(weights) if i != telling) < weights[telling] / 3
    assert render(weights).count(":") == len(FEATURES) + 1  # one line per feature, one header
