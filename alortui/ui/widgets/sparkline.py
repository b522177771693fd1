"""A one-line sparkline of the day's prices in block characters (pure functions, no Textual)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from alortui.models import Candle
from alortui.ui.formatting import msk

BLOCKS = "▁▂▃▄▅▆▇█"
"""Eight heights: the lowest price of the day is ``▁``, the highest ``█``."""


def day_closes(candles: Iterable[Candle]) -> list[float]:
    """Closes of the newest trading day among ``candles``, oldest first.

    The day is the Moscow date of the newest candle, so before the open the line still shows
    the last session (alor-api.md 6.4: candle times are UTC; the exchange day is Moscow's).
    """
    ordered = sorted(candles, key=lambda candle: candle.time)
    if not ordered:
        return []
    day = msk(ordered[-1].time).date()
    return [candle.close for candle in ordered if msk(candle.time).date() == day]


def resample(values: Sequence[float], width: int) -> list[float]:
    """At most ``width`` values: the last of each of ``width`` equal stretches (a close)."""
    count = len(values)
    if count <= width:
        return list(values)
    return [values[(index + 1) * count // width - 1] for index in range(width)]


def sparkline(values: Sequence[float], width: int) -> str:
    """``values`` drawn in at most ``width`` cells, scaled between their low and high."""
    points = resample(values, width)
    if not points:
        return ""
    low, high = min(points), max(points)
    if high == low:
        return BLOCKS[len(BLOCKS) // 2 - 1] * len(points)
    top = len(BLOCKS) - 1
    return "".join(BLOCKS[round((value - low) / (high - low) * top)] for value in points)


def day_change(values: Sequence[float]) -> float | None:
    """The change from the first to the last value, as a fraction (``None`` without a base)."""
    if len(values) < 2 or not values[0]:
        return None
    return values[-1] / values[0] - 1
