"""AlorStream survives drops: backoff, re-subscription with the same guids, dead-link detection."""

from __future__ import annotations

import asyncio
import itertools
import time

import aiohttp
import pytest
from client_helpers import SBER, StreamFactory, until

from alortui.alor.auth import TokenManager
from alortui.alor.errors import SubscriptionRejected
from alortui.alor.stream import AlorStream
from alortui.alor.stream_status import StreamState, StreamStatus
from alortui.models import OrderBook, Quote
from alortui.sim.server import SimExchange

GAZP = {"code": "GAZP", "exchange": "MOEX", "instrumentGroup": "TQBR"}


async def test_drop_resubscribes_same_guids_with_a_fresh_token(
        session: aiohttp.ClientSession) -> None:
    async with SimExchange(seed=5, jwt_lifetime=2) as sim:
        tokens = TokenManager(session, sim.oauth_url, sim.refresh_token)
        stream = AlorStream(session, sim.ws_url, tokens, ping_interval=0.5, ping_timeout=0.5,
                            backoff=(0.2, 1.0))
        await stream.start()
        quotes: list[Quote] = []
        books: list[OrderBook] = []
        guids = {await stream.subscribe("QuotesSubscribe", SBER, quotes.append),
                 await stream.subscribe("OrderBookGetAndSubscribe", GAZP, books.append)}
        await asyncio.sleep(2.1)  # the JWT of the first requests has expired by now
        await sim.faults.drop_all()
        quotes.clear()
        books.clear()
        await until(lambda: bool(quotes) and bool(books), 4)
        status = stream.status
        assert status.counters.reconnects == 1
        assert status.counters.resubscriptions == 2
        requests = [r for r in sim.log.ws if r.opcode in ("QuotesSubscribe",
                                                          "OrderBookGetAndSubscribe")]
        first, again = requests[:2], requests[2:]
        assert {r.guid for r in first} == guids
        # Re-sent once each on the new connection: a stale token would have drawn a 401
        # envelope and a second attempt.
        assert sorted(r.guid for r in again) == sorted(guids)
        assert {r.connection for r in again} != {r.connection for r in first}
        await stream.close()


async def test_status_reports_each_state(make_stream: StreamFactory, sim: SimExchange) -> None:
    seen: list[StreamStatus] = []
    stream = make_stream()
    stream.on_status = seen.append
    await stream.start()
    await stream.wait_connected()
    await stream.subscribe("QuotesSubscribe", SBER, lambda _: None)
    await sim.faults.drop_all()
    await until(lambda: stream.status.counters.reconnects == 1)
    await stream.close()
    states = [s.state for s in seen]
    assert states[0] is StreamState.CONNECTED
    assert StreamState.RECONNECTING in states
    assert states[-1] is StreamState.CLOSED
    waiting = next(s for s in seen if s.state is StreamState.RECONNECTING)
    assert waiting.next_retry_at is not None and waiting.last_error


async def test_accept_then_close_is_retried_at_most_about_once_a_second(
        make_stream: StreamFactory, sim: SimExchange) -> None:
    loop = asyncio.get_running_loop()
    connects: list[float] = []
    stream = make_stream(backoff=(1.0, 30.0), healthy_after=60.0)
    stream.on_status = lambda s: connects.append(loop.time()) if (
        s.state is StreamState.CONNECTED) else None
    await stream.start()
    await stream.subscribe("QuotesSubscribe", SBER, lambda _: None)
    sim.faults.close_after_accept(True)
    connects.clear()
    dropped_at = loop.time()
    await sim.faults.drop_all()
    await asyncio.sleep(3.6)
    times = [dropped_at, *connects]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert 1 <= len(connects) <= 3, connects
    assert all(gap >= 0.95 for gap in gaps), gaps
    assert stream.status.attempt >= 2  # short-lived connections do not reset the backoff


async def test_half_open_link_is_detected_by_ping(make_stream: StreamFactory,
                                                  sim: SimExchange) -> None:
    stream = make_stream(ping_interval=0.3, ping_timeout=0.3)
    await stream.start()
    got: list[Quote] = []
    await stream.subscribe("QuotesSubscribe", SBER, got.append)
    sim.faults.half_open(True)
    await until(lambda: stream.status.counters.reconnects >= 1, 3)
    assert "ping" in (stream.status.last_error or "") or stream.status.counters.reconnects
    sim.faults.half_open(False)
    got.clear()
    await until(lambda: bool(got), 4)


async def test_silent_socket_is_dead(make_stream: StreamFactory, sim: SimExchange) -> None:
    stream = make_stream(ping_interval=30.0, silence_timeout=0.5)
    await stream.start()
    await stream.subscribe("InstrumentsGetAndSubscribeV2", SBER, lambda _: None)
    seen: list[StreamStatus] = []
    stream.on_status = seen.append
    sim.faults.half_open(True)
    await until(lambda: any(s.state is StreamState.RECONNECTING for s in seen), 3)
    assert any("no message" in (s.last_error or "") for s in seen)


async def test_subscribe_while_reconnecting_goes_out_on_the_next_connection(
        make_stream: StreamFactory, sim: SimExchange) -> None:
    stream = make_stream()
    await stream.start()
    await stream.wait_connected()
    await sim.faults.drop_all()
    await until(lambda: stream.status.state is not StreamState.CONNECTED)
    got: list[Quote] = []
    await stream.subscribe("QuotesSubscribe", SBER, got.append)
    await until(lambda: bool(got))
    assert len(sim.log.ws_requests("QuotesSubscribe")) == 1


