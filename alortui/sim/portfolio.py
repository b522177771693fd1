"""The demo login's account: money, holdings, orders, stop orders and own trades that fill.

Three portfolios as ALOR names them (alor-api.md 1.3, the ids of :data:`jwt.PORTFOLIOS`): stock
``D39004``, currency ``G39004`` and derivatives ``7500GHC``, all on MOEX. They start with money,
positions bought below today's price, working limit orders and stop orders; each ticker step
:meth:`Accounts.observe` fills an order when a new market trade crosses it (a resting limit fills
at its price, a stop at the triggering trade's price, a stop-limit at its limit), which makes an
own trade and moves the position and the money. The own trade's ``id`` is the exchange number of
the tape trade that crossed the order (the tape's ``id``, alor-api.md 2.6; a string in own
trades, quirk 15), so a client finds its fills on the public tape; one tape trade is one match,
so it fills at most one own order. The figures (summary, risk) are derived from this state and the
market in :mod:`alortui.sim.portfolio_figures`.

Assumptions where ALOR documents nothing: a fill takes the whole remaining quantity; commission is
0.05 % of the trade's volume; a currency-market trade moves a money position named by the first
three letters of the instrument (``USD000UTSTOM`` -> ``USD``); futures cost no money up front
(margin is blocked, variation margin is counted in the figures).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

from alortui.models import InstrumentKey, Side, Trade
from alortui.portfolio_models import Order, OwnTrade, StopOrder
from alortui.sim.events import MarketEvents
from alortui.sim.market import Market

EXCHANGE = "MOEX"
COMMISSION_RATE = 0.0005
_CONDITIONS = {
    "more": lambda px, stop: px > stop, "less": lambda px, stop: px < stop,
    "moreorequal": lambda px, stop: px >= stop, "lessorequal": lambda px, stop: px <= stop,
}


@dataclass(slots=True)
class Holding:
    """A non-money position: pieces, average price and the price daily P/L counts from."""

    key: InstrumentKey
    units: float
    avg_price: float
    day_basis: float
    morning_units: float


@dataclass(slots=True)
class Book:
    """One portfolio's state."""

    id: str
    derivatives: bool
    money: dict[str, float]
    morning_rub: float
    holdings: dict[InstrumentKey, Holding] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    stops: dict[str, StopOrder] = field(default_factory=dict)
    trades: list[OwnTrade] = field(default_factory=list)


