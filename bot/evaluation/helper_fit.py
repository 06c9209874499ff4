"""Fit the helper ranking's weights on labelled chats and write bot/judgement/helper_weights.py.

`python -m bot.evaluation.helper_fit` (or `make helper-model`) reads every `*_truth.json` of
eval/dev_chats, and for each truly answered help request weighs the members routing would
consider (bot.judgement.routing.HelperIndex.candidates) by the numbers of
bot.judgement.helper_features. The weights maximise the likelihood that the real first answerer
is the one picked among them (a conditional logit: one softmax over the members of each request),
with an L2 penalty, on standardised numbers; they are written back on the raw scale.
`--loco` first reports leave-one-chat-out recall@3: each chat scored by weights fitted on the
others, through the shipped ranking (threshold included).

The fit is deterministic (L-BFGS from zeros, weights rounded), so the same chats always give
the same file. scipy is needed here only, never to rank.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from bot.domain import Kind, Level, TurnFacts
from bot.evaluation.chat_truth import ChatTruth, load_chat_truth
from bot.evaluation.evaluate import helper_recall
from bot.judgement.answers import infer_answers
from bot.judgement.classify import Classifier
from bot.judgement.conversation import analyze_conversation
from bot.judgement.helper_features import FEATURES, member_features
from bot.judgement.routing import HelperIndex

ROOT = Path(__file__).resolve().parents[2]
CHATS = ROOT / "eval" / "dev_chats"
WEIGHTS_PATH = ROOT / "bot" / "judgement" / "helper_weights.py"
PENALTY = 30.0  # L2 on standardised weights: strong, as a chat has only some twenty requests
_DECIMALS = 4


@dataclass(frozen=True)
class LabelledChat:
    """A chat with what routing needs: answers inferred on the true kinds, levels resolved."""

    name: str
    truth: ChatTruth
    facts: list[TurnFacts]
    levels: dict[str, Level]


@dataclass(frozen=True)
class Choice:
    """One answered request: the numbers of every member weighed, and who answered first."""

    values: np.ndarray  # members × FEATURES
    answerer: int


def load_chats(folder: Path = CHATS) -> list[LabelledChat]:
    """Every labelled chat of `folder`, prepared as `liftbot eval --chats` prepares it."""
    chats = []
    for path in sorted(folder.glob("*_truth.json")):
        truth = load_chat_truth(path)
        analysis = analyze_conversation(truth.turns, classifier=Classifier(), suggest=False)
        levels = {a.turn.author: a.author_level.level for a in analysis if a.turn.author}
        facts = infer_answers(truth.turns, truth.kinds)
        chats.append(LabelledChat(path.name.removesuffix("_truth.json"), truth, facts, levels))
    return chats


def choices(chat: LabelledChat) -> list[Choice]:
    """The answered requests whose first answerer routing could have weighed."""
    index, found = HelperIndex(), []
    turns, kinds = chat.truth.turns, chat.truth.kinds
    for turn, kind, fact, record in zip(turns, kinds, chat.facts, chat.truth.records, strict=True):
        first = record.get("first_answer_index") if kind == Kind.HELP_REQUEST else None
        if first is not None:
            ctx, members = index.candidates(turn, chat.levels, {})
            names = [m.name for m in members]
            if turns[first].author in names:
                values = [
                    member_features(m, ctx, chat.levels.get(m.name, Level.UNKNOWN)) for m in members
                ]
                found.append(Choice(np.array(values), names.index(turns[first].author)))
        index.add(turn, kind, fact, turns)
    return found


def fit(found: Sequence[Choice], penalty: float = PENALTY) -> list[float]:
    """Conditional-logit weights per FEATURES, on the raw scale of the features."""
    stacked = np.vstack([c.values for c in found])
    mean, spread = stacked.mean(axis=0), stacked.std(axis=0)
    spread[spread == 0] = 1.0
    scaled = [((c.values - mean) / spread, c.answerer) for c in found]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = penalty * float(w @ w), 2 * penalty * w
        for values, answerer in scaled:
            scores = values @ w
            top = scores.max()
            odds = np.exp(scores - top)
            share = odds / odds.sum()
            total -= scores[answerer] - top - math.log(odds.sum())
            grad = grad - values[answerer] + share @ values
        return total, grad

    result = minimize(loss, np.zeros(len(FEATURES)), jac=True, method="L-BFGS-B")
    return [round(float(w), _DECIMALS) for w in result.x / spread]


def loco(chats: Sequence[LabelledChat], penalty: float = PENALTY) -> list[tuple[str, int, int]]:
    """Per chat: hits and answered requests, ranked by weights fitted without that chat."""
    found = {c.name: choices(c) for c in chats}
    rows = []
    for chat in chats:
        weights = fit([x for name, xs in found.items() if name != chat.name for x in xs], penalty)
        recall, total = helper_recall(chat.truth, chat.facts, chat.levels, weights=weights)
        rows.append((chat.name, round(recall * total), total))
    return rows


def render(weights: Sequence[float]) -> str:
    """The weights module's text."""
    lines = [
        '"""Fitted weights of the helper ranking, per bot.judgement.helper_features.FEATURES.',
        "",
        "Written by `python -m bot.evaluation.helper_fit` from eval/dev_chats; do not edit.",
        '"""',
        "",
        "WEIGHTS: dict[str, float] = {",
        *(f'    "{name}": {w!r},' for name, w in zip(FEATURES, weights, strict=True)),
        "}",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Fit on the dev chats and write the weights (after a LOCO report with --loco)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=Path, default=CHATS)
    parser.add_argument("--loco", action="store_true", help="report leave-one-chat-out recall@3")
    parser.add_argument("--penalty", type=float, default=PENALTY)
    parser.add_argument("--dry-run", action="store_true", help="do not write the weights")
    args = parser.parse_args(argv)
    chats = load_chats(args.chats)
    if args.loco:
        rows = loco(chats, args.penalty)
        for name, hits, total in rows:
            print(f"  {name:<36}{hits:>4} / {total:<4}")
        hits, total = sum(r[1] for r in rows), sum(r[2] for r in rows)
        print(f"LOCO top-3 {hits / total:.3f} ({hits} of {total})")
    weights = fit([x for chat in chats for x in choices(chat)], args.penalty)
    if not args.dry_run:
        WEIGHTS_PATH.write_text(render(weights), encoding="utf-8")
        print(f"wrote {WEIGHTS_PATH}")


if __name__ == "__main__":
    main()