async def test_rejected_resubscription_reaches_on_error(make_stream: StreamFactory,
                                                        sim: SimExchange) -> None:
    stream = make_stream()
    await stream.start()
    errors: list[Exception] = []
    await stream.subscribe("QuotesSubscribe", SBER, lambda _: None, on_error=errors.append)
    sim.faults.ws_reject("QuotesSubscribe", 403, "No access")
    await sim.faults.drop_all()
    await until(lambda: bool(errors), 4)
    (error,) = errors
    assert isinstance(error, SubscriptionRejected) and error.http_code == 403
    assert stream.status.subscriptions == 0


@pytest.mark.parametrize("code", [1001, 1006])
async def test_close_codes_all_lead_to_reconnect(make_stream: StreamFactory, sim: SimExchange,
                                                 code: int) -> None:
    stream = make_stream()
    await stream.start()
    got: list[Quote] = []
    await stream.subscribe("QuotesSubscribe", SBER, got.append)
    await sim.faults.drop_all(code)
    await until(lambda: stream.status.counters.reconnects == 1)
    got.clear()
    await until(lambda: bool(got))


async def test_resubscription_swallowed_by_a_healed_half_open_server_is_sent_again(
        make_stream: StreamFactory, sim: SimExchange) -> None:
    # A half-open server swallows the re-subscription of the next connection, then heals while
    # that connection is up: pings pass again, but the request will never be answered.
    stream = make_stream(ping_interval=0.3, ping_timeout=0.3, confirm_timeout=1.0)
    seen: list[StreamStatus] = []
    stream.on_status = seen.append
    await stream.start()
    got: list[Quote] = []
    guid = await stream.subscribe("QuotesSubscribe", SBER, got.append)
    (first,) = sim.log.ws_requests("QuotesSubscribe")

    def sent_after(*connections: int) -> list[int]:
        return [e.connection for e in sim.log.ws_requests("QuotesSubscribe")
                if e.connection not in connections]

    sim.faults.half_open(True)
    await until(lambda: bool(sent_after(first.connection)), 3)
    sim.faults.half_open(False)
    swallowed_on = sent_after(first.connection)[0]
    healed_at = asyncio.get_running_loop().time()
    got.clear()
    await until(lambda: bool(got), 4)
    assert asyncio.get_running_loop().time() - healed_at < 3  # confirm_timeout + backoff
    pings = [e for e in sim.log.ws_requests("ping") if e.connection == swallowed_on]
    assert len(pings) >= 2  # a ping that fails ends the connection: the first was answered
    resent = [e for e in sim.log.ws_requests("QuotesSubscribe")
              if e.connection not in (first.connection, swallowed_on)]
    assert [e.guid for e in resent] == [guid]
    assert any("not confirmed" in (s.last_error or "") for s in seen)


async def test_reconnect_resends_the_same_guids_on_a_new_connection(
        make_stream: StreamFactory, sim: SimExchange) -> None:
    stream = make_stream()
    await stream.start()
    quotes: list[Quote] = []
    books: list[OrderBook] = []
    guids = {await stream.subscribe("QuotesSubscribe", SBER, quotes.append),
             await stream.subscribe("OrderBookGetAndSubscribe", GAZP, books.append)}
    (old,) = sim.ws.connections
    await stream.reconnect()
    assert stream.status.state is not StreamState.CONNECTED  # the old socket is gone already
    await asyncio.wait_for(stream.wait_connected(), 2)
    quotes.clear()
    books.clear()
    await until(lambda: bool(quotes) and bool(books))  # the same sinks are fed again
    assert len(sim.log.http_requests("/ws")) == 2
    assert [c.ident for c in sim.ws.connections] != [old.ident]
    again = [e for e in sim.log.ws if e.opcode in ("QuotesSubscribe", "OrderBookGetAndSubscribe")
             and e.connection != old.ident]
    assert {e.guid for e in again} == guids and len(again) == 2
    assert sim.log.ws_requests("unsubscribe") == []
    counters = stream.status.counters
    assert (counters.reconnects, counters.resubscriptions) == (1, 2)
    assert stream.status.subscriptions == 2


async def test_reconnect_skips_the_backoff_but_keeps_the_floor(
        make_stream: StreamFactory, sim: SimExchange) -> None:
    loop = asyncio.get_running_loop()
    stream = make_stream(backoff=(1.0, 30.0))
    await stream.start()
    await stream.wait_connected()
    await asyncio.sleep(1.0)  # the connection is older than the floor
    asked = loop.time()
    await stream.reconnect()
    await asyncio.wait_for(stream.wait_connected(), 2)
    assert loop.time() - asked < 0.5  # no backoff wait (it would be >= 1 s)
    await stream.reconnect()  # at once again: the floor holds it back
    await asyncio.wait_for(stream.wait_connected(), 3)
    attempts = [e.time for e in sim.log.http_requests("/ws")]
    assert len(attempts) == 3
    assert attempts[2] - attempts[1] >= 0.95, attempts
    assert stream.status.attempt == 0


async def test_reconnect_cuts_a_long_backoff_wait_short(make_stream: StreamFactory,
                                                        sim: SimExchange) -> None:
    loop = asyncio.get_running_loop()
    stream = make_stream(backoff=(0.3, 30.0))
    await stream.start()
    await stream.wait_connected()
    sim.faults.close_after_accept(True)
    await sim.faults.drop_all()
    # Waits of 0.3, 0.6, 1.2, then 2.4 s and more: reconnect() must not sit those out.
    await until(lambda: stream.status.attempt >= 4 and stream.status.next_retry_at is not None, 4)
    retry_in = (stream.status.next_retry_at or 0) - time.time()
    assert retry_in > 1.5
    sim.faults.close_after_accept(False)
    asked = loop.time()
    await stream.reconnect()
    await asyncio.wait_for(stream.wait_connected(), 2)
    assert loop.time() - asked < 0.5 < retry_in
