"""Kinds the conversation around a message corrects, where the message alone misleads.

A message is judged on its words first; what follows can say it was something else:
- an answer or a folded follow-up is `other` (`replies_to_settle` in bot.judgement.conversation);
- a notice about the group itself (a welcome, its rules, a call for introductions) is `other`,
  and so are a poll that only surveys the group and a message opening as a joke;
- an introduction that offers help ("Payroll manager here – happy to help with PF queries") is
  `other`, not a request, however many HR words it carries; so is a message that asks for
  nothing at all (an introduction, news about oneself); so is a chit-chat question put to
  everyone about themselves ("Anyone else's office doing a quiz today? 😄"); an unsolicited
  pitch with a rhetorical question ("Struggling to close roles? Our RPO team … DM me") is `gyaan`,
  and a vendor's offer spoken to someone ("Sir, our tool handles this – can I call you?") `other`;
- a request the words hid is revealed by how the group treats it: its asker nudges it ("Koi bhi
  suggestion? 🙏", "Gentle reminder on the intros") or someone vouches for the asker ("any leads
  for Sameer?"); the message they point back to was the request, and the nudge folds into it;
  a question taken for gyaan that another member answers was a request too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import timedelta

from bot.domain import Kind, Turn, TurnFacts
from bot.judgement.chit_chat import is_chit_chat_question
from bot.judgement.names import NameDirectory, display_name
from bot.judgement.reply_text import (
    asks_for_anything,
    clean,
    content_stems,
    has_question,
    is_bump,
    is_pitch,
    is_substantive,
    offers_in_reply,
    offers_own_help,
    opens_with_bump,
    sounds_like_advice,
)
from bot.judgement.topics import self_described_topics

# The group speaking of itself: a welcome, its rules and purpose, a call for introductions.
_ABOUT_THE_GROUP = re.compile(
    r"\b(?:welcome to\b|(?:started|created|formed|made) this (?:group|community|circle|forum)|"
    r"(?:ground|group|house|quick|few|some) rules|rules of (?:the|this) (?:group|community|forum)|"
    # "Quick reset of rules: 1) HR topics only 2) …": rules listed for the members.
    r"(?:reset|recap|reminder) of (?:the |our )?rules|rules\W{0,12}1[.)]|"
    # An invitation to the whole group ("All members are invited – Sat 10 am, Adityapur").
    r"(?:all|sabhi) (?:group )?members (?:are )?(?:invited|welcome|aamantrit)|"
    r"purpose of (?:the|this) (?:group|community|forum)|"
    r"this (?:group|community|forum|circle) is (?:for|meant|a)\b|quick intros?\b|"
    r"introduce yourself|(?:introduce|intro) yourselves)",
    re.I,
)
# A poll that only surveys the group ("POLL: Merit budget for 2027 at your company?") asks for
# nothing of the writer's own; one that speaks of the writer ("Help me choose – HRMS for our 800
# employees") does.
_POLL = re.compile(r"^\W*poll\b", re.I)
_OPTIONS = re.compile(r"\boption\b|\n\s*(?:[1-9a-d][.)]|[○•◯-])", re.I)
_GROUP_BUSINESS = re.compile(
    r"\b(?:meet-?ups?|meets?|get-?together|session|venue|this group|the group|channel)\b", re.I
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|me|my|we|we're|our|us|mine|hum|humara|mera)\b", re.I)
_BANTER_OPENING = re.compile(r"^\W*(?:meme|lol|lmao|haha\w*)\b", re.I)
REVEAL_WINDOW = timedelta(days=3)  # how far back a nudge or a vouch points
MAX_LOOKBACK = 300  # messages read back for the message pointed at


def _judged_requests(
    turns: Sequence[Turn], kinds: Sequence[Kind], test: Callable[[str], bool]
) -> list[int]:
    """Messages judged requests whose text passes `test`."""
    return [
        i
        for i, (turn, kind) in enumerate(zip(turns, kinds, strict=True))
        if kind == Kind.HELP_REQUEST and test(turn.text)
    ]


def offers_of_help(turns: Sequence[Turn], kinds: Sequence[Kind]) -> list[int]:
    """Messages judged requests that are a member's introduction offering help."""
    return _judged_requests(turns, kinds, _introduces_an_offer)


def _introduces_an_offer(text: str) -> bool:
    return not has_question(text) and offers_own_help(text) and bool(self_described_topics(text))


def statements_without_an_ask(turns: Sequence[Turn], kinds: Sequence[Kind]) -> list[int]:
    """Messages judged requests that ask the group for nothing ("Neha here, campus recruiter …")."""
    return _judged_requests(turns, kinds, lambda text: not asks_for_anything(text))


def pitches(turns: Sequence[Turn], kinds: Sequence[Kind]) -> list[int]:
    """Messages judged requests that pitch the writer's own offering (LABELS.md: `gyaan`)."""
    return _judged_requests(turns, kinds, is_pitch)


def offers_to_someone(turns: Sequence[Turn], kinds: Sequence[Kind]) -> list[int]:
    """Messages judged requests that answer someone with an offer ("Sir, … can I call you?")."""
    return _judged_requests(turns, kinds, offers_in_reply)


