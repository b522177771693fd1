"""DELAYED mode against the simulated exchange: batched polling, 15-minute tags, pacing, switch."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from svc_helpers import REFRESH, next_item, until

from alortui.models import InstrumentKey
from alortui.service.api import ANONYMOUS_DELAY, IssueKind, Link, Mode, StreamIssue

WATCHLIST = [InstrumentKey.parse(k) for k in
             ("MOEX:SBER", "MOEX:GAZP", "MOEX:LKOH", "MOEX:YDEX", "MOEX:SU26238RMFS4")]
SBER = WATCHLIST[0]


def quote_requests(sim: Any) -> list[Any]:
    return [e for e in sim.log.http_requests("/md/v2/Securities/")
            if e.path.endswith("/quotes")]


def pairs(entry: Any) -> set[str]:
    return set(entry.path.split("/")[4].split(","))


async def test_one_quotes_request_per_cycle_carries_the_whole_watchlist(
        sim: Any, make_service: Any) -> None:
    service = await make_service(sim)
    quotes = service.quotes(WATCHLIST)
    batch = await next_item(quotes)
    assert set(batch) == set(WATCHLIST)
    for stamped in batch.values():  # tagged with the market moment: 15 minutes ago
        assert stamped.received - stamped.as_of == pytest.approx(ANONYMOUS_DELAY, abs=2)
    await asyncio.sleep(1.0)
    sent = quote_requests(sim)
    assert len(sent) >= 3
    assert all(pairs(e) == {k.pair for k in WATCHLIST} for e in sent)
    gaps = [b.time - a.time for a, b in itertools.pairwise(sent)]
    assert min(gaps) >= 0.29  # one request per 0.3 s cycle, never one per instrument
    status = service.status
    assert (status.mode, status.link, status.delayed_by) == (Mode.DELAYED, Link.POLLING,
                                                            ANONYMOUS_DELAY)
    assert abs(status.clock_offset) < 2  # /md/v2/time's 15-minute lag is accounted for
    await quotes.aclose()


async def test_order_book_and_tape_need_authorization(sim: Any, make_service: Any) -> None:
    service = await make_service(sim)
    for stream in (service.order_book(SBER), service.trades(SBER)):
        issue = await next_item(stream)
        assert isinstance(issue, StreamIssue)
        assert issue.kind is IssueKind.NEEDS_AUTHORIZATION
        await stream.aclose()
    assert sim.log.http_requests("/md/v2/orderbooks") == []


async def test_candles_come_from_history_and_are_delayed(sim: Any, make_service: Any) -> None:
    service = await make_service(sim)
    since = time.time() - 3600
    candles = service.candles(SBER, tf=60, since=since)
    first = await next_item(candles)
    # >= 5, not 30: the simulated session opens at 07:00 MSK with no earlier minute candles, so
    # in the first hour after the open the delayed hour holds only the minutes since then.
    assert len(first) >= 5 and all(c.time >= since for c in first)
    assert first[-1].time <= time.time() - ANONYMOUS_DELAY + 60
    await candles.aclose()


@pytest.mark.parametrize("form", ["seconds", "http-date"])
async def test_429_retry_after_pauses_all_polling(sim: Any, make_service: Any,
                                                  form: str) -> None:
    service = await make_service(sim, poll_interval=0.2)
    quotes = service.quotes([SBER])
    candles = service.candles(SBER, tf=60)
    await next_item(quotes)
    await next_item(candles)
    to_wall = time.time() - time.monotonic()  # the sim's log is stamped on the monotonic clock
    retry_after: float | datetime = 2.0
    if form == "http-date":
        retry_after = (datetime.now(UTC) + timedelta(seconds=3)).replace(microsecond=0)
    sim.faults.http_error("/md/v2/Securities", 429, retry_after=retry_after)
    await until(lambda: any(e.status == 429 for e in sim.log.http), what="the 429")
    limited = next(e for e in sim.log.http if e.status == 429)
    resume_at = (retry_after.timestamp() if isinstance(retry_after, datetime)
                 else limited.time + to_wall + retry_after)
    await until(lambda: service.status.link is Link.PAUSED, 1.0, "PAUSED")
    assert service.status.next_retry_at == pytest.approx(resume_at, abs=0.2)
    await until(lambda: [e for e in quote_requests(sim) if e.time > limited.time], 4.0,
                "polling to resume")
    after = [e for e in sim.log.http if e.time > limited.time]
    assert after[0].time + to_wall >= resume_at - 0.05  # nothing at all was sent in the pause
    await quotes.aclose()
    await candles.aclose()


async def test_5xx_backs_off_before_polling_again(sim: Any, make_service: Any) -> None:
    service = await make_service(sim, poll_interval=0.1)
    quotes = service.quotes([SBER])
    await next_item(quotes)
    sim.faults.http_error("/md/v2/Securities", 503, times=2)
    await until(lambda: len([e for e in sim.log.http if e.status == 503]) == 2, 3.0)
    failed = [e for e in sim.log.http if e.status == 503]
    assert failed[1].time - failed[0].time >= 0.95  # 1 s, then 2 s, ... not every 0.1 s
    await quotes.aclose()


async def test_token_appearing_switches_to_live_without_gap_or_duplicates(
        sim: Any, make_service: Any) -> None:
    service = await make_service(sim)
    quotes = service.quotes(WATCHLIST[:2])
    arrivals: list[tuple[float, Any]] = []

    async def consume() -> None:
        async for item in quotes:
            arrivals.append((time.monotonic(), item))

    reader = asyncio.create_task(consume())
    await until(lambda: arrivals)
    await service.use_token(REFRESH)
    switched = time.monotonic()
    assert service.status.mode is Mode.LIVE
    polls = len(quote_requests(sim))
    await asyncio.sleep(0.8)
    assert len(quote_requests(sim)) == polls  # polling stopped
    assert len(sim.log.ws_requests("QuotesSubscribe")) == 2  # one live feed per instrument
    live = [item for t, item in arrivals if t > switched]
    assert live and all(s.received - s.as_of < 5 for s in live[-1].values())
    times = [t for t, _ in arrivals]
    assert max(b - a for a, b in itertools.pairwise(times)) < 1.0  # no gap
    assert not any(isinstance(item, StreamIssue) for _, item in arrivals)
    reader.cancel()
