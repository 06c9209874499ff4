"""The Slack HTTP edge: cap, verify on raw bytes, persist to the inbox, ack, then process."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import Clock, SignatureVerifier
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from handlers.group_commit import GroupCommit
from handlers.http import BodyRejected, read_capped
from handlers.slack.bolt_app import build_bolt_app
from handlers.slack.context import SlackContext
from handlers.slack.message_batch import batched_messages, store_batch
from handlers.slack.oauth import oauth_routes
from handlers.slack.screening import screen
from handlers.slack.translate import may_be_new_message
from storage import inbox, queries
from storage.db import session_scope
from storage.inbox import Delivery, InboxSource, InboxState, Stored, Tally
from storage.tables import utcnow

log = logging.getLogger(__name__)

REPLAY_WINDOW_SECONDS = 300
TURN_WAIT_SECONDS = 2.0
_OUTAGES = (OperationalError, InterfaceError)  # a database down or locked, not a bad delivery
_MAX_TS_DIGITS = 12
# Headers Bolt would act on; everything else (x-slack-bolt-*, signatures) stays at the edge.
_FORWARDED_HEADERS = ("content-type", "x-slack-retry-num", "x-slack-retry-reason")


class EdgeRejection(Exception):
    """A request refused at the edge, with the 4xx status to answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def verify_signature(
    secret: str, timestamp: str | None, body: bytes, signature: str | None, now: float
) -> None:
    """Slack's v0 signature over the raw body (slack_sdk's verifier); raises EdgeRejection.

    The timestamp's shape and age are checked first so that a refusal says why.
    """
    if not secret:
        raise EdgeRejection(401, "no signing secret configured")
    if not timestamp or not signature:
        raise EdgeRejection(401, "missing signature headers")
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > _MAX_TS_DIGITS:
        raise EdgeRejection(400, "malformed request timestamp")
    if abs(now - int(timestamp)) > REPLAY_WINDOW_SECONDS:
        raise EdgeRejection(401, "stale or future request timestamp")
    verifier = SignatureVerifier(secret, clock=_FixedClock(now))
    # The library compares with hmac.compare_digest, which refuses non-ASCII strings.
    if not signature.isascii() or not verifier.is_valid(body, timestamp, signature):
        raise EdgeRejection(401, "invalid signature")


class _FixedClock(Clock):
    """The edge's own clock, as slack_sdk's verifier wants it."""

    def __init__(self, at: float) -> None:
        self.at = at

    def now(self) -> float:
        """The time the request is judged at."""
        return self.at


def _bolt_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {name: headers[name] for name in _FORWARDED_HEADERS if name in headers}


