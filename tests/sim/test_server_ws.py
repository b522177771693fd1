"""``/ws`` subscriptions over a real socket (alor-api.md 3, checklist 7.2-7.11)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import orjson
import pytest
from aiohttp import WSMsgType

from alortui.models import Format, InstrumentKey
from alortui.sim.clock import ManualClock
from alortui.sim.encode import encode_candle, encode_order_book
from alortui.sim.server import SimExchange

SBER = InstrumentKey("MOEX", "SBER", "TQBR")
MOEX_SBER = {"code": "SBER", "exchange": "MOEX"}
WsFactory = Callable[..., Awaitable[Any]]


async def test_confirmation_is_compact_with_request_guid_first(
        sim: SimExchange, ws_client: WsFactory) -> None:
    client = await ws_client(sim)
    await client.send("ping", guid="abc-1", confirm=True)
    frame = await client.raw()
    assert frame.type is aiohttp.WSMsgType.TEXT
    assert frame.data == '{"requestGuid":"abc-1","httpCode":200,"message":"Handled successfully"}'


@pytest.mark.parametrize("fmt", ["Simple", "slim", "HEAVY"])
async def test_order_book_full_books_first_existing_then_updates(
        sim: SimExchange, ws_client: WsFactory, fmt: str) -> None:
    client = await ws_client(sim)
    guid = await client.confirm("OrderBookGetAndSubscribe", **MOEX_SBER, depth=5, format=fmt,
                                frequency=0)
    first, later = await client.data(guid, 2)
    keys = {"simple": ("bids", "asks", "existing"), "slim": ("b", "a", "h"),
            "heavy": ("bids", "asks", "existing")}[fmt.lower()]
    assert len(first[keys[0]]) == len(first[keys[1]]) == 5
    assert first[keys[2]] is True and later[keys[2]] is False
    if fmt == "Simple":
        assert first["snapshot"] is True and "ms_timestamp" in first
    if fmt == "HEAVY":
        assert set(first) == {"bids", "asks", "msTimestamp", "existing"}


@pytest.mark.parametrize(("fmt", "marker", "absent"), [
    ("Simple", "prev_close_price", "sym"), ("Slim", "sym", "prev_close_price"),
    ("Heavy", "prevClosePrice", "prev_close_price")])
async def test_quotes_are_full_objects_in_the_requested_format(
        sim: SimExchange, ws_client: WsFactory, fmt: str, marker: str, absent: str) -> None:
    client = await ws_client(sim)
    guid = await client.confirm("QuotesSubscribe", **MOEX_SBER, format=fmt)
    (quote,) = await client.data(guid, 1)
    assert marker in quote and absent not in quote


async def test_frequency_is_clamped_to_the_format_minimum(
        sim: SimExchange, ws_client: WsFactory) -> None:
    client = await ws_client(sim)
    heavy = await client.confirm("OrderBookGetAndSubscribe", **MOEX_SBER, format="Heavy",
                                 frequency=0)
    slim = await client.confirm("OrderBookGetAndSubscribe", **MOEX_SBER, format="Slim",
                                frequency=0)
    loop = asyncio.get_running_loop()
    arrivals: dict[str, list[float]] = {heavy: [], slim: []}
    end = loop.time() + 1.6
    while (left := end - loop.time()) > 0:
        with contextlib.suppress(TimeoutError):
            arrivals[str((await client.recv(left))["guid"])].append(loop.time())
    heavy_gaps = [b - a for a, b in itertools.pairwise(arrivals[heavy][1:])]
    assert 3 <= len(arrivals[heavy]) <= 5  # the snapshot + one update per 500 ms at most
    assert all(gap >= 0.45 for gap in heavy_gaps), heavy_gaps
    slim_gaps = [b - a for a, b in itertools.pairwise(arrivals[slim])]
    assert len(slim_gaps) > len(heavy_gaps) and min(slim_gaps) < 0.2  # the 10 ms floor
    conns = sim.ws.connections
    intervals = sorted(s.interval for s in conns[0].subscriptions.values())
    assert intervals == [0.01, 0.5]


async def test_default_frequency_is_175_ms(sim: SimExchange, ws_client: WsFactory) -> None:
    client = await ws_client(sim)
    await client.confirm("QuotesSubscribe", **MOEX_SBER)
    (sub,) = sim.ws.connections[0].subscriptions.values()
    assert sub.interval == 0.175


async def test_conflation_sends_only_the_latest_state_per_interval(
        manual_sim: SimExchange, ws_client: WsFactory, clock: ManualClock) -> None:
    client = await ws_client(manual_sim)
    guid = await client.confirm("OrderBookGetAndSubscribe", **MOEX_SBER, depth=3,
                                frequency=400)
    await client.data(guid, 1)
    for _ in range(8):  # many market changes within one 400 ms interval
        clock.advance(0.5)
        await asyncio.sleep(0.02)
    frames = await client.drain(0.6)
    assert len(frames) == 1
    expected = encode_order_book(manual_sim.market.order_book(SBER, 3), Format.SIMPLE)
    assert frames[0]["data"] == {**expected, "existing": False, "snapshot": False}


@pytest.mark.parametrize("opcode", ["AllTradesGetAndSubscribe", "AllTradesSubscribe"])
async def test_trades_backlog_then_live_trades(
        manual_sim: SimExchange, ws_client: WsFactory, clock: ManualClock, opcode: str) -> None:
    clock.advance(60)
    client = await ws_client(manual_sim)
    backlog_ids = [t.id for t in manual_sim.market.trades(SBER, last=10)]
    guid = await client.confirm(opcode, **MOEX_SBER, depth=10, format="Slim")
    backlog = await client.data(guid, 10)
    assert [t["id"] for t in backlog] == backlog_ids and all(t["h"] for t in backlog)
    clock.advance(5)
    (live,) = await client.data(guid, 1)
    assert live["h"] is False and live["id"] > backlog_ids[-1]


async def test_trades_without_depth_are_live_only(
        manual_sim: SimExchange, ws_client: WsFactory, clock: ManualClock) -> None:
    clock.advance(60)
    client = await ws_client(manual_sim)
    guid = await client.confirm("AllTradesGetAndSubscribe", **MOEX_SBER)
    assert await client.drain(0.1) == []
    clock.advance(5)
    (live,) = await client.data(guid, 1)
    assert live["existing"] is False


async def test_bars_backlog_then_updates_of_the_current_candle(
        manual_sim: SimExchange, ws_client: WsFactory, clock: ManualClock) -> None:
    clock.advance(30)
    now = int(clock.now())
    client = await ws_client(manual_sim)
    guid = await client.confirm("BarsGetAndSubscribe", **MOEX_SBER, tf="60", frequency=10,
                                **{"from": now - 600})
    expected = [encode_candle(c, Format.SIMPLE)
                for c in manual_sim.market.candles(SBER, 60, now - 600, now)]
    assert len(expected) >= 5
    assert await client.data(guid, len(expected)) == expected
    frames: list[dict[str, Any]] = []
    for _ in range(12):
        clock.advance(10)
        await asyncio.sleep(0.03)
        frames += [f["data"] for f in await client.drain(0.02) if f.get("guid") == guid]
    times = [f["time"] for f in frames]
    assert times == sorted(times) and times[0] >= expected[-1]["time"]
    assert len(set(times)) >= 2 and len(times) > len(set(times))  # updates and new candles
    current = manual_sim.market.candles(SBER, 60, times[-1], clock.now())[-1]
    assert frames[-1] == encode_candle(current, Format.SIMPLE)


async def test_bars_skip_history_and_letter_timeframes(
        manual_sim: SimExchange, ws_client: WsFactory, clock: ManualClock) -> None:
    client = await ws_client(manual_sim)
    guid = await client.confirm("BarsGetAndSubscribe", **MOEX_SBER, tf="D", format="Slim",
                                skipHistory=True, **{"from": 0})
    assert await client.drain(0.1) == []
    clock.advance(20)
    (bar,) = await client.data(guid, 1)
    assert set(bar) == set("tcohlv") and bar["t"] % 86400 == 0


async def test_instruments_full_then_partial(
        manual_sim: SimExchange, ws_client: WsFactory) -> None:
    client = await ws_client(manual_sim)
    guid = await client.confirm("InstrumentsGetAndSubscribeV2", **MOEX_SBER)
    (full,) = await client.data(guid, 1)
    assert list(full) == ["symbol", "exchange", "board", "tradingStatus", "tradingStatusInfo",
                          "priceMin", "priceMax"]
    manual_sim.market.set_open(False)
    (partial,) = await client.data(guid, 1)
    assert partial == {"symbol": "SBER", "tradingStatus": 18, "tradingStatusInfo": "нет торгов"}
    slim = await client.confirm("InstrumentsGetAndSubscribeV2", **MOEX_SBER, format="Slim")
    (full_slim,) = await client.data(slim, 1)
    assert full_slim["sym"] == "SBER" and full_slim["st"] == 18


async def test_unsubscribe_is_confirmed_with_that_guid_and_stops_data(
        sim: SimExchange, ws_client: WsFactory) -> None:
    client = await ws_client(sim)
    guid = await client.confirm("OrderBookGetAndSubscribe", **MOEX_SBER, frequency=25)
    await client.data(guid, 2)
    await client.send("unsubscribe", guid=guid)
    while (frame := await client.recv()).get("guid") == guid:
        pass  # frames already on the wire before the request arrived
    assert frame == {"requestGuid": guid, "httpCode": 200, "message": "Handled successfully"}
    assert await client.drain(0.4) == []


async def test_a_repeated_guid_replaces_the_subscription(
        sim: SimExchange, ws_client: WsFactory) -> None:
    client = await ws_client(sim)
    guid = await client.confirm("QuotesSubscribe", **MOEX_SBER)
    await client.confirm("QuotesSubscribe", guid=guid, code="GAZP", exchange="MOEX")
    await client.drain(0.05)  # SBER quotes sent before the replacement was read
    after = await client.data(guid, 2)
    assert {q["symbol"] for q in after} == {"GAZP"}
    assert len(sim.ws.connections[0].subscriptions) == 1


@pytest.mark.parametrize(("fields", "code"), [
    ({"opcode": "QuotesSubscribe", "code": "NOPE", "exchange": "MOEX"}, 400),
    ({"opcode": "QuotesSubscribe", "exchange": "MOEX"}, 400),
    ({"opcode": "OrderBookGetAndSubscribe", **MOEX_SBER, "depth": 51}, 400),
    ({"opcode": "AllTradesGetAndSubscribe", **MOEX_SBER, "depth": 5001}, 400),
    ({"opcode": "BarsGetAndSubscribe", **MOEX_SBER, "tf": "fortnight"}, 400),
    ({"opcode": "QuotesSubscribe", **MOEX_SBER, "format": "Bulky"}, 400),
    ({"opcode": "FlyToTheMoon", **MOEX_SBER}, 400),
])
async def test_bad_requests_get_a_400_envelope_and_the_socket_stays(
        sim: SimExchange, ws_client: WsFactory, fields: dict[str, Any], code: int) -> None:
    client = await ws_client(sim)
    opcode = fields.pop("opcode")
    guid = await client.send(opcode, **fields)
    reply = await client.reply(guid)
    assert list(reply) == ["requestGuid", "httpCode", "message"]
    assert reply["requestGuid"] == guid and reply["httpCode"] == code and reply["message"]
    await client.confirm("ping")


async def test_garbage_frames_get_an_envelope_without_guid(
        sim: SimExchange, ws_client: WsFactory) -> None:
    client = await ws_client(sim)
    await client.ws.send_str("{not json")
    assert (await client.recv())["requestGuid"] is None
    await client.ws.send_bytes(b"\x00\x01")
    assert (await client.recv())["httpCode"] == 400
    await client.confirm("ping")


async def test_subscription_limit_per_connection(ws_client: WsFactory,
                                                 clock: ManualClock) -> None:
    async with SimExchange(clock=clock, max_subscriptions=2) as sim:
        client = await ws_client(sim)
        first = await client.confirm("QuotesSubscribe", **MOEX_SBER)
        await client.confirm("QuotesSubscribe", code="GAZP", exchange="MOEX")
        guid = await client.send("QuotesSubscribe", code="LKOH", exchange="MOEX")
        assert await client.reply(guid) == {"requestGuid": guid, "httpCode": 429,
                                            "message": "Subscription limit reached"}
        # replacing one does not count twice
        await client.confirm("QuotesSubscribe", guid=first, code="LKOH", exchange="MOEX")


async def test_connection_limit(session: aiohttp.ClientSession, clock: ManualClock) -> None:
    async with SimExchange(clock=clock, max_connections=1) as sim:
        first = await session.ws_connect(sim.ws_url)
        with pytest.raises(aiohttp.WSServerHandshakeError) as caught:
            await session.ws_connect(sim.ws_url)
        assert caught.value.status == 429
        assert [e.status for e in sim.log.http_requests("/ws")] == [101, 429]
        await first.close()


async def test_the_request_log_keeps_opcode_guid_params_and_no_token(
        sim: SimExchange, ws_client: WsFactory) -> None:
    client = await ws_client(sim)
    guid = await client.confirm("QuotesSubscribe", **MOEX_SBER, format="Slim")
    (entry,) = sim.log.ws_requests("QuotesSubscribe")
    assert (entry.opcode, entry.guid) == ("QuotesSubscribe", guid)
    assert entry.params == {**MOEX_SBER, "format": "Slim", "token": "REDACTED"}
    assert client.token not in repr(sim.log.ws)


def small_receive_buffer(addr_info: Any) -> socket.socket:
    """A client socket with a tiny receive buffer, so a reader that stalls stalls the server."""
    family, kind, proto, _, _ = addr_info
    sock = socket.socket(family=family, type=kind, proto=proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    return sock


async def test_a_slow_reader_is_dropped(ws_client: WsFactory, clock: ManualClock) -> None:
    async with SimExchange(clock=clock, max_queue=100, tick=0.005) as sim, \
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(
                socket_factory=small_receive_buffer)) as stalled_session:
        sleeper = await stalled_session.ws_connect(sim.ws_url)  # never reads
        server_side = sim.ws.connections[0].ws.get_extra_info("socket")
        server_side.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        reader = await ws_client(sim)
        got = 0

        async def read() -> None:
            nonlocal got
            async for _ in reader.ws:
                got += 1

        reading = asyncio.ensure_future(read())
        token = sim.issue_jwt()
        for symbol in ("SBER", "GAZP", "VTBR", "YDEX", "LKOH", "SBERP", "AFLT", "MTSS"):
            request = {"opcode": "OrderBookGetAndSubscribe", "code": symbol, "exchange": "MOEX",
                       "depth": 50, "format": "Slim", "frequency": 10, "token": token}
            await sleeper.send_str(orjson.dumps({**request, "guid": symbol}).decode())
            await reader.send("OrderBookGetAndSubscribe", guid=symbol,
                              **{k: v for k, v in request.items() if k not in ("token", "opcode")})
        for _ in range(400):
            clock.advance(0.2)
            await asyncio.sleep(0.006)
            if len(sim.ws.connections) < 2:
                break
        assert [c.ident for c in sim.ws.connections] == [2]  # the stalled one went
        assert got > 100  # while the reader kept up
        reading.cancel()
        while (msg := await asyncio.wait_for(sleeper.receive(), 2)).type is WSMsgType.TEXT:
            pass  # what was sent before the cut, then the abrupt end
        assert msg.type in (WSMsgType.CLOSED, WSMsgType.ERROR)
