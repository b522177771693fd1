"""Synthesised history (the day so far, earlier days) and candle aggregation.

A bar is a list ``[start, open, high, low, close, volume]``: start in Unix seconds, prices in
ticks, volume in lots. The session day starts at 07:00 MSK = 04:00 UTC (MOEX's first session);
a daily bar carries 00:00 UTC of its trading date, as ALOR's daily candles do (alor-api.md 2.7).
History is a cheap per-minute random walk with the same volatility and mean reversion as the
live order flow, so the joint between the synthesised past and the live session is invisible.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable

from alortui.sim.dynamics import SESSION_SECONDS, TRADE_SHARE, Dynamics

DAY = 86400
SESSION_OPEN = 4 * 3600
"""07:00 MSK in seconds after 00:00 UTC."""
HISTORY_DAYS = 365
"""Daily bars synthesised before the first simulated day."""

Bar = list[int]


def day_start(t: float) -> int:
    """Start (04:00 UTC) of the trading day that contains ``t``."""
    return int((t - SESSION_OPEN) // DAY) * DAY + SESSION_OPEN


def day_label(start: int) -> int:
    """The daily candle time of the day starting at ``start``: 00:00 UTC of its date."""
    return start - SESSION_OPEN


def daily_volume(dyn: Dynamics) -> float:
    """Typical lots traded in a whole session."""
    return dyn.rate * TRADE_SHARE * SESSION_SECONDS * dyn.trade_size


def synth_minutes(
    dyn: Dynamics, rng: random.Random, open_: float, anchor: float, start: int, end: int
) -> tuple[list[Bar], float]:
    """Minute bars of the complete minutes in ``[start, end)``.

    Args:
        open_: fair value (ticks) at ``start``.
        anchor: the level the walk reverts to.

    Returns:
        The bars (minutes without trades are absent) and the fair value at the last minute's end.
    """
    bars: list[Bar] = []
    trades_per_minute = dyn.rate * TRADE_SHARE * 60
    quiet = math.exp(-trades_per_minute)
    wiggle = dyn.sigma * math.sqrt(60) * 0.3
    # The exact OU transition over a fixed 60 s, with its constants hoisted out of the loop and
    # Box-Muller normals from C-level math: this loop runs ~1000 times per instrument.
    decay = math.exp(-dyn.kappa * 60)
    step = dyn.sigma * math.sqrt((1 - decay * decay) / (2 * dyn.kappa))
    log, sqrt, cos, uniform, tau = math.log, math.sqrt, math.cos, rng.random, math.tau
    fair = open_
    last = round(open_)
    for minute in range(start, end - 59, 60):
        normal = sqrt(-2.0 * log(1.0 - uniform())) * cos(tau * uniform())
        fair = anchor + (fair - anchor) * decay + step * normal
        if uniform() < quiet:
            continue
        close = round(fair)
        top, bottom = (last, close) if last > close else (close, last)
        high = top + int(-log(1.0 - uniform()) * wiggle)
        low = bottom - int(-log(1.0 - uniform()) * wiggle)
        low = low if low > 0 else 1
        volume = int(trades_per_minute * dyn.trade_size * (0.5 + uniform())) + 1
        bars.append([minute, last, high, low, close, volume])
        last = close
    return bars, fair


def synth_days(
    dyn: Dynamics, rng: random.Random, first_start: int, close: float, daily_vol: float
) -> list[Bar]:
    """Daily bars for the :data:`HISTORY_DAYS` days before ``first_start``, oldest first.

    The walk runs backwards from ``close`` (the close of the day before ``first_start``), so
    today's previous close is exactly the last bar's close.
    """
    bars: list[Bar] = []
    sigma_ticks = close * daily_vol
    volume = daily_volume(dyn)
    for back in range(1, HISTORY_DAYS + 1):
        open_ = close * math.exp(-daily_vol * rng.gauss())
        o, c = max(1, round(open_)), max(1, round(close))
        high = max(o, c) + int(abs(rng.gauss()) * sigma_ticks * 0.4)
        low = max(1, min(o, c) - int(abs(rng.gauss()) * sigma_ticks * 0.4))
        lots = int(volume * (0.6 + 0.8 * rng.random())) + 1
        bars.append([day_label(first_start - back * DAY), o, high, low, c, lots])
        close = open_ * math.exp(-daily_vol * 0.2 * rng.gauss())
        sigma_ticks = close * daily_vol
    bars.reverse()
    return bars


def aggregate(bars: Iterable[Bar], tf: int) -> list[Bar]:
    """Merge start-sorted bars into ``tf``-second buckets aligned to the Unix epoch."""
    out: list[Bar] = []
    for start, o, h, lo, c, v in bars:
        bucket = start - start % tf
        if out and out[-1][0] == bucket:
            merged = out[-1]
            merged[2] = max(merged[2], h)
            merged[3] = min(merged[3], lo)
            merged[4] = c
            merged[5] += v
        else:
            out.append([bucket, o, h, lo, c, v])
    return out
