"""The Slack HTTP edge: cap, verify on raw bytes, persist to the inbox, ack, then process."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from handlers.slack.api import SlackApi, SlackSender, make_client
from handlers.slack.listeners import SlackContext, register
from storage import queries
from storage.db import session_scope
from storage.tables import InboxEvent, utcnow

log = logging.getLogger(__name__)

SOURCE_EVENT = "slack_event"
REPLAY_WINDOW_SECONDS = 300
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
    """Slack's v0 HMAC-SHA256 over `v0:{ts}:{raw body}`; raises EdgeRejection (400/401)."""
    if not secret:
        raise EdgeRejection(401, "no signing secret configured")
    if not timestamp or not signature:
        raise EdgeRejection(401, "missing signature headers")
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > _MAX_TS_DIGITS:
        raise EdgeRejection(400, "malformed request timestamp")
    if abs(now - int(timestamp)) > REPLAY_WINDOW_SECONDS:
        raise EdgeRejection(401, "stale or future request timestamp")
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("latin-1", "replace")):
        raise EdgeRejection(401, "invalid signature")


async def read_capped(request: Request, limit: int) -> bytes:
    """The raw body, refused with 413 as soon as it is known or seen to exceed `limit`."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise EdgeRejection(400, "malformed content-length")
        if int(declared) > limit:
            raise EdgeRejection(413, "body too large")
    if request.headers.get("content-encoding", "identity").lower() != "identity":
        raise EdgeRejection(415, "compressed bodies are not accepted")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise EdgeRejection(413, "body too large")
    return bytes(body)


def slack_context(services: Any) -> SlackContext:
    """The process's Slack context (Web API client, sender, caches), built once per Services."""
    existing = services.extras.get("slack")
    if isinstance(existing, SlackContext):
        return existing
    settings = services.settings
    client = make_client(settings.slack_bot_token, settings.slack_api_url)
    sender = SlackSender(client, services.engine)
    api = SlackApi(client, sender, settings.slack_bot_token)
    context = SlackContext(
        settings=settings,
        engine=services.engine,
        api=api,
        classifier_for=lambda session, community_id: services.classifiers.classifier_for(
            session=session, community_id=community_id
        ),
    )
    from handlers.slack.upload import import_uploaded_export

    context.on_export_upload = lambda event, team: import_uploaded_export(context, event, team)
    services.extras["slack"] = context
    return context


def build_bolt_app(context: SlackContext) -> App:
    """A Bolt app used for routing only: the edge has already verified and acked."""
    logging.getLogger("slack_bolt").setLevel(logging.WARNING)

    def authorize(team_id: str | None = None) -> AuthorizeResult:
        me = context.api.identity()
        return AuthorizeResult(
            enterprise_id=None,
            team_id=team_id or me.team_id,
            bot_token=context.settings.slack_bot_token or None,
            bot_id=me.bot_id,
            bot_user_id=me.user_id,
        )

    app = App(
        client=context.api.client,
        authorize=authorize,
        process_before_response=True,
        request_verification_enabled=False,
        token_verification_enabled=False,
        ssl_check_enabled=False,
        url_verification_enabled=False,
    )
    register(app, None, context)
    return app


def _bolt_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {name: headers[name] for name in _FORWARDED_HEADERS if name in headers}


@dataclass
class SlackEdge:
    """POST /slack/events: every delivery persisted before its 200, processed once after it."""

    context: SlackContext
    bolt: App
    clock: Callable[[], float] = time.time

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
            verify_signature(
                self.settings.slack_signing_secret,
                request.headers.get("x-slack-request-timestamp"),
                body,
                request.headers.get("x-slack-signature"),
                self.clock(),
            )
            text = _decode(body)
            if _is_form(request, text):
                return await self._form(request, text)
            return self._event(_json_object(text), text)
        except EdgeRejection as exc:
            return PlainTextResponse(exc.reason, status_code=exc.status)
        except SQLAlchemyError:
            log.exception("slack edge: database unavailable")
            return PlainTextResponse("try again later", status_code=503)

    def _event(self, payload: dict[str, Any], text: str) -> Response:
        kind = payload.get("type")
        if kind == "url_verification":
            challenge = payload.get("challenge")
            if not isinstance(challenge, str):
                raise EdgeRejection(400, "challenge must be a string")
            return JSONResponse({"challenge": challenge})
        event_id = payload.get("event_id")
        if kind != "event_callback" or not self.accepts(payload):
            return PlainTextResponse("")
        if not isinstance(event_id, str) or not event_id or len(event_id) > 200:
            log.warning("slack edge: event_callback without a usable event_id ignored")
            return PlainTextResponse("")
        if not well_formed(payload):
            # Stored for the record but never routed: Bolt itself crashes on such shapes.
            claim_event(self.context, event_id, text, status="ignored")
            return PlainTextResponse("")
        inbox_id, should_process = claim_event(self.context, event_id, text)
        if not should_process:
            return PlainTextResponse("")
        return PlainTextResponse("", background=BackgroundTask(self.process, inbox_id))

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

    def process(self, inbox_id: int) -> str:
        """Run a stored event once; it ends `done`, or `failed` so that it can be retried."""
        return process_inbox_row(self, inbox_id)


