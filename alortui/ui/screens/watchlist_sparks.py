"""The watchlist's day sparklines: five-minute candles of the day, fetched in the background.

Only while the sparkline column shows (a narrow terminal asks for no candles); a few fetches at
a time, started apart, because ALOR answers 429 to bursts of history requests (alor-api.md 5).
Results are cached across list switches; a failed fetch is logged and asked again when due.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence

from alortui.models import Candle, InstrumentKey
from alortui.service.api import MarketDataService, StreamIssue
from alortui.ui.widgets.sparkline import day_closes
from alortui.ui.widgets.watchlist_table import WatchlistTable

log = logging.getLogger(__name__)

SPARK_GAP = 0.2
"""Seconds between the starts of two fetches."""

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


class SparklineFeed:
    """Day sparklines of watchlist instruments, at most a minute old.

    Args:
        service: Where the candles come from.
        clock: Local Unix time (frozen in tests).
    """

    def __init__(self, service: MarketDataService, clock: Callable[[], float]) -> None:
        self._service = service
        self._clock = clock
        self._asked: dict[InstrumentKey, float] = {}
        self._closes: dict[InstrumentKey, list[float]] = {}

    def restore(self, keys: Sequence[InstrumentKey], table: WatchlistTable) -> None:
        """Give freshly shown rows the sparklines already drawn, without a request."""
        for key in keys:
            if (closes := self._closes.get(key)) is not None:
                table.set_spark(key, closes)

    async def run(self, keys: Sequence[InstrumentKey], table: WatchlistTable) -> None:
        """Keep each of ``keys``' day sparklines at most a minute old; runs until cancelled.

        A few fetches overlap (most of a fetch is waiting for the history to go quiet), but
        they start ``SPARK_GAP`` apart.
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
                    asked = self._asked.get(key)
                    if asked is None or self._clock() - asked >= SPARK_REFRESH:
                        await slots.acquire()
                        group.create_task(fetch(key))
                        await asyncio.sleep(SPARK_GAP)
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
        self._asked[key] = self._clock()
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