def chit_chat_questions(turns: Sequence[Turn], kinds: Sequence[Kind]) -> list[int]:
    """Messages judged requests that ask the whole group about itself or about everyday life,
    on no HR topic, or only whether others share the writer's experience, on any topic."""
    return _judged_requests(turns, kinds, is_chit_chat_question)


def notices_about_the_group(turns: Sequence[Turn], kinds: Sequence[Kind]) -> list[int]:
    """Messages judged requests that speak of the group itself ("Welcome to South Retail HR
    Circle. Few ground rules pls: …", "New here? Quick intro pls – name, role, city"): admin
    notices, whatever they ask of members."""
    return _judged_requests(turns, kinds, lambda text: bool(_ABOUT_THE_GROUP.search(text)))


def jokes(turns: Sequence[Turn], kinds: Sequence[Kind]) -> list[int]:
    """Messages judged requests that open as a joke ("meme: … 'can we reschedule to Monday?'
    🙃", "lol who else …?"): banter, whatever they ask."""
    return _judged_requests(turns, kinds, lambda text: bool(_BANTER_OPENING.match(text)))


def polls_of_the_group(turns: Sequence[Turn], kinds: Sequence[Kind]) -> list[int]:
    """Messages judged requests that are polls surveying the group, saying nothing of the
    writer's own need ("POLL: Which HRMS are you on right now?")."""
    return _judged_requests(turns, kinds, _surveys_the_group)


def _surveys_the_group(text: str) -> bool:
    if not _POLL.match(text):
        return False
    options = _OPTIONS.search(text)
    question = text[: options.start()] if options else text
    # "our next meetup" is the group's own business, not the writer's need.
    return not _FIRST_PERSON.search(question) or bool(_GROUP_BUSINESS.search(question))


def answered_questions(
    turns: Sequence[Turn], kinds: Sequence[Kind], facts: Sequence[TurnFacts]
) -> dict[int, int]:
    """{question: first answer}: messages judged gyaan that ask the group something ("Quick one:
    what are GCCs paying campus hires this season? We're at 18 LPA") and drew another member's
    answer; no rhetorical question is answered, so the group's reply shows it was a request."""
    found: dict[int, int] = {}
    for j, fact in enumerate(facts):
        i = fact.reply_to_index
        if i is None or i in found or not fact.substantive or kinds[i] != Kind.GYAAN:
            continue
        if turns[j].author == turns[i].author or facts[i].reply_to_index is not None:
            continue
        text = turns[i].text
        if has_question(text) and asks_for_anything(text) and not is_pitch(text):
            found[i] = j
    return found


def revealed_requests(
    turns: Sequence[Turn], kinds: Sequence[Kind], facts: Sequence[TurnFacts]
) -> dict[int, int]:
    """{pointer: request}: nudges and vouches that point back at a message judged otherwise,
    which was the request. Only pointers that fold into no open request count."""
    names = NameDirectory()
    found: dict[int, int] = {}
    for i, turn in enumerate(turns):
        if turn.system or turn.author is None:
            names.add_from_system(turn.text)
            continue
        author = display_name(turn.author)
        names.add(author)
        if turn.media or turn.deleted or turn.is_bot or kinds[i] == Kind.JOB_POST:
            continue
        if facts[i].refers_to_index is not None or facts[i].reply_to_index is not None:
            continue  # it already follows up something
        text = clean(turn.text)
        if opens_with_bump(text) or is_bump(text):
            stems = content_stems(text)
            target = _pointed_at(author, i, turns, kinds, facts, stems, jobs=False)
        elif has_question(text) and not sounds_like_advice(text):
            spoken_to = names.mentioned(text) | names.addressed(text)
            vouched = names.spoken_of(text) - spoken_to - {author}
            pointed = (_pointed_at(p, i, turns, kinds, facts, None, jobs=True) for p in vouched)
            target = max((j for j in pointed if j is not None), default=None)
        else:
            continue
        if target is not None:
            found[i] = target
    return found


def _pointed_at(
    person: str,
    i: int,
    turns: Sequence[Turn],
    kinds: Sequence[Kind],
    facts: Sequence[TurnFacts],
    stems: set[str] | None,
    *,
    jobs: bool,
) -> int | None:
    """`person`'s latest message before i that reads as a hidden request: not judged one, not a
    reply, with substance, within the window (and sharing a word with a nudge that has any).
    A job post counts only when someone vouches for its writer: a poster's own "any leads?"
    asks for candidates."""
    since = turns[i].sent_at - REVEAL_WINDOW
    for j in range(i - 1, max(-1, i - MAX_LOOKBACK), -1):
        turn = turns[j]
        if turn.sent_at < since:
            return None
        if turn.author is None or display_name(turn.author) != person:
            continue
        if turn.system or turn.media or turn.deleted:
            continue
        if kinds[j] == Kind.HELP_REQUEST:
            return None  # their open request is what is followed up
        if kinds[j] == Kind.JOB_POST and not jobs:
            return None
        fact = facts[j]
        if fact.reply_to_index is not None or fact.refers_to_index is not None:
            continue
        text = clean(turn.text)
        if opens_with_bump(text) or is_bump(text) or not is_substantive(text):
            continue
        if stems and not stems & content_stems(text):
            return None
        return j
    return None
