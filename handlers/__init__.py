"""The platform edges: they turn Slack, Twilio and export files into calls on `bot`.

`slack/` and `whatsapp/` never import each other; `whatsapp_export/` reads export files;
`commands` is the `/lift …` grammar both platforms share; `http` the capped body reader.
"""
