"""What the screens see of the data service: its status, the values it streams, its protocol.

The UI depends on this module only (never on the sources behind it), so the app, its tests and
its screenshots can be driven by the real service bound to the simulator or to ALOR alike.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from alortui.models import (
    Candle,
    InstrumentInfo,
    InstrumentKey,
    OrderBook,
    Quote,
    Security,
    Timestamp,
    Trade,
)
from alortui.portfolio_models import Portfolio, PortfolioState

T = TypeVar("T")

ANONYMOUS_DELAY = 15 * 60.0
"""ALOR serves unauthorized HTTP/GraphQL data this many seconds late (alor-api.md 5)."""


class Mode(StrEnum):
    """Where the data comes from, in words the status line shows."""

    LIVE = "LIVE"
    DEMO = "DEMO"
    DELAYED = "DELAYED"
    OFFLINE = "OFFLINE"
    AUTH_FAILED = "AUTH FAILED"


class Link(StrEnum):
    """State of the connection behind the current mode."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    POLLING = "polling"
    PAUSED = "paused"
    """Polling paused by a 429 Retry-After."""
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Counters:
    """Running totals since the service started."""

    messages: int = 0
    reconnects: int = 0
    resubscriptions: int = 0
    malformed: int = 0
    requests: int = 0


@dataclass(frozen=True, slots=True)
class ServiceStatus:
    """One snapshot of the service's state for the always-visible status line."""

    mode: Mode
    link: Link
    delayed_by: float = 0.0
    """Seconds the data lags real time: 0 when live, ANONYMOUS_DELAY when delayed."""
    attempt: int = 0
    """Reconnect attempt number while RECONNECTING."""
    next_retry_at: Timestamp | None = None
    """Local time of the next reconnect attempt or poll after a pause."""
    clock_offset: float | None = None
    """Server clock minus local clock, seconds (the exchange clock is local time + offset)."""
    latency: float | None = None
    """Receive time minus exchange timestamp of recent messages, seconds."""
    reason: str | None = None
    """Why the service is not LIVE (e.g. the refresh token was rejected), plain text."""
    counters: Counters = field(default_factory=Counters)
    updated: Mapping[InstrumentKey, Timestamp] = field(default_factory=dict)
    """Local time the last value of each streamed instrument arrived (for staleness)."""


@dataclass(frozen=True, slots=True)
class Stamped(Generic[T]):
    """A value with when it arrived and which moment of the market it describes."""

    value: T
    received: Timestamp
    """Local time the value arrived."""
    as_of: Timestamp
    """Exchange time the value describes (15 minutes behind ``received`` when delayed)."""


class IssueKind(StrEnum):
    """Why a stream shows no data."""

    NEEDS_AUTHORIZATION = "needs authorization"
    REJECTED = "rejected"
    UNKNOWN_INSTRUMENT = "unknown instrument"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True, slots=True)
class StreamIssue:
    """An explicit state a stream yields instead of data (never an empty view)."""

    kind: IssueKind
    message: str
    """Plain text for the user (may contain ALOR's own message: render as text, not markup)."""


QuoteBatch = dict[InstrumentKey, Stamped[Quote]]
"""Latest quotes of the keys that changed since the previous batch."""


class MarketDataService(Protocol):
    """The data service the screens bind to (see alortui/service/ for the implementation)."""

    @property
    def status(self) -> ServiceStatus:
        """The current status."""
        ...

    def watch_status(self) -> AsyncIterator[ServiceStatus]:
        """Yield the status now and whenever it changes."""
        ...

    def quotes(
        self, keys: Sequence[InstrumentKey], *, max_hz: float = 10.0
    ) -> AsyncIterator[QuoteBatch | StreamIssue]:
        """Stream conflated quote batches for ``keys`` at no more than ``max_hz`` batches/s."""
        ...

    def order_book(
        self, key: InstrumentKey, *, depth: int = 20, max_hz: float = 20.0
    ) -> AsyncIterator[Stamped[OrderBook] | StreamIssue]:
        """Stream the latest full order book of ``key``."""
        ...

    def trades(
        self, key: InstrumentKey, *, backlog: int = 100, max_hz: float = 10.0
    ) -> AsyncIterator[list[Trade] | StreamIssue]:
        """Stream the tape: each batch holds the trades since the previous batch, oldest first."""
        ...

    def candles(
        self, key: InstrumentKey, *, tf: int = 60, since: Timestamp | None = None
    ) -> AsyncIterator[list[Candle] | StreamIssue]:
        """Stream candles: first the history since ``since``, then new or updated candles."""
        ...

    async def instrument_info(self, key: InstrumentKey) -> InstrumentInfo | StreamIssue:
        """Reference data of one instrument (GraphQL first, HTTP as fallback)."""
        ...

    async def portfolios(self) -> tuple[Portfolio, ...]:
        """The portfolios the token may use (its JWT's ``portfolios`` claim); none anonymously."""
        ...

    def portfolio(
        self, portfolio: str, *, exchange: str = "MOEX", max_hz: float = 4.0
    ) -> AsyncIterator[PortfolioState | StreamIssue]:
        """Stream the merged state of ``portfolio`` after each batch of changes (read-only).

        Anonymously, and for a portfolio the token does not list, a ``StreamIssue`` says why.
        """
        ...

    async def search(self, text: str, *, limit: int = 20) -> list[Security]:
        """Instruments matching ``text``, most traded first."""
        ...

    async def reconnect(self) -> None:
        """Drop the current connection and connect again now."""
        ...

    async def set_anonymous(self, anonymous: bool) -> None:
        """Switch to delayed anonymous data (``True``) or back to live streaming (``False``)."""
        ...
