"""The WhatsApp webhooks: verify Twilio's signature, let the desk answer, reply in TwiML."""

from __future__ import annotations

import logging
from xml.sax.saxutils import escape

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.config import Settings
from bot.text import split_message
from handlers.http import BodyRejected, read_capped
from handlers.whatsapp.desk import Desk
from handlers.whatsapp.translate import SID, read_inbound
from handlers.whatsapp.webhook import FormError, TwilioForm, parse_form, public_url, signature_ok

log = logging.getLogger(__name__)


def twiml(text: str | None = None, background: BackgroundTask | None = None) -> Response:
    """A TwiML answer: `<Response/>` when there is nothing to say."""
    body = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
    if text:
        messages = "".join(f"<Message>{escape(part)}</Message>" for part in split_message(text))
        body = f'<?xml version="1.0" encoding="UTF-8"?><Response>{messages}</Response>'
    return Response(body, media_type="text/xml", background=background)


async def verified_form(request: Request, settings: Settings) -> TwilioForm | Response:
    """The form of a correctly signed request, or the 4xx response to give instead."""
    try:
        form = parse_form(await read_capped(request, settings.max_body_bytes))
    except BodyRejected as exc:
        return Response(exc.reason, status_code=exc.status)
    except FormError as exc:
        return Response(str(exc), status_code=400)
    url = public_url(settings.public_base_url, request)
    signature = request.headers.get("x-twilio-signature", "")
    if not signature_ok(settings.twilio_auth_token, url, form, signature):
        if not settings.public_base_url:
            log.error("Twilio webhook refused: LIFTBOT_PUBLIC_BASE_URL is not set")
        return Response("invalid Twilio signature", status_code=403)
    return form.cleaned()


def routes(desk: Desk) -> list[Route]:
    """POST /twilio/whatsapp (messages) and POST /twilio/status (delivery callbacks)."""
    settings = desk.settings

    async def whatsapp(request: Request) -> Response:
        form = await verified_form(request, settings)
        if isinstance(form, Response):
            return form
        try:
            inbound = read_inbound(
                form, desk.community_name, secret=desk.secret, received_at=desk.clock()
            )
        except FormError as exc:
            return Response(str(exc), status_code=400)
        reply = await run_in_threadpool(desk.receive, inbound)
        task = BackgroundTask(desk.process, reply.inbox_id) if reply.process_later else None
        return twiml(reply.text, task)

    async def status(request: Request) -> Response:
        form = await verified_form(request, settings)
        if isinstance(form, Response):
            return form
        sid, state = form.text("MessageSid"), form.text("MessageStatus").strip().lower()
        if not SID.match(sid) or not state or len(state) > 32:
            return Response("MessageSid and MessageStatus are required", status_code=400)
        code = form.text("ErrorCode").strip()[:16] or None
        closed = await run_in_threadpool(desk.record_status, sid, state, code)
        return twiml(None, BackgroundTask(desk.resend_as_template, sid) if closed else None)

    return [
        Route("/twilio/whatsapp", whatsapp, methods=["POST"]),
        Route("/twilio/status", status, methods=["POST"]),
    ]
