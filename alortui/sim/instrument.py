"""One instrument's live simulation: events in time order, the tape, the snapshot ring.

Each instrument has its own ``random.Random`` seeded from the market seed and its key, and
history uses separate generators, so instruments never influence each other and the same seed
with the same clock readings always produces the same market.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable

from alortui.models import Side, Trade
from alortui.sim.dynamics import Flow, dynamics_for
from alortui.sim.history import DAY, Bar, day_start, synth_minutes
from alortui.sim.session import Session
from alortui.sim.snapshot import RING_SECONDS, Snapshot, SnapshotRing
from alortui.sim.spec import InstrumentSpec

TAPE_LENGTH = 5000
"""Trades kept per instrument: the largest AllTrades backlog ALOR serves (alor-api.md 3.3)."""
COARSE_EVENTS = 40
"""Events simulated for a clock jump beyond the fine window (the past is then sparser)."""


class LiveInstrument:
    """The simulated state of one instrument.

    Args:
        spec: its reference data.
        seed: the market seed.
        live_from: whole minute (Unix seconds) where live simulation starts; the day before it
            is synthesised as minute bars.
        next_id: the exchange-wide trade number source.
    """

    def __init__(
        self, spec: InstrumentSpec, seed: int, live_from: int, next_id: Callable[[], int]
    ) -> None:
        self.spec = spec
        self.dyn = dynamics_for(spec)
        self.seed_text = f"{seed}:{spec.key}"
        self._next_id = next_id
        self.rng = random.Random(self.seed_text + ":live")
        self.tape: deque[Trade] = deque(maxlen=TAPE_LENGTH)
        self.new_trades: list[Trade] = []
        self.changed = False
        self.ring = SnapshotRing()
        self.past: list[Bar] | None = None
        """Synthesised daily bars before the first day (see :func:`recall.past_days`)."""
        self._snap: Snapshot | None = None
        self.open_interest = spec.open_interest
        self.first_day = day_start(live_from)
        self.first_prev_close = spec.to_ticks(spec.ref_price)
        self.day = Session(self.first_day, self.first_prev_close, spec.price_step)
        morning = random.Random(f"{self.seed_text}:day:{self.first_day}")
        open_ = self.day.prev_close * math.exp(spec.daily_vol * 0.2 * morning.gauss())
        anchor = self._anchor(open_, morning)
        bars, fair = synth_minutes(self.dyn, morning, open_, anchor, self.first_day, live_from)
        self.day.add_bars(bars)
        last = self.day.last
        self.flow = Flow(self.dyn, self.rng, last, last + 1 + (self.dyn.max_spread - 1) // 2)
        self.flow.fair, self.flow.anchor = fair, anchor
        self._set_limits()
        self.book_time = float(live_from)
        self.t_ms = self.fair_ms = live_from * 1000
        self.snap_s = live_from - 1
        self.keep_from = live_from
        self.next_ms = self.t_ms + self.flow.wait_ms()

    def _anchor(self, level: float, rng: random.Random) -> float:
        """The day's reversion level: ``level`` nudged by a random daily drift."""
        return level * (1 + self.spec.daily_vol * 0.5 * rng.gauss())

    def _set_limits(self) -> None:
        band = self.day.prev_close * self.spec.limit_rate
        self.flow.low_limit = max(1.0, self.day.prev_close - band * 0.9)
        self.flow.high_limit = self.day.prev_close + band * 0.9

    @property
    def day_end_ms(self) -> int:
        """End of the current trading day, ms."""
        return (self.day.start + DAY) * 1000

    def run_until(self, target_ms: int, fine_from_ms: int, trading: bool) -> None:
        """Simulate up to ``target_ms``; events before ``fine_from_ms`` are thinned out."""
        self.keep_from = target_ms // 1000 - RING_SECONDS + 1
        if trading:
            if self.t_ms < fine_from_ms:
                self._coarse(fine_from_ms)
            while self.next_ms <= target_ms:
                at = self.next_ms
                self._event(at)
                self.next_ms = at + self.flow.wait_ms()
        self._cross_days(target_ms)
        self._fill(target_ms // 1000)
        self.t_ms = target_ms

    def resume(self, now_ms: int) -> None:
        """Trading reopens at ``now_ms``: schedule the next event from there."""
        self.next_ms = now_ms + self.flow.wait_ms()

    def _coarse(self, until_ms: int) -> None:
        base, span = self.t_ms, until_ms - self.t_ms
        count = min(COARSE_EVENTS, int(span / 1000 * self.dyn.rate))
        for step in range(1, count + 1):
            self._event(base + span * step // (count + 1))
        self.next_ms = until_ms + self.flow.wait_ms()

    def _event(self, at_ms: int) -> None:
        self._cross_days(at_ms)
        self._fill((at_ms - 1) // 1000)
        self.flow.evolve((at_ms - self.fair_ms) / 1000)
        self.fair_ms = at_ms
        trade = self.flow.event()
        self.book_time = at_ms / 1000
        self._touch()
        if trade is not None:
            self._record(at_ms, *trade)

    def _record(self, at_ms: int, tick: int, lots: int, buy: bool) -> None:
        spec = self.spec
        if self.open_interest is not None:
            roll = self.rng.random()
            delta = lots if roll < 0.35 else -lots if roll < 0.7 else 0
            self.open_interest = max(1000, self.open_interest + delta)
        at = at_ms / 1000
        trade = Trade(
            self._next_id(), spec.price(tick), float(lots), Side.BUY if buy else Side.SELL, at,
            spec.key.symbol, spec.key.board, self.open_interest,
        )
        self.day.trade(at, tick, lots)
        self.tape.append(trade)
        self.new_trades.append(trade)
        if len(self.new_trades) > 2 * TAPE_LENGTH:  # nobody drains them: keep memory bounded
            del self.new_trades[:-TAPE_LENGTH]

    def _cross_days(self, at_ms: int) -> None:
        while at_ms >= self.day_end_ms:
            self._fill(self.day_end_ms // 1000 - 1)
            self.day.roll()
            rng = random.Random(f"{self.seed_text}:day:{self.day.start}")
            self.flow.anchor = self._anchor(self.day.prev_close, rng)
            self._set_limits()
            self._touch()

    def _touch(self) -> None:
        self._snap = None
        self.changed = True

    def _fill(self, upto_s: int) -> None:
        """Record the current state for every whole second up to ``upto_s`` not yet recorded.

        Seconds before ``keep_from`` would leave the ring before this run ends: skip them.
        """
        if upto_s <= self.snap_s:
            return
        if upto_s >= self.keep_from:
            self.ring.put(max(self.snap_s + 1, self.keep_from), upto_s, self.snapshot())
        self.snap_s = upto_s

    def snapshot(self) -> Snapshot:
        """The current quote state."""
        if self._snap is None:
            day, book = self.day, self.flow.book
            bid, ask = book.bids[0], book.asks[0]
            self._snap = Snapshot(
                day.last, day.last_time, day.prev_close, day.open, day.high, day.low, day.volume,
                day.turnover, bid[0], ask[0], bid[1], ask[1], book.bid_total, book.ask_total,
                self.book_time, self.open_interest,
            )
        return self._snap
