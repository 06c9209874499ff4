"""Fitted weights of the helper ranking, per bot.judgement.helper_features.FEATURES.

Written by `python -m bot.evaluation.helper_fit` from eval/dev_chats; do not edit.
"""

WEIGHTS: dict[str, float] = {
    "role_fits": 0.7919,
    "openings_for_seeker": 1.1718,
    "topic_share": 0.5065,
    "topic_evidence": 0.2645,
    "topic_answers": 0.1887,
    "asked_same_topic": -0.0991,
    "posted_on_topic": 0.237,
    "words_said": 0.1032,
    "words_all": 0.0648,
    "words_said_cosine": 1.3438,
    "first_answers": 0.0314,
    "helped_asker": 0.3681,
    "answer_rate": 0.1823,
    "own_requests": -0.4237,
    "messages": 0.135,
    "junior": -0.4181,
    "mid": 0.1878,
    "executive": -0.3816,
    "peer_or_above": 0.3467,
    "below_asker": -0.5377,
    "phone_only": -0.9382,
    "has_role": -0.1499,
    "day_activity": -0.8265,
    "messages_since": 0.1474,
}
