"""The scripted feed on a real exchange over loopback: values set, sent, and nothing else."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import orjson
import pytest

from alortui.alor.auth import TokenManager
from alortui.bench.feed import Script, publish, saturation_items
from alortui.bench.ingest import Saturation, bare_requests, newest_connection
from alortui.bench.markers import BOOK_MARKERS, QUOTE_MARKERS, TRADE_MARKERS, MarkerLedger
from alortui.bench.scenarios import MAX_PRICE, SCENARIOS, instruments
from alortui.sim.clock import SystemClock
from alortui.sim.scripted_feed import FeedPublisher, ScriptedMarket
from alortui.sim.server import SimExchange

SPECS = instruments(3)
KEY = SPECS[0].key


@pytest.fixture
async def exchange() -> AsyncIterator[tuple[SimExchange, ScriptedMarket]]:
    clock = SystemClock()
    market = ScriptedMarket(1, clock, instruments=SPECS)
    async with SimExchange(clock=clock, market=market, tick=0.01) as sim:
        yield sim, market


@pytest.fixture
async def socket(exchange: tuple[SimExchange, ScriptedMarket]
                 ) -> AsyncIterator[aiohttp.ClientWebSocketResponse]:
    sim, _ = exchange
    async with aiohttp.ClientSession() as session:
        jwt = await TokenManager(session, sim.oauth_url, sim.refresh_token).access_token()
        async with session.ws_connect(sim.ws_url) as ws:
            params = {"code": KEY.symbol, "exchange": KEY.exchange, "instrumentGroup": KEY.board,
                      "token": jwt}
            await ws.send_str(orjson.dumps({"opcode": "QuotesSubscribe", "format": "Simple",
                                            "guid": "q", **params}).decode())
            await ws.send_str(orjson.dumps({"opcode": "AllTradesGetAndSubscribe", "depth": 0,
                                            "format": "Slim", "guid": "t", **params}).decode())
            await frames(ws, 3)  # two confirmations and the first quote
            yield ws


async def frames(ws: aiohttp.ClientWebSocketResponse, count: int) -> list[dict]:
    return [orjson.loads((await ws.receive(timeout=2.0)).data) for _ in range(count)]


async def test_published_values_reach_subscribers_and_the_market_serves_them(
    exchange: tuple[SimExchange, ScriptedMarket], socket: aiohttp.ClientWebSocketResponse
) -> None:
    sim, market = exchange
    script, ledger = Script(market, SPECS), MarkerLedger()
    quote, trade = script.quote(KEY), script.trade(KEY)
    assert publish(FeedPublisher(sim, market), [quote, trade], ledger) == 2
    got = {frame["guid"]: frame["data"] for frame in await frames(socket, 2)}
    assert got["q"]["volume"] == quote[3] and got["t"]["q"] == trade[3]
    assert market.quote(KEY).volume == quote[3]
    assert market.trades(KEY, last=1)[0].qty == trade[3]
    with pytest.raises(TimeoutError):  # the exchange's own ticker sends nothing
        await socket.receive(timeout=0.3)


async def test_a_saturation_burst_arrives_whole_and_in_order(
    exchange: tuple[SimExchange, ScriptedMarket], socket: aiohttp.ClientWebSocketResponse
) -> None:
    sim, market = exchange
    items = saturation_items(SCENARIOS["burst"], Script(market, SPECS), [KEY], 3000)
    burst = Saturation.encode(FeedPublisher(sim, market), newest_connection(sim), items)
    assert len(burst.frames) == 3000
    sending = asyncio.create_task(FeedPublisher.pump(burst.connection, burst.frames))
    volumes = [frame["data"]["volume"] for frame in await frames(socket, 3000)]
    await sending
    assert volumes == [marker for *_, marker in items]
    assert bare_requests(burst.connection) == [
        ("QuotesSubscribe", {"code": KEY.symbol, "exchange": KEY.exchange,
                             "instrumentGroup": KEY.board, "format": "Simple"}),
        ("AllTradesGetAndSubscribe", {"code": KEY.symbol, "exchange": KEY.exchange,
                                      "instrumentGroup": KEY.board, "format": "Slim", "depth": 0}),
    ]


def test_scripted_books_keep_every_other_number_out_of_the_marker_shape() -> None:
    market = ScriptedMarket(1, SystemClock(), instruments=SPECS)
    _, _, book, marker = Script(market, SPECS).book(KEY, 50)
    assert marker in BOOK_MARKERS and book.bids[0].volume == marker
    assert all(level.volume >= 1_000_000 for level in book.bids[1:])
    assert sum(level.volume for level in book.asks) < QUOTE_MARKERS.start
    assert market.order_book(KEY, 50) is not book  # not set until published
    assert TRADE_MARKERS.start == QUOTE_MARKERS.stop and BOOK_MARKERS.start == TRADE_MARKERS.stop


def test_busy_has_a_hundred_distinct_instruments_priced_below_the_marker_range() -> None:
    specs = instruments(100)
    assert len({spec.key for spec in specs}) == 100
    assert all(spec.ref_price < MAX_PRICE for spec in specs)
