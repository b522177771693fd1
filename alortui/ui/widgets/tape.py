"""The live trade tape: newest trade on top, a bounded number of rows.

A Line-API widget like the ladder (style.md section 3). Rendered strips are cached per trade id,
so a batch of new trades shifts the rows without re-rendering the ones already seen. The side is
the aggressor's (alor-api.md 2.6) and is shown both coloured and as the letter B or S.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.strip import Strip

from alortui.models import Side, Trade
from alortui.ui.formatting import decimals_of, fmt_clock, fmt_price, fmt_volume
from alortui.ui.widgets.ladder_layout import OWN_MARKER
from alortui.ui.widgets.themed_view import ThemedScrollView

MAX_TRADES = 500
"""Rows the tape keeps; older trades fall off the bottom."""

ROW_WIDTH = 40
"""Widest a row gets; the rest of a wide tape stays empty."""

SIDE_LETTERS = {Side.BUY: "B", Side.SELL: "S", None: "·"}


class TradeTape(ThemedScrollView, can_focus=True):
    """Time (MSK), price, size and side of the latest trades, newest first."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "tape--buy",
        "tape--sell",
        "tape--unknown",
        "tape--time",
        "tape--empty",
        "tape--own",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "scroll_up", "Up", show=False),
        Binding("j", "scroll_down", "Down", show=False),
    ]

    DEFAULT_CSS = """
    TradeTape { scrollbar-size-vertical: 1; overflow-x: hidden; }
    TradeTape > .tape--buy { color: $price-up; }
    TradeTape > .tape--sell { color: $price-down; }
    TradeTape > .tape--unknown { color: $text; }
    TradeTape > .tape--time { color: $text-muted; }
    TradeTape > .tape--empty { color: $text-muted; text-style: italic; }
    TradeTape > .tape--own { text-style: bold reverse; }
    """

    def __init__(
        self, *, max_trades: int = MAX_TRADES, name: str | None = None, id: str | None = None
    ) -> None:
        super().__init__(name=name, id=id)
        self.decimals: int | None = None
        self.message = "no trades yet"
        """Shown while the tape is empty (e.g. why the stream has no data)."""
        self._trades: deque[Trade] = deque(maxlen=max_trades)
        self._ids: set[int] = set()
        """Ids of the trades kept: a backlog replayed after a reconnect is not shown twice."""
        self._strips: dict[int, Strip] = {}
        self._strip_width = 0
        self._styles: dict[str, Style] = {}
        """Rich styles by component, resolved once per theme or CSS change."""
        self._seen_decimals = 0
        """Most decimals any trade price used: the fallback until the instrument's are known."""
        self._own: frozenset[int] = frozenset()
        """Exchange trade numbers of the trader's own fills (highlighted, marked ◆)."""

    @property
    def trades(self) -> Sequence[Trade]:
        """The trades kept, newest first."""
        return tuple(self._trades)

    def set_decimals(self, decimals: int | None) -> None:
        """Show prices with the instrument's own decimals."""
        self.decimals = decimals
        self._strips.clear()
        self.refresh()

    def add_trades(self, trades: Iterable[Trade]) -> None:
        """Put a batch of trades (oldest first, as the service yields them) on top of the tape."""
        added, decimals = 0, self._seen_decimals
        for trade in trades:
            if trade.id in self._ids:
                continue
            if len(self._trades) == self._trades.maxlen:
                dropped = self._trades[-1].id
                self._ids.discard(dropped)
                self._strips.pop(dropped, None)
            self._trades.appendleft(trade)
            self._ids.add(trade.id)
            decimals = max(decimals, decimals_of(trade.price))
            added += 1
        if not added:
            return
        if decimals != self._seen_decimals:
            self._seen_decimals = decimals
            self._strips.clear()
        self._set_virtual_height(len(self._trades))
        if self.scroll_offset.y > 0:
            # The reader scrolled back to look at something: keep those rows where they are.
            self.scroll_to(y=self.scroll_offset.y + added, animate=False, immediate=True)
        # Newest on top: every row with a trade moves down; the blank rows below stay blank.
        shown = min(self.size.height, len(self._trades) - self.scroll_offset.y)
        self.refresh(Region(0, 0, self.size.width, max(0, shown)))

    def set_own_trades(self, ids: frozenset[int]) -> None:
        """Highlight the trades with these exchange numbers: the trader's own fills."""
        if ids == self._own:
            return
        for trade_id in ids ^ self._own:
            self._strips.pop(trade_id, None)
        self._own = ids
        self.refresh()

    def show_message(self, message: str) -> None:
        """Say why the tape is empty (shown only while it has no trades)."""
        self.message = message
        self.refresh()

    def on_resize(self) -> None:
        """Keep the virtual width equal to the visible width (rows never scroll sideways)."""
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._trades))

    def drop_style_caches(self) -> None:
        """Forget every style and strip computed with the old theme."""
        self._strips.clear()
        self._styles.clear()

    def _set_virtual_height(self, height: int) -> None:
        """Set the number of rows without a layout of the whole screen on every batch.

        The tape's size comes from CSS, not from its content, so only the scrollbar changes;
        Textual lays the screen out by itself if the scrollbar appears or goes
        (``show_vertical_scrollbar`` is a layout reactive).
        """
        size = Size(self.scrollable_content_region.width, height)
        if size != self.virtual_size:
            self.set_reactive(TradeTape.virtual_size, size)
            self._scroll_update(size)

    @property
    def _base_style(self) -> Style:
        style = self._styles.get("")
        if style is None:
            style = self._styles[""] = self.rich_style
        return style

    def _style(self, component: str) -> Style:
        style = self._styles.get(component)
        if style is None:
            style = self._styles[component] = self.rich_style + self.get_component_rich_style(
                component
            )
        return style

    def render_line(self, y: int) -> Strip:
        """Render one visible line of the tape."""
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if not self._trades:
            text = self.message if index == 0 else ""
            style = self._style("tape--empty")
            return Strip([Segment(text.center(width)[:width], style)], width)
        if index >= len(self._trades):
            return Strip.blank(width, self._base_style)
        if width != self._strip_width:
            self._strips, self._strip_width = {}, width
        trade = self._trades[index]
        strip = self._strips.get(trade.id)
        if strip is None:
            strip = self._strips[trade.id] = self._render_trade(trade, width)
        return strip

    def _render_trade(self, trade: Trade, width: int) -> Strip:
        base = self._base_style
        component = {Side.BUY: "tape--buy", Side.SELL: "tape--sell"}.get(trade.side)
        side = self._style(component or "tape--unknown")
        decimals = self.decimals if self.decimals is not None else self._seen_decimals
        price = fmt_price(trade.price, decimals).rjust(min(width, ROW_WIDTH) - 19)
        if trade.id in self._own:  # a price never fills its column: the marker takes a blank
            side += self._style("tape--own")
            price = OWN_MARKER + price[1:]
        # time(8) price size(7) side(1), one space between: the price takes what is left of a
        # row no wider than ROW_WIDTH, so a full-width tape does not scatter its columns.
        segments = [
            Segment(fmt_clock(trade.time), self._style("tape--time")),
            Segment(" " + price, side),
            Segment(" " + fmt_volume(trade.qty, width=7).rjust(7), side),
            Segment(" " + SIDE_LETTERS[trade.side], side),
        ]
        return Strip(segments).crop_extend(0, width, base)
