"""Fault matrix item 9: order books that are crossed, unsorted, duplicated, out of order in
time, or meant for an instrument the user has left, through the real service and the app.

The simulator's market is frozen, so the first book is the only good one it sends by itself.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hardening_helpers import (
    GAZP,
    SBER,
    frame,
    guid_of,
    next_item,
    screen_text,
    stream_of,
    until,
)

from alortui.models import Format, OrderBook, PriceLevel
from alortui.service.api import Stamped
from alortui.sim.encode import encode_order_book
from alortui.sim.server import SimExchange
from alortui.ui.app import AlorTUI
from alortui.ui.formatting import fmt_price
from alortui.ui.messages import OpenDepth
from alortui.ui.screens.depth import DepthScreen

pytestmark = pytest.mark.frozen_market

OPCODE = "OrderBookGetAndSubscribe"


def book_format(sim: SimExchange) -> Format:
    return Format.parse(sim.log.ws_requests(OPCODE)[0].params["format"])


def broken_books(good: OrderBook) -> dict[str, OrderBook]:
    """Books the decoder or the service must refuse, all dated after ``good``."""
    later = (good.time or 0) + 5
    bids, asks = good.bids, good.asks
    return {
        "unsorted bids": replace(good, bids=(bids[1], bids[0], *bids[2:]), time=later),
        "unsorted asks": replace(good, asks=(*asks[2:], asks[0]), time=later),
        "a price twice": replace(good, asks=(asks[0], asks[0], *asks[1:]), time=later),
        "a negative volume": replace(good, bids=(PriceLevel(bids[0].price, -3),), time=later),
        "older than the one shown": replace(good, bids=bids[1:], time=(good.time or 0) - 5),
    }


async def held_book(service: Any, key: Any) -> OrderBook:
    """The book the service holds for ``key`` now (what a newly opened view is primed with)."""
    books = service.order_book(key)
    try:
        stamped = await next_item(books)
        assert isinstance(stamped, Stamped), stamped
        return stamped.value  # type: ignore[no-any-return]
    finally:
        await books.aclose()


async def test_broken_books_are_refused_and_the_last_good_book_stays(
        sim: SimExchange, make_service: Any) -> None:
    service = await make_service()
    books = service.order_book(SBER)
    good = (await next_item(books)).value
    assert len(good.bids) >= 3 and len(good.asks) >= 3 and good.time is not None
    guid, fmt = guid_of(sim, OPCODE, SBER), book_format(sim)
    malformed = service.status.counters.malformed
    for book in broken_books(good).values():
        sim.faults.send_raw(frame(encode_order_book(book, fmt), guid))
    await until(lambda: service.status.counters.malformed >= malformed + 4, 3.0, "4 refused")
    stream = stream_of(service)
    await until(lambda: stream.status.counters.messages >= 2, 3.0, "the old book decoded")
    assert await held_book(service, SBER) == good

    # A crossed book is well formed: it is passed on (and flagged on screen, below).
    best_ask = good.asks[0].price
    crossed = replace(good, bids=(PriceLevel(best_ask + 1, 5), *good.bids), time=good.time + 9)
    sim.faults.send_raw(frame(encode_order_book(crossed, fmt), guid))
    await until(lambda: stream.status.counters.messages >= 3, 3.0, "the crossed book")
    held = await held_book(service, SBER)
    assert held.best_bid and held.best_ask and held.best_bid.price > held.best_ask.price
    await books.aclose()


async def test_a_late_book_of_the_previous_instrument_never_reaches_the_next_one(
        sim: SimExchange, make_service: Any) -> None:
    service = await make_service()
    books = service.order_book(SBER)
    sber = (await next_item(books)).value
    old_guid, fmt = guid_of(sim, OPCODE, SBER), book_format(sim)
    await books.aclose()  # the user switches from SBER to GAZP
    await until(lambda: [e.guid for e in sim.log.ws_requests("unsubscribe")] == [old_guid])
    books = service.order_book(GAZP)
    gazp = (await next_item(books)).value
    late = replace(sber, time=(sber.time or 0) + 60)
    stream = stream_of(service)
    unknown = stream.status.counters.unknown_guid
    sim.faults.send_raw(frame(encode_order_book(late, fmt), old_guid))
    await until(lambda: stream.status.counters.unknown_guid == unknown + 1, 3.0, "dropped")
    assert await held_book(service, GAZP) == gazp
    await books.aclose()


async def test_the_depth_screen_keeps_the_good_book_and_flags_a_crossed_one(
        sim: SimExchange, make_service: Any) -> None:
    service = await make_service()
    app = AlorTUI(service, watchlists={"W": [SBER]}, theme="textual-dark")
    async with app.run_test(size=(120, 40)) as pilot:
        app.post_message(OpenDepth(SBER))
        await until(lambda: isinstance(app.screen, DepthScreen), 3.0, "the depth screen")
        await until(lambda: bool(sim.log.ws_requests(OPCODE)), 3.0, "the book subscription")
        guid, fmt = guid_of(sim, OPCODE, SBER), book_format(sim)
        good = await held_book(service, SBER)
        best_bid = fmt_price(good.bids[0].price, 2)
        await until(lambda: best_bid in screen_text(app), 3.0, "the good book shown")
        for book in broken_books(good).values():
            sim.faults.send_raw(frame(encode_order_book(book, fmt), guid))
        await until(lambda: service.status.counters.malformed >= 4, 3.0, "refused")
        await pilot.pause(0.2)
        shown = screen_text(app)
        assert best_bid in shown and "CROSSED" not in shown

        crossed = replace(good, bids=(PriceLevel(good.asks[0].price + 1, 5), *good.bids),
                          time=(good.time or 0) + 9)
        sim.faults.send_raw(frame(encode_order_book(crossed, fmt), guid))
        await until(lambda: "CROSSED" in screen_text(app), 3.0, "the crossed book flagged")
        assert app.is_running
