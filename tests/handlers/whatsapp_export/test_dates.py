"""Day/month order: a value over 12 decides, else time moving forward, else the user must say."""

from __future__ import annotations

import pytest

from handlers.whatsapp_export import (
    DateOrder,
    ExportFormatError,
    detect_layout,
    parse_export,
)


def _chat(*stamps: str) -> list[str]:
    return [f"{stamp} - Ravi: message {i}" for i, stamp in enumerate(stamps)]


def test_a_first_component_over_12_means_day_first() -> None:
    lines = _chat("05/06/2024, 09:00", "13/06/2024, 10:00")
    assert detect_layout(lines).date_order is DateOrder.DMY


def test_a_second_component_over_12_means_month_first() -> None:
    lines = _chat("06/05/2024, 09:00", "06/13/2024, 10:00")
    assert detect_layout(lines).date_order is DateOrder.MDY


def test_the_deciding_date_may_come_late_in_the_file() -> None:
    lines = _chat(*[f"0{d}/06/2024, 09:00" for d in range(1, 10)], "25/06/2024, 09:00")
    assert detect_layout(lines).date_order is DateOrder.DMY


def test_time_moving_forward_decides_when_no_day_is_over_12() -> None:
    # 30 May .. 2 June read day-first would be 5/30 - impossible; use days <= 12 across months:
    # 11/06, 12/06, 01/07, 02/07 is forward as dd/mm but jumps back (Nov -> Jan) as mm/dd.
    lines = _chat(
        "11/06/2024, 09:00", "12/06/2024, 09:00", "01/07/2024, 09:00", "02/07/2024, 09:00"
    )
    assert detect_layout(lines).date_order is DateOrder.DMY
    lines = _chat(
        "06/11/2024, 09:00", "06/12/2024, 09:00", "07/01/2024, 09:00", "07/02/2024, 09:00"
    )
    assert detect_layout(lines).date_order is DateOrder.MDY


def test_a_small_out_of_order_glitch_does_not_flip_the_order() -> None:
    lines = _chat(
        "10/06/2024, 23:58",
        "11/06/2024, 00:02",
        "10/06/2024, 23:59",  # WhatsApp listed a late-arriving message out of order
        "11/06/2024, 08:00",
        "01/07/2024, 09:00",
    )
    assert detect_layout(lines).date_order is DateOrder.DMY


def test_undecidable_order_asks_for_date_order_option() -> None:
    # Unpadded, 24-hour, no WhatsApp notice to tell the language: nothing to go on.
    lines = _chat("3/6/2024, 09:00", "4/6/2024, 09:00", "5/6/2024, 11:00")
    with pytest.raises(ExportFormatError, match=r"--date-order dmy") as err:
        detect_layout(lines)
    assert "line 1" in str(err.value)
    with pytest.raises(ExportFormatError, match="--date-order"):
        list(parse_export(lines))


def test_explicit_order_overrides_inference() -> None:
    lines = _chat("03/06/2024, 09:00", "04/06/2024, 09:00")
    dmy = [e.sent_at.date().isoformat() for e in parse_export(lines, date_order=DateOrder.DMY)]
    mdy = [e.sent_at.date().isoformat() for e in parse_export(lines, date_order=DateOrder.MDY)]
    assert dmy == ["2024-06-03", "2024-06-04"]
    assert mdy == ["2024-03-06", "2024-04-06"]


def test_explicit_order_that_contradicts_a_date_is_an_error_naming_the_line() -> None:
    lines = _chat("03/06/2024, 09:00", "13/06/2024, 09:00")
    with pytest.raises(ExportFormatError, match="line 2"):
        list(parse_export(lines, date_order=DateOrder.MDY))


def test_two_digit_years_are_this_century() -> None:
    (entry,) = parse_export(["13/06/18, 21:25 - a: m"])
    assert entry.sent_at.year == 2018


def test_year_first_dates_default_to_year_month_day() -> None:
    (entry,) = parse_export(["[2024/06/03, 09:26:41] a: m"])
    assert entry.sent_at_text == "2024-06-03T09:26:41"


def test_impossible_dates_in_both_orders_are_rejected() -> None:
    with pytest.raises(ExportFormatError, match="not valid dates"):
        detect_layout(_chat("31/31/2024, 09:00"))


def test_impossible_time_is_rejected_with_its_line() -> None:
    with pytest.raises(ExportFormatError, match="line 2"):
        list(parse_export(_chat("13/06/2024, 09:00", "13/06/2024, 24:61")))
