"""The market data service the screens bind to: one facade over the hub and its sources.

:class:`MarketData` implements :class:`~alortui.service.api.MarketDataService`. Consumers never
see a source: they iterate the hub (:mod:`~alortui.service.consumers`), so a source switch or a
reconnect (:mod:`~alortui.service.modes`) leaves their iterators running (style.md section 2).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence

import aiohttp

from alortui.alor.auth import TokenManager
from alortui.alor.endpoints import Endpoints
from alortui.alor.errors import AlorError
from alortui.alor.redact import REDACTED, Secret
from alortui.models import (
    Candle,
    InstrumentInfo,
    InstrumentKey,
    OrderBook,
    Security,
    Timestamp,
    Trade,
)
from alortui.portfolio_models import Portfolio, PortfolioState
from alortui.service import reference
from alortui.service.api import QuoteBatch, ServiceStatus, Stamped, StreamIssue
from alortui.service.consumers import Streams
from alortui.service.hub import Hub
from alortui.service.modes import Sources
from alortui.service.options import ServiceOptions
from alortui.service.pacing import Pacer
from alortui.service.status import StatusBoard

log = logging.getLogger(__name__)


class MarketData:
    """The data service the screens bind to (implements ``MarketDataService``).

    Args:
        session: aiohttp session (owned by the caller, open for the service's life).
        endpoints: ALOR's or the simulator's URLs.
        refresh_token: ALOR refresh token; ``None`` for anonymous, 15-minute delayed data.
        demo: Call the authorized mode DEMO (the embedded simulator) instead of LIVE.
        options: Timings and limits (defaults follow alor-api.md).
        clock: Local wall clock (receive times, token expiry, exchange-time comparisons).

    Use ``async with MarketData(...) as service:`` or call :meth:`start` and :meth:`close`.
    """

    def __init__(self, session: aiohttp.ClientSession, endpoints: Endpoints, *,
                 refresh_token: str | Secret | None = None, demo: bool = False,
                 options: ServiceOptions | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        opts = options or ServiceOptions()
        self._endpoints = endpoints
        self._refresh_token = (Secret(refresh_token) if isinstance(refresh_token, str)
                               else refresh_token)
        self._board = StatusBoard(clock=clock)
        self._pacer = Pacer(rate=opts.http_rate, burst=opts.http_burst)
        self._board.requests = lambda: self._pacer.requests
        hub = Hub()
        self._sources = Sources(session, endpoints, hub, self._board, self._pacer, opts,
                                demo=demo)
        self._streams = Streams(hub, self._sources.registry, self._server_now,
                                opts.default_candles)

    def __repr__(self) -> str:
        token = REDACTED if self._refresh_token else None
        return (f"MarketData(mode={self._board.mode}, api={self._endpoints.api_url!r}, "
                f"token={token})")

    async def __aenter__(self) -> MarketData:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Pick the source (LIVE/DEMO with a token, else DELAYED) and start it."""
        await self._sources.start(self._refresh_token)

    async def close(self) -> None:
        """Stop every source and task; iterators get no more data."""
        await self._sources.close()

    async def use_token(self, refresh_token: str | Secret) -> None:
        """Move to authorized streaming with a (new) refresh token, without a data gap.

        Live subscriptions are confirmed before polling stops; the hub keeps the last delayed
        values meanwhile. A rejected token ends in DELAYED with the reason.
        """
        token = Secret(refresh_token) if isinstance(refresh_token, str) else refresh_token
        self._refresh_token = token
        await self._sources.use_token(token)

    async def set_anonymous(self, anonymous: bool) -> None:
        """Switch to anonymous, 15-minute delayed polling, or back to live streaming.

        The refresh token is kept while delayed, so going live again needs nothing new.

        Raises:
            NoRefreshToken: ``anonymous=False`` without a configured refresh token.
        """
        await self._sources.set_anonymous(anonymous, self._refresh_token)

    async def reconnect(self) -> None:
        """Drop the current connection and connect again now (anonymous: poll now).

        Every stream keeps its subscription and guid; the call returns once the new socket is
        up (or after ``open_wait``), before its re-subscriptions are confirmed.
        """
        await self._sources.reconnect()

    @property
    def tokens(self) -> TokenManager | None:
        """The token manager while authorized (diagnostics and tests)."""
        return self._sources.tokens

    @property
    def status(self) -> ServiceStatus:
        """The current status."""
        return self._board.snapshot()

    def watch_status(self, *, max_hz: float = 4.0) -> AsyncIterator[ServiceStatus]:
        """The status now, every mode change at once, other changes at ``max_hz``."""
        return self._board.watch(max_hz)

    def quotes(self, keys: Sequence[InstrumentKey], *,
               max_hz: float = 10.0) -> AsyncIterator[QuoteBatch | StreamIssue]:
        """Conflated quote batches for ``keys`` at no more than ``max_hz`` batches/s."""
        return self._streams.quotes(keys, max_hz=max_hz)

    def order_book(self, key: InstrumentKey, *, depth: int = 20,
                   max_hz: float = 20.0) -> AsyncIterator[Stamped[OrderBook] | StreamIssue]:
        """The latest full order book of ``key``."""
        return self._streams.order_book(key, depth=depth, max_hz=max_hz)

    def trades(self, key: InstrumentKey, *, backlog: int = 100,
               max_hz: float = 10.0) -> AsyncIterator[list[Trade] | StreamIssue]:
        """The tape: each batch holds the trades since the previous batch, oldest first."""
        return self._streams.trades(key, backlog=backlog, max_hz=max_hz)

    def candles(self, key: InstrumentKey, *, tf: int = 60, since: Timestamp | None = None,
                max_hz: float = 4.0) -> AsyncIterator[list[Candle] | StreamIssue]:
        """Candles: first the history since ``since``, then new or updated candles."""
        return self._streams.candles(key, tf=tf, since=since, max_hz=max_hz)

    async def instrument_info(self, key: InstrumentKey) -> InstrumentInfo | StreamIssue:
        """Reference data of one instrument (GraphQL first, HTTP as fallback)."""
        return await reference.instrument_info(self._sources.rest, self._pacer, key)

    async def search(self, text: str, *, limit: int = 20) -> list[Security]:
        """Instruments matching ``text``, most traded first (empty if ALOR cannot answer)."""
        return await reference.search(self._sources.rest, self._pacer, text, limit)

    async def portfolios(self) -> tuple[Portfolio, ...]:
        """The portfolios of the JWT's ``portfolios`` claim; none anonymously (alor-api.md 1.3)."""
        tokens = self._sources.tokens
        if tokens is None:
            return ()
        try:
            await tokens.access_token()
        except AlorError as exc:
            log.warning("portfolios unknown: %s", exc)
            return ()
        return tuple(Portfolio(p) for p in tokens.portfolios)

    def portfolio(self, portfolio: str, *, exchange: str = "MOEX",
                  max_hz: float = 4.0) -> AsyncIterator[PortfolioState | StreamIssue]:
        """The merged state of ``portfolio`` after each conflated batch of its changes."""
        return self._streams.portfolio(portfolio, exchange=exchange, max_hz=max_hz)

    def _server_now(self) -> float:
        return self._board.clock() + (self._board.clock_offset or 0.0)
