"""Static reference data of one simulated instrument and the money arithmetic it implies."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from alortui.models import InstrumentKey
from alortui.sim.bonds import BondTerms

TRADING_STATUS_OPEN = 17
TRADING_STATUS_CLOSED = 18
TRADING_STATUS_INFO = {
    # alor-api.md 6.3: ALOR sends a lower-case Russian description with the status code.
    TRADING_STATUS_OPEN: "нормальный период торгов",
    TRADING_STATUS_CLOSED: "нет торгов",
}
USD_RUB = 92.0
"""Rough rate used only to rank USD turnover next to RUB turnover in search."""


class Kind(StrEnum):
    """Instrument class; decides the random-walk parameters and the money arithmetic."""

    SHARE = "share"
    ETF = "etf"
    BOND = "bond"
    FUTURE = "future"
    CURRENCY = "currency"


@dataclass(frozen=True, slots=True)
class InstrumentSpec:
    """Everything about an instrument that does not change during a session.

    Prices are in the instrument's quoting unit (alor-api.md 6.3): currency per share, percent of
    face for bonds, points for futures.
    """

    key: InstrumentKey
    market: str
    kind: Kind
    short_name: str
    description: str
    full_name: str
    type: str
    readable_type: str
    sector: str
    currency: str
    isin: str | None
    cfi_code: str
    lot_size: float
    face_value: float
    min_step: float
    price_step: float
    """Money value of one tick for one lot (ALOR ``pricestep``)."""
    ref_price: float
    """The previous session's close the simulation starts from."""
    activity: float
    """Liquidity in (0, 1]: sets event rate, trade sizes, spread and book density."""
    daily_vol: float
    """Standard deviation of a day's relative price change."""
    cancellation: float
    """Expiry/maturity, Unix seconds (2099-12-31 for instruments that never expire)."""
    bond: BondTerms | None = None
    margin_rate: float | None = None
    """Futures: initial margin as a fraction of the contract value."""
    open_interest: int | None = None
    limit_rate: float = 0.1
    """Half-width of the exchange price band around the previous close, a fraction."""

    decimals: int = field(init=False)
    """Exact decimal places of the price grid (Heavy ``roundTo``), derived from ``min_step``."""

    def __post_init__(self) -> None:
        # AlorPy's log10 rule gives 3 for a step of 0.0025; count the step's digits instead.
        text = f"{self.min_step:.10f}".rstrip("0")
        object.__setattr__(self, "decimals", len(text.split(".")[1]) if "." in text else 0)

    @property
    def money_per_point(self) -> float:
        """Money value of a price change of 1.0 for one lot."""
        return self.price_step / self.min_step

    def lot_value(self, price: float) -> float:
        """ALOR's ``lotvalue``: price x lot size, with a bond's percent price applied to its face.

        alor-api.md 2.4 defines it as last price x lot; for bonds the price is a percentage, so
        the face value converts it to money. Futures stay in points, as the server sends them.
        """
        if self.kind is Kind.BOND:
            return price / 100 * self.face_value * self.lot_size
        return price * self.lot_size

    def turnover_rub(self, money: float) -> float:
        """``money`` in the instrument's currency converted to roubles for ranking."""
        return money * USD_RUB if self.currency == "USD" else money

    def to_ticks(self, price: float) -> int:
        """The grid index of ``price`` (rounded to the nearest tick)."""
        return math.floor(price / self.min_step + 0.5)

    def price(self, ticks: int) -> float:
        """The price of grid index ``ticks``, rounded so it prints without float noise."""
        return round(ticks * self.min_step, self.decimals)
