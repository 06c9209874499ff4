"""What an asker says about their own request: that it is closed, that they took in an answer,
or how it went since ("thanks all, sorted 👍", "Makes sense. …", "Update: …")."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.judgement.reply_text import clean

_RESOLVED = re.compile(
    # "fixed" alone is an amount as often as a repair ("fixed per night shift").
    r"\b(?:sorted|resolved|solved|(?:is|got|been|it's|its|all) fixed|fixed now|settles it|settled|"
    r"closing (?:this|the loop|it)|closed|"
    r"close (?:this|the loop)|got what i needed|"
    r"found (?:what i needed|a (?:vendor|solution|way|one|candidate|coach|trainer))|"
    r"ho gaya|hogaya|all set now|no longer needed|"
    r"got (?:it|the answer|my answer|help)(?: from| through| offline| now)|taken care of|"
    r"(?:that|it) worked(?! for)|that works(?! for)|got (?:a|the) job|got placed|"
    # Closing in the asker's own words: what they needed is now arranged or found.
    r"(?:arranged|finali[sz]ed|booked|onboarded)"
    r"(?: (?:from|through|via|with|se)\b|(?=\s*[,.!🎉👍✅]))|"
    r"found (?:a|an|one|the|someone|somebody) [^.!?\n]{0,60}(?:myself|through|via|from|se)|"
    r"(?:got|accepted) (?:the|an|my) offer|i got it|"
    r"^\W*selected(?=\s*[!.🎉])|(?:i'?m|i am|i got|i'?ve been|i have been|finally) selected)\b",
    re.I,
)
_DONE_MARK = re.compile(r"^\W*(?:done|solved|resolved)?\s*[✅✔☑]", re.I)
_NOT_RESOLVED = re.compile(
    r"\b(?:not (?:yet )?(?:sorted|resolved|solved|fixed|closed)|unresolved|"
    r"still (?:open|looking|stuck|pending)|"
    # Asking again for what worked elsewhere ("Trying once more – even one idea that worked 🙏").
    r"(?:ideas?|something|anything|one|what|whatever) (?:that |which )?worked|once more)\b",
    re.I,
)

# An asker taking in an answer before saying more ("Makes sense. Recruiter ka level kya
# rakhun?") or telling how it went ("Update for those who helped – …") carries on their thread.
_ACKNOWLEDGES = re.compile(
    r"^\W*(?:makes sense|got it|noted|understood|i see|that helps)\s*[.!,–—-]", re.I
)
_UPDATE = re.compile(r"^\W*(?:quick |small |an )?update\b", re.I)


def acknowledges(text: str) -> bool:
    """The message opens by taking in what was said ("Makes sense.", "Got it –")."""
    return bool(_ACKNOWLEDGES.match(clean(text)))


def gives_update(text: str) -> bool:
    """The message opens as news of how something went ("Update: …", "Quick update – …")."""
    return bool(_UPDATE.match(clean(text)))


@lru_cache(maxsize=16384)
def is_resolution(text: str) -> bool:
    """An asker's closing of their own request ("thanks all, sorted 👍"); plain thanks is not."""
    body = clean(text)
    closed = _RESOLVED.search(body) or _DONE_MARK.search(body)
    return bool(closed) and not _NOT_RESOLVED.search(body)
