"""The Slack adapter: Events API and `/lift` over HTTP (or Socket Mode), posts via the Web API.

- `edge`: POST /slack/events — cap, verify the signature on raw bytes, store, ack, process
- `socket`: Socket Mode, through the same inbox
- `bolt_app`: the Bolt app that routes stored payloads, authorized by the one bot token or by
  each workspace's installation
- `oauth`: installing in many workspaces — /slack/install and /slack/oauth_redirect
- `installs`: installed workspaces' tokens, refreshed when due
- `listeners`: `register(app)` attaches the Bolt callbacks; `events` and `command` do their work
- `translate`: Slack payloads as ChatMessages (pure)
- `context`: what the listeners share, and each workspace's view (`for_team`); `api`: auth.test,
  users.info, downloads
- `sender`: posting exactly once
- `upload`: a moderator DMs the bot a WhatsApp export and gets the report back
"""