@dataclass
class SlackEdge:
    """POST /slack/events: every delivery persisted before its 200, processed once after it."""

    context: SlackContext
    bolt: App
    clock: Callable[[], float] = time.time
    # Who processes a stored event. None: this request, after its response (Starlette's
    # background task, which holds a keep-alive connection until it is done). A hand-off only
    # tells a worker (in this process or another) that the inbox has work, so acks never wait.
    handoff: Callable[[int], None] | None = None
    # SQLite has one writer at a time and its lock waits sleep in steps of up to 100 ms; a lock
    # shared with `serve`'s own worker process (multiprocessing.Lock) hands the turn over at once.
    write_turn: Any = None

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the writer's turn while writing, when it is shared. A turn not had within
        TURN_WAIT_SECONDS (its holder killed mid-write) is skipped: the database's own lock
        still keeps writes apart, only less promptly."""
        lock = self.write_turn
        held = lock.acquire(timeout=TURN_WAIT_SECONDS) if lock is not None else False
        try:
            yield
        finally:
            if held:
                lock.release()

    @property
    def settings(self) -> Any:
        """The process settings."""
        return self.context.settings

    async def handle(self, request: Request) -> Response:
        """The endpoint: never a 5xx for bad input, 503 only when the database is down."""
        try:
            body = await read_capped(request, self.settings.max_body_bytes)
            if _is_ssl_check(request, body):
                return PlainTextResponse("")
            # Slack signs UTF-8 text; a body that is not UTF-8 cannot carry a valid signature.
            text = _decode(body)
            verify_signature(
                self.settings.slack_signing_secret,
                request.headers.get("x-slack-request-timestamp"),
                body,
                request.headers.get("x-slack-signature"),
                self.clock(),
            )
            if _is_form(request, text):
                return await self._form(request, text)
            return await self._event(_json_object(text))
        except (EdgeRejection, BodyRejected) as exc:
            return PlainTextResponse(exc.reason, status_code=exc.status)
        except SQLAlchemyError:
            log.exception("slack edge: database unavailable")
            return PlainTextResponse("try again later", status_code=503)

    async def _event(self, payload: dict[str, Any]) -> Response:
        kind = payload.get("type")
        if kind == "url_verification":
            challenge = payload.get("challenge")
            if not isinstance(challenge, str):
                raise EdgeRejection(400, "challenge must be a string")
            return JSONResponse({"challenge": challenge})
        if kind != "event_callback" or not self.accepts(payload):
            return PlainTextResponse("")
        admission = self.screened(payload)
        if admission is None:
            return PlainTextResponse("")
        # Stored with the deliveries that arrived meanwhile, in one transaction (group commit).
        inbox_id, should_process = await self._committer.submit(admission)
        if not should_process:
            return PlainTextResponse("")
        if self.handoff is not None:
            self.handoff(inbox_id)
            return PlainTextResponse("")
        return PlainTextResponse("", background=BackgroundTask(self.process, inbox_id))

    def admit(self, payload: Mapping[str, Any]) -> tuple[int, bool]:
        """Screen and store a signed event once; (inbox id, whether to process it now)."""
        admission = self.screened(payload)
        if admission is None:
            return 0, False
        return self.store([admission])[0]

    def screened(self, payload: Mapping[str, Any]) -> Admission | None:
        """A signed event made safe to store, or None when it has no usable event_id."""
        screened = screen(payload, self.clock())
        event_id = screened.payload.get("event_id")
        if not isinstance(event_id, str) or not event_id or len(event_id) > 200:
            log.warning("slack edge: event_callback without a usable event_id ignored")
            return None
        if screened.reason:
            log.warning("slack edge: event %s not processed: %s", event_id, screened.reason)
        stored = json.dumps(screened.payload, ensure_ascii=False)
        delivery = Delivery(event_id, stored, screened.state, screened.reason)
        return Admission(delivery, _author(screened.payload))

    def store(self, admissions: Sequence[Admission]) -> list[tuple[int, bool]]:
        """Store screened events once, together in one transaction; for each, (inbox id,
        whether it still needs processing). A forgotten member's event keeps only its id."""
        with self.turn(), session_scope(self.context.engine) as session:
            forgotten = queries.suppressed_among(
                session=session, community_id=0, keys={a.author for a in admissions if a.author}
            )
            deliveries = [
                _forgotten(a.delivery.event_id) if a.author in forgotten else a.delivery
                for a in admissions
            ]
            stored = inbox.store_many(
                session=session, source=InboxSource.SLACK_EVENT, deliveries=deliveries, now=utcnow()
            )
        return [_to_process(s, d.state) for s, d in zip(stored, deliveries, strict=True)]

    def accepts(self, payload: Mapping[str, Any]) -> bool:
        """Whether the workspace and app are the configured ones (when configured)."""
        teams, app_id = self.settings.slack_team_ids, self.settings.slack_app_id
        if teams and payload.get("team_id") not in teams:
            return False
        return not (app_id and payload.get("api_app_id") != app_id)

    async def _form(self, request: Request, text: str) -> Response:
        form = {k: v[0] for k, v in parse_qs(text, max_num_fields=200).items() if v}
        if "command" not in form or not self.accepts(form):
            return PlainTextResponse("")
        headers = _bolt_headers(request.headers)
        response = await run_in_threadpool(self.dispatch, text, headers)
        if response.status != 200:
            return JSONResponse(
                {"response_type": "ephemeral", "text": "Sorry, that did not work. Try again."}
            )
        content_type = response.headers.get("content-type", ["application/json"])[0]
        return Response(response.body, status_code=200, media_type=content_type)

    def dispatch(self, body: str, headers: Mapping[str, str]) -> BoltResponse:
        """Route one verified payload through Bolt's listeners (synchronously)."""
        return self.bolt.dispatch(BoltRequest(body=body, headers=dict(headers)))

    def process(self, inbox_id: int) -> InboxState | None:
        """Run a stored event once; it ends `done`, or `failed` so that it can be retried."""
        return process_inbox_row(self, inbox_id)

    @cached_property
    def _committer(self) -> GroupCommit[Admission, tuple[int, bool]]:
        return GroupCommit(self.store, retry_alone=lambda e: not isinstance(e, _OUTAGES))


@dataclass(frozen=True, slots=True)
class Admission:
    """A screened event ready to store, with its author (checked against forgotten members)."""

    delivery: Delivery
    author: str | None


def _forgotten(event_id: str) -> Delivery:
    """What is kept of a forgotten member's event: its id, so that a redelivery is known."""
    return Delivery(event_id, "", InboxState.IGNORED, "from a forgotten member")


def _author(payload: Mapping[str, Any]) -> str | None:
    event = payload.get("event")
    user = event.get("user") if isinstance(event, dict) else None
    return user if isinstance(user, str) and user else None


def _to_process(stored: Stored, state: InboxState) -> tuple[int, bool]:
    """(row id, whether it still needs processing): a fresh pending delivery, or a retry of
    one whose processing failed; anything else is a duplicate."""
    fresh = stored.inserted and state is InboxState.PENDING
    return stored.id, fresh or stored.state is InboxState.FAILED


