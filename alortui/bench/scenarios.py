"""The benchmark's scenarios, the instruments they list, and the targets of issue 5.

Rates are what the exchange sends, whatever ``frequency`` the app asks for (the scripted feed
stands in for ALOR's conflation, alor-api.md 3.6): ``typical`` is ALOR's default 175 ms per
quote, ``busy`` the 25 ms minimum of the Simple format.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from alortui.models import InstrumentKey
from alortui.sim.catalog import CATALOG
from alortui.sim.spec import InstrumentSpec, Kind

MAX_PRICE = 50_000.0
"""Instruments priced above this are left out: their prices would print like a marker."""


@dataclass(frozen=True, slots=True)
class Target:
    """A bound on one figure (``at_least``: a floor, else a ceiling)."""

    figure: str
    limit: float
    at_least: bool = False

    def met(self, value: float | None) -> bool | None:
        """Whether ``value`` meets the target (``None``: not measured)."""
        if value is None:
            return None
        return value >= self.limit if self.at_least else value <= self.limit

    def text(self) -> str:
        """``">= 0.6"`` / ``"<= 10"``."""
        return f"{'>=' if self.at_least else '<='} {self.limit:g}"


STARTUP = Target("startup_first_frame_s", 1.0)
INGEST = Target("ingest_ratio", 0.6, at_least=True)


@dataclass(frozen=True, slots=True)
class Scenario:
    """One load on the app.

    Attributes:
        instruments: Watchlist length (the command line's ``--watchlist``).
        open_market: Whether the market trades (a closed one sends nothing).
        quote_interval: Seconds between two quotes of one instrument (``None``: no quotes).
        book_depth: Levels per side of the one order book; 0: the depth screen stays closed.
        book_rate, trade_rate: Books and trades per second for the depth screen's instrument.
        burst_frames: Frames of the one burst (``burst``); 0: a steady feed instead.
        saturation_frames: Frames sent back to back to measure ingest; 0: not measured.
    """

    name: str
    summary: str
    instruments: int
    open_market: bool = True
    quote_interval: float | None = None
    book_depth: int = 0
    book_rate: float = 0.0
    trade_rate: float = 0.0
    burst_frames: int = 0
    saturation_frames: int = 0
    targets: tuple[Target, ...] = ()

    @property
    def quote_rate(self) -> float:
        """Quotes per second over the whole watchlist."""
        return self.instruments / self.quote_interval if self.quote_interval else 0.0

    @property
    def feed_rate(self) -> float:
        """Frames per second of the steady feed."""
        return self.quote_rate + self.book_rate + self.trade_rate


SCENARIOS: dict[str, Scenario] = {
    "idle": Scenario(
        "idle", "50-instrument watchlist, market closed", 50, open_market=False,
        targets=(Target("cpu_percent", 1.0), STARTUP),
    ),
    "typical": Scenario(
        "typical", "50 quotes at 175 ms; depth open: 20-level book 10/s, tape 20/s", 50,
        quote_interval=0.175, book_depth=20, book_rate=10, trade_rate=20,
        saturation_frames=20_000,
        targets=(Target("cpu_percent", 10.0), Target("terminal_kb_s", 30.0),
                 Target("latency_p99_ms", 50.0), Target("peak_rss_mb", 100.0), STARTUP, INGEST),
    ),
    "busy": Scenario(
        "busy", "100 quotes at 25 ms; depth open: 50-level book 40/s, tape 300/s", 100,
        quote_interval=0.025, book_depth=50, book_rate=40, trade_rate=300,
        saturation_frames=20_000,
        targets=(Target("cpu_percent", 35.0), Target("latency_max_ms", 100.0), STARTUP, INGEST),
    ),
    "burst": Scenario(
        "burst", "50,000 quotes back to back on a 50-instrument watchlist, then quiet", 50,
        burst_frames=50_000,
        targets=(Target("rss_growth_mb", 10.0), STARTUP, INGEST),
    ),
}


def instruments(count: int) -> list[InstrumentSpec]:
    """``count`` distinct instruments: the catalog's (below :data:`MAX_PRICE`), then copies of
    its shares under new symbols (``SBERX1``...) when it has too few."""
    usable = [spec for spec in CATALOG if spec.ref_price < MAX_PRICE]
    shares = [spec for spec in usable if spec.kind is Kind.SHARE]
    picked = usable[:count]
    for n in range(count - len(picked)):
        base = shares[n % len(shares)]
        symbol = f"{base.key.symbol}X{n // len(shares) + 1}"
        key = InstrumentKey(base.key.exchange, symbol, base.key.board)
        picked.append(dataclasses.replace(base, key=key, isin=None,
                                          short_name=f"{base.short_name} {symbol}"))
    return picked
