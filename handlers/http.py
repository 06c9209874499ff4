"""What both webhook edges share: reading an untrusted body without ever holding more than a cap."""

from __future__ import annotations

from starlette.requests import Request


class BodyRejected(Exception):
    """A request body refused before it was read whole, with the 4xx status to answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


async def read_capped(request: Request, limit: int) -> bytes:
    """The raw body, refused (413) as soon as it is declared or seen to exceed `limit` bytes.

    Compressed bodies are refused (415): neither Slack nor Twilio sends them, and a small
    compressed body can expand past any cap.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise BodyRejected(400, "malformed content-length")
        if int(declared) > limit:
            raise BodyRejected(413, "request body too large")
    if request.headers.get("content-encoding", "identity").lower() != "identity":
        raise BodyRejected(415, "compressed bodies are not accepted")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BodyRejected(413, "request body too large")
    return bytes(body)
