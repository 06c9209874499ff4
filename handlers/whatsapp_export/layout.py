"""Layout detection: the header format from the first header, the day/month order from them all.

The first header is read with a loose probe; the export's own regex is then built from what it
showed, so that every later header must share its style: the same brackets, separators, year
width, seconds, meridiem words and the same character before the meridiem. A line that breaks
the style is a continuation line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Final

from handlers.whatsapp_export.date_order import YEAR_POSITION, OrderEvidence, year_position
from handlers.whatsapp_export.marks import DROP_MARKS, MARKS, OPTIONAL_MARKS
from handlers.whatsapp_export.model import DateOrder, ExportFormatError, Layout
from handlers.whatsapp_export.strings_table import strings_table

_DIGITS: Final = frozenset(chr(c) for c in range(0x10000) if chr(c).isdecimal())
HEADER_START: Final = frozenset(_DIGITS | set("[" + MARKS))
_M: Final = OPTIONAL_MARKS
# Whitespace within a line: headers are also matched across a block of lines, where a bare
# `\s` could run on into the next line.
_S: Final = r"[^\S\n]"
_LANGUAGE_SAMPLE: Final = 300
NOT_AN_EXPORT: Final = "not a WhatsApp chat export: line {} does not start with a date and time"


def _word_pattern(word: str) -> str:
    """A meridiem word as a regex: its dots optional, its spaces any (or no) space."""
    out = []
    for ch in word:
        if ch == ".":
            out.append(r"\.?")
        elif ch.isspace():
            out.append(rf"{_S}?")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _meridiem_alternation() -> str:
    words = strings_table().meridiem_words
    patterns = sorted({_word_pattern(w) for w in words}, key=len, reverse=True)
    return "(?i:" + "|".join([*patterns, rf"[ap]\.?{_S}?m\.?(?![^\W\d_])"]) + ")"


_MER: Final = _meridiem_alternation()
_DATE: Final = (
    rf"(?P<date>(?P<d1>[RHS]?\d{{1,4}}){_M}(?P<sep>[./-]){_M}{_S}?(?P<d2>\d{{1,4}}){_M}(?P=sep){_M}"
    rf"{_S}?(?P<d3>[RHS]?\d{{1,4}}){_M}\.?(?:{_S}?BE)?)"
)
_TIME: Final = (
    rf"(?P<time>(?:(?P<mer1>{_MER})(?P<ms1>{_S}?))?(?P<h>\d{{1,2}})(?P<tsep>[:.])(?P<mi>\d{{2}})"
    rf"(?:(?P=tsep)(?P<s>\d{{2}}))?(?:(?P<ms2>{_S}?){_M}(?P<mer2>{_MER}))?)"
)
_GLUE: Final = rf"(?P<glue>[,\u060c]{_S}?|{_S}+klo{_S}+|{_S})"
_CLOSE: Final = rf"{_M}(?(br)\]{_S}?|(?P<close>{_S}-{_S}|:{_S}|{_S}))"
# Loose enough for every known layout; used only on the first header to learn the layout.
_PROBES: Final = (
    re.compile(rf"{_M}(?P<br>\[)?{_M}{_DATE}{_GLUE}{_M}{_TIME}{_CLOSE}"),
    re.compile(rf"{_M}(?P<br>\[)?{_M}{_TIME}{_GLUE}{_M}{_DATE}{_CLOSE}"),
)


def detect_layout(lines: Iterable[str], *, date_order: DateOrder | None = None) -> Layout:
    """Learn the header format from the first header and the date order from the whole file."""
    layout = detect(lines, date_order)
    if layout is None:
        raise ExportFormatError("not a WhatsApp chat export: the file is empty")
    return layout


def detect(lines: Iterable[str], date_order: DateOrder | None) -> Layout | None:
    """The layout of the export, or None if it holds only blank lines."""
    it = enumerate(lines, 1)
    for line_no, line in it:  # noqa: B007 - line_no is used after the loop
        if line.strip(MARKS + " \t\r\n"):
            break
    else:
        return None
    probe = _PROBES[0].match(line) or _PROBES[1].match(line)
    header = _build_header(probe) if probe is not None else None
    first = header.match(line) if header is not None else None
    if probe is None or header is None or first is None:
        raise ExportFormatError(NOT_AN_EXPORT.format(line_no))
    twelve = bool(probe.group("mer1") or probe.group("mer2"))
    date_groups = first.group("d1", "d2", "d3")
    year_pos = year_position(date_groups)
    evidence = OrderEvidence(year_pos)
    rests = _scan(it, header, evidence, first, line_no, stop_early=date_order is not None)
    language = detect_language(rests)
    note: str | None = None
    if date_order is not None:
        if year_pos != 2 and YEAR_POSITION[date_order] != year_pos:
            raise ExportFormatError(
                f"line {line_no}: --date-order {date_order} does not fit "
                f"'{line_text_preview(first.group('date'))}', whose 4-digit year is elsewhere"
            )
        chosen = date_order
    else:
        locale_order = strings_table().date_order.get(language or "")
        chosen, note = evidence.decide(language, locale_order, twelve)
    index = header.groupindex
    return Layout(
        header=header,
        date_order=chosen,
        twelve_hour=twelve,
        example=line_text_preview(first.group(0)),
        groups=tuple(index[g] for g in ("date", "d1", "d2", "d3", "time", "h", "mi", "s", "mer")),
        starts=HEADER_START | (set("RHS") if date_groups[0][:1] in "RHS" else set()),
        platform="ios" if probe.group("br") else "android",
        language=language,
        order_note=note,
    )


def _scan(
    rest: Iterator[tuple[int, str]],
    header: re.Pattern[str],
    evidence: OrderEvidence,
    first: re.Match[str],
    line_no: int,
    *,
    stop_early: bool,
) -> list[str]:
    """Feed dates to the evidence until one reading dies; keep early header rests for language."""
    evidence.see(first.group("date"), first.group("d1", "d2", "d3"), line_no)
    rests = [first.string[first.end() :]]
    decided = stop_early
    match = header.match
    starts = HEADER_START
    for line_no, line in rest:
        m = match(line) if line[:1] in starts else None
        if m is None:
            continue
        if len(rests) < _LANGUAGE_SAMPLE:
            rests.append(line[m.end() :])
        elif decided:
            break
        if not decided and evidence.see(m.group("date"), m.group("d1", "d2", "d3"), line_no):
            decided = True
    return rests


def block_headers(layout: Layout) -> re.Pattern[str]:
    """The layout's header at the start of a line of a block (a "\n" before every line).

    The line must begin with a character a header can begin with; the header's groups keep their
    numbers and the last group holds the rest of the line.
    """
    starts = "".join(_class_ranges(sorted(layout.starts or HEADER_START)))
    return re.compile(rf"\n(?=[{starts}])(?:{layout.header.pattern})([^\n]*)")


def repeats_verbatim(layout: Layout) -> bool:
    """Whether a line that begins with an earlier header's exact text is that same header, with
    the same groups: so when the header ends in " - " and nothing before that can take a "-" or
    run on (no brackets, no meridiem words, the date first), its match can end nowhere else."""
    pattern = layout.header.pattern
    return (
        layout.platform == "android"
        and not layout.twelve_hour
        and pattern.endswith(rf"{_S}-{_S}")
        and pattern.index("(?P<date>") < pattern.index("(?P<time>")
    )


def _class_ranges(chars: list[str]) -> Iterator[str]:
    """Sorted characters as the inside of a regex class, runs written as ranges."""
    i = 0
    while i < len(chars):
        j = i
        while j + 1 < len(chars) and ord(chars[j + 1]) == ord(chars[j]) + 1:
            j += 1
        low, high = re.escape(chars[i]), re.escape(chars[j])
        yield low if i == j else f"{low}-{high}"
        i = j + 1


def detect_language(rests: list[str]) -> str | None:
    """The UI language whose WhatsApp strings appear most among the header rests, if any."""
    table = strings_table()
    votes: dict[str, int] = {}
    for rest in rests:
        found = table.match(rest) if ": " not in rest else None
        if found is None:
            found = table.match(rest.partition(": ")[2])
        if found is not None:
            votes[found.language] = votes.get(found.language, 0) + 1
    return max(votes, key=lambda lang: votes[lang]) if votes else None


def line_text_preview(text: str) -> str:
    """A short, mark-free rendering of scaffolding text for error messages."""
    return text.translate(DROP_MARKS).strip()[:60]


def _build_header(probe: re.Match[str]) -> re.Pattern[str]:
    """The export's own regex, in the first header's style; named groups as in the probe."""
    sep = re.escape(probe.group("sep"))
    glue = probe.group("glue")
    if "klo" in glue:
        glue_re = rf"{_S}+klo{_S}+"
    elif glue[:1] in ",\u060c":
        glue_re = re.escape(glue[:1]) + rf"{_S}?"
    else:
        glue_re = _S
    parts = []
    for name in ("d1", "d2", "d3"):
        raw = probe.group(name)
        if raw[:1] in "RHS":
            parts.append(rf"(?P<{name}>[RHS]\d{{1,2}})")
        else:
            parts.append(rf"(?P<{name}>\d{{4}})" if len(raw) >= 3 else rf"(?P<{name}>\d{{1,2}})")
    date_marks = _M if any(ch in MARKS for ch in probe.group("date")) else ""
    era = rf"{_S}?BE" if probe.group("date").rstrip().endswith("BE") else ""
    date = (
        rf"(?P<date>{parts[0]}{date_marks}{sep}{date_marks}{_S}?{parts[1]}{date_marks}{sep}"
        rf"{date_marks}{_S}?{parts[2]}{date_marks}\.?{era})"
    )
    tsep = re.escape(probe.group("tsep"))
    seconds = rf"{tsep}(?P<s>\d{{2}})" if probe.group("s") else "(?P<s>)"
    clock = rf"(?P<h>\d{{1,2}}){tsep}(?P<mi>\d{{2}}){seconds}"
    if probe.group("mer1"):
        time = rf"(?P<time>(?P<mer>{_MER}){re.escape(probe.group('ms1'))}{clock})"
    elif probe.group("mer2"):
        time = rf"(?P<time>{clock}{re.escape(probe.group('ms2'))}{_M}(?P<mer>{_MER}))"
    else:
        time = rf"(?P<time>{clock}(?P<mer>))"
    if probe.group("br"):
        opening, closing = r"\[", rf"\]{_S}?"
    else:
        close = probe.group("close")
        opening = ""
        closing = rf"{_S}-{_S}" if "-" in close else (rf":{_S}" if ":" in close else _S)
    time_first = probe.start("time") < probe.start("date")
    first, second = (time, date) if time_first else (date, time)
    return re.compile(rf"{_M}{opening}{_M}{first}{glue_re}{_M}{second}{_M}{closing}")
