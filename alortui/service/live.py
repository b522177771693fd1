"""The authorized source: WebSocket subscriptions over :class:`~alortui.alor.stream.AlorStream`.

The stream owns the socket, the guid registry, reconnects, re-subscriptions with fresh tokens
and the single 401 refresh-and-retry (alor-api.md 3.4, 3.8); this module only maps stream
requests to opcodes and turns each decoded value into one :meth:`Hub.put` on the reader task.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable
from typing import Any

from alortui.alor.errors import (
    AlorError,
    AuthRejected,
    StreamClosed,
    SubscriptionQuarantined,
    SubscriptionRejected,
)
from alortui.alor.portfolio import portfolio_params
from alortui.alor.stream import AlorStream
from alortui.alor.stream_status import StreamState
from alortui.models import Candle, OrderBook, Quote, Trade
from alortui.service.api import Counters, IssueKind, Link, Stamped, StreamIssue
from alortui.service.hub import Hub
from alortui.service.portfolio import forbidden_issue
from alortui.service.requests import AnyRequest, PortfolioRequest, StreamKind
from alortui.service.status import LinkState, StatusBoard

log = logging.getLogger(__name__)

OPCODES = {
    StreamKind.QUOTES: "QuotesSubscribe",
    StreamKind.BOOK: "OrderBookGetAndSubscribe",
    StreamKind.TRADES: "AllTradesGetAndSubscribe",
    StreamKind.BARS: "BarsGetAndSubscribe",
}

FREQUENCY_MS = {StreamKind.QUOTES: 100, StreamKind.BOOK: 50, StreamKind.BARS: 250}
"""Server-side conflation per stream (``frequency``, alor-api.md 3.6): at least as fast as the
fastest consumer's default rate, above each format's minimum (Simple 25 ms, Slim 10 ms)."""

_LINKS = {StreamState.CONNECTING: Link.CONNECTING, StreamState.CONNECTED: Link.CONNECTED,
          StreamState.RECONNECTING: Link.RECONNECTING, StreamState.CLOSED: Link.CLOSED}


def ws_request(request: AnyRequest) -> tuple[str, dict[str, Any]]:
    """The opcode and fields of the subscription serving ``request`` (alor-api.md 3.2, 3.3)."""
    if isinstance(request, PortfolioRequest):
        # The initial state comes too (skipHistory false): the view starts from it (3.5).
        return request.stream.value, portfolio_params(request.portfolio, request.exchange)
    key = request.key
    params: dict[str, Any] = {"code": key.symbol, "exchange": key.exchange}
    if key.board:
        params["instrumentGroup"] = key.board
    if request.kind in FREQUENCY_MS:
        params["frequency"] = FREQUENCY_MS[request.kind]
    if request.kind is StreamKind.BOOK:
        params["depth"] = request.depth
    elif request.kind is StreamKind.TRADES:
        params["depth"] = min(max(request.backlog, 0), 5000)
    elif request.kind is StreamKind.BARS:
        params.update(tf=request.tf, skipHistory=False, **{"from": int(request.since or 0)})
    return OPCODES[request.kind], params


def rejection_issue(exc: SubscriptionRejected, request: AnyRequest | None = None) -> StreamIssue:
    """What a consumer sees for an error envelope: ALOR's own message (alor-api.md 3.4)."""
    if isinstance(request, PortfolioRequest) and exc.http_code == 403:
        return forbidden_issue(request, f"ALOR answered {exc.http_code}: {exc.message}")
    kind = IssueKind.UNKNOWN_INSTRUMENT if exc.http_code == 404 else IssueKind.REJECTED
    return StreamIssue(kind, str(exc))


class _RecentIds:
    """Trade ids seen lately, bounded: a re-subscription replays its backlog (3.5, 3.8)."""

    __slots__ = ("_ids", "_order")

    def __init__(self, size: int = 10_000) -> None:
        self._ids: set[int] = set()
        self._order: deque[int] = deque(maxlen=size)

    def add(self, trade_id: int) -> bool:
        """Remember ``trade_id``; ``False`` if it was already seen."""
        if trade_id in self._ids:
            return False
        if len(self._order) == self._order.maxlen:
            self._ids.discard(self._order[0])
        self._order.append(trade_id)
        self._ids.add(trade_id)
        return True


