"""The one Starlette app: it only mounts the routes each handler module exposes."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.app.services import Services, slack_edge, whatsapp_desk
from handlers.slack.edge import routes as slack_routes
from handlers.whatsapp.routes import routes as whatsapp_routes


async def _healthz(_: Request) -> Response:
    return PlainTextResponse("ok")


def create_app(services: Services) -> Starlette:
    """The web app serving /healthz and the platform webhooks."""
    routes = [
        Route("/healthz", _healthz),
        *slack_routes(slack_edge(services)),
        *whatsapp_routes(whatsapp_desk(services)),
    ]
    return Starlette(routes=routes)
