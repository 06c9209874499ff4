"""Fitted weights of the helper ranking, per bot.judgement.helper_features.FEATURES.

Written by `python -m bot.evaluation.helper_fit` from eval/dev_chats; do not edit.
"""

WEIGHTS: dict[str, float] = {
    "role_fits": 0.7978,
    "openings_for_seeker": 1.1535,
    "topic_share": 0.4722,
    "topic_evidence": 0.2521,
    "topic_answers": 0.2148,
    "asked_same_topic": -0.0898,
    "posted_on_topic": 0.2424,
    "words_said": 0.1027,
    "words_all": 0.0737,
    "words_said_cosine": 1.1012,
    "first_answers": -0.0055,
    "helped_asker": 0.4108,
    "answer_rate": 0.2448,
    "own_requests": -0.2686,
    "messages": -0.2014,
    "junior": -0.3653,
    "mid": 0.1973,
    "executive": -0.3383,
    "peer_or_above": 0.3337,
    "below_asker": -0.5472,
    "phone_only": -0.8993,
    "has_role": -0.1547,
    "asking_now": -1.4533,
}
