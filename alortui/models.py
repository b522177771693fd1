"""Domain values shared by the wire client, the service, the simulator and the UI.

Every value is frozen and slotted: it is created once by a decoder (or by the simulated market)
and then only read. Conventions that hold for every class here:

* Instants are ``float`` Unix seconds, UTC (``Timestamp``). ALOR sends seconds, milliseconds and
  ISO-8601 strings with seven fractional digits (alor-api.md section 6.4); decoders normalise all
  of them to this one form so nothing downstream has to know which field used which.
* Prices are ``float`` in the instrument's quoting unit: RUB (or the currency) per share for
  stocks, **percent of face value** for bonds, points for futures (alor-api.md 6.3). A price the
  server sent as ``null`` or ``NaN`` is ``None``.
* Volumes and sizes are in lots unless the name says ``units``.
* Exchange ids that may exceed 2**53 (order numbers) are ``str``; the tape's trade id is ``int``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

Timestamp = float
"""Unix time in seconds, UTC."""


class Exchange(StrEnum):
    """Exchanges ALOR routes to (alor-api.md 6.1)."""

    MOEX = "MOEX"
    SPBX = "SPBX"


class Format(StrEnum):
    """ALOR's three JSON dialects (alor-api.md 2.0, 2.10)."""

    SIMPLE = "Simple"
    SLIM = "Slim"
    HEAVY = "Heavy"

    @classmethod
    def parse(cls, text: str) -> Format:
        """Parse a format name case-insensitively, as ALOR's server does."""
        for member in cls:
            if member.value.lower() == text.strip().lower():
                return member
        raise ValueError(f"unknown format {text!r}; expected Simple, Slim or Heavy")


class Side(StrEnum):
    """Side of a trade (the aggressor) or an order."""

    BUY = "buy"
    SELL = "sell"


@dataclass(frozen=True, slots=True)
class InstrumentKey:
    """Identifies an instrument: ``EXCHANGE:SYMBOL`` with an optional board.

    Without a board ALOR uses the instrument's primary board (alor-api.md 2.0).
    """

    exchange: str
    symbol: str
    board: str | None = None

    @classmethod
    def parse(cls, text: str) -> InstrumentKey:
        """Parse ``EXCHANGE:SYMBOL`` or ``EXCHANGE:SYMBOL:BOARD`` (case of the exchange ignored).

        Raises:
            ValueError: the text is not of that form.
        """
        parts = [part.strip() for part in text.strip().split(":")]
        if len(parts) not in (2, 3) or not all(parts):
            raise ValueError(f"expected EXCHANGE:SYMBOL[:BOARD], got {text!r}")
        exchange = parts[0].upper()
        if exchange not in Exchange.__members__:
            raise ValueError(f"unknown exchange {parts[0]!r} in {text!r}; expected MOEX or SPBX")
        return cls(exchange, parts[1], parts[2] if len(parts) == 3 else None)

    @property
    def pair(self) -> str:
        """``EXCHANGE:SYMBOL``, the form used in the batched quotes path."""
        return f"{self.exchange}:{self.symbol}"

    def without_board(self) -> InstrumentKey:
        """The same instrument on its primary board."""
        return InstrumentKey(self.exchange, self.symbol)

    def __str__(self) -> str:
        return f"{self.pair}:{self.board}" if self.board else self.pair


def price_decimals(min_step: float) -> int:
    """Decimal places needed to show prices on a grid of ``min_step`` (AlorPy's rule)."""
    if not min_step or min_step <= 0 or not math.isfinite(min_step):
        return 2
    return max(0, int(math.log10(1 / min_step) + 0.99))


@dataclass(frozen=True, slots=True)
class Security:
    """Reference data of one instrument on one board (alor-api.md 2.3)."""

    key: InstrumentKey
    short_name: str
    description: str
    type: str
    market: str | None = None
    currency: str | None = None
    isin: str | None = None
    cfi_code: str | None = None
    lot_size: float = 1.0
    face_value: float | None = None
    min_step: float = 0.01
    price_step: float | None = None
    """Money value of one tick for one lot (ALOR's ``pricestep``)."""
    decimals: int | None = None
    """Price decimals: Heavy's ``roundTo`` when known, else derived from ``min_step``."""
    price_max: float | None = None
    price_min: float | None = None
    margin_buy: float | None = None
    margin_sell: float | None = None
    cancellation: Timestamp | None = None
    """Expiry / maturity."""
    trading_status: int | None = None
    trading_status_info: str | None = None
    primary_board: str | None = None
    theor_price: float | None = None
    volatility: float | None = None
    yield_: float | None = None
    complex_product_category: str | None = None

    @property
    def price_decimals(self) -> int:
        """Decimals to show prices with."""
        return self.decimals if self.decimals is not None else price_decimals(self.min_step)


