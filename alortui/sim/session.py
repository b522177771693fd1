"""The trading day of one instrument: day statistics, minute bars and finished daily bars.

Day figures are kept in ticks and lots and are updated by every trade, so the quote's open,
high, low, volume and the candles all come from the same prints and always agree.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import itemgetter, mul

from alortui.sim.history import DAY, Bar, day_label

MINUTE_DAYS_KEPT = 3
"""Minute bars are kept for this many session days (intraday charts rarely reach further)."""
_start = itemgetter(0)


class Session:
    """Day statistics and bars of one instrument."""

    def __init__(self, start: int, prev_close: int, money_per_tick: float) -> None:
        self.money_per_tick = money_per_tick
        self.minutes: list[Bar] = []
        self.closed_days: list[Bar] = []
        self.prev_closes: dict[int, int] = {}
        self.last = prev_close
        self.last_time: float | None = None
        self.open_day(start, prev_close)

    def open_day(self, start: int, prev_close: int) -> None:
        """Start the day beginning at ``start`` (Unix seconds) with its previous close."""
        self.start = start
        self.prev_close = prev_close
        self.prev_closes[start] = prev_close
        self.open: int | None = None
        self.high: int | None = None
        self.low: int | None = None
        self.volume = 0
        self.turnover = 0.0

    def roll(self) -> None:
        """Close the day: file its daily bar and open the next day at the last price."""
        if self.open is not None and self.high is not None and self.low is not None:
            bar = [day_label(self.start), self.open, self.high, self.low, self.last, self.volume]
            self.closed_days.append(bar)
        self.open_day(self.start + DAY, self.last)
        horizon = self.start - (MINUTE_DAYS_KEPT - 1) * DAY
        del self.minutes[: bisect_left(self.minutes, horizon, key=_start)]
        for old in [day for day in self.prev_closes if day < horizon]:
            del self.prev_closes[old]

    def add_bars(self, bars: list[Bar]) -> None:
        """Take the synthesised minute bars of this day (before any live trade) into the figures."""
        if not bars:
            return
        _, opens, highs, lows, closes, volumes = zip(*bars, strict=True)
        self.open = opens[0] if self.open is None else self.open
        self.high = max(highs) if self.high is None else max(self.high, *highs)
        self.low = min(lows) if self.low is None else min(self.low, *lows)
        self.volume += sum(volumes)
        self.turnover += sum(map(mul, volumes, closes)) * self.money_per_tick
        self.last = closes[-1]
        self.last_time = bars[-1][0] + 59.0
        self.minutes.extend(bars)

    def trade(self, t: float, tick: int, lots: int) -> None:
        """Account one print at ``t`` seconds."""
        if self.open is None or self.high is None or self.low is None:
            self.open = self.high = self.low = tick
        elif tick > self.high:
            self.high = tick
        elif tick < self.low:
            self.low = tick
        self.volume += lots
        self.turnover += lots * tick * self.money_per_tick
        self.last = tick
        self.last_time = t
        minute = int(t) // 60 * 60
        bars = self.minutes
        if bars and bars[-1][0] == minute:
            bar = bars[-1]
            bar[2] = max(bar[2], tick)
            bar[3] = min(bar[3], tick)
            bar[4] = tick
            bar[5] += lots
        else:
            bars.append([minute, tick, tick, tick, tick, lots])

    def today_bar(self) -> Bar | None:
        """The running daily bar of the current day, if anything traded."""
        if self.open is None or self.high is None or self.low is None:
            return None
        return [day_label(self.start), self.open, self.high, self.low, self.last, self.volume]

    def minutes_until(self, start: int, t: float) -> list[Bar]:
        """Minute bars of the day starting at ``start`` that were complete at ``t``."""
        lo = bisect_left(self.minutes, start, key=_start)
        hi = bisect_right(self.minutes, t - 60, key=_start)
        return self.minutes[lo:hi]
