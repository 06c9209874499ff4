"""Real-shape Slack payloads (Events API and slash commands), signed like Slack signs them."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

SECRET = "liftbot-test-signing-secret"
TEAM = "T0LIFT"
APP = "A0LIFT"
BOT_USER, BOT_ID = "UBOT", "BBOT"
CHANNEL = "C0GENERAL"
ASKER, HELPER, MODERATOR, OUTSIDER = "UASKER", "UHELPER", "UMOD", "UOUT"


def sign(body: bytes, *, ts: str | None = None, secret: str = SECRET) -> dict[str, str]:
    """Headers Slack would send for this body."""
    ts = ts if ts is not None else str(int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return {"x-slack-request-timestamp": ts, "x-slack-signature": "v0=" + digest.hexdigest()}


def envelope(event: dict[str, Any], event_id: str, *, team: str = TEAM) -> dict[str, Any]:
    """An event_callback as delivered to the Request URL."""
    return {
        "token": "legacy-verification-token",
        "team_id": team,
        "api_app_id": APP,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1718000000,
        "authorizations": [{"team_id": team, "user_id": BOT_USER, "is_bot": True}],
        "is_ext_shared_channel": False,
        "event_context": "4-eyJldCI6Im1lc3NhZ2UifQ",
    }


def json_request(payload: Any, **sign_args: Any) -> tuple[bytes, dict[str, str]]:
    """Body and headers of a signed JSON POST."""
    body = json.dumps(payload).encode()
    return body, {"content-type": "application/json", **sign(body, **sign_args)}


def message(
    text: str, ts: str, *, user: str = ASKER, channel: str = CHANNEL, **extra: Any
) -> dict[str, Any]:
    """A plain channel message event."""
    return {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": "channel",
        "team": TEAM,
        "blocks": [{"type": "rich_text", "block_id": "b1", "elements": []}],
        "client_msg_id": f"cm-{ts}",
        **extra,
    }


def thread_reply(text: str, ts: str, parent_ts: str, *, user: str = HELPER) -> dict[str, Any]:
    """A reply in a thread."""
    return message(text, ts, user=user, thread_ts=parent_ts, parent_user_id=ASKER)


def broadcast(text: str, ts: str, parent_ts: str, *, user: str = HELPER) -> dict[str, Any]:
    """A thread reply also sent to the channel."""
    return message(
        text, ts, user=user, subtype="thread_broadcast", thread_ts=parent_ts,
        root={"ts": parent_ts, "user": ASKER, "text": "root", "thread_ts": parent_ts},
    )  # fmt: skip


DOWNLOAD = "https://files.slack.com/files-pri/T0LIFT-F1/x"


def file_share(text: str, ts: str, *, channel: str = CHANNEL, channel_type: str = "channel",
               name: str = "salary-bands.pdf", user: str = ASKER,
               download: str = DOWNLOAD) -> dict[str, Any]:  # fmt: skip
    """A message with an uploaded file (metadata only)."""
    event = message(text, ts, user=user, channel=channel, subtype="file_share", upload=False)
    event["channel_type"] = channel_type
    event["files"] = [{
        "id": "F0FILE", "name": name, "title": name, "mimetype": "application/pdf",
        "filetype": name.rsplit(".", 1)[-1], "size": 48213, "url_private": download,
        "url_private_download": download,
    }]  # fmt: skip
    return event


def bot_message(text: str, ts: str, *, bot_id: str = "B0OTHER") -> dict[str, Any]:
    """Another app's post."""
    return {"type": "message", "subtype": "bot_message", "channel": CHANNEL, "text": text,
            "ts": ts, "event_ts": ts, "bot_id": bot_id, "username": "Jobs Feed",
            "channel_type": "channel"}  # fmt: skip


def changed(original_ts: str, new_text: str, edit_ts: str, *, user: str = ASKER) -> dict[str, Any]:
    """message_changed: the top-level ts is the edit's, the message's own ts is inside."""
    return {
        "type": "message", "subtype": "message_changed", "hidden": True, "channel": CHANNEL,
        "ts": edit_ts, "event_ts": edit_ts, "channel_type": "channel",
        "message": {"type": "message", "user": user, "text": new_text, "ts": original_ts,
                    "edited": {"user": user, "ts": edit_ts}},
        "previous_message": {"type": "message", "user": user, "text": "old", "ts": original_ts},
    }  # fmt: skip


def deleted(original_ts: str, delete_ts: str) -> dict[str, Any]:
    """message_deleted: `deleted_ts` names the removed message."""
    return {
        "type": "message", "subtype": "message_deleted", "hidden": True, "channel": CHANNEL,
        "ts": delete_ts, "event_ts": delete_ts, "deleted_ts": original_ts,
        "channel_type": "channel",
        "previous_message": {"type": "message", "user": ASKER, "text": "x", "ts": original_ts},
    }  # fmt: skip


def reaction(user: str, item_ts: str, name: str = "white_check_mark") -> dict[str, Any]:
    """reaction_added on a channel message."""
    return {"type": "reaction_added", "user": user, "reaction": name, "item_user": ASKER,
            "item": {"type": "message", "channel": CHANNEL, "ts": item_ts},
            "event_ts": "1718009999.000100"}  # fmt: skip


def joined(user: str) -> dict[str, Any]:
    """member_joined_channel."""
    return {"type": "member_joined_channel", "user": user, "channel": CHANNEL,
            "channel_type": "C", "team": TEAM, "event_ts": "1718000001.000200"}  # fmt: skip


def command(text: str, *, user: str, trigger: str, name: str = "/lift",
            team: str = TEAM) -> tuple[bytes, dict[str, str]]:  # fmt: skip
    """A signed slash-command form post."""
    body = urlencode({
        "token": "legacy", "team_id": team, "team_domain": "acme", "channel_id": CHANNEL,
        "channel_name": "general", "user_id": user, "user_name": "someone", "command": name,
        "text": text, "api_app_id": APP, "is_enterprise_install": "false",
        "response_url": "https://hooks.slack.com/commands/T0LIFT/1/x", "trigger_id": trigger,
    }).encode()  # fmt: skip
    return body, {"content-type": "application/x-www-form-urlencoded", **sign(body)}
