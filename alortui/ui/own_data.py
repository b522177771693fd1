"""The trader's own side beside the market: the chosen portfolio's states, quietly.

The depth screen marks own working orders on the ladder and own fills on the tape from this
stream; the watchlist's position column shows the lots held. A screen that is not about the
portfolio must not shout about it: anonymously, or for a portfolio the token does not list, it
simply has nothing to mark (the Portfolio screen is where that is explained).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from alortui.models import InstrumentKey
from alortui.portfolio_models import PortfolioState
from alortui.service.api import MarketDataService, StreamIssue
from alortui.ui.portfolio_figures import lots

log = logging.getLogger(__name__)


async def own_states(service: MarketDataService,
                     chosen: str | None) -> AsyncIterator[PortfolioState]:
    """States of ``chosen`` (default: the token's first portfolio); nothing without a token.

    Anonymously nothing is subscribed at all, even with a portfolio chosen in the settings.
    """
    portfolios = await service.portfolios()
    if not portfolios:
        return
    chosen = chosen if chosen is not None else portfolios[0].id
    async for item in service.portfolio(chosen):
        if isinstance(item, StreamIssue):
            log.debug("no own data for %s: %s", chosen, item.message)
            continue
        yield item


def same_instrument(key: InstrumentKey, symbol: str, exchange: str) -> bool:
    """Whether an order or trade (which carry no board, or ALOR's own) is about ``key``."""
    return key.symbol == symbol and key.exchange == exchange


def own_trade_ids(state: PortfolioState, key: InstrumentKey) -> frozenset[int]:
    """Exchange trade numbers of the trader's fills on ``key``: the tape's trade ids.

    Own trade ids are strings of the exchange's trade number (alor-api.md, quirk 15).
    """
    return frozenset(int(t.id) for t in state.trades
                     if t.id.isdigit() and same_instrument(key, t.symbol, t.exchange))


def own_order_prices(state: PortfolioState, key: InstrumentKey) -> frozenset[float]:
    """Prices of the working limit orders (and stop-limit orders) on ``key``."""
    prices = {o.price for o in state.working_orders
              if o.price and same_instrument(key, o.symbol, o.exchange)}
    prices |= {s.price for s in state.stop_orders
               if s.status == "working" and s.price and same_instrument(key, s.symbol, s.exchange)}
    return frozenset(prices)


def position_lots(state: PortfolioState) -> dict[tuple[str, str], float]:
    """Lots held per ``(exchange, symbol)``; money and closed positions are not holdings."""
    held = {(p.exchange, p.symbol): lots(p) for p in state.positions if not p.is_currency}
    return {where: qty for where, qty in held.items() if qty}
