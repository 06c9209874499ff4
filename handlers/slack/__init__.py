"""The Slack adapter: Events API and `/lift` over HTTP (or Socket Mode), posts via the Web API.

- `edge`: POST /slack/events — cap, verify the signature on raw bytes, store, ack, process
- `socket`: Socket Mode, through the same inbox
- `listeners`: `register(app)` attaches the Bolt callbacks; `events` and `command` do their work
- `translate`: Slack payloads as ChatMessages (pure)
- `context`: what the listeners share; `api`: auth.test, users.info, downloads
- `sender`: posting exactly once
- `upload`: a moderator DMs the bot a WhatsApp export and gets the report back
"""
