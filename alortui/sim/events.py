"""What the market reports to the exchange server, and its lookup errors."""

from __future__ import annotations

from dataclasses import dataclass, field

from alortui.models import InstrumentChange, InstrumentKey, Trade


class NoSuchInstrument(LookupError):
    """The market does not list that instrument (the HTTP layer answers 404)."""


class NoSuchMarket(LookupError):
    """Unknown exchange/market pair for ``Market.status``."""


@dataclass(slots=True)
class MarketEvents:
    """What changed between two ``Market.advance()`` calls.

    Keys always carry their board. Candle updates follow from ``trades``: the candle containing a
    new trade's time changed (``Market.candles`` over that bucket gives its new value).
    """

    time: float
    """Market time (Unix seconds) simulated up to."""
    changed: set[InstrumentKey] = field(default_factory=set)
    """Instruments whose quote or order book changed."""
    trades: dict[InstrumentKey, list[Trade]] = field(default_factory=dict)
    """New trades per instrument, oldest first (at most 5000 per key are held)."""
    instrument_changes: dict[InstrumentKey, InstrumentChange] = field(default_factory=dict)
    """Partial status/limit changes (open/close, a new day's price band), alor-api.md 3.5."""
