"""Formatting of prices, volumes, times and server text (alortui/ui/formatting.py)."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from rich.text import Text

from alortui.ui.formatting import (
    MISSING,
    THIN_SPACE,
    clean_text,
    decimals_of,
    fmt_age,
    fmt_change,
    fmt_clock,
    fmt_compact,
    fmt_datetime,
    fmt_duration,
    fmt_percent,
    fmt_price,
    fmt_volume,
    is_bond,
    plain,
)

T = THIN_SPACE


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (300.0, 2, "300.00"),
        (0.52, 4, "0.5200"),
        (7000.5, 1, f"7{T}000.5"),
        (92345.0, 0, f"92{T}345"),
        (1234567.891, 2, f"1{T}234{T}567.89"),
        (-1.5, 2, "-1.50"),
        (-0.001, 2, "0.00"),  # never "-0.00"
    ],
)
def test_price_uses_the_instruments_decimals(value: float, decimals: int, expected: str) -> None:
    assert fmt_price(value, decimals) == expected


def test_bond_price_is_percent_of_face_value() -> None:
    assert fmt_price(98.456, 3, percent=True) == "98.456%"


@pytest.mark.parametrize("missing", [None, math.nan, math.inf])
def test_missing_values_show_a_dash(missing: float | None) -> None:
    for text in (
        fmt_price(missing),
        fmt_change(missing),
        fmt_percent(missing),
        fmt_volume(missing),
        fmt_compact(missing),
        fmt_clock(missing),
        fmt_age(missing),
    ):
        assert text == MISSING == "—"


def test_changes_carry_a_sign_so_colour_is_not_the_only_signal() -> None:
    assert fmt_change(1.25) == "+1.25"
    assert fmt_change(-0.3) == "-0.30"
    assert fmt_change(0.0) == "0.00"
    assert fmt_change(0.004) == "0.00"  # rounds to zero: no "+"
    assert fmt_percent(1.234) == "+1.23%"
    assert fmt_percent(-12.0) == "-12.00%"


def test_volume_groups_digits_with_thin_spaces_and_shortens_when_narrow() -> None:
    assert fmt_volume(1234567) == f"1{T}234{T}567"
    assert fmt_volume(999) == "999"
    assert fmt_volume(12.5) == "12.50"
    assert fmt_volume(1234567, width=7) == "1.23M"
    assert fmt_volume(123456, width=7) == f"123{T}456"
    assert fmt_compact(12345) == "12.3K"
    assert fmt_compact(123456789) == "123M"
    assert fmt_compact(2.5e9) == "2.50B"
    assert fmt_compact(-45000) == "-45.0K"


def test_clock_is_moscow_time_utc_plus_3_all_year() -> None:
    winter = datetime(2026, 1, 15, 7, 0, 5, tzinfo=UTC).timestamp()
    summer = datetime(2026, 7, 15, 7, 0, 5, tzinfo=UTC).timestamp()
    assert fmt_clock(winter) == "10:00:05"
    assert fmt_clock(summer) == "10:00:05"
    late = datetime(2026, 11, 25, 22, 30, tzinfo=UTC).timestamp()
    assert fmt_datetime(late) == "2026-11-26 01:30"


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0.2, "<1s"),
        (1, "1s"),
        (9.9, "9s"),
        (10, "10s"),
        (47, "40s"),
        (59.9, "50s"),
        (60, "1m"),
        (900, "15m"),
        (7200, "2h"),
        (3 * 86400, "3d"),
        (-5, "<1s"),
    ],
)
def test_age(seconds: float, expected: str) -> None:
    assert fmt_age(seconds) == expected


def test_countdown() -> None:
    assert fmt_duration(3.2) == "4s"
    assert fmt_duration(65) == "1m05s"
    assert fmt_duration(-1) == "0s"


def test_bond_types() -> None:
    assert is_bond("EUSOV") and is_bond("corp") and is_bond("MUNI")
    assert not is_bond("CS") and not is_bond(None)


def test_decimals_seen_in_a_price() -> None:
    assert decimals_of(301.5) == 1
    assert decimals_of(0.0123) == 4
    assert decimals_of(92000.0) == 0
    assert decimals_of(None) == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[31mred\x1b[0m", "red"),  # CSI colour
        ("a\x1b[2J\x1b[Hb", "ab"),  # clear screen, cursor home
        ("x\x1b]0;pwned\x07y", "xy"),  # OSC window title
        ("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"),  # OSC 8 hyperlink
        ("\x1b(Bq", "q"),  # charset selection
        ("\x9b31mz", "z"),  # 8-bit CSI
        ("bell\x07\x00nul\x7f", "bellnul"),
        ("c1\x85\x8d\x9f", "c1"),
        ("evil\u202egnp.exe", "evilgnp.exe"),  # right-to-left override
        ("iso\u2066late\u2069\u200f", "isolate"),
        ("two\nlines\tand\rtab", "two lines and tab"),
        ("[bold]x[/] [@click=app.quit]q[/]", "[bold]x[/] [@click=app.quit]q[/]"),
        ("Сбербанк «ПАО»", "Сбербанк «ПАО»"),
        (None, ""),
    ],
)
def test_server_text_is_stripped_of_controls(raw: str | None, expected: str) -> None:
    assert clean_text(raw) == expected


def test_plain_text_is_never_markup() -> None:
    text = plain("[bold red]x[/] \x1b[1m")
    assert isinstance(text, Text)
    assert text.plain == "[bold red]x[/] "
    assert not text.spans
