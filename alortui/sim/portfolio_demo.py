"""What the demo login owns when the simulator starts (the portfolios of ``jwt.PORTFOLIOS``).

Prices are taken from the market at start, so positions show a modest gain, a filled order of
the morning has its own trade, and working orders rest a few percent away from the price: far
enough not to fill at once, near enough that a lively instrument may reach a stop during a demo.
"""

from __future__ import annotations

import logging

from alortui.models import InstrumentKey, Side
from alortui.sim.events import NoSuchInstrument
from alortui.sim.market import Market
from alortui.sim.portfolio import Accounts

log = logging.getLogger(__name__)

STOCK, CURRENCY, DERIVATIVES = "D39004", "G39004", "7500GHC"
"""ALOR's id shapes (alor-api.md 1.3): D = stock market, G = currency market, 75.. = FORTS."""


def demo_accounts(market: Market) -> Accounts:
    """The demo login's three portfolios, opened against ``market``.

    A market that does not list an instrument of the demo (the benchmark's scripted feed) leaves
    that portfolio with its money and whatever was seeded before the missing instrument.
    """
    accounts = Accounts(market)
    accounts.open_book(STOCK, {"RUB": 250_000.0})
    accounts.open_book(CURRENCY, {"RUB": 100_000.0, "USD": 1_500.0})
    accounts.open_book(DERIVATIVES, {"RUB": 300_000.0}, derivatives=True)
    for seed in (_stock, _currency, _derivatives):
        try:
            seed(accounts)
        except NoSuchInstrument as exc:
            log.debug("demo account: %s not listed, seeding stopped there", exc)
    return accounts


def _price(accounts: Accounts, symbol: str, factor: float) -> float:
    """``factor`` times the current price, on the instrument's price step."""
    key = InstrumentKey("MOEX", symbol)
    security = accounts.market.lookup(key.exchange, key.symbol)
    last = accounts.market.quote(key).last or 0.0
    step = security.min_step if security is not None and security.min_step else 0.01
    return round(round(last * factor / step) * step, 6)


def _stock(accounts: Accounts) -> None:
    sber, gazp, lkoh = (InstrumentKey("MOEX", s) for s in ("SBER", "GAZP", "LKOH"))
    accounts.hold(STOCK, sber, 200, _price(accounts, "SBER", 0.96))
    accounts.hold(STOCK, gazp, 500, _price(accounts, "GAZP", 1.03))
    accounts.hold(STOCK, lkoh, 5, _price(accounts, "LKOH", 0.98))
    now = accounts.market.time
    morning = min(now - 60, max(now - now % 86400 + 7 * 3600, now - 3 * 3600))  # earlier today
    bought = accounts.add_order(STOCK, sber, Side.BUY, 2, _price(accounts, "SBER", 0.995),
                                at=morning)
    accounts.fill(accounts.books[STOCK], bought, bought.price or 0.0, morning + 0.5)
    accounts.add_order(STOCK, sber, Side.BUY, 5, _price(accounts, "SBER", 0.97))
    accounts.add_order(STOCK, gazp, Side.SELL, 10, _price(accounts, "GAZP", 1.04))
    accounts.add_stop(STOCK, sber, Side.SELL, 20, "lessorequal", _price(accounts, "SBER", 0.93))
    accounts.add_stop(STOCK, lkoh, Side.SELL, 5, "lessorequal", _price(accounts, "LKOH", 0.95),
                      _price(accounts, "LKOH", 0.945))


def _currency(accounts: Accounts) -> None:
    usd = InstrumentKey("MOEX", "USD000UTSTOM")
    accounts.add_order(CURRENCY, usd, Side.BUY, 1, _price(accounts, "USD000UTSTOM", 0.99))


def _derivatives(accounts: Accounts) -> None:
    si = InstrumentKey("MOEX", "SiZ6")
    accounts.hold(DERIVATIVES, si, 3, _price(accounts, "SiZ6", 0.995))
    accounts.add_order(DERIVATIVES, si, Side.SELL, 1, _price(accounts, "SiZ6", 1.01))
    accounts.add_stop(DERIVATIVES, si, Side.SELL, 3, "lessorequal", _price(accounts, "SiZ6", 0.97),
                      _price(accounts, "SiZ6", 0.965))
