"""Looking back: bars of any timeframe and the quote state at a past instant.

Both read what the live simulation recorded (minute bars, the tape, the per-second snapshot
ring) and fall back to the synthesised history for times before the simulation started, so a
chart or a 15-minute-delayed quote (alor-api.md 2.0) is available from the first second.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left, bisect_right
from operator import itemgetter

from alortui.models import Candle
from alortui.sim.book import DEPTH
from alortui.sim.history import (
    DAY,
    SESSION_OPEN,
    Bar,
    aggregate,
    day_label,
    day_start,
    synth_days,
)
from alortui.sim.instrument import LiveInstrument
from alortui.sim.snapshot import Snapshot

_start = itemgetter(0)


def past_days(inst: LiveInstrument) -> list[Bar]:
    """Synthesised daily bars before the first simulated day (made once, on first use)."""
    if inst.past is None:
        rng = random.Random(f"{inst.seed_text}:days")
        inst.past = synth_days(inst.dyn, rng, inst.first_day, inst.first_prev_close,
                               inst.spec.daily_vol)
    return inst.past


def daily_bars(inst: LiveInstrument) -> list[Bar]:
    """Every daily bar: synthesised past, finished live days, today so far."""
    today = inst.day.today_bar()
    return [*past_days(inst), *inst.day.closed_days, *([today] if today else [])]


def bars(inst: LiveInstrument, tf: int) -> list[Bar]:
    """All bars of ``tf`` seconds (prices in ticks), oldest first.

    Multiples of a day come from daily bars, multiples of a minute from minute bars, anything
    else from the tape (so sub-minute candles reach back only as far as the kept trades).
    """
    if tf % DAY == 0:
        daily = daily_bars(inst)
        return daily if tf == DAY else aggregate(daily, tf)
    minutes = inst.day.minutes
    if tf % 60 == 0:
        return minutes if tf == 60 else aggregate(minutes, tf)
    to_ticks = inst.spec.to_ticks
    prints = ([int(t.time), *[to_ticks(t.price)] * 4, int(t.qty)] for t in inst.tape)
    return aggregate(prints, tf)


def candles(inst: LiveInstrument, tf: int, from_: float, to: float) -> list[Candle]:
    """Candles of ``tf`` seconds whose start lies in ``[from_, to]``, oldest first."""
    series = bars(inst, tf)
    price = inst.spec.price
    lo = bisect_left(series, math.ceil(from_), key=_start)
    hi = bisect_right(series, math.floor(to), key=_start)
    return [
        Candle(float(t), price(o), price(h), price(lw), price(c), float(v))
        for t, o, h, lw, c, v in series[lo:hi]
    ]


def snapshot_at(inst: LiveInstrument, t: float) -> Snapshot:
    """The quote state at ``t``: exact from the ring, else rebuilt from bars."""
    if t * 1000 >= inst.t_ms:
        return inst.snapshot()
    recorded = inst.ring.get(math.floor(t))
    if recorded is not None:
        return recorded
    start = day_start(t)
    prev_close = inst.day.prev_closes.get(start)
    if prev_close is None:
        return _from_daily(inst, start)
    done = inst.day.minutes_until(start, t)
    if not done:
        return _quiet(inst, prev_close, prev_close, None)
    return _from_bars(inst, prev_close, done, done[-1][0] + 59.0)


def _from_daily(inst: LiveInstrument, start: int) -> Snapshot:
    daily = daily_bars(inst)
    index = bisect_right(daily, day_label(start), key=_start) - 1
    if index < 0:
        first = daily[0][1]
        return _quiet(inst, first, first, None)
    bar = daily[index]
    if bar[0] != day_label(start):  # a day without trades: yesterday's close all day
        return _quiet(inst, bar[4], bar[4], None)
    prev_close = daily[index - 1][4] if index else bar[1]
    return _from_bars(inst, prev_close, [bar], bar[0] + SESSION_OPEN + DAY - 1.0)


def _from_bars(inst: LiveInstrument, prev_close: int, done: list[Bar], at: float) -> Snapshot:
    volume = sum(bar[5] for bar in done)
    turnover = sum(bar[5] * bar[4] for bar in done) * inst.spec.price_step
    high = max(bar[2] for bar in done)
    low = min(bar[3] for bar in done)
    quiet = _quiet(inst, done[-1][4], prev_close, at)
    return quiet._replace(open=done[0][1], high=high, low=low, volume=volume, turnover=turnover)


def _quiet(inst: LiveInstrument, last: int, prev_close: int, at: float | None) -> Snapshot:
    """A plausible state with ``last`` on the bid and a typical book around it."""
    spread = 1 + (inst.dyn.max_spread - 1) // 2
    size = int(inst.dyn.level_size) + 1
    return Snapshot(
        last, at, prev_close, None, None, None, 0, 0.0, last, last + spread, size, size,
        size * DEPTH, size * DEPTH, at, inst.spec.open_interest,
    )
