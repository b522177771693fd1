"""Fault matrix item 8: hostile or broken frames through the real service.

The simulator's market is frozen (a manual clock), so the only quote the service ever gets
legitimately is the first one: whatever the hostile frames carry, that quote must still be the
one the service holds, every bad frame counted in ``status.counters.malformed``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson
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

from alortui.alor.stream import MAX_MESSAGE
from alortui.alor.stream_status import StreamState
from alortui.alor.wire_fields import MAX_PRICE, MAX_VOLUME
from alortui.models import Format, Quote
from alortui.service.api import IssueKind, Link, Stamped, StreamIssue
from alortui.sim.encode import encode_quote, encode_trade
from alortui.sim.server import SimExchange
from alortui.ui.app import AlorTUI

pytestmark = pytest.mark.frozen_market


async def held_quote(service: Any, key: Any) -> Quote:
    """The quote the service holds for ``key`` now (what a newly opened view is primed with)."""
    quotes = service.quotes([key])
    try:
        batch = await next_item(quotes)
        assert isinstance(batch, dict), batch
        stamped = batch[key]
        assert isinstance(stamped, Stamped)
        return stamped.value
    finally:
        await quotes.aclose()


async def test_hostile_frames_are_dropped_counted_and_the_last_good_quote_kept(
        sim: SimExchange, make_service: Any) -> None:
    service = await make_service()
    quotes = service.quotes([SBER])
    good = (await next_item(quotes))[SBER].value
    guid = guid_of(sim, "QuotesSubscribe", SBER)
    fine = encode_quote(good, Format.SIMPLE)  # the same quote, to be damaged field by field
    assert fine["volume"] is not None and fine["last_price"] is not None
    bad_text = [
        "{not json",
        frame(None, guid)[:-1],  # truncated
        '{"data": {"last_price": NaN}, "guid": "' + guid + '"}',
        '{"data": {"last_price": Infinity}, "guid": "' + guid + '"}',
        '{"data": {"last_price": 1e400}, "guid": "' + guid + '"}',
        frame({**fine, "volume": -5}, guid),
        frame({**fine, "bid_vol": -1, "last_price": 1.0}, guid),
        frame({**fine, "last_price": "cheap"}, guid),
        frame([fine], guid),
        frame(fine, 12345),
        frame("data", guid),
        '["an", "array"]',
        "null",
        frame({**fine, "last_price": 2.0}, guid)[:-2],
        # 10 MB (over the 1 MiB frame limit): read, dropped, one strike for the subscription
        frame({**fine, "description": "x" * 10_000_000}, guid),
    ]
    before = service.status.counters.malformed
    for text in bad_text:
        sim.faults.send_raw(text)
    sim.faults.send_raw(b"\x00\x01 a binary frame")
    sim.faults.send_raw(frame({**fine, "last_price": 3.0}, "nobody-has-this-guid"))
    expected = before + len(bad_text) + 1
    await until(lambda: service.status.counters.malformed >= expected, 5.0, "all counted")
    await sim.faults.drop_all(1000)  # and a reconnect for good measure: still the same quote
    await until(lambda: service.status.counters.reconnects == 1
                and service.status.link is Link.CONNECTED, 4.0, "reconnected")
    assert service.status.counters.malformed == expected
    assert await held_quote(service, SBER) == good
    assert service.status.mode.value == "LIVE"
    await quotes.aclose()


async def test_duplicate_confirmations_and_frames_change_nothing(
        sim: SimExchange, make_service: Any) -> None:
    service = await make_service()
    tape = service.trades(SBER, backlog=5)
    first = await next_item(tape)
    assert isinstance(first, list) and first
    guid = guid_of(sim, "AllTradesGetAndSubscribe", SBER)
    fmt = Format.parse(sim.log.ws_requests("AllTradesGetAndSubscribe")[0].params["format"])

    again = orjson.dumps({"requestGuid": guid, "httpCode": 200,
                          "message": "Handled successfully"}).decode()
    for _ in range(3):
        sim.faults.send_raw(again)
        sim.faults.send_raw(frame(encode_trade(first[-1], fmt), guid))  # a replayed trade
    sim.faults.send_raw(frame({**encode_trade(first[-1], fmt), "id": "x"}, guid))
    await until(lambda: service.status.counters.malformed >= 1, 3.0, "the bad trade counted")
    # A duplicated trade is not shown twice; a repeated confirmation harms nothing.
    history = service.trades(SBER, backlog=50)
    items = await next_item(history)
    ids = [t.id for t in items]
    assert len(ids) == len(set(ids))
    await history.aclose()
    await tape.aclose()


async def test_a_subscription_that_keeps_sending_oversized_frames_is_quarantined(
        sim: SimExchange, make_service: Any) -> None:
    service = await make_service()
    quotes = service.quotes([SBER])
    other = service.quotes([GAZP])
    good = (await next_item(quotes))[SBER].value
    await next_item(other)
    guid = guid_of(sim, "QuotesSubscribe", SBER)
    huge = frame({**encode_quote(good, Format.SIMPLE), "description": "x" * 2_000_000}, guid)
    for _ in range(3):
        sim.faults.send_raw(huge)
    issue = await next_item(quotes, 5.0)
    assert isinstance(issue, StreamIssue) and issue.kind is IssueKind.UNAVAILABLE
    assert "oversized" in issue.message and "MOEX:SBER" in issue.message
    await until(lambda: [e.guid for e in sim.log.ws_requests("unsubscribe")] == [guid], 3.0,
                "the server told to stop it")
    # A reconnect re-sends GAZP only: the quarantined subscription is never sent again.
    await sim.faults.drop_all()
    await until(lambda: len(sim.log.ws_requests("QuotesSubscribe")) == 3, 4.0, "GAZP again")
    await until(lambda: service.status.link is Link.CONNECTED, 3.0)
    resent = sim.log.ws_requests("QuotesSubscribe")[2]
    assert resent.params["code"] == "GAZP"
    assert service.status.counters.malformed == 3
    await other.aclose()
    await quotes.aclose()


async def test_a_frame_over_the_socket_limit_ends_only_that_connection(
        sim: SimExchange, make_service: Any) -> None:
    service = await make_service()
    quotes = service.quotes([SBER])
    good = (await next_item(quotes))[SBER].value
    sim.faults.send_raw("[" + " " * MAX_MESSAGE + "]")  # refused by the socket (close 1009)
    await until(lambda: service.status.counters.reconnects == 1, 5.0, "a new connection")
    await until(lambda: service.status.link is Link.CONNECTED, 3.0)
    assert await held_quote(service, SBER) == good
    stream = stream_of(service)  # the stream is fine and still has its subscription
    assert stream.status.state is StreamState.CONNECTED
    assert stream.status.subscriptions == 1
    await quotes.aclose()


def absurd_frames(fine: dict[str, Any], guid: str) -> list[str]:
    """Finite numbers no market produces: each frame is refused as a whole. (The standard
    library writes them: orjson refuses integers past 64 bits.)"""
    return [json.dumps({"data": {**fine, **damage}, "guid": guid}) for damage in (
        {"volume": 1e300},
        {"volume": MAX_VOLUME},  # an integer just past int64
        {"volume": 1e19},
        {"bid_vol": 10**30},
        {"last_price": 1e300},
        {"last_price": -1e300},
        {"bid": MAX_PRICE * 10},
        {"ask": 10**20},
        {"change": 1e308},
    )]


async def test_absurd_finite_values_are_dropped_counted_and_the_last_good_quote_kept(
        sim: SimExchange, make_service: Any) -> None:
    service = await make_service()
    quotes = service.quotes([SBER])
    good = (await next_item(quotes))[SBER].value
    bad = absurd_frames(encode_quote(good, Format.SIMPLE), guid_of(sim, "QuotesSubscribe", SBER))
    before = service.status.counters.malformed
    for text in bad:
        sim.faults.send_raw(text)
    await until(lambda: service.status.counters.malformed == before + len(bad), 4.0,
                "every absurd frame counted")
    assert await held_quote(service, SBER) == good
    await quotes.aclose()


def sber_row(app: AlorTUI) -> str:
    (row,) = [line for line in screen_text(app).splitlines() if line.startswith("SBER ")]
    return row


def clock_at(row: str) -> int:
    """Where the row's last-trade time (``HH:MM:SS``, after every number) starts."""
    match = re.search(r"\d\d:\d\d:\d\d", row)
    assert match is not None, row
    return match.start()


