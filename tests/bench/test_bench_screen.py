"""The benchmark's reading of terminal output: frames, markers, latency bookkeeping."""

from __future__ import annotations

import pytest

from alortui.bench.markers import (
    BOOK_MARKERS,
    QUOTE_MARKERS,
    TRADE_MARKERS,
    MarkerLedger,
    MarkerSource,
)
from alortui.bench.metrics import percentile
from alortui.bench.screen import SYNC_END, SYNC_QUERY, SYNC_START, ScreenScanner
from alortui.ui.formatting import fmt_volume
from alortui.ui.widgets.watchlist_columns import COLUMNS_BY_KEY


def scanned(*chunks: bytes) -> tuple[ScreenScanner, MarkerLedger]:
    ledger = MarkerLedger()
    for value in (123_456, 523_456, 654_321):
        ledger.sent("quotes", "SBER", value, 0.0)
    scanner = ScreenScanner(ledger)
    for n, chunk in enumerate(chunks, start=1):
        scanner.feed(chunk, float(n))
    return scanner, ledger


@pytest.mark.parametrize("values", [QUOTE_MARKERS, TRADE_MARKERS, BOOK_MARKERS])
def test_every_marker_prints_as_one_grouped_token_where_the_app_shows_it(values: range) -> None:
    volume_width = COLUMNS_BY_KEY["volume"].width - 1  # the watchlist's Volume column
    for value in (values[0], values[-1]):
        for text in (fmt_volume(value), fmt_volume(value, width=volume_width),
                     fmt_volume(value, width=7)):  # the tape's size column
            assert len(text) == 7
            assert text[3] == " "
            assert int(text.replace(" ", "")) == value


def test_a_marker_split_by_colour_codes_and_reads_is_found_once_with_its_read_time() -> None:
    _, ledger = scanned(b"\x1b[5;10H\x1b[38;5;71m  12", b"3\x1b[0m\x1b[1m 45", b"6\x1b[0m S\r\n")
    assert [(d.sent, d.latency) for d in ledger.deliveries] == [(0.0, 3.0)]
    assert ledger.seen_time(123_456) == 3.0


def test_a_newer_value_resolves_the_older_ones_it_superseded() -> None:
    _, ledger = scanned(b"\x1b[1;1H 654 321 \x1b[2;1H")
    assert len(ledger.deliveries) == 3  # 123 456 and 523 456 were never drawn, but are stale
    assert ledger.seen_time(123_456) is None


@pytest.mark.parametrize(
    "text", [b" 1 123 456 \r\n", b" 123 456.5 \r\n", b" 123 4567 \r\n", b"9123 456\r\n"]
)
def test_a_longer_number_containing_a_marker_is_not_the_marker(text: bytes) -> None:
    _, ledger = scanned(text)
    assert ledger.deliveries == []


def test_a_cursor_move_separates_text_from_two_places() -> None:
    _, ledger = scanned(b"\x1b[3;1H 123\x1b[4;1H456 ")
    assert ledger.deliveries == []


def test_synchronized_frames_are_counted_across_reads_and_the_query_is_reported() -> None:
    scanner = ScreenScanner(MarkerLedger())
    half = len(SYNC_START) // 2
    assert not scanner.feed(SYNC_START + b"x" + SYNC_END + SYNC_START[:half], 1.0)
    assert not scanner.feed(SYNC_START[half:] + b"y" + SYNC_END, 2.0)
    assert scanner.feed(b"\x1b[?1049h" + SYNC_QUERY, 3.0)
    counts = scanner.counts()
    assert (counts.frames, counts.reads) == (2, 3)
    assert scanner.first_output == 1.0 and scanner.first_frame == 1.0


def test_unshown_values_are_counted_and_bounded_per_channel() -> None:
    ledger = MarkerLedger()
    ledger.sent("book", "SBER", 800_000, 1.0)
    ledger.sent("book", "SBER", 801_000, 2.0)
    ledger.seen(800_000, 2.5)
    assert ledger.unresolved(0.0, 10.0) == {"book": 1}
    assert ledger.unresolved(0.0, 1.5) == {}


def test_marker_sources_wrap_around() -> None:
    source = MarkerSource(range(5, 7))
    assert [source.take() for _ in range(3)] == [5, 6, 5]


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 99) is None
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([float(n) for n in range(1, 101)], 99) == 99.0


def test_a_number_cut_at_the_end_of_a_read_waits_for_the_next_read() -> None:
    _, ledger = scanned(b"\x1b[46;1H 106 047 3", b"12 \x1b[47;1H")
    assert ledger.deliveries == []
    _, ledger = scanned(b"\x1b[46;1H 123 456", b"\x1b[0m\x1b[47;1H")
    assert [d.latency for d in ledger.deliveries] == [1.0]  # written with the first read


def test_a_value_written_as_one_digit_over_an_older_number_is_found_when_its_frame_ends() -> None:
    ledger = MarkerLedger()
    ledger.sent("book", "SBER", 123_457, 0.0)
    scanner = ScreenScanner(ledger)
    scanner.feed(SYNC_START + b"\x1b[3;5H\x1b[0;31m123 456\x1b[0m" + SYNC_END, 1.0)
    scanner.feed(SYNC_START + b"\x1b[3;11H\x1b[0;31m7", 2.0)  # the frame is not complete yet
    assert ledger.deliveries == []
    scanner.feed(b"\x1b[0m" + SYNC_END, 3.0)
    assert [(d.sent, d.latency) for d in ledger.deliveries] == [(0.0, 3.0)]


def test_wide_characters_and_erases_keep_the_columns_of_a_row() -> None:
    ledger = MarkerLedger()
    ledger.sent("trades", "SBER", 654_321, 0.0)
    scanner = ScreenScanner(ledger)
    scanner.feed(b"\x1b[1;1H\xe7\x95\x8c 999 999 x\x1b[1;4H\x1b[K", 1.0)  # a wide char, then erase
    scanner.feed(b"\x1b[1;4H654 321", 2.0)
    assert [d.latency for d in ledger.deliveries] == [2.0]
