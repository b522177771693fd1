"""A portfolio's positions, summary and risks, derived from its book and the market's prices.

The numbers stay consistent with each other: evaluation = money (in roubles) + the current value
of the holdings (for derivatives: money + variation margin); P/L = the holdings' daily P/L.
Assumptions where ALOR publishes no formula (alor-api.md 2.9 lists only the fields): initial
margin is 25 % of the holdings' value (a standard-risk client's typical risk rate) and minimal
margin half of it; the risk status follows the signs of the two coverage ratios (``Ok``: both
>= 0, ``Demand``: the first < 0, ``ToClose``: both < 0; the spec's field description); futures
block their exchange margin (``marginbuy``) or 12 % of the contract's value.
"""

from __future__ import annotations

from alortui.models import InstrumentKey
from alortui.portfolio_models import CurrencyBuyingPower, FortsRisk, Position, Risk, Summary
from alortui.sim.market import Market
from alortui.sim.portfolio import EXCHANGE, Book, Holding

MARGIN_RATE = 0.25
FUTURES_MARGIN_RATE = 0.12
_RATES = {"USD": "USD000UTSTOM", "CNY": "CNYRUB_TOM", "EUR": "EUR_RUB__TOM"}
"""Money other than roubles is valued at the currency market's last price."""
_MONEY_NAMES = {"RUB": "Рубль", "USD": "Доллар США", "CNY": "Юань", "EUR": "Евро"}


def _r(value: float) -> float:
    return round(value, 2)


def _last(market: Market, key: InstrumentKey, fallback: float) -> float:
    return market.quote(key).last or fallback


def rate(market: Market, currency: str) -> float:
    """Roubles per unit of ``currency``."""
    symbol = _RATES.get(currency)
    return 1.0 if symbol is None else _last(market, InstrumentKey(EXCHANGE, symbol), 1.0)


def positions(book: Book, market: Market) -> list[Position]:
    """Money positions first (as ALOR lists ``RUB``), then holdings in catalog order."""
    money = [_money(book, code, amount, market) for code, amount in book.money.items()]
    return money + [_holding(book, held, market) for held in book.holdings.values()]


def _money(book: Book, code: str, amount: float, market: Market) -> Position:
    value = _r(amount * rate(market, code))
    return Position(code, EXCHANGE, book.id, _r(amount), _r(amount), _r(amount), 0.0,
                    rate(market, code), value, value, 0.0, 0.0, _MONEY_NAMES.get(code, code),
                    is_currency=True)


def _holding(book: Book, held: Holding, market: Market) -> Position:
    security = market.lookup(held.key.exchange, held.key.symbol, held.key.board)
    lot = security.lot_size if security is not None and security.lot_size else 1.0
    last = _last(market, held.key, held.avg_price)
    return Position(
        held.key.symbol, held.key.exchange, book.id, held.units, held.units / lot,
        held.morning_units, lot, round(held.avg_price, 6), _r(held.avg_price * held.units),
        _r(last * held.units), _r((last - held.avg_price) * held.units),
        _r((last - held.day_basis) * held.units),
        security.short_name if security is not None else held.key.symbol,
    )


def _holdings_value(book: Book, market: Market) -> float:
    return sum(_last(market, h.key, h.avg_price) * h.units for h in book.holdings.values())


def _money_value(book: Book, market: Market) -> float:
    return sum(amount * rate(market, code) for code, amount in book.money.items())


def _variation_margin(book: Book, market: Market) -> float:
    return sum((_last(market, h.key, h.avg_price) - h.avg_price) * h.units
               for h in book.holdings.values())


def _blocked(book: Book, market: Market) -> float:
    total = 0.0
    for held in book.holdings.values():
        security = market.lookup(held.key.exchange, held.key.symbol, held.key.board)
        margin = security.margin_buy if security is not None else None
        last = _last(market, held.key, held.avg_price)
        total += abs(held.units) * (margin or last * FUTURES_MARGIN_RATE)
    return total


def _reserved(book: Book) -> float:
    """Money held back for working buy orders."""
    return sum((o.price or 0.0) * ((o.qty_units or 0.0) - (o.filled_units or 0.0))
               for o in book.orders.values() if o.status == "working" and o.side == "buy")


def _evaluation(book: Book, market: Market) -> float:
    if book.derivatives:
        return _money_value(book, market) + _variation_margin(book, market)
    return _money_value(book, market) + _holdings_value(book, market)


def _initial_margin(book: Book, market: Market) -> float:
    if book.derivatives:
        return _blocked(book, market)
    return MARGIN_RATE * abs(_holdings_value(book, market))


def summary(book: Book, market: Market) -> Summary:
    """The ``/summary`` figures."""
    evaluation = _evaluation(book, market)
    profit = sum(p.daily_unrealised_pl or 0.0 for p in positions(book, market))
    initial = _initial_margin(book, market)
    free = book.money.get("RUB", 0.0) - _reserved(book) - (initial if book.derivatives else 0.0)
    by_currency = tuple(CurrencyBuyingPower(code, _r(free if code == "RUB" else amount))
                        for code, amount in book.money.items())
    base = evaluation - profit
    rate_pct = profit / base * 100 if base else 0.0
    return Summary(
        _r(book.morning_rub), _r(max(free, 0.0)), _r(profit), _r(rate_pct),
        _r(evaluation), _r(evaluation), _r(initial), _r(initial), _r(evaluation - initial / 2),
        _r(sum(t.commission or 0.0 for t in book.trades)), by_currency,
    )


def risk(book: Book, market: Market, now: float) -> Risk:
    """The ``/risk`` figures (coverage ratios = liquidation value less a margin)."""
    evaluation = _evaluation(book, market)
    initial = _initial_margin(book, market)
    one, two = evaluation - initial, evaluation - initial / 2
    status = "Ok" if one >= 0 else ("Demand" if two >= 0 else "ToClose")
    negative = any(h.units < 0 for h in book.holdings.values())
    return Risk(book.id, EXCHANGE, _r(evaluation), _r(evaluation), _r(initial), _r(initial / 2),
                _r(initial), _r(one), _r(two), 1, "StandardRisk", False, negative, status, now)


def forts_risk(book: Book, market: Market) -> FortsRisk:
    """The ``/fortsrisk`` figures of a derivatives portfolio."""
    money = book.money.get("RUB", 0.0)
    blocked = _blocked(book, market)
    margin = _variation_margin(book, market)
    fee = sum(t.commission or 0.0 for t in book.trades)
    return FortsRisk(book.id, _r(money - blocked + margin), _r(blocked), _r(fee),
                     _r(book.morning_rub), _r(money), 0.0, 0.0, _r(margin), _r(margin),
                     _r(margin), 0.0, _r(blocked), False)
