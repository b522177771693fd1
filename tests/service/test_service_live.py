"""LIVE mode against the simulated exchange: reconnects, token lifecycle, shared subscriptions."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

import pytest
from svc_helpers import REFRESH, next_item, until

from alortui.models import InstrumentKey
from alortui.service.api import IssueKind, Link, Mode, Stamped, StreamIssue

SBER = InstrumentKey("MOEX", "SBER")
GAZP = InstrumentKey("MOEX", "GAZP")


async def fresh_item(iterator: Any, after: float, wait: float = 5.0) -> Any:
    """The first item of ``iterator`` that arrived after local time ``after``."""
    deadline = time.monotonic() + wait
    while True:
        item = await next_item(iterator, max(0.05, deadline - time.monotonic()))
        values = item.values() if isinstance(item, dict) else [item]
        if any(isinstance(v, Stamped) and v.received > after for v in values):
            return item


async def test_drop_mid_stream_resubscribes_same_guids_with_fresh_token(
        make_sim: Any, make_service: Any) -> None:
    sim = await make_sim(jwt_lifetime=2)
    service = await make_service(sim, REFRESH)
    quotes = service.quotes([SBER, GAZP])
    await next_item(quotes)
    await until(lambda: len(sim.log.ws_requests("QuotesSubscribe")) == 2)
    first = sim.log.ws_requests("QuotesSubscribe")
    await asyncio.sleep(2.1)  # the JWT of the first subscriptions has expired by now
    dropped_at = time.time()
    await sim.faults.drop_all()

    def resent() -> list[Any]:
        return [e for e in sim.log.ws_requests("QuotesSubscribe")
                if e.connection != first[0].connection]

    await fresh_item(quotes, dropped_at)  # the same iterator carries data again
    await until(lambda: len(resent()) >= 2, what="both re-subscriptions")
    await asyncio.sleep(0.3)
    again = resent()
    # One request per guid: a stale token would have been answered 401 and sent twice.
    assert sorted(e.guid for e in again) == sorted(e.guid for e in first)
    status = service.status
    assert status.counters.reconnects == 1
    assert status.counters.resubscriptions == 2
    assert status.link is Link.CONNECTED
    await quotes.aclose()


async def test_half_open_socket_is_detected_and_replaced(sim: Any, make_service: Any) -> None:
    service = await make_service(sim, REFRESH)
    book = service.order_book(SBER)
    await next_item(book)
    sim.faults.half_open(True)
    # Healed while the client waits to reconnect (the next test heals mid-connection).
    await until(lambda: service.status.link is Link.RECONNECTING, 4.0, "the dead link noticed")
    sim.faults.half_open(False)
    healed_at = time.time()
    item = await fresh_item(book, healed_at, 6.0)
    assert item.value.bids and item.value.asks
    await book.aclose()


async def test_half_open_server_healed_mid_connection_resends_the_swallowed_subscription(
        sim: Any, make_service: Any) -> None:
    service = await make_service(sim, REFRESH, confirm_timeout=1.0)
    book = service.order_book(SBER)
    await next_item(book)
    (first,) = sim.log.ws_requests("OrderBookGetAndSubscribe")

    def later() -> list[Any]:
        return [e for e in sim.log.ws_requests("OrderBookGetAndSubscribe")
                if e.connection != first.connection]

    sim.faults.half_open(True)
    await until(later, 4.0, "the re-subscription on a new connection")
    # Healed while the new connection is up: its pings pass, its re-subscription was lost.
    sim.faults.half_open(False)
    healed_at = time.time()
    item = await fresh_item(book, healed_at, 4.0)  # within confirm_timeout + backoff
    assert item.value.bids and item.value.asks
    connections = {e.connection for e in later()}
    assert len(connections) == 2  # swallowed on one, answered on the next
    assert {e.guid for e in later()} == {first.guid}  # the consumer kept its subscription
    await book.aclose()


async def test_manual_reconnect_keeps_every_guid(sim: Any, make_service: Any) -> None:
    service = await make_service(sim, REFRESH)
    quotes = service.quotes([SBER, GAZP])
    await next_item(quotes)
    await until(lambda: len(sim.log.ws_requests("QuotesSubscribe")) == 2)
    first = sim.log.ws_requests("QuotesSubscribe")
    asked_at = time.time()
    await service.reconnect()
    assert len(sim.log.http_requests("/ws")) == 2
    await until(lambda: len(sim.ws.connections) == 1, what="the old socket to close")
    await fresh_item(quotes, asked_at)  # the same iterator carries data again
    await until(lambda: len(sim.log.ws_requests("QuotesSubscribe")) == 4, what="re-subscriptions")
    again = sim.log.ws_requests("QuotesSubscribe")[2:]
    assert sorted(e.guid for e in again) == sorted(e.guid for e in first)
    assert {e.connection for e in again} != {first[0].connection}
    assert sim.log.ws_requests("unsubscribe") == []
    status = service.status
    assert (status.counters.reconnects, status.counters.resubscriptions) == (1, 2)
    assert status.mode is Mode.LIVE and status.link is Link.CONNECTED
    await quotes.aclose()


async def test_accept_then_close_server_is_retried_at_most_about_once_a_second(
        sim: Any, make_service: Any) -> None:
    sim.faults.close_after_accept(True)
    service = await make_service(sim, REFRESH, backoff=(1.0, 30.0))
    await asyncio.sleep(3.5)
    attempts = [e.time for e in sim.log.http_requests("/ws")]
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    print(f"attempts in 3.5 s: {len(attempts)}, gaps: {[round(g, 2) for g in gaps]}")
    assert 2 <= len(attempts) <= 4
    assert min(gaps) >= 0.95
    status = service.status
    assert status.link in (Link.CONNECTING, Link.RECONNECTING)
    assert status.attempt >= 2


async def test_expiring_jwt_is_refreshed_ahead_and_streams_are_untouched(
        make_sim: Any, make_service: Any) -> None:
    sim = await make_sim(jwt_lifetime=3)
    service = await make_service(sim, REFRESH, ping_interval=10.0, silence_timeout=10.0)
    tokens = service.tokens
    quotes = service.quotes([SBER])
    await next_item(quotes)
    first_refreshes = tokens.refreshes
    end = time.monotonic() + 4.0
    while time.monotonic() < end:  # never a moment without a valid JWT
        assert tokens.expires_at - time.time() > 0
        await asyncio.sleep(0.05)
    assert tokens.refreshes - first_refreshes >= 2  # renewed by the keeper, nothing asked
    assert len(sim.log.ws_requests("QuotesSubscribe")) == 1
    assert service.status.counters.reconnects == 0
    await fresh_item(quotes, time.time())  # data still flows on the original subscription
    await quotes.aclose()


async def test_refresh_rejected_at_start_shows_auth_failed_then_delayed(
        sim: Any, make_service: Any) -> None:
    sim.faults.refresh_error(403, times=None)
    service = await make_service(sim, REFRESH, start=False)
    seen: list[Any] = []

    async def watch() -> None:
        async for status in service.watch_status(max_hz=50):
            seen.append(status)

    watcher = asyncio.create_task(watch())
    await asyncio.sleep(0)
    await service.start()
    await until(lambda: seen and seen[-1].mode is Mode.DELAYED)
    modes = [s.mode for s in seen]
    assert modes.index(Mode.AUTH_FAILED) < modes.index(Mode.DELAYED)
    assert Mode.LIVE not in modes
    assert "refresh token" in (seen[-1].reason or "")
    quotes = service.quotes([SBER])
    batch = await next_item(quotes)
    assert batch[SBER].received - batch[SBER].as_of == pytest.approx(900, abs=2)
    watcher.cancel()
    await quotes.aclose()


async def test_refresh_rejected_mid_session_falls_back_and_keeps_consumers(
        make_sim: Any, make_service: Any) -> None:
    sim = await make_sim(jwt_lifetime=2)
    service = await make_service(sim, REFRESH)
    quotes = service.quotes([SBER])
    live = await next_item(quotes)
    assert live[SBER].received - live[SBER].as_of < 5
    sim.faults.refresh_error(403, times=None)
    await until(lambda: service.status.mode is Mode.DELAYED, 4.0, "DELAYED")
    assert "refresh token" in (service.status.reason or "")
    deadline = time.monotonic() + 3
    while True:  # the same iterator now carries delayed quotes
        batch = await next_item(quotes)
        if batch[SBER].received - batch[SBER].as_of > 800 or time.monotonic() > deadline:
            break
    assert batch[SBER].received - batch[SBER].as_of == pytest.approx(900, abs=2)
    await quotes.aclose()


async def test_401_on_subscribe_refreshes_once_and_retries(sim: Any, make_service: Any) -> None:
    service = await make_service(sim, REFRESH)
    before = service.tokens.refreshes
    sim.faults.ws_reject("OrderBookGetAndSubscribe", 401, "Invalid JWT token!", times=1)
    book = service.order_book(SBER, depth=5)
    item = await next_item(book)
    assert isinstance(item, Stamped) and len(item.value.bids) == 5
    sent = sim.log.ws_requests("OrderBookGetAndSubscribe")
    assert len(sent) == 2 and sent[0].guid == sent[1].guid
    assert service.tokens.refreshes == before + 1
    await book.aclose()


async def test_rejected_subscription_reaches_its_consumer_with_alors_message(
        sim: Any, make_service: Any) -> None:
    service = await make_service(sim, REFRESH)
    sim.faults.ws_reject("OrderBookGetAndSubscribe", 401, "Invalid JWT token!", times=2)
    book = service.order_book(SBER)
    issue = await next_item(book)
    assert isinstance(issue, StreamIssue) and issue.kind is IssueKind.REJECTED
    assert "Invalid JWT token!" in issue.message
    assert len(sim.log.ws_requests("OrderBookGetAndSubscribe")) == 2  # one retry only
    await book.aclose()


async def test_shared_stream_is_unsubscribed_when_the_last_consumer_leaves(
        sim: Any, make_service: Any) -> None:
    service = await make_service(sim, REFRESH)
    got: dict[str, int] = {"a": 0, "b": 0}

    async def consume(name: str) -> None:
        async for _ in service.order_book(SBER, depth=10):
            got[name] += 1

    first = asyncio.create_task(consume("a"))
    second = asyncio.create_task(consume("b"))
    await until(lambda: got["a"] and got["b"])
    subscribed = sim.log.ws_requests("OrderBookGetAndSubscribe")
    assert len(subscribed) == 1
    first.cancel()
    await asyncio.sleep(0.3)
    assert sim.log.ws_requests("unsubscribe") == []
    second.cancel()
    await until(lambda: sim.log.ws_requests("unsubscribe"), what="unsubscribe")
    assert [e.guid for e in sim.log.ws_requests("unsubscribe")] == [subscribed[0].guid]
