"""The simulated portfolio endpoints ``/md/v2/Clients/...`` (alor-api.md 2.9).

Every route needs a JWT (anonymous callers get the router's 401) and answers ``403`` with a
plain-text reason for a portfolio that the token's ``portfolios`` claim does not list. Lists are
the state right now with ``existing: true`` (the HTTP snapshot is history, 3.5).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from aiohttp import web

from alortui.sim.encode_portfolio import (
    encode_forts_risk,
    encode_order,
    encode_own_trade,
    encode_position,
    encode_risk,
    encode_stop_order,
    encode_summary,
)
from alortui.sim.http_api import BadRequest, Call, NotFound, Route, route
from alortui.sim.oauth import BearerAuth
from alortui.sim.portfolio import Accounts, Book, may_use
from alortui.sim.portfolio_figures import forts_risk, positions, risk, summary

_BASE = "/md/v2/Clients/{exchange}/{portfolio}"


class PortfolioApi:
    """Handlers over the demo :class:`Accounts`."""

    def __init__(self, accounts: Accounts, auth: BearerAuth) -> None:
        self._accounts, self._auth = accounts, auth

    def routes(self) -> list[Route]:
        """Specific paths first: ``{symbol}/trades`` would also match ``orders/...``."""
        table = [
            ("/summary", self.summary), ("/risk", self.risk), ("/fortsrisk", self.forts_risk),
            ("/positions", self.positions), ("/positions/{symbol}", self.position),
            ("/trades", self.trades), ("/orders", self.orders),
            ("/orders/{orderId}", self.order), ("/stoporders", self.stop_orders),
            ("/stoporders/{orderId}", self.stop_order), ("/{symbol}/trades", self.trades),
        ]
        return [route(_BASE + tail, handler, anonymous=False) for tail, handler in table]

    def _book(self, call: Call) -> Book:
        portfolio = call.path["portfolio"]
        if not may_use(self._auth.claims(call.request), portfolio):
            raise web.HTTPForbidden(text=f"Access to portfolio {portfolio} is denied")
        return self._accounts.view(portfolio, call.path["exchange"])

    async def summary(self, call: Call) -> object:
        return encode_summary(summary(self._book(call), self._accounts.market), call.fmt)

    async def risk(self, call: Call) -> object:
        book = self._book(call)
        return encode_risk(risk(book, self._accounts.market, call.now), call.fmt)

    async def forts_risk(self, call: Call) -> object:
        book = self._book(call)
        if not book.derivatives:
            raise BadRequest(f"Portfolio {book.id} is not a derivatives (FORTS) portfolio")
        return encode_forts_risk(forts_risk(book, self._accounts.market), call.fmt)

    async def positions(self, call: Call) -> object:
        found = positions(self._book(call), self._accounts.market)
        if call.flag("withoutCurrency"):
            found = [p for p in found if not p.is_currency]
        return [encode_position(_existing(p), call.fmt) for p in found]

    async def position(self, call: Call) -> object:
        symbol = call.path["symbol"].upper()
        for found in positions(self._book(call), self._accounts.market):
            if found.symbol.upper() == symbol:
                return encode_position(_existing(found), call.fmt)
        raise NotFound(f"Position {symbol} not found")

    async def trades(self, call: Call) -> object:
        book = self._book(call)
        symbol = call.path.get("symbol")
        found = [t for t in book.trades if symbol is None or t.symbol.upper() == symbol.upper()]
        market = self._accounts.market
        out = []
        for trade in found:
            security = market.lookup(trade.exchange, trade.symbol, trade.board)
            out.append(encode_own_trade(
                _existing(trade), call.fmt,
                short_name=security.short_name if security else trade.symbol,
                currency=security.currency if security else None))
        return out

    async def orders(self, call: Call) -> object:
        return [encode_order(_existing(o), call.fmt) for o in self._book(call).orders.values()]

    async def order(self, call: Call) -> object:
        found = self._book(call).orders.get(call.path["orderId"])
        if found is None:
            raise NotFound(f"Order {call.path['orderId']} not found")
        return encode_order(_existing(found), call.fmt)

    async def stop_orders(self, call: Call) -> object:
        stops = self._book(call).stops.values()
        return [encode_stop_order(_existing(s), call.fmt) for s in stops]

    async def stop_order(self, call: Call) -> object:
        found = self._book(call).stops.get(call.path["orderId"])
        if found is None:
            raise NotFound(f"Stop order {call.path['orderId']} not found")
        return encode_stop_order(_existing(found), call.fmt)


def _existing(value: Any) -> Any:
    return dataclasses.replace(value, existing=True)
