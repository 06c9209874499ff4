"""The one Starlette app: it only mounts the routes each handler module exposes."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.app.database import database_problem
from bot.app.services import Services, slack_edge, whatsapp_desk
from handlers.slack.edge import routes as slack_routes
from handlers.whatsapp.routes import routes as whatsapp_routes


def create_app(services: Services) -> Starlette:
    """The web app serving /healthz and the platform webhooks."""

    async def healthz(_: Request) -> Response:
        # The same database the webhooks write to: "ok" here means a delivery can be stored.
        problem = await run_in_threadpool(database_problem, services.engine)
        if problem is not None:
            return PlainTextResponse(problem, status_code=503)
        return PlainTextResponse("ok")

    routes = [
        Route("/healthz", healthz),
        *slack_routes(slack_edge(services)),
        *whatsapp_routes(whatsapp_desk(services)),
    ]
    return Starlette(routes=routes)