def _is_ssl_check(request: Request, body: bytes) -> bool:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("application/x-www-form-urlencoded"):
        return False
    try:
        fields = parse_qs(body.decode("latin-1"), max_num_fields=50)
    except ValueError:  # an unsigned body with too many fields is not Slack's SSL check
        return False
    return fields.get("ssl_check") == ["1"]


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EdgeRejection(400, "body is not UTF-8") from exc


def _is_form(request: Request, text: str) -> bool:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        return False
    return content_type.startswith("application/x-www-form-urlencoded") or not text.startswith("{")


def _json_object(text: str) -> dict[str, Any]:
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise EdgeRejection(400, "body is not JSON") from exc
    if not isinstance(payload, dict):
        raise EdgeRejection(400, "body must be a JSON object")
    return payload


def process_inbox_row(edge: SlackEdge, inbox_id: int) -> InboxState | None:
    """Claim a pending/failed inbox row and dispatch it through Bolt; its final state, or None
    when another worker holds it."""
    with session_scope(edge.context.engine) as session:
        payload = inbox.claim(session=session, inbox_id=inbox_id, now=utcnow())
    if payload is None:
        return None
    error = _run(edge, payload)
    with session_scope(edge.context.engine) as session:
        return inbox.finish(
            session=session,
            inbox_id=inbox_id,
            state=InboxState.FAILED if error else InboxState.DONE,
            now=utcnow(),
            error=error,
        )


def process_inbox_rows(edge: SlackEdge, inbox_ids: Sequence[int]) -> Tally:
    """Process stored events in a batch: claimed together in one statement (rows another
    worker holds are skipped), dispatched one by one with their new messages stored together
    after (`batched_messages`), finished together in one statement."""
    with edge.turn(), session_scope(edge.context.engine) as session:
        claimed = inbox.claim_many(session=session, ids=inbox_ids, now=utcnow())
    errors: dict[int, str | None] = {}

    def store_waiting() -> None:
        for inbox_id, error in store_batch(batch, edge.turn).items():
            errors[inbox_id] = errors[inbox_id] or error

    with batched_messages() as batch:
        for inbox_id, payload in claimed:
            new = _may_be_new_message(payload)
            if batch.waiting and not new:
                store_waiting()  # an edit, a deletion or a reaction sees the messages before it
            batch.current = inbox_id
            # A new message only joins the batch: no write, so the web process's acks need
            # not wait for the writer's turn meanwhile.
            with nullcontext() if new else edge.turn():
                errors[inbox_id] = _run(edge, payload)
        store_waiting()
    tally = Tally()
    with edge.turn(), session_scope(edge.context.engine) as session:
        now = utcnow()
        done = [inbox_id for inbox_id, error in errors.items() if error is None]
        inbox.finish_done(session=session, ids=done, now=now)
        tally.done += len(done)
        for inbox_id, error in errors.items():
            if error is not None:
                state = InboxState.FAILED
                tally.add(
                    inbox.finish(
                        session=session, inbox_id=inbox_id, state=state, now=now, error=error
                    )
                )
    return tally


def _may_be_new_message(payload: str) -> bool:
    try:
        parsed = json.loads(payload)
    except ValueError:  # dispatching it records the error
        return False
    return isinstance(parsed, dict) and may_be_new_message(parsed)


def _run(edge: SlackEdge, payload: str) -> str | None:
    """Dispatch one stored event through Bolt; the error to record, or None."""
    try:
        response = edge.dispatch(payload, {"content-type": "application/json"})
    except Exception as exc:  # recorded on the row; the next delivery or a drain retries it
        log.exception("slack event processing failed")
        return type(exc).__name__
    # 404 is Bolt's "no listener": an event we do not use, acknowledged and ignored.
    if response.status not in (200, 404):
        return f"listener failed ({response.status})"
    return None


def drain_pending(edge: SlackEdge, limit: int = 500) -> Tally:
    """Process stored Slack events that are due (pending, retries whose wait is over, stale)."""
    with session_scope(edge.context.engine) as session:
        ids = inbox.due(session=session, source=InboxSource.SLACK_EVENT, now=utcnow(), limit=limit)
    return process_inbox_rows(edge, ids)


def build_edge(context: SlackContext) -> SlackEdge:
    """The Slack edge for a context (one Bolt app per process)."""
    return SlackEdge(context=context, bolt=build_bolt_app(context))


def routes(edge: SlackEdge) -> list[Route]:
    """The Slack routes to mount on the web app (OAuth mode: the install pages too)."""
    flow = edge.bolt.oauth_flow
    return [
        Route("/slack/events", edge.handle, methods=["POST"]),
        *(oauth_routes(flow) if flow is not None else []),
    ]
