"""AlorStream against the simulator: subscriptions, confirmations, routing, control requests."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest
from client_helpers import SBER, StreamFactory, until

from alortui.alor.auth import TokenManager
from alortui.alor.errors import AuthRejected, NetworkError, StreamClosed, SubscriptionRejected
from alortui.alor.stream import AlorStream
from alortui.alor.stream_status import StreamState
from alortui.models import Candle, Format, InstrumentChange, OrderBook, Quote, Trade
from alortui.sim.server import SimExchange

OPCODES: dict[str, tuple[type, dict[str, Any]]] = {
    "QuotesSubscribe": (Quote, {"frequency": 25}),
    "OrderBookGetAndSubscribe": (OrderBook, {"depth": 5, "frequency": 10}),
    "AllTradesGetAndSubscribe": (Trade, {"depth": 5}),
    "BarsGetAndSubscribe": (Candle, {"tf": 60, "from": int(time.time()) - 600,
                                     "frequency": 25}),
    "InstrumentsGetAndSubscribeV2": (InstrumentChange, {}),
}


@pytest.mark.parametrize("fmt", [Format.SIMPLE, Format.SLIM])
@pytest.mark.parametrize("opcode", sorted(OPCODES))
async def test_each_opcode_streams_decoded_models(stream: AlorStream, sim: SimExchange,
                                                  opcode: str, fmt: Format) -> None:
    kind, extra = OPCODES[opcode]
    got: list[Any] = []
    guid = await stream.subscribe(opcode, {**SBER, **extra}, got.append, fmt=fmt)
    await until(lambda: len(got) >= 1)
    assert all(isinstance(model, kind) for model in got)
    (request,) = sim.log.ws_requests(opcode)
    assert request.guid == guid
    assert request.params["format"] == fmt.value
    assert request.params["code"] == "SBER"
    assert request.params["token"] != ""  # redacted by the simulator's log, but present
    assert stream.status.counters.messages >= 1


async def test_default_format_comes_from_wire(stream: AlorStream, sim: SimExchange) -> None:
    await stream.subscribe("OrderBookGetAndSubscribe", SBER, lambda _: None)
    assert sim.log.ws_requests("OrderBookGetAndSubscribe")[0].params["format"] == "Slim"


async def test_guids_are_unique(stream: AlorStream) -> None:
    guids = await asyncio.gather(*(stream.subscribe("QuotesSubscribe", SBER, lambda _: None)
                                   for _ in range(5)))
    assert len(set(guids)) == 5
    assert stream.status.subscriptions == 5


async def test_rejection_carries_alors_message(stream: AlorStream, sim: SimExchange) -> None:
    sim.faults.ws_reject("QuotesSubscribe", 400, "Instrument MOEX:SBER is not traded")
    with pytest.raises(SubscriptionRejected) as caught:
        await stream.subscribe("QuotesSubscribe", SBER, lambda _: None)
    assert caught.value.http_code == 400
    assert caught.value.message == "Instrument MOEX:SBER is not traded"
    assert stream.status.subscriptions == 0


async def test_unknown_instrument_is_rejected_by_the_server(stream: AlorStream) -> None:
    with pytest.raises(SubscriptionRejected) as caught:
        await stream.subscribe("QuotesSubscribe", {"code": "NOSUCH", "exchange": "MOEX"},
                               lambda _: None)
    assert caught.value.http_code in (400, 404)


async def test_a_401_envelope_refreshes_and_retries_once(stream: AlorStream, sim: SimExchange,
                                                         tokens: TokenManager) -> None:
    await tokens.access_token()
    sim.faults.ws_reject("QuotesSubscribe", 401, "Invalid JWT token!")
    got: list[Quote] = []
    guid = await stream.subscribe("QuotesSubscribe", SBER, got.append)
    await until(lambda: bool(got))
    assert tokens.refreshes == 2
    assert [r.guid for r in sim.log.ws_requests("QuotesSubscribe")] == [guid, guid]


async def test_a_second_401_is_final(stream: AlorStream, sim: SimExchange) -> None:
    sim.faults.ws_reject("QuotesSubscribe", 401, "Invalid JWT token!", times=2)
    with pytest.raises(SubscriptionRejected) as caught:
        await stream.subscribe("QuotesSubscribe", SBER, lambda _: None)
    assert caught.value.http_code == 401
    assert "Invalid JWT token!" in str(caught.value)


async def test_unsubscribe_stops_data(stream: AlorStream, sim: SimExchange) -> None:
    got: list[OrderBook] = []
    guid = await stream.subscribe("OrderBookGetAndSubscribe", {**SBER, "frequency": 10},
                                  got.append)
    await until(lambda: len(got) >= 2)
    await stream.unsubscribe(guid)
    (request,) = sim.log.ws_requests("unsubscribe")
    assert request.guid == guid
    count = len(got)
    await asyncio.sleep(0.5)
    assert len(got) == count
    assert stream.status.subscriptions == 0
    await stream.unsubscribe(guid)  # twice is harmless


async def test_ping_measures_the_round_trip(stream: AlorStream, sim: SimExchange) -> None:
    await stream.wait_connected()
    rtt = await stream.ping()
    assert 0 < rtt < 1
    assert stream.status.rtt == rtt
    (request,) = sim.log.ws_requests("ping")
    assert request.params["confirm"] is True


async def test_malformed_and_binary_frames_are_dropped_and_counted(
        stream: AlorStream, sim: SimExchange) -> None:
    got: list[Quote] = []
    guid = await stream.subscribe("QuotesSubscribe", SBER, got.append)
    sim.faults.send_raw("{not json")
    sim.faults.send_raw(b"\x00\x01binary")
    sim.faults.send_raw('["an", "array"]')
    sim.faults.send_raw('{"data": {"bogus": true}, "guid": "' + guid + '"}')
    sim.faults.send_raw('{"data": {"c": 1}, "guid": "nobody-has-this-guid"}')
    await until(lambda: stream.status.counters.malformed >= 4
                and stream.status.counters.unknown_guid >= 1)
    count = len(got)
    await until(lambda: len(got) > count)  # the reader carries on
    assert stream.status.state is StreamState.CONNECTED


async def test_a_failing_sink_does_not_stop_the_reader(stream: AlorStream) -> None:
    def explode(_: object) -> None:
        raise RuntimeError("consumer bug")

    got: list[Trade] = []
    await stream.subscribe("OrderBookGetAndSubscribe", {**SBER, "frequency": 10}, explode)
    await stream.subscribe("AllTradesGetAndSubscribe", {**SBER, "depth": 3}, got.append)
    await until(lambda: len(got) >= 3 and stream.status.counters.sink_errors >= 1)


async def test_closed_stream_refuses_requests(make_stream: StreamFactory) -> None:
    stream = make_stream()
    with pytest.raises(RuntimeError, match="start"):
        await stream.subscribe("QuotesSubscribe", SBER, lambda _: None)
    await stream.start()
    await stream.close()
    assert stream.status.state is StreamState.CLOSED
    with pytest.raises(StreamClosed):
        await stream.subscribe("QuotesSubscribe", SBER, lambda _: None)


async def test_reconnect_needs_an_open_stream(make_stream: StreamFactory) -> None:
    stream = make_stream()
    with pytest.raises(RuntimeError, match="start"):
        await stream.reconnect()
    await stream.start()
    await stream.close()
    with pytest.raises(StreamClosed):
        await stream.reconnect()


async def test_reconnect_during_a_connect_attempt_is_that_attempt(make_stream: StreamFactory,
                                                                  sim: SimExchange) -> None:
    stream = make_stream(backoff=(1.0, 30.0))
    await stream.start()
    await asyncio.sleep(0)  # the first attempt is under way: nothing more to do
    await stream.reconnect()
    await asyncio.wait_for(stream.wait_connected(), 2)
    await asyncio.sleep(1.0)
    assert len(sim.log.http_requests("/ws")) == 1
    waits: list[float] = []
    stream.on_status = lambda s: waits.append(s.next_retry_at - time.time()) if (
        s.next_retry_at is not None) else None
    await sim.faults.drop_all()  # a drop later still waits the ordinary backoff
    await until(lambda: bool(waits))
    assert waits[0] >= 0.9


async def test_close_fails_a_pending_subscribe(make_stream: StreamFactory,
                                               sim: SimExchange) -> None:
    stream = make_stream(confirm_timeout=None)
    await stream.start()
    sim.faults.half_open(True)
    pending = asyncio.ensure_future(stream.subscribe("QuotesSubscribe", SBER, lambda _: None))
    await asyncio.sleep(0.2)
    await stream.close()
    with pytest.raises(StreamClosed):
        await pending


async def test_unsupported_opcode(stream: AlorStream) -> None:
    with pytest.raises(ValueError, match="unsupported opcode"):
        await stream.subscribe("create:limit", {}, lambda _: None)


async def test_a_subscription_not_confirmed_in_time(make_stream: StreamFactory,
                                                   sim: SimExchange,
                                                   tokens: TokenManager) -> None:
    await tokens.access_token()
    stream = make_stream(confirm_timeout=0.3)
    await stream.start()
    await stream.wait_connected()
    sim.faults.delay(0.6)
    got: list[Quote] = []
    with pytest.raises(NetworkError, match=r"not confirmed within 0\.3 s"):
        await stream.subscribe("QuotesSubscribe", SBER, got.append)
    assert stream.status.subscriptions == 0
    await until(lambda: len(sim.log.ws_requests("unsubscribe")) == 1)
    sim.faults.delay(0)
    await asyncio.sleep(0.5)
    assert got == []  # the late confirmation and data found no subscription


async def test_no_token_no_subscription(make_stream: StreamFactory, session: aiohttp.ClientSession,
                                        sim: SimExchange) -> None:
    stream = make_stream(tokens=TokenManager(session, sim.oauth_url, "revoked"))
    await stream.start()
    await stream.wait_connected()
    with pytest.raises(AuthRejected):
        await stream.subscribe("QuotesSubscribe", SBER, lambda _: None)
    assert stream.status.subscriptions == 0


async def test_cancelled_subscribe_leaves_nothing_behind(stream: AlorStream,
                                                         sim: SimExchange) -> None:
    await stream.wait_connected()
    sim.faults.delay(0.5)
    pending = asyncio.ensure_future(stream.subscribe("QuotesSubscribe", SBER, lambda _: None))
    await until(lambda: bool(sim.log.ws_requests("QuotesSubscribe")))
    pending.cancel()
    with pytest.raises(asyncio.CancelledError):
        await pending
    assert stream.status.subscriptions == 0
    await until(lambda: bool(sim.log.ws_requests("unsubscribe")))
