"""Order flow of one instrument: a hidden fair value and the book events that chase it.

The fair value is an Ornstein-Uhlenbeck walk in ticks around an anchor (the day's open nudged
by a small daily drift). Each event is one of: an aggressive trade at the touch, a new order
inside the spread, added volume, or a cancellation; the choice of side leans toward the fair
value, so the book follows it tick by tick and the spread stays within a few ticks. Everything
is drawn from the instrument's own ``random.Random``, which keeps it deterministic.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from alortui.sim.book import Book
from alortui.sim.spec import InstrumentSpec

SESSION_SECONDS = 14 * 3600
"""Trading seconds in a MOEX day (07:00-23:50 MSK, rounded): the span of ``daily_vol``."""
REVERSION_HALF_LIFE = 3 * 3600.0
TRADE_SHARE = 0.35
"""Fraction of events that are trades (the rest only change the book)."""


@dataclass(frozen=True, slots=True)
class Dynamics:
    """Model parameters of one instrument, derived from its liquidity and tick size."""

    rate: float
    """Book events per second."""
    trade_size: float
    """Mean trade size, lots."""
    level_size: float
    """Mean level volume, lots."""
    gap_chance: float
    max_spread: int
    """Widest normal spread, ticks."""
    sigma: float
    """Fair-value volatility, ticks per square-root second."""
    kappa: float
    """Mean reversion per second."""
    recentre: int
    """A fair value this many ticks from the mid re-quotes the whole book at once."""


def dynamics_for(spec: InstrumentSpec) -> Dynamics:
    """Parameters that make ``spec`` look like itself: SBER busy and tight, a bond slow and wide."""
    act = spec.activity
    lot_money = spec.turnover_rub(spec.ref_price * spec.money_per_point)
    trade_size = max(1.0, (15_000 + 60_000 * act) / lot_money)
    tick_share = spec.min_step / spec.ref_price
    max_spread = max(1, min(25, round(0.00002 / (act * tick_share))))
    return Dynamics(
        rate=0.3 + 9.7 * act * act,
        trade_size=trade_size,
        level_size=trade_size * (4 + 8 * act),
        gap_chance=0.05 + 0.45 * (1 - act),
        max_spread=max_spread,
        sigma=spec.ref_price * spec.daily_vol / math.sqrt(SESSION_SECONDS) / spec.min_step,
        kappa=math.log(2) / REVERSION_HALF_LIFE,
        recentre=max(6, 3 * max_spread),
    )


def _lean(gap: float) -> float:
    """Probability shift toward the fair value for a gap in ticks."""
    return max(-0.4, min(0.4, gap * 0.2))


class Flow:
    """The fair value and the book of one instrument, advanced one event at a time."""

    __slots__ = ("anchor", "book", "dyn", "fair", "high_limit", "low_limit", "rng")

    def __init__(self, dyn: Dynamics, rng: random.Random, bid: int, ask: int) -> None:
        self.dyn = dyn
        self.rng = rng
        self.book = Book(rng, dyn.level_size, dyn.gap_chance)
        self.book.reset(bid, ask)
        self.fair = (bid + ask) / 2
        self.anchor = self.fair
        self.low_limit = -math.inf
        self.high_limit = math.inf

    def wait_ms(self) -> int:
        """Milliseconds until the next event (exponential, at least 1)."""
        return int(-math.log(1.0 - self.rng.random()) * 1000 / self.dyn.rate) + 1

    def evolve(self, seconds: float) -> None:
        """Move the fair value forward by ``seconds`` (exact OU transition)."""
        dyn = self.dyn
        decay = math.exp(-dyn.kappa * seconds)
        spread = dyn.sigma * math.sqrt((1 - decay * decay) / (2 * dyn.kappa))
        fair = self.anchor + (self.fair - self.anchor) * decay + spread * self.rng.gauss()
        self.fair = min(max(fair, self.low_limit), self.high_limit)

    def event(self) -> tuple[int, int, bool] | None:
        """Apply one random book event; return ``(tick, lots, buy)`` when it was a trade."""
        book, rng = self.book, self.rng
        gap = self.fair - (book.bids[0][0] + book.asks[0][0]) / 2
        if abs(gap) > self.dyn.recentre:
            book.shift(round(gap))  # a re-quote is an event of its own: no trade rides on it
            return None
        roll = rng.random()
        trade = None
        if roll < TRADE_SHARE:
            trade = self._trade(gap)
        elif roll < 0.55:
            self._improve(rng.random() < 0.5 + _lean(gap))
        elif roll < 0.8:
            side = book.bids if rng.random() < 0.5 else book.asks
            index = min(int(rng.expovariate(0.4)), len(side) - 1)
            book.add(side is book.bids, index, book.volume())
        else:
            self._cancel(gap)
        if book.spread() > self.dyn.max_spread:
            self._improve(gap >= 0)
        return trade

    def _trade(self, gap: float) -> tuple[int, int, bool]:
        book, rng = self.book, self.rng
        buy = rng.random() < 0.5 + _lean(gap)
        touch = (book.asks if buy else book.bids)[0][1]
        qty = int(-math.log(1.0 - rng.random()) * self.dyn.trade_size) + 1
        if (gap > 0) == buy and rng.random() < min(0.6, abs(gap) * 0.15):
            qty = touch  # an order that sweeps the level moves the price toward fair value
        tick, filled = book.take(buy, qty)
        return tick, filled, buy

    def _improve(self, bid_side: bool) -> None:
        """A new best order inside the spread (or more volume at the touch when it is 1 tick)."""
        book = self.book
        bid, ask = book.bids[0][0], book.asks[0][0]
        if ask - bid < 2:
            book.add(bid_side, 0, book.volume(0.5))
            return
        reach = self.rng.randint(1, min(ask - bid - 1, self.dyn.max_spread))
        if bid_side:
            book.improve(True, max(bid + 1, ask - reach), book.volume(0.5))
        else:
            book.improve(False, min(ask - 1, bid + reach), book.volume(0.5))

    def _cancel(self, gap: float) -> None:
        book, rng = self.book, self.rng
        if abs(gap) >= 1 and rng.random() < 0.5:
            # Quotes in the way of the fair value get pulled: the price moves without a trade.
            bid_side = gap < 0
            side = book.bids if bid_side else book.asks
            book.cancel(bid_side, 0, side[0][1])
            return
        bid_side = rng.random() < 0.5
        side = book.bids if bid_side else book.asks
        index = min(int(rng.expovariate(0.4)), len(side) - 1)
        book.cancel(bid_side, index, book.volume(0.5))
