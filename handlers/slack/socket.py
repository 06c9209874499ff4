"""Socket Mode: the same inbox dedupe as HTTP, for deployments without a public URL."""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.socket_mode.internals import run_bolt_app, send_response
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from sqlalchemy.exc import SQLAlchemyError

from handlers.slack.edge import SlackEdge

log = logging.getLogger(__name__)


class InboxSocketModeHandler(SocketModeHandler):
    """Persists each events_api envelope by event_id before acking it, then processes it once.

    `retry_attempt` is not a duplicate signal (a first delivery carries 0): only the event_id is.
    """

    def __init__(self, edge: SlackEdge, app_token: str, **options: Any) -> None:
        super().__init__(edge.bolt, app_token, **options)
        self.edge = edge

    def handle(self, client: Any, req: SocketModeRequest) -> None:
        """Ack every envelope; events are stored first, commands answered through Bolt."""
        if req.type == "events_api":
            self._event(client, req)
            return
        if req.type == "slash_commands":
            send_response(client, req, run_bolt_app(self.edge.bolt, req), time.time())
            return
        client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))

    def _event(self, client: Any, req: SocketModeRequest) -> None:
        payload = req.payload if isinstance(req.payload, dict) else {}
        should_process, inbox_id = False, 0
        if self.edge.accepts(payload):
            try:
                inbox_id, should_process = self.edge.admit(payload)
            except SQLAlchemyError:
                # Not acked, so Slack redelivers it once the database is back.
                log.exception("socket mode: database unavailable, envelope left unacked")
                return
        client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
        if should_process:
            self.edge.process(inbox_id)


def connect_socket_mode(edge: SlackEdge) -> InboxSocketModeHandler:
    """Open the Socket Mode connection with SLACK_APP_TOKEN (events arrive on its threads)."""
    handler = InboxSocketModeHandler(edge, edge.context.settings.slack_app_token)
    handler.connect()  # type: ignore[no-untyped-call]
    return handler
