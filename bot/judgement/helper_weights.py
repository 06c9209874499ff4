"""Fitted weights of the helper ranking, per bot.judgement.helper_features.FEATURES.

Written by `python -m bot.evaluation.helper_fit` from eval/dev_chats; do not edit.
"""

WEIGHTS: dict[str, float] = {
    "role_fits": 0.8136,
    "openings_for_seeker": 1.2269,
    "topic_share": 0.601,
    "topic_evidence": 0.2447,
    "topic_answers": 0.102,
    "asked_same_topic": -0.164,
    "posted_on_topic": 0.1922,
    "words_said": 0.0773,
    "words_all": 0.0372,
    "words_said_cosine": 1.8104,
    "first_answers": 0.0927,
    "helped_asker": 0.4493,
    "answer_rate": 0.1778,
    "own_requests": -0.4225,
    "messages": -0.2387,
    "junior": -0.228,
    "mid": 0.2309,
    "executive": -0.3434,
    "peer_or_above": 0.2857,
    "below_asker": -0.4753,
    "phone_only": -0.8821,
    "has_role": -0.1714,
}
