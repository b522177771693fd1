"""The facade's other duties: reference lookups, OFFLINE, manual reconnect, the tape, candles."""

from __future__ import annotations

import itertools
import time
from typing import Any

from svc_helpers import REFRESH, next_item, until

from alortui.models import InstrumentInfo, InstrumentKey, Trade
from alortui.service.api import IssueKind, Mode, StreamIssue

SBER = InstrumentKey("MOEX", "SBER")


async def test_instrument_card_falls_back_to_http_when_graphql_fails(
        sim: Any, make_service: Any) -> None:
    service = await make_service(sim, REFRESH)
    sim.faults.http_error("/hyperion", 400)
    info = await service.instrument_info(SBER)
    assert isinstance(info, InstrumentInfo) and info.short_name
    assert sim.log.http_requests("/md/v2/Securities/MOEX/SBER")


async def test_anonymous_card_without_graphql_needs_authorization(
        sim: Any, make_service: Any) -> None:
    service = await make_service(sim)
    assert isinstance(await service.instrument_info(SBER), InstrumentInfo)  # GraphQL works
    sim.faults.http_error("/hyperion", 400)
    issue = await service.instrument_info(SBER)
    assert isinstance(issue, StreamIssue) and issue.kind is IssueKind.NEEDS_AUTHORIZATION
    unknown = await service.instrument_info(InstrumentKey("MOEX", "NOSUCH"))
    assert isinstance(unknown, StreamIssue) and unknown.kind is IssueKind.UNKNOWN_INSTRUMENT


async def test_search_finds_and_never_raises(sim: Any, make_service: Any) -> None:
    service = await make_service(sim)
    found = await service.search("SBER", limit=5)
    assert found and found[0].key.symbol == "SBER"
    assert await service.search("  ") == []
    await sim.stop()
    assert await service.search("GAZP") == []


async def test_unreachable_exchange_shows_offline_and_keeps_last_values(
        sim: Any, make_service: Any) -> None:
    service = await make_service(sim, poll_interval=0.1, http_timeout=1.0)
    quotes = service.quotes([SBER])
    await next_item(quotes)
    await sim.stop()
    await until(lambda: service.status.mode is Mode.OFFLINE, 3.0, "OFFLINE")
    assert service.status.reason
    await quotes.aclose()


async def test_manual_reconnect_replaces_the_connection_and_keeps_consumers(
        sim: Any, make_service: Any) -> None:
    service = await make_service(sim, REFRESH)
    quotes = service.quotes([SBER])
    await next_item(quotes)
    await service.reconnect()
    assert len(sim.log.http_requests("/ws")) == 2
    assert service.status.mode is Mode.LIVE
    after = time.time()
    await until(lambda: len(sim.ws.connections) == 1, what="the old socket to close")
    while (await next_item(quotes))[SBER].received <= after:
        pass
    await quotes.aclose()


async def test_tape_replays_backlog_once_even_across_a_reconnect(
        sim: Any, make_service: Any) -> None:
    service = await make_service(sim, REFRESH)
    tape = service.trades(SBER, backlog=20)
    trades: list[Trade] = list(await next_item(tape))
    await sim.faults.drop_all()
    await until(lambda: service.status.counters.resubscriptions == 1, what="resubscription")
    after = time.time() + 0.5
    while not trades or trades[-1].time < after:
        item = await next_item(tape)
        assert not isinstance(item, StreamIssue)
        trades.extend(item)
    ids = [t.id for t in trades]
    assert len(ids) == len(set(ids))  # the replayed backlog was not shown twice
    assert all(a < b for a, b in itertools.pairwise(ids))
    await tape.aclose()


async def test_live_candles_start_with_history_then_update(sim: Any, make_service: Any) -> None:
    service = await make_service(sim, REFRESH)
    since = time.time() - 1800
    candles = service.candles(SBER, tf=60, since=since)
    history = await next_item(candles)
    # >= 5, not 25: the simulated session opens at 07:00 MSK with no earlier minute candles.
    assert len(history) >= 5 and history[0].time >= since
    update = await next_item(candles)
    assert update and update[-1].time >= history[-1].time
    await candles.aclose()
