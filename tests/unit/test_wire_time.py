"""``parse_time``: ALOR's seconds, milliseconds and ISO strings to float Unix seconds UTC (6.4)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alortui.alor.wire import MalformedMessage, parse_time
from tests.fixtures.samples import load_sample


def test_server_time_is_seconds() -> None:
    assert parse_time(load_sample("http.time")) == 1747139781.0


@pytest.mark.parametrize("value", [
    1747139781.337, 1747139781337, 1747139781337.0,
    "2025-05-13T12:36:21.3370000Z", "2025-05-13T12:36:21.337Z", "2025-05-13T12:36:21.3370000",
    "2025-05-13 12:36:21.337", "2025-05-13T15:36:21.3370000+03:00", "2025-05-13T15:36:21.337+0300",
    "2025-05-13T12:36:21.337000000z",
])
def test_every_form_of_one_instant_is_the_same_float(value: object) -> None:
    assert parse_time(value) == 1747139781337 / 1000 == 1747139781.337


def test_seven_fractional_digits_are_kept_exactly() -> None:
    # datetime keeps six digits; the seventh must not be dropped (a float near 1.7e9 resolves
    # ~240 ns, so half a microsecond is visible) nor rounded twice.
    expected = (1702969208 * 10**7 + 9878595) / 10**7
    assert parse_time("2023-12-19T07:00:08.9878595Z") == expected
    assert parse_time("2023-12-19T07:00:08.9878595Z") != parse_time("2023-12-19T07:00:08.987859Z")
    assert parse_time("2023-12-19T07:00:08.9878590Z") == 1702969208.987859


def test_naive_and_date_only_strings_are_utc() -> None:
    assert parse_time("2099-12-31T00:00:00.0000000") == 4102358400.0
    assert parse_time("2025-06-19") == datetime(2025, 6, 19, tzinfo=UTC).timestamp()
    assert parse_time("2025-05-13T12:36") == 1747139760.0


def test_seconds_and_milliseconds_are_told_apart_by_size() -> None:
    assert parse_time(0) == 0.0
    assert parse_time(99_999_999_999) == 99_999_999_999.0  # year 5138 in seconds
    assert parse_time(100_000_000_000) == 100_000_000.0  # March 1973 in milliseconds
    assert parse_time(None) is None


@pytest.mark.parametrize("value", [
    True, False, -1, -0.5, float("nan"), float("inf"), 10**14, 10**400, [], {}, b"1",
    "", "yesterday", "1747139781", "2025-13-01T00:00:00Z", "2025-05-13T25:00:00Z",
    "2025-05-13T12:36:21.1234567890Z", "0000-01-01T00:00:00Z", "٢٠٢٥-05-13T12:36:21Z",
    "2025-05-13T12:36:21+25:00", " 2025-05-13T12:36:21Z",
])
def test_anything_else_is_malformed(value: object) -> None:
    with pytest.raises(MalformedMessage, match="when"):
        parse_time(value, "when")
