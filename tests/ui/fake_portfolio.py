"""A fixed demo portfolio for the UI tests: the shape of the simulator's ``D39004``, frozen."""

from __future__ import annotations

from dataclasses import replace

from fake_service import START

from alortui.models import Side
from alortui.portfolio_models import (
    FortsRisk,
    Order,
    OwnTrade,
    Portfolio,
    PortfolioState,
    Position,
    Risk,
    StopOrder,
    Summary,
)

STOCK, CURRENCY, DERIVATIVES = "D39004", "G39004", "7500GHC"
PORTFOLIOS = (Portfolio(STOCK), Portfolio(CURRENCY), Portfolio(DERIVATIVES))


def position(symbol: str, units: float, lot: float, avg: float, last: float, *,
             portfolio: str = STOCK) -> Position:
    """An instrument position valued at ``last``."""
    return Position(symbol, "MOEX", portfolio, units, units / lot, units, lot, avg, units * avg,
                    units * last, units * (last - avg), units * (last - avg) / 3,
                    short_name=symbol, existing=True)


def cash(amount: float, *, portfolio: str = STOCK) -> Position:
    """A money balance in roubles."""
    return Position("RUB", "MOEX", portfolio, amount, amount, amount, 1, 1, amount, amount, 0, 0,
                    short_name="Рубль", is_currency=True, existing=True)


def order(oid: str, symbol: str, side: Side, price: float, lots: float, *, filled: float = 0,
          status: str = "working", minutes: float = 0) -> Order:
    """A limit order placed ``minutes`` before the fake clock's start."""
    return Order(oid, symbol, "MOEX", side, "limit", status, price, lots, None, filled, None,
                 START - 60 * minutes, board="TQBR", portfolio=STOCK, existing=True)


def stock_state() -> PortfolioState:
    """The stock portfolio: three holdings, cash, working and stop orders, two trades."""
    positions = (position("SBER", 200, 10, 290.0, 296.58), position("GAZP", 500, 10, 135.5, 129.15),
                 position("LKOH", 3, 1, 6800.0, 6990.0), cash(48_250.75))
    value = sum(p.current_volume or 0 for p in positions)
    summary = Summary(250_000, 182_431.2, 1_274.5, 0.82, value, value - 1_200, 61_000, 58_000,
                      12_500, 38.4)
    risk = Risk(STOCK, "MOEX", value, value - 1_200, 61_000, 30_500, 58_000, 1.6, 1.3, 2,
                "StandardRisk", False, False, "Ok", START)
    orders = (order("1001", "SBER", Side.BUY, 295.0, 5, minutes=40),
              order("1002", "GAZP", Side.SELL, 131.0, 10, filled=3, minutes=25),
              order("1000", "LKOH", Side.BUY, 6950.0, 1, filled=1, status="filled", minutes=90))
    stops = (StopOrder("2001", "SBER", "MOEX", Side.SELL, "stoplimit", "working", "lessorequal",
                       280.0, 279.5, 20, None, 0, START - 3600, board="TQBR", existing=True),)
    trades = (OwnTrade("3001", "1000", "LKOH", "MOEX", Side.BUY, 6950.0, 1, 1, START - 5000,
                       board="TQBR", volume=6950.0, existing=True),
              OwnTrade("3002", "1002", "GAZP", "MOEX", Side.SELL, 131.0, 3, 30, START - 900,
                       board="TQBR", volume=3930.0, existing=True))
    return PortfolioState(Portfolio(STOCK), "MOEX", summary, risk, None, positions, orders, stops,
                          trades)


def derivatives_state() -> PortfolioState:
    """The derivatives portfolio: one futures position and its Spectra risk."""
    forts = FortsRisk(DERIVATIVES, 95_000, 21_500, 12.5, 120_000, 116_500, 0, 0, 1_250.0, 1_250.0,
                      1_250.0, 0, 21_500, True)
    si = replace(position("SiZ6", 2, 1, 91_500, 92_125, portfolio=DERIVATIVES), short_name="SiZ6")
    return PortfolioState(Portfolio(DERIVATIVES), "MOEX", forts_risk=forts,
                          positions=(si, cash(116_500, portfolio=DERIVATIVES)))


def states() -> dict[str, PortfolioState]:
    """Every fake portfolio's state (the currency one is only cash)."""
    currency = PortfolioState(Portfolio(CURRENCY), "MOEX",
                              positions=(cash(10_000, portfolio=CURRENCY),))
    return {STOCK: stock_state(), CURRENCY: currency, DERIVATIVES: derivatives_state()}