class Accounts:
    """Every portfolio of the demo login, filled against ``market``."""

    def __init__(self, market: Market) -> None:
        self.market = market
        self._order_ids = (str(n) for n in itertools.count(74125533100))
        self._trade_ids = (str(n) for n in itertools.count(12600000000))
        self._last_events: MarketEvents | None = None
        self.books: dict[str, Book] = {}

    def open_book(self, portfolio: str, money: dict[str, float], *,
                  derivatives: bool = False) -> Book:
        """Start a portfolio with its morning money."""
        book = Book(portfolio, derivatives, dict(money), money.get("RUB", 0.0))
        self.books[portfolio] = book
        return book

    def hold(self, portfolio: str, key: InstrumentKey, units: float, avg_price: float) -> None:
        """A position held since before today (its daily P/L counts from the previous close)."""
        key = self.market.resolve(key)
        basis = self.market.quote(key).prev_close or avg_price
        self.books[portfolio].holdings[key] = Holding(key, units, avg_price, basis, units)

    def view(self, portfolio: str, exchange: str) -> Book:
        """The portfolio on ``exchange``; an empty book where it holds nothing there (SPBX).

        ALOR answers a permitted portfolio on either exchange; the demo trades on MOEX only.
        """
        found = self.books.get(portfolio) if exchange.upper() == EXCHANGE else None
        return found or Book(portfolio, portfolio.startswith("75"), {}, 0.0)

    def add_order(self, portfolio: str, key: InstrumentKey, side: Side, lots: float,
                  price: float, *, at: float | None = None) -> Order:
        """Put a working limit order into a portfolio (demo data and tests; never the client)."""
        key = self.market.resolve(key)
        now = self.market.time if at is None else at
        lot = self._lot(key)
        order = Order(next(self._order_ids), key.symbol, key.exchange, side, "limit", "working",
                      price, lots, lots * lot, 0.0, 0.0, now, now, _end_of_day(now), key.board,
                      portfolio, "oneday", round(price * lots * lot, 2))
        self.books[portfolio].orders[order.id] = order
        return order

    def add_stop(self, portfolio: str, key: InstrumentKey, side: Side, lots: float,
                 condition: str, stop_price: float, price: float | None = None) -> StopOrder:
        """Put a working stop (``price`` None) or stop-limit order into a portfolio."""
        key = self.market.resolve(key)
        now = self.market.time
        kind = "stop" if price is None else "stoplimit"
        stop = StopOrder(next(self._order_ids), key.symbol, key.exchange, side, kind, "working",
                         condition, stop_price, price, lots, lots * self._lot(key), 0.0, now, now,
                         _end_of_day(now), key.board, portfolio)
        self.books[portfolio].stops[stop.id] = stop
        return stop

    def fill(self, book: Book, order: Order, price: float, at: float,
             trade_no: int | None = None) -> OwnTrade:
        """Fill the rest of a working order at ``price``: order, trade, holding and money move.

        Args:
            trade_no: the exchange number of the tape trade that crossed the order; a fill made
                apart from the tape (the demo's morning trade, tests) is numbered apart from it.
        """
        lots = order.qty_lots - order.filled_lots
        key = self.market.resolve(InstrumentKey(order.exchange, order.symbol, order.board))
        units = lots * self._lot(key)
        volume = round(units * price, 2)
        number = str(trade_no) if trade_no is not None else next(self._trade_ids)
        trade = OwnTrade(number, order.id, order.symbol, order.exchange,
                         order.side, price, lots, units, at, order.board, volume,
                         round(volume * COMMISSION_RATE, 2))
        book.trades.append(trade)
        book.orders[order.id] = replace(order, status="filled", filled_lots=order.qty_lots,
                                        filled_units=order.qty_units, update_time=at)
        signed = units if order.side is Side.BUY else -units
        book.money["RUB"] = book.money.get("RUB", 0.0) - (trade.commission or 0.0)
        if self._is_currency(key):
            code = key.symbol[:3]
            book.money[code] = book.money.get(code, 0.0) + signed
        else:
            self._move_holding(book, key, signed, price)
        if not book.derivatives:
            book.money["RUB"] -= signed * price
        return trade

    def observe(self, events: MarketEvents) -> None:
        """Fill what the new market trades of one ticker step cross (each step once)."""
        if events is self._last_events:
            return
        self._last_events = events
        for key, trades in events.trades.items():
            for trade in trades:
                for book in self.books.values():
                    if self._cross(book, key, trade):
                        break

    def _cross(self, book: Book, key: InstrumentKey, trade: Trade) -> bool:
        """Fill the first of ``book``'s orders that ``trade`` crosses; whether one filled."""
        price, at = trade.price, trade.time
        for stop in [s for s in book.stops.values() if _working_on(s, key)]:
            crossed = _CONDITIONS.get(stop.condition or "")
            if crossed and stop.stop_price is not None and crossed(price, stop.stop_price):
                fill_at = stop.price if stop.price is not None else price
                order = self.add_order(book.id, key, stop.side, stop.qty_lots, fill_at, at=at)
                book.stops[stop.id] = replace(stop, status="filled", filled_lots=stop.qty_lots,
                                              exchange_order_id=order.id, update_time=at,
                                              avg_price=fill_at)
                self.fill(book, order, fill_at, at, trade.id)
                return True
        for order in [o for o in book.orders.values() if _working_on(o, key)]:
            limit = order.price if order.price is not None else price
            if (price <= limit) if order.side is Side.BUY else (price >= limit):
                self.fill(book, order, limit, at, trade.id)
                return True
        return False

    def _move_holding(self, book: Book, key: InstrumentKey, signed: float, price: float) -> None:
        held = book.holdings.get(key) or Holding(key, 0.0, price, price, 0.0)
        total = held.units + signed
        if held.units == 0 or (held.units > 0) == (signed > 0):  # opening or adding
            held.avg_price = (held.avg_price * held.units + price * signed) / total
            held.day_basis = (held.day_basis * held.units + price * signed) / total
        elif total and (total > 0) != (held.units > 0):  # reversed: the rest opened at price
            held.avg_price = held.day_basis = price
        held.units = total
        book.holdings[key] = held

    def _lot(self, key: InstrumentKey) -> float:
        security = self.market.lookup(key.exchange, key.symbol, key.board)
        return security.lot_size if security is not None else 1.0

    def _is_currency(self, key: InstrumentKey) -> bool:
        security = self.market.lookup(key.exchange, key.symbol, key.board)
        return security is not None and security.market == "CURR"


def may_use(claims: dict[str, object] | None, portfolio: str) -> bool:
    """Whether the token's space-separated ``portfolios`` claim lists ``portfolio`` (1.3)."""
    listed = (claims or {}).get("portfolios")
    return isinstance(listed, str) and portfolio in listed.split()


def _working_on(order: Order | StopOrder, key: InstrumentKey) -> bool:
    return order.status == "working" and order.symbol == key.symbol and order.board == key.board


def _end_of_day(now: float) -> float:
    """23:59:59.999 UTC of the day, as ALOR's ``endTime`` of a day order (2.9 sample)."""
    return now - now % 86400 + 86399.999
