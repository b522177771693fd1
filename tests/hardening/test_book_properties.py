"""Property tests of the order-book model (issue 6, Bad input): from the wire to the ladder.

For books of any shape, in every format: a decoded book has strictly sorted sides with finite
prices and volumes or is refused as a whole; a crossed or locked book is never shown as a normal
one; the ladder's cumulative volumes add up to the side totals the summary shows.
"""

from __future__ import annotations

from itertools import accumulate, pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from alortui.alor.wire import MalformedMessage
from alortui.alor.wire_book import decode_order_book
from alortui.models import Format, OrderBook, PriceLevel
from alortui.sim.encode import encode_order_book
from alortui.ui.widgets.ladder_model import DEPTHS, book_stats, ladder_rows, spread_label

PROPERTY = settings(deadline=None, database=None, max_examples=150)

TICKS = st.integers(min_value=1, max_value=200_000)
"""Prices on a 0.01 grid: any two differ, so "strictly sorted" is about order, not rounding."""
VOLUMES = st.one_of(st.integers(0, 10**9).map(float),
                    st.floats(0, 1e9, allow_nan=False, allow_infinity=False))
FORMATS = st.sampled_from(list(Format))
LEVELS = st.lists(st.tuples(TICKS, VOLUMES), max_size=50, unique_by=lambda level: level[0])


def side(levels: list[tuple[int, float]], *, bids: bool) -> tuple[PriceLevel, ...]:
    ordered = sorted(levels, key=lambda level: level[0], reverse=bids)
    return tuple(PriceLevel(round(ticks * 0.01, 2), volume) for ticks, volume in ordered)


@st.composite
def books(draw: Any) -> OrderBook:
    """Well-formed books, crossed or not: each side sorted best first, no price twice."""
    return OrderBook(side(draw(LEVELS), bids=True), side(draw(LEVELS), bids=False),
                     time=1_700_000_000.0)


@st.composite
def shuffled_books(draw: Any) -> tuple[OrderBook, bool]:
    """Books whose levels may be in any order or repeat a price; and whether they are sorted."""
    bids = draw(st.lists(st.tuples(TICKS, VOLUMES), max_size=8))
    asks = draw(st.lists(st.tuples(TICKS, VOLUMES), max_size=8))
    book = OrderBook(tuple(PriceLevel(t * 0.01, v) for t, v in bids),
                     tuple(PriceLevel(t * 0.01, v) for t, v in asks), time=1_700_000_000.0)

    def strictly(ticks: list[int], descending: bool) -> bool:
        pairs = pairwise(ticks)
        return all(a > b if descending else a < b for a, b in pairs)

    ok = strictly([t for t, _ in bids], True) and strictly([t for t, _ in asks], False)
    return book, ok


@PROPERTY
@given(book=books(), fmt=FORMATS)
def test_a_sorted_book_survives_the_wire_unchanged(book: OrderBook, fmt: Format) -> None:
    decoded = decode_order_book(encode_order_book(book, fmt), fmt)
    assert [(lv.price, lv.volume) for lv in decoded.bids] == [
        (lv.price, lv.volume) for lv in book.bids]
    assert [(lv.price, lv.volume) for lv in decoded.asks] == [
        (lv.price, lv.volume) for lv in book.asks]


@PROPERTY
@given(case=shuffled_books(), fmt=FORMATS)
def test_an_unsorted_or_duplicated_side_is_refused_whole(
        case: tuple[OrderBook, bool], fmt: Format) -> None:
    book, ok = case
    try:
        decoded = decode_order_book(encode_order_book(book, fmt), fmt)
    except MalformedMessage as exc:
        assert not ok, exc
        assert "strictly" in str(exc)
        return
    assert ok
    bids, asks = [lv.price for lv in decoded.bids], [lv.price for lv in decoded.asks]
    assert bids == sorted(set(bids), reverse=True) and asks == sorted(set(asks))


@PROPERTY
@given(book=books(), depth=st.sampled_from(DEPTHS))
def test_a_crossed_or_locked_book_is_always_flagged(book: OrderBook, depth: int) -> None:
    stats = book_stats(book, depth)
    label = spread_label(stats, 0.01, 2)
    touching = bool(book.bids and book.asks) and book.bids[0].price >= book.asks[0].price
    assert stats.crossed is touching
    assert ("CROSSED BOOK" in label or "LOCKED BOOK" in label) is touching
    if not touching and book.bids and book.asks:
        assert stats.spread is not None and stats.spread > 0 and label.startswith("spread ")


@PROPERTY
@given(book=books(), depth=st.sampled_from(DEPTHS))
def test_cumulative_volumes_add_up_to_the_side_totals(book: OrderBook, depth: int) -> None:
    rows = ladder_rows(book, depth, {})
    spread_at = [row.kind for row in rows].index("spread")
    asks = rows[:spread_at][::-1]  # drawn worst first: best first here
    bids = rows[spread_at + 1 :]
    stats = book_stats(book, depth)
    for shown, levels, total in ((bids, book.bids, stats.bid_total),
                                 (asks, book.asks, stats.ask_total)):
        assert [row.price for row in shown] == [lv.price for lv in levels[:depth]]
        running = list(accumulate(lv.volume for lv in levels[:depth]))
        assert [row.cumulative for row in shown] == running
        assert (running[-1] if running else 0.0) == total
        assert all(0.0 <= row.share <= 1.0 for row in shown)
        assert [row.best for row in shown] == [i == 0 for i in range(len(shown))]
    prices = [row.price for row in rows if row.kind != "spread"]
    if not stats.crossed:  # top to bottom, prices fall: asks above bids
        assert prices == sorted(prices, reverse=True)
