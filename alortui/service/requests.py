"""What a consumer asks a source for: one stream of one instrument.

A :class:`StreamRequest` is both the registry's key (consumers asking for an equal request share
one subscription) and the hub's topic. Fields that only shape the first answer (the trade
backlog, the first candle) are left out of equality, so a second consumer joins the running
subscription instead of opening another one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from alortui.models import InstrumentKey, Timestamp


class StreamKind(StrEnum):
    """The four market-data streams the screens use (alor-api.md 3.3)."""

    QUOTES = "quotes"
    BOOK = "order book"
    TRADES = "trades"
    BARS = "candles"


@dataclass(frozen=True, slots=True)
class StreamRequest:
    """One stream of one instrument.

    Attributes:
        kind: Which stream.
        key: The instrument.
        depth: Order book levels per side (1-50), else 0.
        tf: Candle timeframe in seconds, else 0.
        backlog: Trades replayed on subscribe (not part of identity).
        since: First candle wanted (not part of identity).
    """

    kind: StreamKind
    key: InstrumentKey
    depth: int = 0
    tf: int = 0
    backlog: int = field(default=0, compare=False)
    since: Timestamp | None = field(default=None, compare=False)

    def __str__(self) -> str:
        extra = f" depth {self.depth}" if self.depth else f" tf {self.tf}" if self.tf else ""
        return f"{self.kind} {self.key}{extra}"


class PortfolioStream(StrEnum):
    """The portfolio subscriptions behind one portfolio view (alor-api.md 3.3)."""

    SUMMARY = "SummariesGetAndSubscribeV2"
    RISK = "RisksGetAndSubscribe"
    FORTS_RISK = "SpectraRisksGetAndSubscribe"
    POSITIONS = "PositionsGetAndSubscribeV2"
    ORDERS = "OrdersGetAndSubscribeV2"
    STOP_ORDERS = "StopOrdersGetAndSubscribeV2"
    TRADES = "TradesGetAndSubscribeV2"


@dataclass(frozen=True, slots=True)
class PortfolioRequest:
    """One portfolio stream of one portfolio (the registry's key and the hub's topic).

    Attributes:
        stream: Which subscription (its value is the opcode).
        portfolio: The portfolio id, e.g. ``D39004``.
        exchange: ``MOEX`` or ``SPBX``.
    """

    stream: PortfolioStream
    portfolio: str
    exchange: str = "MOEX"

    def __str__(self) -> str:
        return f"{self.stream} {self.exchange}:{self.portfolio}"


AnyRequest = StreamRequest | PortfolioRequest
"""Anything the registry counts and a source opens."""
