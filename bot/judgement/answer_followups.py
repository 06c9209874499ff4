"""Whether a message only follows up an open request: the asker's repeat or another's vouching.

One ask is one request. An asker's "Any leads pls? Even unpaid internships are fine" repeats their
open request; their "Also need an offer letter template for interns" is a new one. What tells
them apart is what the message brings: a follow-up adds at most a detail to the request's words,
a new request brings a subject of its own. Another member's "Tagging a few seniors – any leads
for Sameer?" vouches for Sameer's request rather than asking anything new.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from bot.judgement.answer_cues import Cues, Item
from bot.judgement.answer_scores import WordWeights
from bot.judgement.reply_text import is_tag_only, opens_with_bump

# An asker left waiting follows up for days ("Anyone? 🙏" on day 3), not only within the day, and
# may ask the same again two weeks on, in the same words.
WAITING = timedelta(days=21)
# An asker who says they ask again ("Sorry for the repeat 🙈 …", "Reposting …", "still curious
# about …") repeats their request whatever new words the nudge brings.
_ASKING_AGAIN = (
    r"re-?post(?:ing)?|re-?ask(?:ing)?|asking again|repeat(?:ing)?|once more|"
    r"(?:again )?request(?:ing)? again|again request(?:ing)?|last time asking|"
    r"(?:one )?last (?:request|try|attempt)|"
    r"still (?:looking|searching|curious|hoping|waiting|stuck)|still,? if (?:any|some) ?one|"
    r"adding (?:a |more |some )?details?"
)
_SAYS_REPEAT = re.compile(rf"\b(?:{_ASKING_AGAIN})\b", re.I)
# How askers say they ask again, explicitly or in passing ("any other vendors?").
_REPEATS = re.compile(
    rf"\b(?:{_ASKING_AGAIN}|again|still (?:need|evaluating|keen)|"
    r"any (?:more|other|further)|anyone else|bump(?:ing)?|reminder)\b",
    re.I,
)


def says_repeat(text: str) -> bool:
    """The writer says they ask again ("Reposting …", "Still curious about …")."""
    return bool(_SAYS_REPEAT.search(text))


# "Gentle bump on …", "Bumping this", "Quick nudge –": a nudge by name, unlike "Any suggestions
# for …", which opens nudges and new requests alike.
_NAMED_NUDGE = re.compile(
    r"^\W*(?:(?:gentle|small|quick|friendly|soft) )?(?:bump|nudge|reminder)\b|^\W*bumping\b", re.I
)


def says_nudge(text: str) -> bool:
    """The writer says they nudge or ask again ("Gentle bump on …", "one last request")."""
    return bool(_NAMED_NUDGE.match(text)) or says_repeat(text)


def restates(item: Item, cues: Cues, weights: WordWeights) -> bool:
    """Whether the asker's message only repeats their request rather than asking anew.

    While the request waits unanswered, a nudge with a detail ("Any leads pls? Even unpaid is
    fine") or a message of mostly its words repeats it. Once answered (or days later) the
    asker repeats only on purpose, and says so ("Reposting…", "any other vendors?"), with
    mostly the request's own words.
    """
    waiting = not item.answerers and cues.at - item.at <= WAITING
    if not waiting and not _REPEATS.search(cues.text):
        return False
    if says_nudge(cues.text):
        # "Gentle bump on part time roles 🙏 …": an asker who says they nudge or ask again
        # means the request still open, in words of the moment ("part time roles" for
        # "part-time or flexible HR roles").
        return True
    known = item.stems | item.thread_stems
    shared = cues.stems & known
    if not shared:
        return False  # "Any suggestions for a payroll vendor?" a week on asks anew
    if opens_with_bump(cues.text):
        # "Any leads pls? Even unpaid internships are fine": a nudge with a detail, whatever we
        # took for an answer.
        return True
    return weights.total(shared) >= weights.total(cues.stems - known)


def vouches_for(item: Item, cues: Cues) -> bool:
    """Someone calling others in on this asker's request ("any leads for Sameer?", "help her")."""
    speaks_of_asker = item.author in cues.named and item.author not in cues.spoken_to
    return speaks_of_asker or bool(_CALLS_IN.search(cues.text))


# Explicit calls for others' help; a bare "for him" is as often the asker's own employee.
_CALLS_IN = re.compile(
    r"\b(?:can|could|pls|please) (?:someone |anyone )?(?:help|guide|support) (?:her|him|them)\b|"
    r"\b(?:tagging|looping in|paging)\b|^\W*\+1\b",
    re.I,
)


def vouched_request(
    cues: Cues,
    own_requests: Callable[[str], list[Item]],
    amplifies: Callable[[Item, Cues], bool],
) -> Item | None:
    """The open request of a member this message speaks of, calling others in for them
    ("Tagging a few seniors – any leads for Sameer?", "Anyone hiring? Harsh is sharp")."""
    if not cues.named:
        return None  # speaks of nobody
    spoken_of = cues.named - cues.spoken_to
    found = [r for person in spoken_of for r in own_requests(person) if not r.resolved]
    latest = max(found, key=lambda r: r.index, default=None)
    return latest if latest is not None and amplifies(latest, cues) else None


_STILL_SEEKING = re.compile(
    r"\b(?:is|are) (?:still )?(?:exploring|looking|searching|seeking|open to|available for)\b", re.I
)


def amplifies(item: Item, cues: Cues) -> bool:
    """Calling others in on someone's request rather than answering it."""
    if cues.advice or item.author in cues.spoken_to:
        return False
    asks = cues.question
    calls_others = bool(cues.mentions - {item.author}) and asks
    # "Anyone hiring? Harsh is sharp"; "a gentle reminder that Arjun is exploring CPO roles".
    speaks_of_asker = item.author in cues.named and (asks or bool(_STILL_SEEKING.search(cues.text)))
    return calls_others or speaks_of_asker or cues.amplifying() or is_tag_only(cues.text)
