"""Fitted weights of the helper ranking, per bot.judgement.helper_features.FEATURES.

Written by `python -m bot.evaluation.helper_fit` from eval/dev_chats; do not edit.
"""

WEIGHTS: dict[str, float] = {
    "role_fits": 0.8013,
    "openings_for_seeker": 1.1419,
    "topic_share": 0.4659,
    "topic_evidence": 0.2539,
    "topic_answers": 0.2339,
    "asked_same_topic": -0.0926,
    "posted_on_topic": 0.2489,
    "words_said": 0.1023,
    "words_all": 0.0768,
    "words_said_cosine": 1.0568,
    "first_answers": -0.0342,
    "helped_asker": 0.4235,
    "answer_rate": 0.2142,
    "own_requests": -0.2919,
    "messages": -0.2038,
    "junior": -0.3642,
    "mid": 0.1997,
    "executive": -0.3363,
    "peer_or_above": 0.3313,
    "below_asker": -0.5486,
    "phone_only": -0.8923,
    "has_role": -0.1498,
    "asking_now": -1.4553,
}
