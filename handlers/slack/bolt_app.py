"""The Bolt app that routes verified, stored Slack payloads to Liftbot's listeners.

It never verifies or acks (the edge has done both). Who it authorizes a request as: the one
SLACK_BOT_TOKEN in single-workspace mode; in OAuth mode the team's installation, through
Bolt's `InstallationStoreAuthorize`, with the OAuth flow that makes installations.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.logger.messages import (
    warning_client_prioritized_and_token_skipped,
    warning_token_skipped,
)

from handlers.slack.api import make_client
from handlers.slack.context import SlackContext
from handlers.slack.listeners import register
from handlers.slack.oauth import build_oauth_flow

# Bolt's own checks that the edge has already made (signature, SSL check, URL verification).
_ROUTING_ONLY: dict[str, Any] = {
    "process_before_response": True,
    "request_verification_enabled": False,
    "token_verification_enabled": False,
    "ssl_check_enabled": False,
    "url_verification_enabled": False,
}


class _TokenNoticeFilter(logging.Filter):
    """Drops Bolt's start-up notices that SLACK_BOT_TOKEN "will be unused / ignored".

    Bolt reads SLACK_BOT_TOKEN from the environment itself and warns because Liftbot hands the
    token over per request through `authorize`: true, but it tells an operator who set the
    token correctly that it is ignored.
    """

    NOTICES = frozenset({warning_client_prioritized_and_token_skipped(), warning_token_skipped()})

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self.NOTICES


def build_bolt_app(context: SlackContext) -> App:
    """A Bolt app used for routing only: the edge has already verified and acked."""
    logging.getLogger("slack_bolt").setLevel(logging.WARNING)
    bolt_log = logging.getLogger("slack_bolt.App")
    if not any(isinstance(f, _TokenNoticeFilter) for f in bolt_log.filters):
        bolt_log.addFilter(_TokenNoticeFilter())
    if context.installs is not None:
        app = App(
            client=context.installs.client,
            # An Authorize instance, which Bolt accepts beside an OAuth flow (a plain callable
            # it refuses there); its stubs only name the callable form.
            authorize=context.installs.authorize,  # type: ignore[arg-type]
            oauth_flow=build_oauth_flow(context),
            **_ROUTING_ONLY,
        )
    else:
        app = App(
            # A token-less client: `authorize` supplies the token per request (a client with
            # a token beside `authorize` makes Bolt warn at start-up that it is ignored).
            client=make_client("", context.settings.slack_api_url),
            authorize=_single_workspace(context),
            **_ROUTING_ONLY,
        )
    register(app, context)
    return app


def _single_workspace(context: SlackContext) -> Callable[..., AuthorizeResult]:
    """The one token, with the bot's identity from auth.test (called once per process)."""

    def authorize(team_id: str | None = None) -> AuthorizeResult:
        me = context.api.identity()
        return AuthorizeResult(
            enterprise_id=None,
            team_id=team_id or me.team_id,
            bot_token=context.settings.slack_bot_token or None,
            bot_id=me.bot_id,
            bot_user_id=me.user_id,
        )

    return authorize
