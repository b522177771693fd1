"""One instrument's limit order book on the integer tick grid.

Levels are ``[tick, volume]`` lists (volume in lots), best first on each side: bids descending,
asks ascending, the best bid always below the best ask. Every operation keeps those invariants,
so a snapshot can be published without checking (alor-api.md 2.5: bids best-first, asks
best-first). Each side always holds exactly :data:`DEPTH` levels; running totals give the
quote's ``total_bid_vol``/``total_ask_vol`` (the sum over those levels) in O(1).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from math import log

from alortui.models import PriceLevel

DEPTH = 50
"""Levels kept per side: ALOR serves up to 50 (alor-api.md 2.5)."""


class Book:
    """Bids and asks of one instrument.

    Args:
        rng: the instrument's random source (shared, so the book is part of its determinism).
        level_size: mean volume of a level, lots.
        gap_chance: probability that the next deeper level skips one or more ticks.
    """

    __slots__ = ("ask_total", "asks", "bid_total", "bids", "gap_chance", "level_size", "rng")

    def __init__(self, rng: random.Random, level_size: float, gap_chance: float) -> None:
        self.rng = rng
        self.level_size = level_size
        self.gap_chance = gap_chance
        self.bids: list[list[int]] = []
        self.asks: list[list[int]] = []
        self.bid_total = 0
        self.ask_total = 0

    def volume(self, depth_factor: float = 1.0) -> int:
        """A random level volume (lots), larger deeper in the book."""
        return int(-log(1.0 - self.rng.random()) * self.level_size * depth_factor) + 1

    def reset(self, bid: int, ask: int) -> None:
        """Rebuild both sides with the touch at ``bid``/``ask`` (``bid < ask``)."""
        self.bids = [[bid, self.volume()]]
        self.asks = [[ask, self.volume()]]
        self.bid_total = self.bids[0][1]
        self.ask_total = self.asks[0][1]
        self.refill()

    def refill(self) -> None:
        """Top both sides up to :data:`DEPTH` levels by adding deeper levels."""
        for side, sign in ((self.bids, -1), (self.asks, 1)):
            added = 0
            while len(side) < DEPTH:
                gap = 1
                while self.rng.random() < self.gap_chance and gap < 6:
                    gap += 1
                volume = self.volume(1.0 + len(side) / 25)
                side.append([side[-1][0] + sign * gap, volume])
                added += volume
            if sign < 0:
                self.bid_total += added
            else:
                self.ask_total += added

    def spread(self) -> int:
        """Best ask minus best bid, ticks."""
        return self.asks[0][0] - self.bids[0][0]

    def take(self, buy: bool, qty: int) -> tuple[int, int]:
        """Execute an aggressive order against the touch.

        A buy lifts the best ask, a sell hits the best bid; at most the touch volume fills.

        Returns:
            (tick, filled lots).
        """
        side = self.asks if buy else self.bids
        level = side[0]
        filled = min(qty, level[1])
        self._change(buy, 0, -filled)
        return level[0], filled

    def improve(self, bid_side: bool, tick: int, volume: int) -> None:
        """Place a new best level strictly inside the spread."""
        if not self.bids[0][0] < tick < self.asks[0][0]:
            raise ValueError(f"tick {tick} is not inside the spread")
        side = self.bids if bid_side else self.asks
        side.insert(0, [tick, volume])
        dropped = side.pop()[1]  # keep exactly DEPTH levels, so the totals cover what is shown
        if bid_side:
            self.bid_total += volume - dropped
        else:
            self.ask_total += volume - dropped

    def add(self, bid_side: bool, index: int, volume: int) -> None:
        """Add ``volume`` lots to an existing level."""
        self._change(not bid_side, index, volume)

    def cancel(self, bid_side: bool, index: int, volume: int) -> None:
        """Remove up to ``volume`` lots from a level; an emptied level disappears."""
        side = self.bids if bid_side else self.asks
        self._change(not bid_side, index, -min(volume, side[index][1]))

    def shift(self, ticks: int) -> None:
        """Move the whole book by ``ticks`` (a fast re-quote after a jump in fair value)."""
        for level in self.bids:
            level[0] += ticks
        for level in self.asks:
            level[0] += ticks

    def _change(self, ask_side: bool, index: int, delta: int) -> None:
        side = self.asks if ask_side else self.bids
        side[index][1] += delta
        if ask_side:
            self.ask_total += delta
        else:
            self.bid_total += delta
        if side[index][1] <= 0:
            del side[index]
            self.refill()

    def snapshot(
        self, depth: int, price: Callable[[int], float]
    ) -> tuple[tuple[PriceLevel, ...], tuple[PriceLevel, ...]]:
        """Up to ``depth`` levels per side as (bids, asks) of :class:`PriceLevel`.

        Args:
            depth: levels per side.
            price: the instrument's ``tick -> price`` converter.
        """
        bids = tuple(PriceLevel(price(t), float(v)) for t, v in self.bids[:depth])
        asks = tuple(PriceLevel(price(t), float(v)) for t, v in self.asks[:depth])
        return bids, asks
