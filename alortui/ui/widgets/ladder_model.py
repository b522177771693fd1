"""What the ladder shows, computed from an order book: rows, cumulative volume, statistics.

Pure functions without Textual so they can be tested on their own. Books are full snapshots,
bids best (highest) first and asks best (lowest) first (alor-api.md 2.5, 3.5).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from alortui.models import OrderBook, PriceLevel
from alortui.ui.formatting import MISSING, fmt_percent, fmt_price

DEPTHS = (5, 10, 20, 50)
"""Depths the user can step through; 50 is ALOR's maximum (alor-api.md 2.5)."""


@dataclass(frozen=True, slots=True)
class LadderRow:
    """One row of the ladder: a level of one side, or the spread row between the sides."""

    kind: str
    """``"ask"``, ``"bid"`` or ``"spread"``."""
    price: float = 0.0
    volume: float = 0.0
    cumulative: float = 0.0
    """Volume of this level and every better level of the same side, in lots."""
    share: float = 0.0
    """Volume relative to the largest level shown on either side (0..1): the bar length."""
    best: bool = False
    flash: int = 0
    """+1 the level is new or grew, -1 it shrank, 0 unchanged (or no longer flashing)."""
    own: bool = False
    """One of the trader's own working orders rests at this price."""


@dataclass(frozen=True, slots=True)
class BookStats:
    """Best prices, totals and imbalance of the levels shown."""

    best_bid: float | None
    best_ask: float | None
    bid_total: float
    ask_total: float

    @property
    def spread(self) -> float | None:
        """Best ask minus best bid (negative when the book is crossed)."""
        if self.best_bid is None or self.best_ask is None:
            return None
        return self.best_ask - self.best_bid

    @property
    def mid(self) -> float | None:
        """Midpoint between the best bid and the best ask."""
        if self.best_bid is None or self.best_ask is None:
            return None
        return (self.best_bid + self.best_ask) / 2

    @property
    def crossed(self) -> bool:
        """The best bid is at or above the best ask: the book cannot be trusted as shown."""
        spread = self.spread
        return spread is not None and spread <= 0

    @property
    def imbalance(self) -> float | None:
        """(bids - asks) / (bids + asks) of the volume shown: +1 all bids, -1 all asks."""
        total = self.bid_total + self.ask_total
        return (self.bid_total - self.ask_total) / total if total > 0 else None

    def spread_ticks(self, min_step: float | None) -> float | None:
        """The spread in ticks of ``min_step``."""
        spread = self.spread
        if spread is None or not min_step or min_step <= 0:
            return None
        return spread / min_step

    @property
    def spread_percent(self) -> float | None:
        """The spread as a percentage of the mid price."""
        spread, mid = self.spread, self.mid
        return spread / mid * 100 if spread is not None and mid else None


def book_stats(book: OrderBook, depth: int) -> BookStats:
    """Statistics of the first ``depth`` levels of each side."""
    bids, asks = book.bids[:depth], book.asks[:depth]
    return BookStats(
        best_bid=bids[0].price if bids else None,
        best_ask=asks[0].price if asks else None,
        bid_total=sum(level.volume for level in bids),
        ask_total=sum(level.volume for level in asks),
    )


def ladder_rows(
    book: OrderBook, depth: int, flashes: Mapping[tuple[str, float], int],
    own: Collection[float] = (),
) -> list[LadderRow]:
    """Rows top to bottom: asks worst to best, the spread row, bids best to worst.

    ``own``: prices of the trader's working orders, marked on their levels.
    """
    own = {round(price, 9) for price in own}
    asks, bids = book.asks[:depth], book.bids[:depth]
    biggest = max((level.volume for level in (*asks, *bids)), default=0.0)

    def side(levels: Sequence[PriceLevel], kind: str) -> list[LadderRow]:
        rows, total = [], 0.0
        for index, level in enumerate(levels):
            total += level.volume
            share = level.volume / biggest if biggest > 0 else 0.0
            flash = flashes.get((kind, level.price), 0)
            mine = round(level.price, 9) in own
            rows.append(LadderRow(kind, level.price, level.volume, total, share, index == 0, flash,
                                  mine))
        return rows

    return [*reversed(side(asks, "ask")), LadderRow("spread"), *side(bids, "bid")]


def level_changes(
    old: Sequence[PriceLevel], new: Sequence[PriceLevel], *, bids: bool
) -> dict[float, int]:
    """Levels of ``new`` that differ from ``old``: +1 new or grew, -1 shrank.

    A price beyond the old book's worst level is not "new": it only came into view because
    better levels were taken, so flashing it would be noise.
    """
    if not old:
        return {}
    volumes = {level.price: level.volume for level in old}
    worst = old[-1].price
    changes: dict[float, int] = {}
    for level in new:
        before = volumes.get(level.price)
        if before is None:
            if (level.price >= worst) if bids else (level.price <= worst):
                changes[level.price] = 1
        elif level.volume != before:
            changes[level.price] = 1 if level.volume > before else -1
    return changes


def gauge_cells(imbalance: float | None, width: int) -> tuple[int, int]:
    """Cells of an imbalance gauge given to bids and to asks (they add up to ``width``)."""
    if imbalance is None or width <= 0:
        return 0, 0
    bid_cells = round((imbalance + 1) / 2 * width)
    return bid_cells, width - bid_cells


def spread_label(stats: BookStats, min_step: float | None, decimals: int) -> str:
    """The text of the spread row: spread in price, ticks and %, and the mid price."""
    if stats.best_bid is None and stats.best_ask is None:
        return "the order book is empty"
    if stats.best_bid is None or stats.best_ask is None:
        return "no bids" if stats.best_bid is None else "no asks"
    bid, ask = fmt_price(stats.best_bid, decimals), fmt_price(stats.best_ask, decimals)
    if stats.crossed:
        word = "LOCKED" if stats.spread == 0 else "CROSSED"
        return f"⚠ {word} BOOK: best bid {bid} ≥ best ask {ask}"
    ticks = stats.spread_ticks(min_step)
    tick_text = MISSING if ticks is None else _plural(round(ticks), "tick")
    percent = fmt_percent(stats.spread_percent, 3).lstrip("+")
    mid = fmt_price(stats.mid, decimals + 1)
    return f"spread {fmt_price(stats.spread, decimals)} · {tick_text} · {percent}   mid {mid}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
