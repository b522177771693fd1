"""A deterministic, scripted ``MarketDataService`` for UI tests: the simulated market, no network.

Nothing moves on its own: the clock is a ``ManualClock`` and a test calls :meth:`FakeService.step`
to advance the market and push one batch to every open stream. Status, stream issues and
hostile server text (names with markup or escape sequences) are set by the test.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from alortui.models import (
    Candle,
    InstrumentInfo,
    InstrumentKey,
    OrderBook,
    Quote,
    Security,
    Timestamp,
    Trade,
)
from alortui.portfolio_models import Portfolio, PortfolioState
from alortui.service.api import (
    ANONYMOUS_DELAY,
    IssueKind,
    Link,
    Mode,
    QuoteBatch,
    ServiceStatus,
    Stamped,
    StreamIssue,
)
from alortui.sim.clock import ManualClock
from alortui.sim.market import Market

START = datetime(2026, 11, 25, 10, 30, tzinfo=UTC).timestamp()
"""13:30 MSK on a trading day: the market is open."""

LINKS = {
    Mode.LIVE: Link.CONNECTED,
    Mode.DEMO: Link.CONNECTED,
    Mode.DELAYED: Link.POLLING,
    Mode.OFFLINE: Link.RECONNECTING,
    Mode.AUTH_FAILED: Link.CLOSED,
}


def status_for(mode: Mode, **changes: object) -> ServiceStatus:
    """A plausible status of ``mode`` (delayed by 15 minutes when DELAYED)."""
    delayed_by = ANONYMOUS_DELAY if mode is Mode.DELAYED else 0.0
    base = ServiceStatus(mode, LINKS[mode], delayed_by=delayed_by, clock_offset=0.0)
    return replace(base, **changes)  # type: ignore[arg-type]


@dataclass
class _Stream:
    keys: frozenset[InstrumentKey]
    queue: asyncio.Queue[QuoteBatch]


class FakeService:
    """The simulated market behind the ``MarketDataService`` protocol, driven step by step.

    Args:
        mode: The mode the status reports.
        seed: Seed of the simulated market.
        start: The frozen clock's first reading.
    """

    def __init__(self, mode: Mode = Mode.DEMO, *, seed: int = 7, start: float = START) -> None:
        self.clock = ManualClock(start)
        self.market = Market(seed, self.clock)
        self._status = status_for(mode)
        self._watchers: list[asyncio.Queue[ServiceStatus]] = []
        self._streams: list[_Stream] = []
        self.names: dict[InstrumentKey, str] = {}
        """Short names to report instead of the market's (hostile text for tests)."""
        self.issue: StreamIssue | None = None
        """Yielded by ``quotes`` before any data when set."""
        self.withhold = False
        """``quotes`` yields no data at all (only ``issue``, if set)."""
        self.reconnects = 0
        self.searches: list[str] = []
        self.quote_requests: list[tuple[InstrumentKey, ...]] = []
        self.trading_status: dict[InstrumentKey, int] = {}
        """``tradingStatus`` to report instead of the market's (a halted instrument: 18)."""
        self.info_requests: list[InstrumentKey] = []
        self.candle_requests: list[tuple[InstrumentKey, int]] = []
        self.portfolio_ids: tuple[Portfolio, ...] = ()
        """What ``portfolios`` reports (a test sets it, e.g. from ``fake_portfolio``)."""
        self.portfolio_states: dict[str, PortfolioState] = {}
        """The state ``portfolio`` yields first, per portfolio id."""
        self.portfolio_requests: list[str] = []
        self._portfolio_streams: dict[str, list[asyncio.Queue[PortfolioState]]] = {}

    # -- status ------------------------------------------------------------------------------------

    @property
    def status(self) -> ServiceStatus:
        return self._status

    def set_status(self, status: ServiceStatus) -> None:
        """Report a new status to every watcher."""
        self._status = status
        for queue in self._watchers:
            queue.put_nowait(status)

    async def watch_status(self) -> AsyncIterator[ServiceStatus]:
        queue: asyncio.Queue[ServiceStatus] = asyncio.Queue()
        self._watchers.append(queue)
        try:
            yield self._status
            while True:
                yield await queue.get()
        finally:
            self._watchers.remove(queue)

    # -- quotes ------------------------------------------------------------------------------------

    def quote(self, key: InstrumentKey) -> Quote:
        """The market's quote of ``key`` as this service reports it (delayed, renamed)."""
        delay = self._status.delayed_by
        quote = self.market.quote(key, at=self.clock.now() - delay if delay else None)
        if key in self.names:
            quote = replace(quote, description=self.names[key])
        return quote

    def batch(self, keys: Sequence[InstrumentKey] | frozenset[InstrumentKey]) -> QuoteBatch:
        """Stamped quotes of ``keys`` as of now."""
        now = self.clock.now()
        as_of = now - self._status.delayed_by
        return {key: Stamped(self.quote(key), received=now, as_of=as_of) for key in keys}

    async def quotes(
        self, keys: Sequence[InstrumentKey], *, max_hz: float = 10.0
    ) -> AsyncIterator[QuoteBatch | StreamIssue]:
        self.quote_requests.append(tuple(keys))
        stream = _Stream(frozenset(keys), asyncio.Queue())
        self._streams.append(stream)
        try:
            if self.issue is not None:
                yield self.issue
            if not self.withhold:
                yield self.batch(keys)
            while True:
                yield await stream.queue.get()
        finally:
            self._streams.remove(stream)

    def step(self, seconds: float = 1.0) -> None:
        """Advance the clock and the market; push the streamed keys that changed (like the hub)."""
        self.clock.advance(seconds)
        changed = self.market.advance().changed
        pairs = {(key.exchange, key.symbol) for key in changed}
        for stream in self._streams:
            # A position's key has no board (ALOR's positions carry none): match it too.
            if keys := {key for key in stream.keys if (key.exchange, key.symbol) in pairs}:
                stream.queue.put_nowait(self.batch(keys))

    # -- the rest of the protocol ------------------------------------------------------------------

    async def order_book(
        self, key: InstrumentKey, *, depth: int = 20, max_hz: float = 20.0
    ) -> AsyncIterator[Stamped[OrderBook] | StreamIssue]:
        now = self.clock.now()
        yield Stamped(self.market.order_book(key, depth), received=now, as_of=now)
        await asyncio.Event().wait()

    async def trades(
        self, key: InstrumentKey, *, backlog: int = 100, max_hz: float = 10.0
    ) -> AsyncIterator[list[Trade] | StreamIssue]:
        yield self.market.trades(key, last=backlog)
        await asyncio.Event().wait()

    async def candles(
        self, key: InstrumentKey, *, tf: int = 60, since: Timestamp | None = None
    ) -> AsyncIterator[list[Candle] | StreamIssue]:
        self.candle_requests.append((key, tf))
        now = self.clock.now()
        yield self.market.candles(key, tf, since if since is not None else now - 6 * 3600, now)
        await asyncio.Event().wait()

    async def instrument_info(self, key: InstrumentKey) -> InstrumentInfo | StreamIssue:
        self.info_requests.append(key)
        info = self.market.instrument_info(key)
        if key in self.trading_status:
            info = replace(info, trading_status=self.trading_status[key])
        return info

    async def search(self, text: str, *, limit: int = 20) -> list[Security]:
        self.searches.append(text)
        found = self.market.search(text, limit=limit)
        return [replace(s, short_name=self.names.get(s.key, s.short_name)) for s in found]

    # -- portfolio -------------------------------------------------------------------------------

    async def portfolios(self) -> tuple[Portfolio, ...]:
        return () if self._status.mode is Mode.DELAYED else self.portfolio_ids

    async def portfolio(
        self, portfolio: str, *, exchange: str = "MOEX", max_hz: float = 4.0
    ) -> AsyncIterator[PortfolioState | StreamIssue]:
        self.portfolio_requests.append(portfolio)
        if self._status.mode is Mode.DELAYED:
            yield StreamIssue(IssueKind.NEEDS_AUTHORIZATION,
                              "Portfolio data needs authorization: configure a refresh token.")
        elif portfolio not in self.portfolio_states:
            yield StreamIssue(IssueKind.REJECTED,
                              f"Portfolio {portfolio} is not available with this token.")
        else:
            yield self.portfolio_states[portfolio]
        queue: asyncio.Queue[PortfolioState] = asyncio.Queue()
        self._portfolio_streams.setdefault(portfolio, []).append(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._portfolio_streams[portfolio].remove(queue)

    def portfolio_listeners(self, portfolio: str) -> int:
        """How many streams of ``portfolio`` are open now."""
        return len(self._portfolio_streams.get(portfolio, []))

    def push_portfolio(self, state: PortfolioState) -> None:
        """Make ``state`` the portfolio's current state and send it to its open streams."""
        self.portfolio_states[state.portfolio.id] = state
        for queue in self._portfolio_streams.get(state.portfolio.id, []):
            queue.put_nowait(state)

    async def set_anonymous(self, anonymous: bool) -> None:
        self.set_status(status_for(Mode.DELAYED if anonymous else Mode.DEMO))

    async def reconnect(self) -> None:
        self.reconnects += 1
