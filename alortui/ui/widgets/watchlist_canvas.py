"""Drawing the watchlist through the Line API: one cached ``Strip`` per row, one-line repaints.

Each row's strip is cached until that row changes; a change invalidates and refreshes just its
row's one-line region, so a changed price costs one line, never a screen (style.md 3). Line 0
is a sticky header; display row ``i`` is drawn at line ``i + 1 - scroll_y``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from alortui.models import InstrumentKey
from alortui.ui.formatting import clean_text
from alortui.ui.widgets.watchlist_columns import Column
from alortui.ui.widgets.watchlist_layout import (
    Layout,
    fit_columns,
    resolve_columns,
    saved_columns,
)
from alortui.ui.widgets.watchlist_model import WatchlistModel
from alortui.ui.widgets.watchlist_paint import STYLE_ROLES, RowPainter
from alortui.ui.widgets.watchlist_rows import Row, RowOrder


class WatchlistCanvas(ScrollView):
    """The model's rows in the chosen columns that fit the width, painted from a strip cache.

    Args:
        stale_after: Seconds without an update before a row counts as stale.
        columns: Column keys in the user's order (``None``: every column, default order).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"watchlist-table--{role}" for role in STYLE_ROLES}

    class LayoutChanged(Message):
        """The set of visible columns changed (the width or the user's choice did)."""

        def __init__(self, shown: frozenset[str]) -> None:
            super().__init__()
            self.shown = shown
            """Keys of the columns shown now."""

    def __init__(
        self, *, stale_after: float, columns: Sequence[str] | None, id: str | None
    ) -> None:
        super().__init__(id=id)
        self.model = WatchlistModel(stale_after)
        self.cursor = 0
        self.columns: list[Column] = resolve_columns(columns)
        """The user's columns in the user's order (some may not fit the width)."""
        self._layout: Layout = []
        self._painter: RowPainter | None = None
        self._lines: dict[int, Strip] = {}
        self._header: Strip | None = None

    @property
    def order(self) -> RowOrder:
        """The rows in display order."""
        return self.model.order

    def set_columns(self, keys: Sequence[str] | None) -> None:
        """Show these columns in this order (``None``: the default), those that fit the width."""
        self.columns = resolve_columns(keys)
        self._relayout()

    @property
    def column_keys(self) -> list[str]:
        """The ``ui.columns`` setting for the current choice (empty: the default)."""
        return saved_columns(self.columns)

    @property
    def shown_columns(self) -> frozenset[str]:
        """Keys of the columns shown at the current width."""
        return frozenset(column.key for column, _ in self._layout)

    @property
    def keys_on_screen(self) -> set[InstrumentKey]:
        """The instruments whose rows are scrolled into view."""
        top = int(self.scroll_offset.y)
        rows = (self.order.row_at(index) for index in range(top, top + self.size.height - 1))
        return {row.key for row in rows if row is not None}

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        symbols = [cell_len(clean_text(key.symbol)) for key in self.model.rows]
        before = self.shown_columns
        self._layout = fit_columns(
            width, max(6, min(12, max(symbols, default=6))), columns=self.columns
        )
        self.virtual_size = Size(width, len(self.order) + 1)
        self._refresh_all()
        if self.shown_columns != before:
            self.post_message(self.LayoutChanged(self.shown_columns))

    def _refresh_all(self) -> None:
        self._drop_caches()
        self.refresh()

    def _drop_caches(self) -> None:
        self._painter = None
        self._lines.clear()
        self._header = None

    def _invalidate(self, rows: list[Row]) -> None:
        for row in rows:
            if (index := self.order.index_of(row.key)) is not None:
                self._lines.pop(index, None)
                self._refresh_row(index)

    def _refresh_row(self, index: int) -> None:
        y = index + 1 - int(self.scroll_offset.y)
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def notify_style_update(self) -> None:
        # The theme changed (or CSS reloaded): rebuild the Python-side styles and every strip.
        super().notify_style_update()
        self._drop_caches()

    @property
    def painter(self) -> RowPainter:
        """Paints rows with the current styles and layout (rebuilt after a theme change)."""
        if self._painter is None:
            roles = {
                role: self.get_component_rich_style(f"watchlist-table--{role}", partial=True)
                for role in STYLE_ROLES
            }
            width = self.scrollable_content_region.width
            self._painter = RowPainter(self.rich_style, roles, self._layout, width)
        return self._painter

    def render_line(self, y: int) -> Strip:
        painter = self.painter
        if y == 0:
            if self._header is None:
                self._header = painter.header(self.order.sort_key, self.order.reverse)
            return self._header
        index = y - 1 + int(self.scroll_offset.y)
        row = self.order.row_at(index)
        if row is None:
            return Strip.blank(painter.width, painter.base)
        if (strip := self._lines.get(index)) is None:
            strip = self._lines[index] = painter.row(row, index == self.cursor)
        return strip
