"""A price chart drawn with block characters: closes of recent candles as a filled area.

No plotting dependency: each column is one candle, filled from the bottom with the eighth blocks
``▁▂▃▄▅▆▇█``, so a chart ``h`` rows tall resolves ``8h`` price levels. Candles arrive as history
first and then as updates, where a candle with the same start time replaces the current one and
a later start time begins a new one (alor-api.md 3.5, "Bars").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

from alortui.models import Candle
from alortui.ui.formatting import decimals_of, fmt_price, msk

BLOCKS = " ▁▂▃▄▅▆▇█"
"""Cells filled by 0 to 8 eighths, bottom up."""

MAX_CANDLES = 1000


def area_rows(values: Sequence[float], height: int) -> list[str]:
    """Rows (top first) of a filled area chart of ``values``, one column per value.

    The lowest value fills one eighth of the bottom row, the highest the whole column; a flat
    series sits at half height.
    """
    if height <= 0 or not values:
        return [""] * max(0, height)
    low, high = min(values), max(values)
    total = height * 8
    levels = [
        total // 2 if high == low else 1 + round((value - low) / (high - low) * (total - 1))
        for value in values
    ]
    return [
        "".join(BLOCKS[min(8, max(0, level - (height - 1 - row) * 8))] for level in levels)
        for row in range(height)
    ]


def merge_candles(current: Sequence[Candle], new: Iterable[Candle]) -> list[Candle]:
    """``current`` with ``new`` applied: same start time replaces, a new time is added."""
    by_time = {candle.time: candle for candle in current}
    by_time.update((candle.time, candle) for candle in new)
    return [by_time[t] for t in sorted(by_time)][-MAX_CANDLES:]


class PriceChart(Widget):
    """Closes of the most recent candles that fit the width, with a price and a time axis."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"chart--up", "chart--down", "chart--axis"}

    DEFAULT_CSS = """
    PriceChart { height: 1fr; min-height: 4; }
    PriceChart > .chart--up { color: $price-up; }
    PriceChart > .chart--down { color: $price-down; }
    PriceChart > .chart--axis { color: $text-muted; }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.decimals: int | None = None
        self.candles: list[Candle] = []
        self.message = "loading candles…"

    def add_candles(self, candles: Iterable[Candle]) -> None:
        """Apply history or updates of candles and redraw."""
        self.candles = merge_candles(self.candles, candles)
        self.refresh()

    def show_message(self, message: str) -> None:
        """Say why there is no chart (shown only while there are no candles)."""
        self.message = message
        self.refresh()

    def visible(self) -> list[Candle]:
        """The most recent candles that fit the width, one column each."""
        return self.candles[-max(1, self.size.width - self._axis_width()) :]

    def _decimals(self) -> int:
        if self.decimals is not None:
            return self.decimals
        return max((decimals_of(candle.close) for candle in self.candles), default=2)

    def _axis_width(self) -> int:
        closes = [candle.close for candle in self.candles] or [0.0]
        decimals = self._decimals()
        return max(len(fmt_price(max(closes), decimals)), len(fmt_price(min(closes), decimals))) + 1

    def render(self) -> Text:
        """The chart for the current size."""
        width, height = self.size.width, self.size.height
        if not self.candles or height < 3:
            return Text(self.message, style=self.get_component_rich_style("chart--axis"))
        shown, axis_width, decimals = self.visible(), self._axis_width(), self._decimals()
        values = [candle.close for candle in shown]
        high, low = fmt_price(max(values), decimals), fmt_price(min(values), decimals)
        rows = area_rows(values, height - 1)
        rising = values[-1] >= values[0]
        line_style = self.get_component_rich_style("chart--up" if rising else "chart--down")
        axis_style = self.get_component_rich_style("chart--axis")
        text = Text(no_wrap=True, end="")
        for index, row in enumerate(rows):
            label = high if index == 0 else low if index == len(rows) - 1 else ""
            text.append(label.rjust(axis_width - 1) + "┤", style=axis_style)
            text.append(row + "\n", style=line_style)
        text.append(time_axis(shown, axis_width, width), style=axis_style)
        return text


def time_axis(candles: Sequence[Candle], indent: int, width: int) -> str:
    """Start and end times (MSK) under the first and last column; dates when they span days."""
    start, end = candles[0].time, candles[-1].time
    step = candles[1].time - start if len(candles) > 1 else 60.0
    pattern = "%H:%M" if end - start < 20 * 3600 else "%d.%m %H:%M" if step < 86400 else "%d.%m.%Y"
    first, last = msk(start).strftime(pattern), msk(end).strftime(pattern)
    span = max(len(candles), len(first) + len(last) + 1)
    return (" " * indent + first + last.rjust(span - len(first)))[:width]