async def test_the_largest_accepted_values_keep_the_watchlist_layout(
        sim: SimExchange, make_service: Any) -> None:
    # Just inside the bounds the values are data: drawn clipped to their columns, the other
    # columns where they were. Past the bounds nothing changes on screen at all.
    service = await make_service()
    app = AlorTUI(service, watchlists={"W": [SBER]}, theme="textual-dark")
    async with app.run_test(size=(160, 20)):
        await until(lambda: any(c.isdigit() for c in sber_row(app)), 5.0, "SBER's values")
        before = sber_row(app)
        fine = encode_quote(sim.market.quote(SBER), Format.SIMPLE)
        guid = guid_of(sim, "QuotesSubscribe", SBER)
        huge = {"volume": float(MAX_VOLUME) * 0.99, "bid_vol": 9e18, "ask_vol": 9e18,
                "last_price": MAX_PRICE * 0.999, "high_price": MAX_PRICE * 0.999,
                "bid": MAX_PRICE * 0.998, "ask": MAX_PRICE * 0.999, "change": MAX_PRICE * 0.9,
                "change_percent": MAX_PRICE * 0.9}
        sim.faults.send_raw(frame({**fine, **huge}, guid))
        await until(lambda: "999" in sber_row(app), 4.0, "the huge quote drawn")
        row = sber_row(app)
        assert len(row) == len(before) and clock_at(row) == clock_at(before)
        bad = absurd_frames({**fine, **huge}, guid)
        for text in bad:
            sim.faults.send_raw(text)
        await until(lambda: service.status.counters.malformed == len(bad), 4.0, "refused")
        assert sber_row(app).rsplit(maxsplit=1)[0] == row.rsplit(maxsplit=1)[0]  # but the age
        assert app.is_running