class LiveSource:
    """Feeds the hub from WebSocket subscriptions, one per active stream request.

    Args:
        stream: A not yet started stream (this source starts and closes it).
        hub: Where values go.
        board: Status facts (arrivals, latency) go here.
        on_auth_failed: Called when the refresh token is rejected while subscribing.
        open_wait: How long :meth:`open` waits for ALOR's confirmation before returning (the
            subscription goes on trying in the background, across reconnects).
        retry: Pause before subscribing again after a transient failure (no token yet).
    """

    def __init__(self, stream: AlorStream, hub: Hub, board: StatusBoard, *,
                 on_auth_failed: Callable[[AuthRejected], None],
                 open_wait: float = 5.0, retry: float = 2.0) -> None:
        self.stream = stream
        self._hub = hub
        self._board = board
        self._on_auth_failed = on_auth_failed
        self._open_wait = open_wait
        self._retry = retry
        self._subs: dict[AnyRequest, asyncio.Task[str | None]] = {}

    async def start(self) -> None:
        """Start connecting (returns at once)."""
        await self.stream.start()

    async def stop(self) -> None:
        """Close the socket: every subscription ends with it."""
        subs, self._subs = self._subs, {}
        for task in subs.values():
            task.cancel()
        await asyncio.gather(*subs.values(), return_exceptions=True)
        await self.stream.close()

    async def reconnect(self, wait: float) -> None:
        """A new socket now, every subscription re-sent with its same guid (3.8); waits up to
        ``wait`` seconds for the connection, not for the confirmations."""
        try:
            await self.stream.reconnect()
        except StreamClosed:
            return  # stopped meanwhile: nothing to reconnect
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(wait):
                await self.stream.wait_connected()

    def link_state(self) -> LinkState:
        """The stream's connection state and counters, for the status line."""
        s = self.stream.status
        c = s.counters
        return LinkState(_LINKS[s.state], s.attempt, s.next_retry_at,
                         Counters(c.messages, c.reconnects, c.resubscriptions, c.malformed),
                         unreachable=s.last_error if s.connect_failed else None)

    async def open(self, request: AnyRequest) -> None:
        """Subscribe for ``request`` and wait (bounded) for the confirmation."""
        task = self._subs.get(request)
        if task is None:
            task = self._subs[request] = asyncio.get_running_loop().create_task(
                self._subscribe(request))
        await asyncio.wait([task], timeout=self._open_wait)

    async def close(self, request: AnyRequest) -> None:
        """End the subscription of ``request``: ``unsubscribe`` with its guid (3.3)."""
        task = self._subs.pop(request, None)
        if task is None:
            return
        if not task.done():
            task.cancel()  # the stream then unsubscribes whatever it had sent
            await asyncio.gather(task, return_exceptions=True)
            return
        guid = None if task.cancelled() or task.exception() else task.result()
        if guid is not None:
            await self.stream.unsubscribe(guid)

    async def _subscribe(self, request: AnyRequest) -> str | None:
        opcode, params = ws_request(request)
        sink = self._sink(request)
        while True:
            try:
                return await self.stream.subscribe(
                    opcode, params, sink, on_error=lambda exc: self._rejected(request, exc))
            except SubscriptionRejected as exc:
                self._hub.put_issue(request, rejection_issue(exc, request))
                return None
            except AuthRejected as exc:
                self._on_auth_failed(exc)
                return None
            except SubscriptionQuarantined as exc:  # final: never subscribed again in a loop
                self._hub.put_issue(request, StreamIssue(IssueKind.UNAVAILABLE, str(exc)))
                return None
            except StreamClosed:
                return None
            except AlorError as exc:  # no token or no confirmation yet: keep trying
                if self.stream.status.state is StreamState.CONNECTED:
                    # While reconnecting the status line already says why there is no data.
                    self._hub.put_issue(request, StreamIssue(IssueKind.UNAVAILABLE, str(exc)))
                await asyncio.sleep(self._retry)

    def _rejected(self, request: AnyRequest, exc: Exception) -> None:
        """A re-subscription after a reconnect was refused; the stream dropped it."""
        self._subs.pop(request, None)
        if isinstance(exc, AuthRejected):
            self._on_auth_failed(exc)
        elif isinstance(exc, SubscriptionRejected):
            self._hub.put_issue(request, rejection_issue(exc, request))
        else:
            self._hub.put_issue(request, StreamIssue(IssueKind.UNAVAILABLE, str(exc)))

    def _sink(self, request: AnyRequest) -> Callable[[Any], None]:
        """The reader-side callback of ``request``: stamp, store, count. Never awaits."""
        if isinstance(request, PortfolioRequest):
            # Portfolio messages are merged by symbol or id in the hub (service/portfolio.py).
            return lambda value: self._hub.put(request, value)
        hub, board, key = self._hub, self._board, request.key
        clock = board.clock
        newest = [float("-inf")]  # exchange time of the newest book stored

        def snapshot(value: Quote | OrderBook) -> None:
            if isinstance(value, OrderBook) and value.time is not None:
                # Every book is a full snapshot (3.5): one older than the book already shown
                # is out of order, and the newer book stays (fault matrix item 9).
                if value.time < newest[0]:
                    log.debug("dropped an out-of-order book of %s", key)
                    return
                newest[0] = value.time
            now = clock()
            hub.put(request, Stamped(value, now, now + (board.clock_offset or 0.0)))
            stamp = value.book_time if isinstance(value, Quote) else value.time
            board.received(key, now, stamp)

        seen = _RecentIds()

        def trade(value: Trade) -> None:
            if not seen.add(value.id):
                return  # the backlog replayed by a re-subscription after a reconnect
            hub.put(request, value)
            board.received(key, clock(), None if value.existing else value.time)

        def candle(value: Candle) -> None:
            hub.put(request, value)
            board.received(key, clock(), None)

        if request.kind is StreamKind.TRADES:
            return trade
        if request.kind is StreamKind.BARS:
            return candle
        return snapshot

