"""The anonymous source: HTTP polling of 15-minute-old data (alor-api.md 2.0, 5).

Without a token the WebSocket is closed to us, so each cycle asks for the quotes of every
watched instrument in ONE request (the batched path of 2.4) and refreshes candles from
``/md/v2/history`` (2.7). Every value is tagged with the market moment it describes: server
time, which for an anonymous caller is 15 minutes behind (2.1). What ALOR refuses anonymously
(order book, trade tape) is reported as "needs authorization" instead of an empty view.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from alortui.alor.errors import AlorError, NetworkError, NotAuthorized, NotFound
from alortui.alor.rest import AlorRest
from alortui.models import InstrumentKey, Quote
from alortui.service.api import ANONYMOUS_DELAY, IssueKind, Link, Stamped, StreamIssue
from alortui.service.hub import Hub
from alortui.service.pacing import Pacer
from alortui.service.portfolio import needs_token_issue
from alortui.service.requests import AnyRequest, PortfolioRequest, StreamKind, StreamRequest
from alortui.service.status import LinkState, StatusBoard

log = logging.getLogger(__name__)

NEEDS_AUTH = {
    StreamKind.BOOK: "The order book needs authorization: ALOR does not serve it anonymously. "
                     "Configure a refresh token to see it live.",
    StreamKind.TRADES: "The trade tape needs authorization: ALOR does not serve it "
                       "anonymously. Configure a refresh token to see it live.",
}


class DelayedSource:
    """Feeds the hub by polling ALOR's HTTP API without a token.

    Args:
        rest: An anonymous HTTP client.
        pacer: Gates every request (shared with the rest of the service).
        hub: Where values go.
        board: Status facts go here; its ``clock_offset`` (the real server clock, measured by
            the service) dates every value.
        interval: Seconds between polling cycles.
        settle: After a new instrument is watched, wait this long for its siblings before the
            next cycle, so one request carries a whole new watchlist.
        on_health: Told ``None`` after a good cycle, or why a cycle failed to reach ALOR.
    """

    def __init__(self, rest: AlorRest, pacer: Pacer, hub: Hub, board: StatusBoard, *,
                 interval: float = 5.0, settle: float = 0.05,
                 on_health: Callable[[str | None], None] | None = None) -> None:
        self._rest, self._pacer, self._hub, self._board = rest, pacer, hub, board
        self._interval, self._settle = interval, settle
        self._on_health = on_health
        self._quotes: dict[StreamRequest, None] = {}
        self._bars: dict[StreamRequest, float] = {}
        """Bars requests and the start of their newest candle (next poll starts there)."""
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopped = False
        self.cycles = 0

    async def start(self) -> None:
        """Start polling in the background."""
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop polling; an answer still in flight is discarded, not stored."""
        self._stopped = True
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def link_state(self) -> LinkState:
        """Polling, or paused by a 429 until a given time."""
        left = self._pacer.pause_left()
        if left > 0:
            return LinkState(Link.PAUSED, next_retry_at=self._board.clock() + left)
        return LinkState(Link.POLLING if self.cycles else Link.CONNECTING)

    async def open(self, request: AnyRequest) -> None:
        """Start polling for ``request`` (or report that ALOR refuses it anonymously)."""
        if isinstance(request, PortfolioRequest):
            self._hub.put_issue(request, needs_token_issue())
        elif request.kind in NEEDS_AUTH:
            issue = StreamIssue(IssueKind.NEEDS_AUTHORIZATION, NEEDS_AUTH[request.kind])
            self._hub.put_issue(request, issue)
        elif request.kind is StreamKind.QUOTES:
            self._quotes[request] = None
            self._wake.set()
        elif request.kind is StreamKind.BARS:
            since = request.since if request.since is not None else self._server_now()
            self._bars[request] = since
            with contextlib.suppress(AlorError):
                await self._poll_bars(request)

    def poll_now(self) -> None:
        """Start the next cycle at once."""
        self._wake.set()

    async def close(self, request: AnyRequest) -> None:
        """Stop polling for ``request``."""
        if isinstance(request, PortfolioRequest):
            return
        self._quotes.pop(request, None)
        self._bars.pop(request, None)

    def _server_now(self) -> float:
        return self._board.clock() + (self._board.clock_offset or 0.0)

    async def _run(self) -> None:
        while True:
            self._wake.clear()  # before the cycle: an instrument added during it wakes the next
            try:
                await self._poll()
                self._health(None)
            except NetworkError as exc:
                self._health(str(exc))
            except AlorError as exc:  # 429/5xx already paused the pacer; the next cycle waits
                log.warning("delayed polling: %s", exc)
            self.cycles += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._interval)
                await asyncio.sleep(self._settle)  # woken by a new instrument: gather siblings

    async def _poll(self) -> None:
        requests = list(self._quotes)
        if requests:
            keys = list(dict.fromkeys(r.key for r in requests))
            quotes = await self._pacer.call(self._rest.quotes, keys)
            self._store_quotes(requests, quotes)
        for request in list(self._bars):
            await self._poll_bars(request)

    def _store_quotes(self, requests: list[StreamRequest], quotes: list[Quote]) -> None:
        if self._stopped:
            return
        by_pair: dict[str, list[StreamRequest]] = {}
        for request in requests:
            if request in self._quotes:
                by_pair.setdefault(_pair(request.key), []).append(request)
        now = self._board.clock()
        as_of = self._server_now() - ANONYMOUS_DELAY
        for quote in quotes:
            for request in by_pair.get(_pair(quote.key), ()):
                self._hub.put(request, Stamped(quote, now, as_of))
                self._board.received(request.key, now, None)

    async def _poll_bars(self, request: StreamRequest) -> None:
        since = self._bars.get(request)
        if since is None:
            return
        try:
            page = await self._pacer.call(self._rest.history, request.key, request.tf,
                                          since, self._server_now() + request.tf)
        except NotFound as exc:
            self._hub.put_issue(request, StreamIssue(IssueKind.UNKNOWN_INSTRUMENT, str(exc)))
            self._bars.pop(request, None)
            return
        except NotAuthorized as exc:
            self._hub.put_issue(request, StreamIssue(IssueKind.NEEDS_AUTHORIZATION, str(exc)))
            self._bars.pop(request, None)
            return
        if self._stopped or request not in self._bars:
            return
        for candle in page.candles:
            self._hub.put(request, candle)
        if page.candles:
            self._bars[request] = page.candles[-1].time
            self._board.received(request.key, self._board.clock(), None)

    def _health(self, problem: str | None) -> None:
        if self._on_health is not None and not self._stopped:
            self._on_health(problem)


def _pair(key: InstrumentKey) -> str:
    return f"{key.exchange}:{key.symbol}".upper()
