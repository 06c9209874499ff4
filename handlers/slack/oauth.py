"""Installing Liftbot in a workspace (OAuth v2): Bolt's OAuth flow on Liftbot's own routes.

GET /slack/install shows the "Add to Slack" page and sets the state cookie; Slack sends the
installer back to GET /slack/oauth_redirect with a code and that state. The state must match
the browser's cookie and is used once (a replay is refused); the code is exchanged through
oauth.v2.access at SLACK_API_URL; the installation is kept unless this deployment cannot serve
it. A kept workspace becomes its own community, with the channel the installer chose for
incoming webhooks as its admin channel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.pipeline.community_config import SettingError, set_setting
from handlers.slack.context import SlackContext
from handlers.slack.installs import STATE_SECONDS, InstallRefused, Installs
from storage.db import session_scope

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


class _CheckedFlow(OAuthFlow):
    """Bolt's OAuth flow, refusing installations this deployment cannot serve before storing."""

    installs: Installs

    def store_installation(self, request: BoltRequest, installation: Installation) -> None:
        """Check, then store (InstallRefused makes Bolt answer with the failure page)."""
        try:
            self.installs.check(installation)
        except InstallRefused as refused:
            log.warning("slack: installation in %s refused: %s", installation.team_id, refused)
            raise
        super().store_installation(request, installation)


def build_oauth_flow(context: SlackContext) -> OAuthFlow:
    """The OAuth flow of an OAuth-mode context (its installations' stores)."""
    installs = context.installs
    assert installs is not None
    settings = context.settings
    oauth = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(settings.slack_scopes),
        user_scopes=[],
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        callback_options=CallbackOptions(
            success=lambda args: _installed(context, args), failure=_failed
        ),
        installation_store=installs.store,
        state_store=installs.states,
        state_expiration_seconds=STATE_SECONDS,
        logger=log,
    )
    flow = _CheckedFlow(client=installs.client, logger=log, settings=oauth)
    flow.installs = installs
    return flow


def _installed(context: SlackContext, args: SuccessArgs) -> BoltResponse:
    """The workspace's community, its admin channel the one chosen at install; Bolt's page."""
    welcome(context, args.installation)
    response: BoltResponse = args.default.success(args)
    return response


def welcome(context: SlackContext, installation: Installation) -> None:
    """Create (or find again, on a reinstall) the workspace's community, and make the channel
    the installer picked for incoming webhooks its admin channel."""
    team_id = str(installation.team_id)
    context.forget_team(team_id)  # a reinstall brings a new token
    channel = installation.incoming_webhook_channel_id
    with session_scope(context.engine) as session:
        community = context.community(session, team_id, str(installation.team_name or ""))
        if channel:
            try:
                set_setting(
                    session=session,
                    community=community,
                    settings=context.settings,
                    name="channel",
                    raw=str(channel),
                    by=str(installation.user_id or ""),
                )
            except SettingError as exc:
                log.warning("slack: install channel %r not kept: %s", channel, exc)
    log.info("slack: installed in %s (%s)", team_id, community.name)


def _failed(args: FailureArgs) -> BoltResponse:
    """Bolt's failure page; a refusal says why, with 403."""
    if isinstance(args.error, InstallRefused):
        args = FailureArgs(
            request=args.request,
            reason=args.error.reason,
            error=args.error,
            suggested_status_code=403,
            settings=args.settings,
            default=args.default,
        )
    response: BoltResponse = args.default.failure(args)
    return response


def oauth_routes(flow: OAuthFlow) -> list[Route]:
    """GET routes for the install page and Slack's redirect back."""

    async def install(request: Request) -> Response:
        return await _run(flow.handle_installation, request)

    async def redirect(request: Request) -> Response:
        return await _run(flow.handle_callback, request)

    return [
        Route(flow.install_path, install, methods=["GET"]),
        Route(flow.redirect_uri_path, redirect, methods=["GET"]),
    ]


async def _run(step: Callable[[BoltRequest], BoltResponse], request: Request) -> Response:
    bolt_request = BoltRequest(body="", query=request.url.query, headers=dict(request.headers))
    try:
        answer: BoltResponse = await run_in_threadpool(step, bolt_request)
    except SQLAlchemyError:
        log.exception("slack install: database unavailable")
        return PlainTextResponse("try again later", status_code=503)
    response = Response(answer.body, status_code=answer.status)
    for name, values in answer.headers.items():
        for value in values:
            response.headers.append(name, value)
    return response