def _is_ssl_check(request: Request, body: bytes) -> bool:
    content_type = request.headers.get("content-type", "")
    return content_type.startswith("application/x-www-form-urlencoded") and (
        parse_qs(body.decode("latin-1"), max_num_fields=50).get("ssl_check") == ["1"]
    )


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


_STRING_FIELDS = (
    "type",
    "subtype",
    "user",
    "ts",
    "event_ts",
    "thread_ts",
    "text",
    "team",
    "bot_id",
)


def _fields_ok(event: Any) -> bool:
    if not isinstance(event, dict):
        return False
    if any(
        event.get(name) is not None and not isinstance(event[name], str) for name in _STRING_FIELDS
    ):
        return False
    channel = event.get("channel")
    return (
        channel is None
        or isinstance(channel, str)
        or (isinstance(channel, dict) and isinstance(channel.get("id"), str))
    )


def well_formed(payload: Mapping[str, Any]) -> bool:
    """The event (and an edited message inside it) has the field types Slack documents."""
    event = payload.get("event")
    if not _fields_ok(event) or not isinstance(payload.get("team_id", ""), str):
        return False
    assert isinstance(event, dict)
    inner = event.get("message")
    return inner is None or _fields_ok(inner)


def claim_event(
    context: SlackContext, event_id: str, payload: str, *, status: str = "pending"
) -> tuple[int, bool]:
    """Persist a delivery once by event_id; (row id, whether it still needs processing)."""
    with session_scope(context.engine) as session:
        inserted = queries.insert_ignore(
            session,
            InboxEvent,
            {"source": SOURCE_EVENT, "event_id": event_id, "payload": payload,
             "status": status, "received_at": utcnow()},
        )  # fmt: skip
        row = session.exec(
            select(InboxEvent).where(
                col(InboxEvent.source) == SOURCE_EVENT, col(InboxEvent.event_id) == event_id
            )
        ).one()
        assert row.id is not None
        # A retry of an event whose processing failed gets another go; anything else is a duplicate.
        return row.id, (inserted and status == "pending") or row.status == "failed"


def _claim_processing(context: SlackContext, inbox_id: int) -> str | None:
    with session_scope(context.engine) as session:
        result = session.execute(
            update(InboxEvent)
            .where(
                col(InboxEvent.id) == inbox_id, col(InboxEvent.status).in_(["pending", "failed"])
            )
            .values(status="processing")
        )
        if getattr(result, "rowcount", 0) != 1:
            return None
        row = session.get(InboxEvent, inbox_id)
        return row.payload if row is not None else None


def process_inbox_row(edge: SlackEdge, inbox_id: int) -> str:
    """Claim a pending/failed inbox row and dispatch it through Bolt; returns the final status."""
    payload = _claim_processing(edge.context, inbox_id)
    if payload is None:
        return "skipped"
    error: str | None = None
    try:
        response = edge.dispatch(payload, {"content-type": "application/json"})
        # 404 is Bolt's "no listener": an event we do not use, acknowledged and ignored.
        if response.status not in (200, 404):
            error = f"listener failed ({response.status})"
    except Exception as exc:  # recorded on the row; the next delivery or a drain retries it
        log.exception("slack event processing failed")
        error = type(exc).__name__
    status = "failed" if error else "done"
    with session_scope(edge.context.engine) as session:
        session.execute(
            update(InboxEvent)
            .where(col(InboxEvent.id) == inbox_id)
            .values(status=status, error=error, processed_at=utcnow())
        )
    return status


def drain_pending(edge: SlackEdge, limit: int = 500) -> int:
    """Process stored Slack events left pending or failed (after a crash); returns how many ran."""
    with session_scope(edge.context.engine) as session:
        ids = list(
            session.exec(
                select(col(InboxEvent.id))
                .where(
                    col(InboxEvent.source) == SOURCE_EVENT,
                    col(InboxEvent.status).in_(["pending", "failed"]),
                )
                .order_by(col(InboxEvent.id))
                .limit(limit)
            )
        )
    return sum(1 for inbox_id in ids if inbox_id and process_inbox_row(edge, inbox_id) == "done")


def build_edge(services: Any) -> SlackEdge:
    """The Slack edge for these services (one Bolt app per process)."""
    existing = services.extras.get("slack_edge")
    if isinstance(existing, SlackEdge):
        return existing
    context = slack_context(services)
    edge = SlackEdge(context=context, bolt=build_bolt_app(context))
    services.extras["slack_edge"] = edge
    return edge


def routes(services: Any) -> list[Route]:
    """The Slack routes to mount on the web app."""
    edge = build_edge(services)
    return [Route("/slack/events", edge.handle, methods=["POST"])]
