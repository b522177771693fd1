"""What the watchlist learns about its instruments in the background, one request at a time.

Names and price grids (search), then trading status and the day's turnover (instrument info),
are fetched one request after another with a pause between, because ALOR throttles bursts
(alor-api.md 5); the quotes never wait for them. Results are cached across list switches and
pushed into the table, which repaints only the row concerned. A failed fetch is logged and
skipped: it is asked again when due. The day's sparklines are :mod:`.watchlist_sparks`'.

Turnover: ALOR's quotes carry the volume in lots but no money turnover; the GraphQL
instrument card does (``tradingDetails.tradeAmount``, alor-api.md 4). So the Turnover column
is the card's figure, asked again about once a minute for the list on screen while the column
shows (GraphQL is fair use, not for price polling: a minute per instrument is the pace), and
every five minutes otherwise, for the trading status. It can lag the quotes by that minute.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

from alortui.models import InstrumentInfo, InstrumentKey, Security, price_decimals
from alortui.service.api import MarketDataService, StreamIssue
from alortui.ui.formatting import clean_text, is_bond
from alortui.ui.widgets.watchlist_table import WatchlistTable

log = logging.getLogger(__name__)

REQUEST_GAP = 0.2
"""Seconds between two background requests."""

INFO_REFRESH = 300.0
"""The instrument info (trading status) is asked again after this long."""

TURNOVER_REFRESH = 60.0
"""... and after this long while the Turnover column shows on screen."""

INFO_CHECK = 5.0
"""Seconds between looks for an instrument info that is due (a loop over the list, no request)."""


class WatchlistFeeds:
    """Background reference data, trading status and turnover of watchlist instruments.

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
        self._infos: dict[InstrumentKey, InstrumentInfo] = {}
        self._info_asked: dict[InstrumentKey, float] = {}

    def restore(self, keys: Sequence[InstrumentKey], table: WatchlistTable) -> None:
        """Give freshly shown rows everything already known, without a request."""
        for key in keys:
            if (security := self._securities.get(key)) is not None:
                _show_security(table, key, security)
            if (info := self._infos.get(key)) is not None:
                self._show_info(table, key, info)

    async def load_reference(
        self,
        keys: Sequence[InstrumentKey],
        table: WatchlistTable,
        refresh_after: Callable[[InstrumentKey], float] = lambda key: INFO_REFRESH,
    ) -> None:
        """Names and price grids of ``keys`` not known yet, then their instrument info, kept
        fresh; runs until cancelled.

        Args:
            keys: The instruments of the list shown.
            table: Where the results go.
            refresh_after: Seconds after which an instrument's info is asked again
                (``TURNOVER_REFRESH`` for the rows on screen while the Turnover column shows).
        """
        for key in keys:
            if key not in self.names:
                await self._search(key, table)
        while True:
            for key in keys:
                asked = self._info_asked.get(key)
                if asked is None or self._clock() - asked >= refresh_after(key):
                    await self._info(key, table)
                    await asyncio.sleep(REQUEST_GAP)
            await asyncio.sleep(INFO_CHECK)

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
        self._info_asked[key] = self._clock()  # a failure too: asked again when due, not at once
        try:
            info = await self._service.instrument_info(key)
        except Exception:
            log.warning("no instrument info for %s", key, exc_info=True)
            return
        if isinstance(info, StreamIssue):
            log.info("no instrument info for %s: %s", key, info.message)
            return
        self._infos[key] = info
        self._show_info(table, key, info)

    def _show_info(self, table: WatchlistTable, key: InstrumentKey, info: InstrumentInfo) -> None:
        # The search's own decimals win; the info's price step is the fallback grid.
        fallback = key not in self._securities
        table.set_reference(
            key,
            decimals=price_decimals(info.min_step) if fallback and info.min_step else None,
            percent=(is_bond(info.type) or None) if fallback else None,
            trading_status=info.trading_status,
            turnover=info.trade_amount,
        )


def _show_security(table: WatchlistTable, key: InstrumentKey, security: Security) -> None:
    table.set_reference(
        key,
        name=security.short_name,
        decimals=security.price_decimals,
        percent=is_bond(security.type) or None,
    )
