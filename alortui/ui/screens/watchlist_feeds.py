"""What the watchlist learns about its instruments in the background, one request at a time.

Names and price grids (search), trading status (instrument info) and the day's sparkline
(candles) are fetched one request after another with a pause between, because ALOR throttles
bursts (alor-api.md 5); the quotes never wait for them. Results are cached across list
switches and pushed into the table, which repaints only the row concerned. A failed fetch is
logged and skipped: it is asked again the next time the list is shown (or is due).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence

from alortui.models import Candle, InstrumentInfo, InstrumentKey, Security, price_decimals
from alortui.service.api import MarketDataService, StreamIssue
from alortui.ui.formatting import clean_text, is_bond
from alortui.ui.widgets.sparkline import day_closes
from alortui.ui.widgets.watchlist_table import WatchlistTable

log = logging.getLogger(__name__)

REQUEST_GAP = 0.2
"""Seconds between two background requests."""

INFO_REFRESH = 300.0
"""A trading status older than this is asked again when its list is shown."""

SPARK_TF = 300
"""Five-minute candles draw the day (at most ~200 of them in a MOEX day)."""

SPARK_SPAN = 24 * 3600.0
"""Candles of the last day are asked for; the newest Moscow date among them is drawn."""

SPARK_REFRESH = 60.0
"""A sparkline is fetched again at most once a minute."""

SPARK_CHECK = 5.0
"""Seconds between looks for a sparkline that is due (a loop over the list, no request)."""

SPARK_FIRST_WAIT = 10.0
"""Longest wait for the first candles (an empty history yields nothing at all)."""

SPARK_QUIET = 0.75
"""The history is complete after this long without more: Bars send one candle per message
(alor-api.md 3.5), so it can come in several batches (the service conflates at 4 Hz)."""

SPARK_PARALLEL = 3
"""Sparkline fetches at a time; ALOR answers 429 to bursts of history requests (5)."""


class WatchlistFeeds:
    """Background reference data, trading status and sparklines of watchlist instruments.

    Args:
        service: Where the data comes from.
        clock: Local Unix time (frozen in tests).
    """

    def __init__(self, service: MarketDataService, clock: Callable[[], float]) -> None:
        self._service = service
        self._clock = clock
        self.names: dict[InstrumentKey, str] = {}
        """Short names from reference data, cleaned (the command palette shows them too)."""
        self._securities: dict[InstrumentKey, Security] = {}
        self._infos: dict[InstrumentKey, tuple[float, InstrumentInfo]] = {}
        self._spark_asked: dict[InstrumentKey, float] = {}
        self._closes: dict[InstrumentKey, list[float]] = {}

    def restore(self, keys: Sequence[InstrumentKey], table: WatchlistTable) -> None:
        """Give freshly shown rows everything already known, without a request."""
        for key in keys:
            if (security := self._securities.get(key)) is not None:
                _show_security(table, key, security)
            if (entry := self._infos.get(key)) is not None:
                self._show_info(table, key, entry[1])
            if (closes := self._closes.get(key)) is not None:
                table.set_spark(key, closes)

    async def load_reference(self, keys: Sequence[InstrumentKey], table: WatchlistTable) -> None:
        """Names and price grids of ``keys`` not known yet, then their trading status."""
        for key in keys:
            if key not in self.names:
                await self._search(key, table)
        for key in keys:
            asked = self._infos.get(key)
            if asked is None or self._clock() - asked[0] >= INFO_REFRESH:
                await self._info(key, table)
                await asyncio.sleep(REQUEST_GAP)

    async def _search(self, key: InstrumentKey, table: WatchlistTable) -> None:
        try:
            found = await self._service.search(key.symbol, limit=10)
        except Exception:
            log.warning("no reference data for %s", key, exc_info=True)
            return
        same = [s for s in found if s.key.without_board() == key.without_board()]
        best = next((s for s in same if s.key.board == key.board), same[0] if same else None)
        self.names[key] = clean_text(best.short_name) if best else ""
        if best is not None:
            self._securities[key] = best
            _show_security(table, key, best)

    async def _info(self, key: InstrumentKey, table: WatchlistTable) -> None:
        try:
            info = await self._service.instrument_info(key)
        except Exception:
            log.warning("no instrument info for %s", key, exc_info=True)
            return
        if isinstance(info, StreamIssue):
            log.info("no instrument info for %s: %s", key, info.message)
            return
        self._infos[key] = (self._clock(), info)
        self._show_info(table, key, info)

    def _show_info(self, table: WatchlistTable, key: InstrumentKey, info: InstrumentInfo) -> None:
        # The search's own decimals win; the info's price step is the fallback grid.
        fallback = key not in self._securities
        table.set_reference(
            key,
            decimals=price_decimals(info.min_step) if fallback and info.min_step else None,
            percent=(is_bond(info.type) or None) if fallback else None,
            trading_status=info.trading_status,
        )

    async def run_sparklines(self, keys: Sequence[InstrumentKey], table: WatchlistTable) -> None:
        """Keep each of ``keys``' day sparklines at most a minute old; runs until cancelled.

        A few fetches overlap (most of a fetch is waiting for the history to go quiet), but
        they start ``REQUEST_GAP`` apart.
        """
        slots = asyncio.Semaphore(SPARK_PARALLEL)

        async def fetch(key: InstrumentKey) -> None:
            try:
                await self._spark(key, table)
            finally:
                slots.release()

        while True:
            async with asyncio.TaskGroup() as group:
                for key in keys:
                    asked = self._spark_asked.get(key)
                    if asked is None or self._clock() - asked >= SPARK_REFRESH:
                        await slots.acquire()
                        group.create_task(fetch(key))
                        await asyncio.sleep(REQUEST_GAP)
            await asyncio.sleep(SPARK_CHECK)

    async def _spark(self, key: InstrumentKey, table: WatchlistTable) -> None:
        offset = self._service.status.clock_offset or 0.0
        since = self._clock() + offset - SPARK_SPAN
        try:
            candles = await self._day_candles(key, since, table)
        except Exception:
            log.warning("no candles for %s", key, exc_info=True)
            candles = None
        # Noted once done (a cancelled fetch is not): the next try is a minute away.
        self._spark_asked[key] = self._clock()
        if candles is not None:
            self._closes[key] = day_closes(candles.values())
            table.set_spark(key, self._closes[key])

    async def _day_candles(
        self, key: InstrumentKey, since: float, table: WatchlistTable
    ) -> dict[float, Candle] | None:
        """The candles since ``since``: history only, the stream is closed after it."""
        candles: dict[float, Candle] = {}
        stream = self._service.candles(key, tf=SPARK_TF, since=since)
        wait = SPARK_FIRST_WAIT
        try:
            while True:
                item = await asyncio.wait_for(anext(stream), wait)
                if isinstance(item, StreamIssue):
                    log.info("no candles for %s: %s", key, item.message)
                    return None
                candles.update((candle.time, candle) for candle in item)
                table.set_spark(key, day_closes(candles.values()))  # show the first part now
                wait = SPARK_QUIET
        except (TimeoutError, StopAsyncIteration):
            return candles
        finally:
            with contextlib.suppress(Exception):
                await stream.aclose()  # type: ignore[attr-defined]


def _show_security(table: WatchlistTable, key: InstrumentKey, security: Security) -> None:
    table.set_reference(
        key,
        name=security.short_name,
        decimals=security.price_decimals,
        percent=is_bond(security.type) or None,
    )