@dataclass(frozen=True, slots=True)
class Quote:
    """A full quote snapshot of one instrument (alor-api.md 2.4).

    Slim quotes carry no previous close and no change: those fields are ``None`` then.
    """

    key: InstrumentKey
    description: str | None = None
    last: float | None = None
    last_time: Timestamp | None = None
    prev_close: float | None = None
    open: float | None = None
    high: float | None = None
    low: float | None = None
    change: float | None = None
    change_percent: float | None = None
    volume: float | None = None
    open_interest: float | None = None
    bid: float | None = None
    ask: float | None = None
    bid_size: float | None = None
    ask_size: float | None = None
    total_bid_size: float | None = None
    total_ask_size: float | None = None
    book_time: Timestamp | None = None
    accrued_interest: float | None = None
    yield_: float | None = None
    lot_size: float | None = None
    lot_value: float | None = None
    face_value: float | None = None
    type: str | None = None
    currency: str | None = None

    @property
    def time(self) -> Timestamp | None:
        """The newest exchange time this quote carries."""
        times = [t for t in (self.last_time, self.book_time) if t is not None]
        return max(times) if times else None


@dataclass(frozen=True, slots=True)
class PriceLevel:
    """One level of an order book; ``volume`` in lots."""

    price: float
    volume: float
    yield_: float | None = None
    """Bond yield at this price; only Slim books carry it (alor-api.md 2.10)."""


@dataclass(frozen=True, slots=True)
class OrderBook:
    """A complete order book (every message is a full book, alor-api.md 3.5).

    ``bids`` are best (highest) first, ``asks`` best (lowest) first.
    """

    bids: tuple[PriceLevel, ...]
    asks: tuple[PriceLevel, ...]
    time: Timestamp | None = None
    existing: bool = False
    key: InstrumentKey | None = None

    @property
    def best_bid(self) -> PriceLevel | None:
        """Highest bid, if any."""
        return self.bids[0] if self.bids else None

    @property
    def best_ask(self) -> PriceLevel | None:
        """Lowest ask, if any."""
        return self.asks[0] if self.asks else None


@dataclass(frozen=True, slots=True)
class Trade:
    """One trade of the anonymous tape (alor-api.md 2.6); ``side`` is the aggressor's."""

    id: int
    price: float
    qty: float
    side: Side | None
    time: Timestamp
    symbol: str | None = None
    board: str | None = None
    open_interest: float | None = None
    existing: bool = False
    order_no: str | None = None


@dataclass(frozen=True, slots=True)
class Candle:
    """One OHLCV candle; ``time`` is the candle's start, ``volume`` in lots (alor-api.md 2.7)."""

    time: Timestamp
    open: float
    high: float
    low: float
    close: float
    volume: float


@dataclass(frozen=True, slots=True)
class CandlePage:
    """A window of history: candles plus the start times of the neighbours outside it."""

    candles: tuple[Candle, ...]
    next: Timestamp | None = None
    prev: Timestamp | None = None


@dataclass(frozen=True, slots=True)
class MarketStatus:
    """Session state of one market (``GET /md/status/{exchange}/{market}``)."""

    market: str
    status: str


@dataclass(frozen=True, slots=True)
class InstrumentChange:
    """A status/limits change of an instrument (WS ``InstrumentsGetAndSubscribeV2``).

    The first message carries every field; later ones only the symbol and what changed, so a
    field that is ``None`` here means "not in this message", not "cleared".
    """

    symbol: str
    exchange: str | None = None
    board: str | None = None
    trading_status: int | None = None
    trading_status_info: str | None = None
    price_min: float | None = None
    price_max: float | None = None
    margin_buy: float | None = None
    margin_sell: float | None = None
    theor_price: float | None = None
    volatility: float | None = None


@dataclass(frozen=True, slots=True)
class InstrumentInfo:
    """Instrument reference data from GraphQL ``/hyperion`` (alor-api.md 4).

    Groups mirror the GraphQL schema; fields the server did not return are ``None``.
    """

    key: InstrumentKey
    short_name: str | None = None
    full_name: str | None = None
    description: str | None = None
    market: str | None = None
    type: str | None = None
    readable_type: str | None = None
    sector: str | None = None
    is_primary_board: bool | None = None
    primary_board: str | None = None
    cfi_code: str | None = None
    currency: str | None = None
    isin: str | None = None
    trading_status: int | None = None
    trading_status_info: str | None = None
    lot_size: float | None = None
    min_step: float | None = None
    price_step: float | None = None
    price: float | None = None
    price_max: float | None = None
    price_min: float | None = None
    closing_price: float | None = None
    daily_growth: float | None = None
    daily_growth_percent: float | None = None
    trade_amount: float | None = None
    trade_volume: float | None = None
    cancellation: Timestamp | None = None
    extra: dict[str, object] = field(default_factory=dict)
    """Type-specific fields (bond coupon, futures margins, ...) keyed by their GraphQL names."""
