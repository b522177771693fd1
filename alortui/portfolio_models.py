"""The trader's own data: portfolios, money, risk, positions, orders and own trades.

Frozen, slotted values like :mod:`alortui.models`, whose conventions hold here too (Unix-second
``Timestamp``s, prices in the quoting unit, exchange ids as ``str``). Quantities say their unit:
``*_lots`` (ALOR's ``*Batch``/``qty``) or ``*_units`` (pieces, ALOR's ``*Units``), alor-api.md 2.9.
Money amounts are in the portfolio's currency (RUB for the demo account). Status-like words
(order status, risk status, client type) are kept as ALOR spells them, lower-cased where ALOR's
formats disagree on case (a stop order's condition, 2.10).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alortui.models import InstrumentKey, Side, Timestamp


class PortfolioKind(StrEnum):
    """Market of a portfolio, read from the shape of its id (alor-api.md 1.3)."""

    STOCK = "stock"
    """``D12345``: stock market (FOND), MOEX and SPBX."""
    CURRENCY = "currency"
    """``G12345``: currency market (CURR)."""
    DERIVATIVES = "derivatives"
    """``7500ABC``: derivatives (FORTS); its risks come from ``SpectraRisksGetAndSubscribe``."""
    UNIFIED = "unified"
    """``E12345``: unified money position."""
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Portfolio:
    """A portfolio id as the JWT's ``portfolios`` claim lists it, with its kind."""

    id: str

    @property
    def kind(self) -> PortfolioKind:
        """Stock, currency, derivatives or unified, by ALOR's id prefixes (1.3)."""
        if self.id.startswith("75"):
            return PortfolioKind.DERIVATIVES
        prefixes = {"D": PortfolioKind.STOCK, "G": PortfolioKind.CURRENCY,
                    "E": PortfolioKind.UNIFIED}
        return prefixes.get(self.id[:1], PortfolioKind.OTHER)


@dataclass(frozen=True, slots=True)
class CurrencyBuyingPower:
    """Buying power in one currency (``buyingPowerByCurrency`` item)."""

    currency: str
    buying_power: float


@dataclass(frozen=True, slots=True)
class Summary:
    """``/summary`` and ``SummariesGetAndSubscribeV2``: the portfolio's money at a glance.

    ``profit`` is today's P/L and ``profit_rate`` the same in percent.
    """

    buying_power_at_morning: float
    buying_power: float
    profit: float
    profit_rate: float
    portfolio_evaluation: float
    portfolio_liquidation_value: float
    initial_margin: float
    corrected_margin: float
    risk_before_force_position_closing: float
    commission: float
    buying_power_by_currency: tuple[CurrencyBuyingPower, ...] = ()


@dataclass(frozen=True, slots=True)
class Risk:
    """``/risk`` and ``RisksGetAndSubscribe`` (stock and currency portfolios)."""

    portfolio: str
    exchange: str
    portfolio_evaluation: float
    portfolio_liquidation_value: float
    initial_margin: float
    minimal_margin: float
    corrected_margin: float
    risk_coverage_ratio_one: float
    risk_coverage_ratio_two: float
    risk_category_id: int | None
    client_type: str | None
    """``LowRisk``, ``StandardRisk``, ``HighRisk`` or ``Special``."""
    has_forbidden_positions: bool
    has_negative_quantity: bool
    risk_status: str | None
    """``Ok``, ``Demand`` (no new margin positions) or ``ToClose`` (forced closing possible)."""
    calculation_time: Timestamp | None


@dataclass(frozen=True, slots=True)
class FortsRisk:
    """``/fortsrisk`` and ``SpectraRisksGetAndSubscribe``: a derivatives portfolio's money."""

    portfolio: str
    money_free: float
    money_blocked: float
    fee: float
    money_old: float
    money_amount: float
    money_pledge_amount: float
    vm_inter_cl: float
    vm_current_positions: float
    var_margin: float | None
    """Total variation margin; Slim has no key for it (alor-api.md 2.10)."""
    indicative_var_margin: float
    net_option_value: float
    pos_risk: float
    is_limits_set: bool


