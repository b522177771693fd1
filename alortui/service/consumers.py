"""The consumer side: async iterators over the hub that hold their subscriptions while alive.

Each iterator attaches to the hub first (so nothing that arrives is missed), then acquires its
stream requests in the registry (the first consumer of a request opens it on the current
source). Its ``finally`` detaches and releases without awaiting, so a screen whose worker is
cancelled frees its subscriptions at once; the last one out sends ``unsubscribe``
(style.md section 2).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from alortui.models import Candle, InstrumentKey, OrderBook, Timestamp, Trade
from alortui.portfolio_models import PortfolioState
from alortui.service.api import QuoteBatch, Stamped, StreamIssue
from alortui.service.hub import Batch, Hub
from alortui.service.portfolio import IdSlot, PortfolioMerge, portfolio_requests
from alortui.service.registry import Registry
from alortui.service.requests import AnyRequest, StreamKind, StreamRequest
from alortui.service.slots import KeyedSlot, LatestSlot, RingSlot, Slot

TAPE_RETAIN = 5000
"""Trades the hub keeps per tape (ALOR's own backlog maximum, alor-api.md 3.3)."""
TAPE_BATCH = 1000
"""Most trades one tape batch carries; older ones of a burst are dropped first."""
CANDLES_RETAIN = 5000
"""Candles kept per series."""


def _latest() -> Slot[Any]:
    return LatestSlot()


def _candles() -> Slot[Any]:
    return KeyedSlot(_candle_time, CANDLES_RETAIN)


def _candle_time(candle: Candle) -> float:
    return candle.time


class Streams:
    """Opens consumer iterators on a hub and a registry.

    Args:
        hub: The latest-value store.
        registry: Counts consumers per request and opens/closes them on the current source.
        server_now: The exchange clock now (for the default candle window).
        default_candles: Candles of history when a consumer gives no ``since``.
    """

    def __init__(self, hub: Hub, registry: Registry, server_now: Callable[[], float],
                 default_candles: int = 300) -> None:
        self._hub, self._registry = hub, registry
        self._server_now = server_now
        self._default_candles = default_candles

    async def quotes(self, keys: Sequence[InstrumentKey], *,
                     max_hz: float = 10.0) -> AsyncIterator[QuoteBatch | StreamIssue]:
        """Conflated quote batches of the ``keys`` that changed."""
        requests = [StreamRequest(StreamKind.QUOTES, k) for k in dict.fromkeys(keys)]
        async for item in self._consume(requests, _latest, max_hz):
            if isinstance(item, StreamIssue):
                yield item
            else:
                yield {req.key: item[req][-1] for req in requests if req in item}

    async def order_book(self, key: InstrumentKey, *, depth: int = 20,
                         max_hz: float = 20.0) -> AsyncIterator[Stamped[OrderBook] | StreamIssue]:
        """The latest full book of ``key`` (``depth`` clamped to ALOR's 1-50, 3.3)."""
        request = StreamRequest(StreamKind.BOOK, key, depth=min(max(depth, 1), 50))
        async for item in self._consume([request], _latest, max_hz):
            yield item if isinstance(item, StreamIssue) else item[request][-1]

    async def trades(self, key: InstrumentKey, *, backlog: int = 100,
                     max_hz: float = 10.0) -> AsyncIterator[list[Trade] | StreamIssue]:
        """The tape: the last ``backlog`` trades first, then each batch's new trades."""
        backlog = min(max(backlog, 0), TAPE_RETAIN)
        request = StreamRequest(StreamKind.TRADES, key, backlog=backlog)
        limit = max(backlog, TAPE_BATCH)
        async for item in self._consume([request], lambda: RingSlot(limit), max_hz,
                                        retain=lambda: RingSlot(TAPE_RETAIN), replay=backlog):
            yield item if isinstance(item, StreamIssue) else item[request]

    async def candles(self, key: InstrumentKey, *, tf: int = 60,
                      since: Timestamp | None = None,
                      max_hz: float = 4.0) -> AsyncIterator[list[Candle] | StreamIssue]:
        """History since ``since`` (default: the last few hundred candles), then updates."""
        if since is None:
            since = self._server_now() - self._default_candles * tf
        request = StreamRequest(StreamKind.BARS, key, tf=tf, since=since)
        async for item in self._consume([request], _candles, max_hz):
            if isinstance(item, StreamIssue):
                yield item
            else:
                candles = [c for c in item[request] if c.time >= since]
                if candles:
                    yield candles

    async def portfolio(self, portfolio: str, *, exchange: str = "MOEX",
                        max_hz: float = 4.0) -> AsyncIterator[PortfolioState | StreamIssue]:
        """The whole state of ``portfolio``, again after each conflated batch of changes.

        An issue is yielded once even though each of the portfolio's streams reports it.
        """
        requests = portfolio_requests(portfolio, exchange)
        merge = PortfolioMerge(portfolio, exchange)
        last_issue: StreamIssue | None = None
        async for item in self._consume(requests, IdSlot, max_hz):
            if isinstance(item, StreamIssue):
                if item != last_issue:
                    last_issue = item
                    yield item
                continue
            last_issue = None
            yield merge.apply([value for req in requests for value in item.get(req, ())])

    async def _consume(self, requests: Sequence[AnyRequest], factory: Callable[[], Slot[Any]],
                       max_hz: float, *, retain: Callable[[], Slot[Any]] | None = None,
                       replay: int | None = None) -> AsyncIterator[StreamIssue | Batch]:
        consumer = self._hub.attach(requests, factory, retain, replay)
        try:
            await self._registry.acquire(requests)
            async with contextlib.aclosing(consumer.batches(max_hz)) as batches:
                async for item in batches:
                    yield item
        finally:
            self._hub.detach(consumer)
            self._registry.release(requests)
