"""The WhatsApp adapter (Twilio): members and admins write to the bot's number.

- `routes`: POST /twilio/whatsapp and /twilio/status — verify Twilio's signature, answer in TwiML
- `webhook`: the untrusted form and its signature; `translate`: form fields as a ChatMessage (pure)
- `desk`: store once in the inbox, then commands, help requests and shared exports
- `text_commands`: `/lift …` written as text; `helpdesk`: asks helpers and relays their answers
- `api`: Twilio's REST calls; `sender`: one send per dedupe key, inside the 24-hour window or by
  template; `report_sender`: reports and digests to the community's moderators
"""
