"""Streaming reader for WhatsApp "Export chat" files (.txt or .zip), platform-neutral, no database.

Two passes over the lines: `detect_layout` reads the first header to learn the format, then scans
the whole file to settle the day/month order; `parse_export` then matches one compiled regex per
line and folds continuation lines into the entry above them.

- `model`: the error, date orders, `ExportEntry` and `Layout` types.
- `marks`: bidi marks WhatsApp writes into scaffolding, and the shape of a phone-number author.
- `layout`: header-format and day/month-order detection.
- `clock`: header date and time groups to a datetime.
- `authors`: splitting "author: text" and what each raw author means.
- `entries`: folding lines into entries, member message or system line.
- `system_lines`: WhatsApp's system notices and message placeholders.
- `files`: .txt/.zip reading, encodings and size caps.
"""

from handlers.whatsapp_export.entries import parse_export
from handlers.whatsapp_export.files import ExportSource, open_export
from handlers.whatsapp_export.layout import detect_layout, line_text_preview
from handlers.whatsapp_export.model import DateOrder, ExportEntry, ExportFormatError, Layout

__all__ = [
    "DateOrder",
    "ExportEntry",
    "ExportFormatError",
    "ExportSource",
    "Layout",
    "detect_layout",
    "line_text_preview",
    "open_export",
    "parse_export",
]