@dataclass(frozen=True, slots=True)
class Position:
    """One position; money balances are positions with ``is_currency`` (symbol ``RUB`` ...).

    ``qty_lots`` is ``None`` in Slim and Heavy, which carry pieces only: divide ``qty_units`` by
    ``lot_size`` when it is non-zero.
    """

    symbol: str
    exchange: str
    portfolio: str | None
    qty_units: float
    qty_lots: float | None
    open_units: float | None
    lot_size: float | None
    avg_price: float | None
    volume: float | None
    """Quantity times the average price."""
    current_volume: float | None
    """Quantity times the current price."""
    unrealised_pl: float | None
    daily_unrealised_pl: float | None
    short_name: str | None = None
    is_currency: bool = False
    existing: bool = False

    @property
    def key(self) -> InstrumentKey:
        """The instrument (primary board: positions carry no board)."""
        return InstrumentKey(self.exchange, self.symbol)


@dataclass(frozen=True, slots=True)
class Order:
    """A limit or market order (``/orders``, ``OrdersGetAndSubscribeV2``)."""

    id: str
    symbol: str
    exchange: str
    side: Side
    type: str
    """``limit`` or ``market``."""
    status: str
    """``working``, ``filled``, ``canceled`` or ``rejected``."""
    price: float | None
    qty_lots: float
    qty_units: float | None
    filled_lots: float
    filled_units: float | None
    trans_time: Timestamp | None
    update_time: Timestamp | None = None
    end_time: Timestamp | None = None
    board: str | None = None
    portfolio: str | None = None
    time_in_force: str | None = None
    volume: float | None = None
    comment: str | None = None
    existing: bool = False


@dataclass(frozen=True, slots=True)
class StopOrder:
    """A stop or stop-limit order (``/stoporders``, ``StopOrdersGetAndSubscribeV2``).

    It triggers when the last price meets ``condition`` against ``stop_price``; a stop-limit
    then places a limit order at ``price``.
    """

    id: str
    symbol: str
    exchange: str
    side: Side
    type: str
    """``stop`` or ``stoplimit``."""
    status: str
    condition: str | None
    """``more``, ``less``, ``moreorequal`` or ``lessorequal`` (always lower case here)."""
    stop_price: float | None
    price: float | None
    qty_lots: float
    qty_units: float | None
    filled_lots: float
    trans_time: Timestamp | None = None
    update_time: Timestamp | None = None
    end_time: Timestamp | None = None
    board: str | None = None
    portfolio: str | None = None
    exchange_order_id: str | None = None
    avg_price: float | None = None
    error: str | None = None
    existing: bool = False


@dataclass(frozen=True, slots=True)
class OwnTrade:
    """One of the trader's own trades (``/trades``, ``TradesGetAndSubscribeV2``)."""

    id: str
    order_no: str | None
    symbol: str
    exchange: str
    side: Side
    price: float
    qty_lots: float
    qty_units: float | None
    time: Timestamp | None
    board: str | None = None
    volume: float | None = None
    commission: float | None = None
    accrued_int: float | None = None
    comment: str | None = None
    existing: bool = False


@dataclass(frozen=True, slots=True)
class PortfolioState:
    """Everything known about one portfolio at one moment, merged from its streams.

    Positions, orders, stop orders and trades keep the order they first arrived in; a later
    message about the same symbol or id replaces the earlier one in place.
    """

    portfolio: Portfolio
    exchange: str = "MOEX"
    summary: Summary | None = None
    risk: Risk | None = None
    forts_risk: FortsRisk | None = None
    positions: tuple[Position, ...] = ()
    orders: tuple[Order, ...] = ()
    stop_orders: tuple[StopOrder, ...] = ()
    trades: tuple[OwnTrade, ...] = ()

    @property
    def cash(self) -> tuple[Position, ...]:
        """Money balances (``RUB``, ``USD`` ...), shown as cash rather than instruments."""
        return tuple(p for p in self.positions if p.is_currency)

    @property
    def holdings(self) -> tuple[Position, ...]:
        """Instrument positions held now (closed ones, quantity 0, left out)."""
        return tuple(p for p in self.positions if not p.is_currency and p.qty_units != 0)

    @property
    def working_orders(self) -> tuple[Order, ...]:
        """Orders still working in the market."""
        return tuple(o for o in self.orders if o.status == "working")
