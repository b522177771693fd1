"""The watchlist table: cursor, sorting, mouse and the data pushed in by the screen.

Drawing (cached strips, one-line repaints) is :class:`.WatchlistCanvas`'s job.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.timer import Timer

from alortui.models import InstrumentKey, Quote
from alortui.service.api import Stamped
from alortui.ui.messages import OpenDepth, OpenInfo
from alortui.ui.widgets.watchlist_canvas import WatchlistCanvas
from alortui.ui.widgets.watchlist_columns import COLUMNS_BY_KEY, SPARK_WIDTH
from alortui.ui.widgets.watchlist_layout import column_at


class WatchlistTable(WatchlistCanvas, can_focus=True):
    """Instruments with their latest quotes; posts ``OpenDepth``/``OpenInfo`` for the cursor row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,g", "cursor(-1000000)", "First", show=False),
        Binding("end,G", "cursor(1000000)", "Last", show=False),
        Binding("enter", "open_depth", "Depth"),
        Binding("i", "open_info", "Info"),
        Binding("s", "sort_next", "Sort"),
        Binding("S", "sort_reverse", "Reverse sort", show=False),
    ]
    DEFAULT_CSS = """
    WatchlistTable { height: 1fr; scrollbar-size-vertical: 1; overflow-x: hidden; }
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        stale_after: float = 30.0,
        columns: Sequence[str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(stale_after=stale_after, columns=columns, id=id)
        self._clock = clock
        self._flash_timer: Timer | None = None

    # -- data in -----------------------------------------------------------------------------------

    def set_keys(self, keys: Iterable[InstrumentKey]) -> None:
        """Show exactly ``keys`` in this order, keeping what is known about each."""
        self.model.set_keys(keys)
        self.cursor = min(self.cursor, max(0, len(self.order) - 1))
        self._relayout()

    def set_reference(
        self,
        key: InstrumentKey,
        *,
        name: str | None = None,
        decimals: int | None = None,
        percent: bool | None = None,
        trading_status: int | None = None,
        turnover: float | None = None,
    ) -> None:
        """Record an instrument's reference data (see ``WatchlistModel.set_reference``)."""
        changed = self.model.set_reference(
            key,
            name=name,
            decimals=decimals,
            percent=percent,
            trading_status=trading_status,
            turnover=turnover,
        )
        self._invalidate(changed)

    def set_spark(self, key: InstrumentKey, closes: Sequence[float]) -> None:
        """Show the day's ``closes`` as ``key``'s sparkline; repaints that row only."""
        self._invalidate(self.model.set_spark(key, closes, SPARK_WIDTH))

    def set_positions(self, lots: Mapping[tuple[str, str], float]) -> None:
        """Show the chosen portfolio's lots per ``(exchange, symbol)``; repaints changed rows."""
        self._invalidate(self.model.set_positions(lots))

    def apply(self, batch: Mapping[InstrumentKey, Stamped[Quote]]) -> None:
        """Take a batch of new quotes; repaint only their rows.

        A sorted table re-sorts once a second (rows jumping at 10 Hz cannot be read), and at
        once when a row gets its first value.
        """
        rows = self.model.rows
        first = any(key in rows and rows[key].quote is None for key in batch)
        self._invalidate(self.model.apply(batch, self._clock()))
        if first and self.order.sort_key and self.order.resort():
            self._refresh_all()
        if self.model.flashing:
            self._start_flash_timer()

    def set_delay(self, delayed_by: float) -> None:
        """The whole feed lags ``delayed_by`` seconds (0 when live): dims every row."""
        self.model.delayed_by = delayed_by
        self.tick()

    def tick(self) -> None:
        """Once a second: ages, staleness and a sorted order that may have moved."""
        self._invalidate(self.model.tick(self._clock()))
        if self.order.sort_key and self.order.resort():
            self._refresh_all()

    def _expire_flashes(self) -> None:
        self._invalidate(self.model.expire_flashes(self._clock()))
        if self._flash_timer and not self.model.flashing:
            self._flash_timer.pause()  # idle: no timer runs while nothing flashes

    def _start_flash_timer(self) -> None:
        if self._flash_timer is None:
            self._flash_timer = self.set_interval(0.1, self._expire_flashes)
        else:
            self._flash_timer.resume()

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)

    # -- cursor, sorting, intent -------------------------------------------------------------------

    @property
    def selected_key(self) -> InstrumentKey | None:
        """The instrument under the cursor."""
        row = self.order.row_at(self.cursor)
        return row.key if row else None

    def move_cursor(self, index: int) -> None:
        """Put the cursor on display row ``index`` (clamped) and scroll it into view."""
        index = max(0, min(index, len(self.order) - 1))
        if index == self.cursor:
            return
        for changed in (self.cursor, index):
            self._lines.pop(changed, None)
            self._refresh_row(changed)
        self.cursor = index
        visible = max(1, self.scrollable_content_region.height - 1)
        if index < self.scroll_offset.y:
            self.scroll_to(y=index, animate=False)
        elif index >= self.scroll_offset.y + visible:
            self.scroll_to(y=index - visible + 1, animate=False)

    def select_key(self, key: InstrumentKey) -> None:
        """Move the cursor to ``key`` if it is in the table."""
        if (index := self.order.index_of(key)) is not None:
            self.move_cursor(index)

    def action_cursor(self, delta: int) -> None:
        self.move_cursor(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        page = max(1, self.scrollable_content_region.height - 2)
        self.move_cursor(self.cursor + direction * page)

    def action_open_depth(self) -> None:
        if (key := self.selected_key) is not None:
            self.post_message(OpenDepth(key))

    def action_open_info(self) -> None:
        if (key := self.selected_key) is not None:
            self.post_message(OpenInfo(key))

    def sort_by(self, column_key: str | None, *, reverse: bool | None = None) -> None:
        """Sort by a column (``None`` restores watchlist order); the cursor stays on its row."""
        selected = self.selected_key
        column = COLUMNS_BY_KEY.get(column_key or "")
        self.order.sort_by(column_key, column.value if column else None, reverse=reverse)
        self._refresh_all()
        if selected is not None:
            self.cursor = self.order.index_of(selected) or 0

    def action_sort_next(self) -> None:
        keys = [None, *(column.key for column, _ in self._layout)]
        current = keys.index(self.order.sort_key) if self.order.sort_key in keys else 0
        self.sort_by(keys[(current + 1) % len(keys)], reverse=False)

    def action_sort_reverse(self) -> None:
        self.sort_by(self.order.sort_key, reverse=not self.order.reverse)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            if (column := column_at(self._layout, offset.x)) is not None:
                same = self.order.sort_key == column.key
                self.sort_by(column.key, reverse=not self.order.reverse if same else False)
            return
        self.move_cursor(offset.y - 1 + int(self.scroll_offset.y))
        if event.chain >= 2:
            self.action_open_depth()
